//! The editor's fields as a browser sends them (`indicator-0-name=…`, flat, so the same body
//! works as a form post and as the JSON the editor's script sends) read into a [`PlanForm`],
//! and the row buttons (add, remove) applied to it.

use jili_app::plans::plan_form::{GroupRow, IndicatorRow, PlanForm, RewardRow, VetoRow};
use std::collections::BTreeMap;

/// The fields of one post, by name (each name once; checkboxes carry their value in the name).
pub(super) type Fields = BTreeMap<String, String>;

/// Fields from `(name, value)` pairs (a repeated name keeps its last value).
pub(super) fn fields(pairs: Vec<(String, String)>) -> Fields {
    pairs.into_iter().collect()
}

/// Fields from a JSON object (strings, numbers and booleans as text; `false` and null left out).
pub(super) fn fields_from_json(v: &serde_json::Value) -> Fields {
    let mut out = Fields::new();
    if let Some(o) = v.as_object() {
        for (k, v) in o {
            let s = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Bool(true) => "on".into(),
                serde_json::Value::Number(n) => n.to_string(),
                _ => continue,
            };
            out.insert(k.clone(), s);
        }
    }
    out
}

fn get(f: &Fields, key: &str) -> String {
    f.get(key).cloned().unwrap_or_default()
}

/// How many rows of `kind` the fields carry (the highest index + 1).
fn rows(f: &Fields, kind: &str) -> usize {
    let prefix = format!("{kind}-");
    f.keys()
        .filter_map(|k| k.strip_prefix(&prefix))
        .filter_map(|rest| rest.split('-').next()?.parse::<usize>().ok())
        .map(|n| n + 1)
        .max()
        .unwrap_or(0)
        .min(200)
}

/// The plan levels and plates offered as checkboxes.
pub(super) const LEVELS: [&str; 4] = ["市州", "县市区", "管理区", "园区"];
/// The four regional plates of Hunan (板块), for the regional spread.
pub(super) const PLATES: [&str; 4] = ["长株潭", "洞庭湖", "湘南", "大湘西"];

/// The form the fields describe, for `measure`; `lead` fills the read-only lead department.
pub(super) fn plan_form(f: &Fields, measure: u32) -> PlanForm {
    let on = |k: &str| f.get(k).is_some_and(|v| !v.is_empty() && v != "false");
    let mut form = PlanForm {
        measure,
        year: get(f, "year"),
        title: get(f, "title"),
        lead: get(f, "lead"),
        period: get(f, "period"),
        base: get(f, "base"),
        units: LEVELS.iter().filter(|l| on(&format!("unit-{l}"))).map(|l| l.to_string()).collect(),
        exclude: get(f, "exclude"),
        missing: get(f, "missing"),
        publish_ranking: on("publish_ranking"),
        publish_vetoes: get(f, "publish_vetoes"),
        example: on("example"),
        note: get(f, "note"),
        total: get(f, "total"),
        min_score: get(f, "min_score"),
        tie_break: get(f, "tie_break"),
        extra: get(f, "extra"),
        ..PlanForm::default()
    };
    for n in 0..rows(f, "group") {
        let k = |name: &str| get(f, &format!("group-{n}-{name}"));
        form.groups.push(GroupRow {
            id: k("id"),
            levels: k("levels"),
            plates: PLATES.iter().filter(|p| on(&format!("group-{n}-plate-{p}"))).map(|p| p.to_string()).collect(),
            size_series: k("size_series"),
            at_least: k("at_least"),
            below: k("below"),
            quota: k("quota"),
        });
    }
    for n in 0..rows(f, "indicator") {
        let k = |name: &str| get(f, &format!("indicator-{n}-{name}"));
        form.indicators.push(IndicatorRow {
            id: k("id"),
            name: k("name"),
            series: k("series"),
            basis: k("basis"),
            denominator: k("denominator"),
            factor: k("factor"),
            polarity: k("polarity"),
            polarity_target: k("polarity_target"),
            category: k("category"),
            weight: k("weight"),
            normalise: k("normalise"),
            note: k("note"),
            extra: k("extra"),
        });
    }
    for n in 0..rows(f, "veto") {
        let k = |name: &str| get(f, &format!("veto-{n}-{name}"));
        form.vetoes.push(VetoRow {
            series: k("series"),
            side: k("side"),
            threshold: k("threshold"),
            reason: k("reason"),
            basis: k("basis"),
        });
    }
    for n in 0..rows(f, "reward") {
        let k = |name: &str| get(f, &format!("reward-{n}-{name}"));
        form.rewards.push(RewardRow {
            group: k("group"),
            kind: k("kind"),
            amount: k("amount"),
            channel: k("channel"),
            items: k("items"),
        });
    }
    form
}

/// Apply a row button (`add-indicator`, `remove-veto-2` …); true when the action was one.
pub(super) fn row_action(form: &mut PlanForm, action: &str) -> bool {
    if let Some(kind) = action.strip_prefix("add-") {
        match kind {
            "group" => form.groups.push(GroupRow::default()),
            "indicator" => form.indicators.push(IndicatorRow {
                basis: "total".into(),
                polarity: "higher".into(),
                category: "共性".into(),
                ..IndicatorRow::default()
            }),
            "veto" => form.vetoes.push(VetoRow { side: "above".into(), ..VetoRow::default() }),
            "reward" => form.rewards.push(RewardRow { kind: "amount".into(), ..RewardRow::default() }),
            _ => return false,
        }
        return true;
    }
    let Some(rest) = action.strip_prefix("remove-") else { return false };
    let Some((kind, n)) = rest.rsplit_once('-') else { return false };
    let Ok(n) = n.parse::<usize>() else { return false };
    fn drop<T>(v: &mut Vec<T>, n: usize) {
        if n < v.len() {
            v.remove(n);
        }
    }
    match kind {
        "group" => drop(&mut form.groups, n),
        "indicator" => drop(&mut form.indicators, n),
        "veto" => drop(&mut form.vetoes, n),
        "reward" => drop(&mut form.rewards, n),
        _ => return false,
    }
    true
}
