//! What a different value would do to a plan's result: the plan evaluated on the stored data and
//! again on data that differ (a batch of revisions laid over them, or a flagged value replaced
//! by its peers' median), compared by selection. Used by the cut-off check of an import
//! (`intake::cutoff`) and by the watch list and publication guard of the verification cases
//! (`cases::watch`). No Monte Carlo: only the result of the plan itself matters here.

use crate::App;
use crate::error::Result;
use crate::runs::run::{RunRequest, evaluate};
use jili_engine::{RunResult, Snapshot};
use jili_model::Observation;
use jili_model::plan::Plan;
use std::collections::BTreeSet;

/// The request of a comparison: the plan alone, no robustness samples.
fn quick() -> RunRequest {
    RunRequest { samples: Some(0), ..RunRequest::default() }
}

/// `plan` evaluated on a snapshot.
pub(crate) fn evaluate_on(plan: &Plan, snapshot: &Snapshot) -> Result<RunResult> {
    evaluate(plan, snapshot, &quick())
}

/// `plan` evaluated on the given values (for the plan's year; the units valid then).
pub(crate) async fn evaluate_values(
    app: &App,
    plan: &Plan,
    values: impl Iterator<Item = Observation>,
) -> Result<RunResult> {
    evaluate_on(plan, &app.data_of(plan.header.period, values, 0).await?.snapshot)
}

/// `plan`'s data as stored now (every series it reads), for laying other values over.
pub(crate) async fn stored_snapshot(app: &App, plan: &Plan) -> Result<Snapshot> {
    Ok(app.snapshot(plan.header.period, &plan.series_read(), None).await?.snapshot)
}

/// Every group's winners.
pub(crate) fn winners(r: &RunResult) -> BTreeSet<String> {
    r.groups.iter().flat_map(|g| g.winners.iter().cloned()).collect()
}

/// A unit's rank in words (第 3 名, or — when it has none).
pub(crate) fn rank_text(r: &RunResult, code: &str) -> String {
    r.units.iter().find(|u| u.code == code).and_then(|u| u.rank).map_or("—".to_string(), |r| format!("第 {r} 名"))
}

/// A unit's name in a result (its code when it is not there).
pub(crate) fn name_in<'a>(r: &'a RunResult, code: &'a str) -> &'a str {
    r.units.iter().find(|u| u.code == code).map_or(code, |u| u.name.as_str())
}

/// The units whose selection differs between two results, each with whether it won after.
pub(crate) fn crossings(before: &RunResult, after: &RunResult) -> Vec<(String, bool)> {
    let (was, now) = (winners(before), winners(after));
    was.symmetric_difference(&now).map(|code| (code.clone(), now.contains(code))).collect()
}
