//! The plan editor's form: a plan file read into plain text fields (what a lead edits in a
//! browser), and the fields written back as a plan file. Everything the form does not show
//! (pillars, `[method]`, an indicator's rarer fields) travels along untouched, so a plan
//! round-trips through the form without loss. Also the desk of plans a user may see, and the
//! form's check: structure, then the notice's rules.

mod check;
mod write;

pub use check::{DeskRow, Finding, FormCheck};

use crate::error::{AppError, Result};
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
    /// `count`, `name`, or empty to follow the programme's policy (a plan can only tighten it).
    pub publish_vetoes: String,
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
        // A request's body, on a request thread: bounded before it is parsed.
        jili_model::plan::bounds::check_text(name, source, &jili_model::Limits::default())?;
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
            publish_vetoes: text(h.get("publish_vetoes")),
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
                    (
                        "ratio".to_string(),
                        text(r.and_then(|r| r.get("denominator"))),
                        text(r.and_then(|r| r.get("factor"))),
                    )
                }
                other => (text(other), String::new(), String::new()),
            };
            let (polarity, polarity_target) = match i.get("polarity") {
                Some(Value::Table(p)) => ("target".to_string(), text(p.get("target"))),
                other => (text(other), String::new()),
            };
            let shown = ["id", "name", "series", "basis", "polarity", "category", "weight", "normalise", "note"];
            let rest: Table =
                i.iter().filter(|(k, _)| !shown.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
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
