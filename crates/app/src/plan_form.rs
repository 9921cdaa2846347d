//! The plan editor's form: a plan file read into plain text fields (what a lead edits in a
//! browser), and the fields written back as a plan file. Everything the form does not show
//! (pillars, `[method]`, an indicator's rarer fields) travels along untouched, so a plan
//! round-trips through the form without loss. Also the desk of plans a user may see, and the
//! form's check: structure, then the notice's rules.

use crate::access::Action;
use crate::error::{AppError, Result};
use crate::lint::{LintReport, SPREAD_MARGIN};
use crate::App;
use jili_model::plan::LintLevel;
use serde::Serialize;
use toml::{Table, Value};

/// The plan as the editor's fields (numbers as typed, so bad input can be named).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlanForm {
    pub measure: u32,
    pub year: String,
    pub title: String,
    pub lead: String,
    pub period: String,
    pub base: String,
    /// Unit levels in scope (市州, 县市区, 管理区, 园区).
    pub units: Vec<String>,
    /// Unit codes left out, separated by 、 or commas.
    pub exclude: String,
    pub missing: String,
    pub publish_ranking: bool,
    pub example: bool,
    pub note: String,
    pub groups: Vec<GroupRow>,
    pub indicators: Vec<IndicatorRow>,
    pub vetoes: Vec<VetoRow>,
    pub rewards: Vec<RewardRow>,
    pub total: String,
    pub min_score: String,
    pub tie_break: String,
    /// `[method]` and `[[pillars]]` as TOML text.
    pub extra: String,
}

/// A peer group with its quota.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GroupRow {
    pub id: String,
    pub levels: String,
    pub plates: Vec<String>,
    pub size_series: String,
    pub at_least: String,
    pub below: String,
    pub quota: String,
}

/// An indicator; `extra` keeps the fields the form does not show, as JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IndicatorRow {
    pub id: String,
    pub name: String,
    pub series: String,
    pub basis: String,
    pub denominator: String,
    pub factor: String,
    pub polarity: String,
    pub polarity_target: String,
    pub category: String,
    pub weight: String,
    pub normalise: String,
    pub note: String,
    pub extra: String,
}

/// A veto.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VetoRow {
    pub series: String,
    /// `above` or `below`.
    pub side: String,
    pub threshold: String,
    pub reason: String,
    pub basis: String,
}

/// A reward; `kind` is amount, tiers, pool or items, `amount` the number(s) in 万元.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RewardRow {
    pub group: String,
    pub kind: String,
    pub amount: String,
    pub channel: String,
    pub items: String,
}

fn text(v: Option<&Value>) -> String {
    match v {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a.iter().map(|x| text(Some(x))).collect::<Vec<_>>().join("、"),
        Some(other) => other.to_string(),
    }
}

fn list(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array).map_or_else(Vec::new, |a| a.iter().map(|x| text(Some(x))).collect())
}

fn tables<'a>(t: &'a Table, key: &str) -> impl Iterator<Item = &'a Table> {
    t.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_table)
}

/// Split `a、b, c` into its parts.
pub fn split_list(s: &str) -> Vec<String> {
    s.split(['、', ',', '，', ' ', '\n']).map(str::trim).filter(|x| !x.is_empty()).map(String::from).collect()
}

impl PlanForm {
    /// The form of a plan file.
    pub fn from_toml(name: &str, source: &str) -> Result<PlanForm> {
        let t: Table = source
            .parse()
            .map_err(|e: toml::de::Error| AppError::Invalid(format!("{name}：不是有效的 TOML：{}", e.message())))?;
        let empty = Table::new();
        let h = t.get("plan").and_then(Value::as_table).unwrap_or(&empty);
        let sel = t.get("selection").and_then(Value::as_table).unwrap_or(&empty);
        let quota = sel.get("quota").and_then(Value::as_table).unwrap_or(&empty);
        let mut f = PlanForm {
            measure: h.get("measure").and_then(Value::as_integer).and_then(|m| u32::try_from(m).ok()).unwrap_or(0),
            year: text(h.get("year")),
            title: text(h.get("title")),
            lead: text(h.get("lead")),
            period: text(h.get("period")),
            base: text(h.get("base")),
            units: list(h.get("units")),
            exclude: text(h.get("exclude")),
            missing: text(h.get("missing")),
            publish_ranking: h.get("publish_ranking").and_then(Value::as_bool).unwrap_or(false),
            example: h.get("example").and_then(Value::as_bool).unwrap_or(false),
            note: text(h.get("note")),
            total: text(sel.get("total")),
            min_score: text(sel.get("min_score")),
            tie_break: text(sel.get("tie_break")),
            ..PlanForm::default()
        };
        for g in tables(&t, "groups") {
            let size = g.get("size").and_then(Value::as_table);
            let id = text(g.get("id"));
            f.groups.push(GroupRow {
                quota: text(quota.get(&id)),
                id,
                levels: text(g.get("levels")),
                plates: list(g.get("plates")),
                size_series: text(size.and_then(|s| s.get("series"))),
                at_least: text(size.and_then(|s| s.get("at_least"))),
                below: text(size.and_then(|s| s.get("below"))),
            });
        }
        for i in tables(&t, "indicators") {
            let (basis, denominator, factor) = match i.get("basis") {
                Some(Value::Table(b)) => {
                    let r = b.get("ratio").and_then(Value::as_table);
                    ("ratio".to_string(), text(r.and_then(|r| r.get("denominator"))), text(r.and_then(|r| r.get("factor"))))
                }
                other => (text(other), String::new(), String::new()),
            };
            let (polarity, polarity_target) = match i.get("polarity") {
                Some(Value::Table(p)) => ("target".to_string(), text(p.get("target"))),
                other => (text(other), String::new()),
            };
            let shown = ["id", "name", "series", "basis", "polarity", "category", "weight", "normalise", "note"];
            let rest: Table = i.iter().filter(|(k, _)| !shown.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
            f.indicators.push(IndicatorRow {
                id: text(i.get("id")),
                name: text(i.get("name")),
                series: text(i.get("series")),
                basis,
                denominator,
                factor,
                polarity,
                polarity_target,
                category: text(i.get("category")),
                weight: text(i.get("weight")),
                normalise: text(i.get("normalise")),
                note: text(i.get("note")),
                extra: if rest.is_empty() { String::new() } else { serde_json::to_string(&rest).unwrap_or_default() },
            });
        }
        for v in tables(&t, "vetoes") {
            let when = v.get("when").and_then(Value::as_table).unwrap_or(&empty);
            let side = if when.contains_key("below") { "below" } else { "above" };
            f.vetoes.push(VetoRow {
                series: text(when.get("series")),
                side: side.into(),
                threshold: text(when.get(side)),
                reason: text(v.get("reason")),
                basis: text(v.get("basis")),
            });
        }
        for r in tables(&t, "rewards") {
            let (kind, amount) = match (r.get("amount_wan"), r.get("tiers_wan"), r.get("pool_wan")) {
                (Some(a), _, _) => ("amount", text(Some(a))),
                (_, Some(t), _) => ("tiers", list(Some(t)).join("/")),
                (_, _, Some(p)) => ("pool", text(Some(p))),
                _ => ("items", String::new()),
            };
            f.rewards.push(RewardRow {
                group: text(r.get("group")),
                kind: kind.into(),
                amount,
                channel: text(r.get("channel")),
                items: text(r.get("items")),
            });
        }
        let rest: Table = t
            .iter()
            .filter(|(k, _)| !["plan", "groups", "indicators", "vetoes", "selection", "rewards"].contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !rest.is_empty() {
            f.extra = toml::to_string(&rest).unwrap_or_default();
        }
        Ok(f)
    }
}

/// A number typed in a field, or an error naming the field.
fn number(field: &str, s: &str) -> Result<Option<Value>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    if let Ok(i) = s.parse::<i64>() {
        return Ok(Some(Value::Integer(i)));
    }
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Some(Value::Float(x))),
        _ => Err(AppError::Invalid(format!("{field}“{s}”不是数字：请填写阿拉伯数字，如 0.2 或 500"))),
    }
}

fn integer(field: &str, s: &str) -> Result<Option<Value>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<i64>()
        .map(|i| Some(Value::Integer(i)))
        .map_err(|_| AppError::Invalid(format!("{field}“{s}”不是整数：请填写整数，如 2024 或 500")))
}

fn strings(items: &[String]) -> Value {
    Value::Array(items.iter().map(|s| Value::String(s.clone())).collect())
}

fn put(t: &mut Table, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        t.insert(key.into(), v);
    }
}

fn put_text(t: &mut Table, key: &str, s: &str) {
    if !s.trim().is_empty() {
        t.insert(key.into(), Value::String(s.trim().into()));
    }
}

impl IndicatorRow {
    fn is_blank(&self) -> bool {
        [&self.id, &self.name, &self.series, &self.weight].iter().all(|s| s.trim().is_empty())
    }
}

impl PlanForm {
    /// The plan file the form describes. Numbers that are not numbers are named; rows left
    /// entirely blank are skipped; everything else is left to the plan's own checks.
    pub fn to_toml(&self) -> Result<String> {
        let mut h = Table::new();
        h.insert("measure".into(), Value::Integer(i64::from(self.measure)));
        put(&mut h, "year", integer("年度", &self.year)?);
        put_text(&mut h, "title", &self.title);
        put_text(&mut h, "lead", &self.lead);
        put(&mut h, "period", integer("评价年度", &self.period)?);
        put(&mut h, "base", integer("基期", &self.base)?);
        h.insert("units".into(), strings(&self.units));
        let exclude = split_list(&self.exclude);
        if !exclude.is_empty() {
            h.insert("exclude".into(), strings(&exclude));
        }
        if self.example {
            h.insert("example".into(), Value::Boolean(true));
        }
        put_text(&mut h, "missing", &self.missing);
        if self.publish_ranking {
            h.insert("publish_ranking".into(), Value::Boolean(true));
        }
        put_text(&mut h, "note", &self.note);
        let mut t = Table::new();
        t.insert("plan".into(), Value::Table(h));
        let mut groups = Vec::new();
        let mut quota = Table::new();
        for (n, g) in self.groups.iter().enumerate().filter(|(_, g)| !g.id.trim().is_empty()) {
            let at = format!("第 {} 个分组的", n + 1);
            let mut r = Table::new();
            put_text(&mut r, "id", &g.id);
            r.insert("levels".into(), strings(&split_list(&g.levels)));
            if !g.plates.is_empty() {
                r.insert("plates".into(), strings(&g.plates));
            }
            if !g.size_series.trim().is_empty() {
                let mut s = Table::new();
                put_text(&mut s, "series", &g.size_series);
                put(&mut s, "at_least", number(&format!("{at}规模下限"), &g.at_least)?);
                put(&mut s, "below", number(&format!("{at}规模上限"), &g.below)?);
                r.insert("size".into(), Value::Table(s));
            }
            put(&mut quota, g.id.trim(), integer(&format!("{at}名额"), &g.quota)?);
            groups.push(Value::Table(r));
        }
        t.insert("groups".into(), Value::Array(groups));
        let mut indicators = Vec::new();
        for (n, i) in self.indicators.iter().enumerate().filter(|(_, i)| !i.is_blank()) {
            let at = format!("第 {} 个指标的", n + 1);
            let mut r: Table = if i.extra.trim().is_empty() {
                Table::new()
            } else {
                serde_json::from_str(&i.extra)
                    .map_err(|e| AppError::Invalid(format!("{at}其他设置无法读取：{e}")))?
            };
            put_text(&mut r, "id", &i.id);
            put_text(&mut r, "name", &i.name);
            put_text(&mut r, "series", &i.series);
            if i.basis == "ratio" {
                let mut ratio = Table::new();
                put_text(&mut ratio, "denominator", &i.denominator);
                put(&mut ratio, "factor", number(&format!("{at}比值系数"), &i.factor)?);
                let mut b = Table::new();
                b.insert("ratio".into(), Value::Table(ratio));
                r.insert("basis".into(), Value::Table(b));
            } else {
                put_text(&mut r, "basis", &i.basis);
            }
            if i.polarity == "target" {
                let mut p = Table::new();
                put(&mut p, "target", number(&format!("{at}目标值"), &i.polarity_target)?);
                r.insert("polarity".into(), Value::Table(p));
            } else {
                put_text(&mut r, "polarity", &i.polarity);
            }
            put_text(&mut r, "category", &i.category);
            put(&mut r, "weight", number(&format!("{at}权重"), &i.weight)?.map(|w| match w {
                Value::Integer(x) => Value::Float(x as f64),
                w => w,
            }));
            put_text(&mut r, "normalise", &i.normalise);
            put_text(&mut r, "note", &i.note);
            indicators.push(Value::Table(r));
        }
        t.insert("indicators".into(), Value::Array(indicators));
        let mut vetoes = Vec::new();
        for (n, v) in self.vetoes.iter().enumerate().filter(|(_, v)| !v.series.trim().is_empty()) {
            let mut when = Table::new();
            put_text(&mut when, "series", &v.series);
            let side = if v.side == "below" { "below" } else { "above" };
            put(&mut when, side, number(&format!("第 {} 个一票否决的阈值", n + 1), &v.threshold)?);
            let mut r = Table::new();
            r.insert("when".into(), Value::Table(when));
            r.insert("reason".into(), Value::String(v.reason.trim().into()));
            r.insert("basis".into(), Value::String(v.basis.trim().into()));
            vetoes.push(Value::Table(r));
        }
        if !vetoes.is_empty() {
            t.insert("vetoes".into(), Value::Array(vetoes));
        }
        let mut sel = Table::new();
        sel.insert("quota".into(), Value::Table(quota));
        put(&mut sel, "total", integer("总名额", &self.total)?);
        put(&mut sel, "min_score", number("最低得分", &self.min_score)?);
        let tie = split_list(&self.tie_break);
        if !tie.is_empty() {
            sel.insert("tie_break".into(), strings(&tie));
        }
        t.insert("selection".into(), Value::Table(sel));
        let mut rewards = Vec::new();
        for (n, r) in self.rewards.iter().enumerate().filter(|(_, r)| !r.group.trim().is_empty()) {
            let at = format!("第 {} 项奖励的金额（万元）", n + 1);
            let mut row = Table::new();
            put_text(&mut row, "group", &r.group);
            match r.kind.as_str() {
                "tiers" => {
                    let tiers: Result<Vec<Value>> = r
                        .amount
                        .split(['/', '、', ',', '，'])
                        .filter(|s| !s.trim().is_empty())
                        .map(|s| integer(&at, s).map(|v| v.unwrap_or(Value::Integer(0))))
                        .collect();
                    row.insert("tiers_wan".into(), Value::Array(tiers?));
                }
                "pool" => put(&mut row, "pool_wan", integer(&at, &r.amount)?),
                "items" => {}
                _ => put(&mut row, "amount_wan", integer(&at, &r.amount)?),
            }
            put_text(&mut row, "channel", &r.channel);
            let items = split_list(&r.items);
            if !items.is_empty() {
                row.insert("items".into(), strings(&items));
            }
            rewards.push(Value::Table(row));
        }
        if !rewards.is_empty() {
            t.insert("rewards".into(), Value::Array(rewards));
        }
        if !self.extra.trim().is_empty() {
            let extra: Table = self
                .extra
                .parse()
                .map_err(|e: toml::de::Error| AppError::Invalid(format!("其他设置（TOML）无法读取：{}", e.message())))?;
            for (k, v) in extra {
                if t.contains_key(&k) {
                    return Err(AppError::Invalid(format!("其他设置（TOML）中的“{k}”已由表单填写：请在表单中修改")));
                }
                t.insert(k, v);
            }
        }
        toml::to_string(&t).map_err(|e| AppError::Invalid(format!("方案无法写成 TOML：{e}")))
    }
}
