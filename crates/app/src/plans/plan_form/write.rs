//! The form written back as a plan file: numbers that are not numbers are named by field,
//! blank rows are skipped, and everything else is left to the plan's own checks.

use super::{IndicatorRow, PlanForm, split_list};
use crate::error::{AppError, Result};
use toml::{Table, Value};

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
        put_text(&mut h, "publish_vetoes", &self.publish_vetoes);
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
                serde_json::from_str(&i.extra).map_err(|e| AppError::Invalid(format!("{at}其他设置无法读取：{e}")))?
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
            put(
                &mut r,
                "weight",
                number(&format!("{at}权重"), &i.weight)?.map(|w| match w {
                    Value::Integer(x) => Value::Float(x as f64),
                    w => w,
                }),
            );
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
            let extra: Table = self.extra.parse().map_err(|e: toml::de::Error| {
                AppError::Invalid(format!("其他设置（TOML）无法读取：{}", e.message()))
            })?;
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
