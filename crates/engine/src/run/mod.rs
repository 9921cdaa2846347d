//! Evaluate an implementation plan on a data snapshot: the engine's main entry point.

mod explain;
pub mod funds;
mod prepare;
pub mod result;
mod robustness;
mod score;
mod select;

use crate::error::EngineError;
use crate::snapshot::Snapshot;
use jili_model::plan::Amount;
use jili_model::plan::Plan;
use prepare::Prepared;
use result::{Award, GroupResult, IndicatorInfo, PillarInfo, PoolShare, RunResult};
use score::{Choice, score};
use select::select;

pub use robustness::STABLE;

/// Below this many units, explaining on one thread is faster than waking others.
const PARALLEL_EXPLAIN: usize = 512;

/// How to run: Monte Carlo samples and whether to use threads (the result is the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// `None`: the plan's `[method] samples`; `Some(0)`: no robustness analysis.
    pub samples: Option<u32>,
    pub parallel: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options { samples: None, parallel: true }
    }
}

/// Evaluate `plan` on `snap` with the plan's own Monte Carlo settings.
pub fn evaluate(plan: &Plan, snap: &Snapshot, seed: u64) -> Result<RunResult, EngineError> {
    evaluate_with(plan, snap, seed, &Options::default())
}

/// Evaluate with explicit options.
pub fn evaluate_with(plan: &Plan, snap: &Snapshot, seed: u64, options: &Options) -> Result<RunResult, EngineError> {
    let p = Prepared::new(plan, snap);
    let scored = score(&p, &Choice::nominal(plan.header.missing))?;
    let sel = select(&p, &scored);

    // Money: per group, winners in rank order.
    let mut awards: Vec<Option<Award>> = vec![None; p.units.len()];
    let mut total_wan = 0;
    for (g, group) in plan.groups.iter().enumerate() {
        let Some(reward) = plan.rewards.iter().find(|r| r.group == group.id) else { continue };
        let winners: Vec<usize> = sel.order[g].iter().copied().filter(|&u| sel.winner[u]).collect();
        let scores: Vec<f64> = winners.iter().map(|&u| scored.composite[u]).collect();
        let total_score: f64 = scores.iter().sum();
        for ((&u, amount), score) in winners.iter().zip(funds::allocate(&reward.amount, &scores)).zip(&scores) {
            total_wan += amount;
            let pool = match reward.amount {
                Amount::Pool(pool_wan) => Some(PoolShare { pool_wan, score: *score, total_score }),
                _ => None,
            };
            awards[u] =
                Some(Award { amount_wan: amount, channel: reward.channel.clone(), items: reward.items.clone(), pool });
        }
    }

    let cx = explain::Context::new(&p, &scored);
    // Each unit's explanation is independent; collected in order, so threads change nothing.
    let explain_one = |u: usize| explain::unit(&p, &scored, &sel, &cx, awards[u].clone(), u);
    let mut units: Vec<_> = if options.parallel && p.units.len() >= PARALLEL_EXPLAIN {
        use rayon::prelude::*;
        (0..p.units.len()).into_par_iter().map(explain_one).collect()
    } else {
        (0..p.units.len()).map(explain_one).collect()
    };
    let samples = options.samples.unwrap_or(plan.method.samples);
    let robustness = if samples > 0 {
        let (per_unit, summary) = robustness::robustness(&p, &sel, samples, seed, options.parallel)?;
        for (unit, r) in units.iter_mut().zip(per_unit) {
            unit.robustness = Some(r);
        }
        Some(summary)
    } else {
        None
    };

    let groups = plan
        .groups
        .iter()
        .enumerate()
        .map(|(g, group)| {
            let pop = p.populations.iter().position(|pop| p.members[g].first().is_some_and(|u| pop.contains(u)));
            GroupResult {
                id: group.id.clone(),
                quota: plan.selection.quota.get(g).and_then(|(_, q)| *q),
                ranking: sel.order[g].iter().map(|&u| p.code(u).to_string()).collect(),
                winners: sel.order[g].iter().filter(|&&u| sel.winner[u]).map(|&u| p.code(u).to_string()).collect(),
                cutoff: sel.cutoff[g],
                weights: pop
                    .map(|i| overall_weights(plan, &scored.weights[i], &scored.pillar_weights[i]))
                    .unwrap_or_default(),
                ranges: pop.map(|i| scored.ranges[i].clone()).unwrap_or_default(),
            }
        })
        .collect();
    let indicators = plan
        .indicators
        .iter()
        .map(|i| IndicatorInfo {
            id: i.id.clone(),
            name: i.name.clone(),
            series: i.series.clone(),
            basis: i.basis.label().to_string(),
            normalise: i.normalise.label().to_string(),
            weight: i.weight,
            pillar: i.pillar.clone(),
        })
        .collect();
    let pillars =
        plan.pillars.iter().map(|p| PillarInfo { id: p.id.clone(), name: p.name.clone(), weight: p.weight }).collect();
    Ok(RunResult {
        measure: plan.header.measure,
        year: plan.header.year,
        title: plan.header.title.clone(),
        period: plan.header.period,
        base: plan.header.base,
        seed,
        indicators,
        pillars,
        groups,
        units,
        total_wan,
        robustness,
        warnings: p.warnings,
    })
}

/// Each indicator's share of the composite: its weight, times its pillar's when there are pillars.
fn overall_weights(plan: &Plan, within: &[f64], pillars: &[f64]) -> Vec<f64> {
    plan.indicators
        .iter()
        .zip(within)
        .map(|(ind, w)| match plan.pillars.iter().position(|p| Some(&p.id) == ind.pillar.as_ref()) {
            Some(q) => w * pillars.get(q).copied().unwrap_or(0.0),
            None => *w,
        })
        .collect()
}
