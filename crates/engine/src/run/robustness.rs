//! Monte Carlo robustness: how much do ranks and winners depend on the choices a plan could have
//! made otherwise (weights, normalisation, missing-data rule)? Seeded; each sample draws from its
//! own stream, so parallel and serial runs give identical numbers.

use super::prepare::Prepared;
use super::result::{Robustness, Sensitivity, UnitRobustness};
use super::score::{Choice, score};
use super::select::{Selected, select};
use crate::error::EngineError;
use crate::rng::SampleRng;
use crate::stats;
use jili_model::plan::MissingRule;
use jili_model::{Aggregation, Normalise};
use rayon::prelude::*;

/// Share of samples above which a winner counts as stable.
pub const STABLE: f64 = 0.9;

/// The sensitivity indices use every `SOBOL_EVERY`-th sample as a base point, each costing four
/// more scorings (B and A with one choice from B): the rank statistics use all samples.
pub const SOBOL_EVERY: u64 = 4;

/// The alternatives the Monte Carlo draws from.
#[derive(Debug, Clone)]
pub(crate) struct Space {
    pub spread: f64,
    /// `None` = the plan's own methods.
    pub normalisations: Vec<Option<Normalise>>,
    pub missing: Vec<MissingRule>,
}

impl Space {
    pub fn for_plan(p: &Prepared) -> Space {
        let m = &p.plan.method;
        // Alternatives stay on the plan's 0–scale range, so a minimum score means the same in
        // every sample (rank and z-score would not).
        let mut normalisations = vec![None, Some(Normalise::Minmax), Some(Normalise::Percentile)];
        // Geometric and harmonic means (at the root or in a pillar) cannot take a zero score,
        // which min-max, percentile and the zero rule all produce: keep the plan's own choices.
        let positive_only = matches!(m.aggregate, Aggregation::Gmean | Aggregation::Hmean)
            || p.plan.pillars.iter().any(|pl| matches!(pl.aggregate, Aggregation::Gmean | Aggregation::Hmean));
        if positive_only {
            normalisations.truncate(1);
        }
        let own = p.plan.header.missing;
        let mut missing = vec![own];
        for r in [MissingRule::Reweight, MissingRule::GroupMean, MissingRule::GroupMedian, MissingRule::Zero] {
            if !(missing.contains(&r) || positive_only && r == MissingRule::Zero) {
                missing.push(r);
            }
        }
        Space { spread: m.weight_spread, normalisations, missing }
    }

    fn draw(&self, rng: &mut SampleRng, k: usize) -> Draw {
        Draw {
            factors: (0..k).map(|_| rng.between(1.0 - self.spread, 1.0 + self.spread)).collect(),
            normalise: rng.below(self.normalisations.len()),
            missing: rng.below(self.missing.len()),
        }
    }

    fn choice(&self, d: &Draw) -> Choice {
        Choice {
            weight_factors: d.factors.clone(),
            normalise: self.normalisations[d.normalise],
            missing: self.missing[d.missing],
        }
    }
}

/// One point of the sample space.
#[derive(Debug, Clone)]
struct Draw {
    factors: Vec<f64>,
    normalise: usize,
    missing: usize,
}

/// One sample's outcome; for base samples also Y(B) and Y(AB_i) of the sensitivity design.
type Sampled = (Outcome, Option<(f64, [f64; 3])>);

/// What one sample gives.
struct Outcome {
    rank: Vec<u32>,
    winner: Vec<bool>,
    /// Mean absolute rank shift against the nominal ranks.
    shift: f64,
}

fn run_one(p: &Prepared, choice: &Choice, nominal: &[u32]) -> Result<Outcome, EngineError> {
    let s = score(p, choice)?;
    let Selected { rank, winner, .. } = select(p, &s);
    let pairs: Vec<f64> = rank
        .iter()
        .zip(nominal)
        .filter(|(a, b)| **a > 0 && **b > 0)
        .map(|(a, b)| (f64::from(*a) - f64::from(*b)).abs())
        .collect();
    let shift = if pairs.is_empty() { 0.0 } else { pairs.iter().sum::<f64>() / pairs.len() as f64 };
    Ok(Outcome { rank, winner, shift })
}

/// Per-unit summaries and the measure's summary. `parallel` only changes the speed.
pub(crate) fn robustness(
    p: &Prepared,
    nominal: &Selected,
    samples: u32,
    seed: u64,
    parallel: bool,
) -> Result<(Vec<UnitRobustness>, Robustness), EngineError> {
    let space = Space::for_plan(p);
    // Every weight varies: the indicators' and the pillars'.
    let k = p.plan.indicators.len() + p.plan.pillars.len();
    // Saltelli's design: for each base sample, points A and B, and A with one choice taken from B.
    let one = |i: u64| -> Result<Sampled, EngineError> {
        let mut rng = SampleRng::new(seed, i);
        let a = space.draw(&mut rng, k);
        let b = space.draw(&mut rng, k);
        let ya = run_one(p, &space.choice(&a), &nominal.rank)?;
        if !i.is_multiple_of(SOBOL_EVERY) {
            return Ok((ya, None));
        }
        let yb = run_one(p, &space.choice(&b), &nominal.rank)?.shift;
        let ab = [
            Draw { factors: b.factors.clone(), ..a.clone() },
            Draw { normalise: b.normalise, ..a.clone() },
            Draw { missing: b.missing, ..a.clone() },
        ];
        let mut yab = [0.0; 3];
        for (y, d) in yab.iter_mut().zip(&ab) {
            *y = run_one(p, &space.choice(d), &nominal.rank)?.shift;
        }
        Ok((ya, Some((yb, yab))))
    };
    let runs: Vec<Sampled> = if parallel {
        (0..u64::from(samples)).into_par_iter().map(one).collect::<Result<_, _>>()?
    } else {
        (0..u64::from(samples)).map(one).collect::<Result<_, _>>()?
    };

    let n = p.units.len();
    let mut units = Vec::with_capacity(n);
    let mut ranks = Vec::with_capacity(runs.len());
    let mut stable = 0;
    for u in 0..n {
        ranks.clear();
        ranks.extend(runs.iter().map(|r| r.0.rank[u]).filter(|r| *r > 0).map(f64::from));
        ranks.sort_by(f64::total_cmp);
        let selected = runs.iter().filter(|r| r.0.winner[u]).count() as f64 / runs.len().max(1) as f64;
        if nominal.winner[u] && selected >= STABLE {
            stable += 1;
        }
        units.push(UnitRobustness {
            nominal_rank: nominal.rank[u],
            median_rank: stats::quantile_sorted(&ranks, 0.5),
            rank_q05: stats::quantile_sorted(&ranks, 0.05),
            rank_q95: stats::quantile_sorted(&ranks, 0.95),
            p_selected: selected,
        });
    }

    let base: Vec<(f64, f64, [f64; 3])> =
        runs.iter().filter_map(|(a, rest)| rest.map(|(yb, yab)| (a.shift, yb, yab))).collect();
    let all: Vec<f64> = base.iter().flat_map(|(ya, yb, _)| [*ya, *yb]).collect();
    let var = stats::sd(&all).powi(2);
    let names = ["权重", "标准化方法", "缺失值规则"];
    let sensitivity = names
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let nf = base.len().max(1) as f64;
            let (mut first, mut total) = (0.0, 0.0);
            for (ya, yb, yab) in &base {
                first += yb * (yab[c] - ya);
                total += (ya - yab[c]).powi(2);
            }
            let ok = var > 0.0 && var.is_finite();
            Sensitivity {
                choice: (*name).to_string(),
                first_order: if ok { first / nf / var } else { 0.0 },
                total: if ok { total / (2.0 * nf) / var } else { 0.0 },
            }
        })
        .collect();
    let summary = Robustness {
        samples,
        weight_spread: space.spread,
        normalisations: space.normalisations.iter().map(|n| n.map_or("方案规定", |n| n.label()).to_string()).collect(),
        missing_rules: space.missing.iter().map(|m| m.label().to_string()).collect(),
        winners: nominal.winner.iter().filter(|w| **w).count() as u32,
        stable_winners: stable,
        sensitivity,
    };
    Ok((units, summary))
}
