//! A trial's result as the pages show it: scores and winners per group, and the regional
//! spread — how many units of each plate (长株潭、洞庭湖、湘南、大湘西) were evaluated and won.

use crate::auth::Visitor;
use crate::error::WebResult;
use jili_app::engine::{Outcome, RunResult};
use jili_model::Plate;
use minijinja::Value;
use serde_json::json;

/// The trial's groups and spread, for a template or the API.
pub(super) async fn view(v: &Visitor, result: &RunResult) -> WebResult<Value> {
    Ok(Value::from_serialize(json(v, result).await?))
}

/// The same as JSON.
pub(super) async fn json(v: &Visitor, result: &RunResult) -> WebResult<serde_json::Value> {
    let catalogue = v.app.catalogue().await?;
    let groups: Vec<serde_json::Value> = result
        .groups
        .iter()
        .map(|g| {
            let rows: Vec<serde_json::Value> = g
                .ranking
                .iter()
                .filter_map(|code| result.units.iter().find(|u| &u.code == code))
                .map(|u| {
                    json!({
                        "code": u.code, "name": u.name, "rank": u.rank, "score": u.score,
                        "winner": u.outcome == Outcome::Winner, "reason": u.reason,
                    })
                })
                .collect();
            let winners: Vec<&str> = g
                .winners
                .iter()
                .filter_map(|c| result.units.iter().find(|u| &u.code == c))
                .map(|u| u.name.as_str())
                .collect();
            json!({"id": g.id, "quota": g.quota, "winners": winners, "ranking": rows})
        })
        .collect();
    let mut names: Vec<String> = Plate::ALL.iter().map(|p| p.as_str().to_string()).collect();
    names.push("（无板块）".into());
    let mut spread: Vec<(String, usize, usize)> = names.into_iter().map(|n| (n, 0, 0)).collect();
    for u in result.units.iter().filter(|u| u.group.is_some()) {
        let plate = catalogue.unit(&u.code).and_then(|x| x.plate).map_or("（无板块）", Plate::as_str);
        if let Some(row) = spread.iter_mut().find(|(n, _, _)| n == plate) {
            row.1 += 1;
            row.2 += usize::from(u.outcome == Outcome::Winner);
        }
    }
    let spread: Vec<serde_json::Value> = spread
        .into_iter()
        .filter(|(n, units, _)| *units > 0 || n != "（无板块）")
        .map(|(plate, units, winners)| json!({"plate": plate, "units": units, "winners": winners}))
        .collect();
    Ok(json!({
        "measure": result.measure, "year": result.year, "period": result.period, "title": result.title,
        "total_wan": result.total_wan.to_string(), "groups": groups, "spread": spread, "warnings": result.warnings,
    }))
}
