//! A revision that moves a unit across a selection cut-off: the most serious thing a batch of
//! revisions can do, so it is flagged above everything else (the notice forbids falsified,
//! inflated or hidden data). Each plan reading a revised series is evaluated on the stored data
//! and again with the batch laid over them; every unit whose selection changes is named.
//!
//! Only plans in force (approved or published) are run: a draft's ranking is nobody's yet.
//! The findings name units and unpublished ranks, so they are the office's and the auditor's
//! only: a provider never sees them (they would show how far a value is from a cut-off).

use crate::App;
use crate::error::Result;
use crate::runs::what_if;
use jili_model::{Batch, Observation};
use std::collections::{BTreeMap, BTreeSet};

/// A unit whose selection the batch changes in one measure.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Crossing {
    /// The batch's revised value of this unit in a series the plan reads, if it has one.
    pub index: Option<usize>,
    pub unit: String,
    pub message: String,
}

/// `stored`: current values of the plans' series; `revised`: indexes of revised observations.
pub(super) async fn crossings(
    app: &App,
    batch: &Batch,
    revised: &[usize],
    stored: &[Observation],
) -> Result<Vec<Crossing>> {
    if revised.is_empty() {
        return Ok(Vec::new());
    }
    let views = match app.approved_plan_views(None).await {
        Ok(v) => v,
        // No programme or plans yet: no cut-offs to cross.
        Err(crate::AppError::NotFound(_)) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let revised_series: BTreeSet<&str> = revised.iter().map(|i| batch.observations[*i].series.as_str()).collect();
    let mut out = Vec::new();
    for view in views {
        let plan = &view.plan;
        let reads = plan.series_read();
        if !reads.iter().any(|s| revised_series.contains(s)) {
            continue;
        }
        let before_values = stored.iter().filter(|o| reads.contains(o.series.as_str())).cloned();
        let mut after: BTreeMap<jili_model::ObservationKey, Observation> =
            stored.iter().filter(|o| reads.contains(o.series.as_str())).map(|o| (o.key(), o.clone())).collect();
        for o in batch.observations.iter().filter(|o| reads.contains(o.series.as_str())) {
            after.insert(o.key(), o.clone());
        }
        let before = what_if::evaluate_values(app, plan, before_values).await?;
        let after = what_if::evaluate_values(app, plan, after.into_values()).await?;
        for (code, won) in what_if::crossings(&before, &after) {
            let name = what_if::name_in(&after, &code);
            let (from, to) = if won { ("未入选", "入选") } else { ("入选", "未入选") };
            let index = revised.iter().copied().find(|i| {
                let o = &batch.observations[*i];
                o.unit == code && reads.contains(o.series.as_str())
            });
            let cause = if index.is_some() {
                "本批次对该单位数据的修订"
            } else {
                "本批次对其他单位数据的修订（改变了同组的比较基准）"
            };
            let message = format!(
                "{cause}使 {name} 在措施 {}（{}）中由{from}变为{to}（修订前{}，修订后{}）",
                plan.header.measure,
                plan.header.title,
                what_if::rank_text(&before, &code),
                what_if::rank_text(&after, &code)
            );
            out.push(Crossing { index, unit: code, message });
        }
    }
    Ok(out)
}
