//! One scoring of a prepared evaluation under one set of choices (the plan's own, or a Monte
//! Carlo variation): impute, treat outliers, normalise within each population, weight, aggregate.

use super::prepare::Prepared;
use crate::aggregate::aggregate;
use crate::error::EngineError;
use crate::normalise::{Scaler, normalise};
use crate::outlier::winsorise;
use crate::stats;
use crate::weights::perturbed;
use jili_model::plan::{Basis, Indicator, MissingRule, Polarity};
use jili_model::{Direction, Normalise, Outlier};

/// The uncertain choices of one scoring.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Choice {
    /// Multiplies each indicator's weight, then each pillar's (indicators first); empty = 1.
    pub weight_factors: Vec<f64>,
    /// Replaces the method of indicators whose method depends only on the data.
    pub normalise: Option<Normalise>,
    pub missing: MissingRule,
}

impl Choice {
    pub fn nominal(missing: MissingRule) -> Choice {
        Choice { weight_factors: Vec::new(), normalise: None, missing }
    }
}

/// What was done to one value, for the explanation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Flag {
    NotApplicable,
    Skipped,
    Imputed(f64),
    Zero,
    Winsorised(f64),
}

/// The scores under one choice.
#[derive(Debug, Clone)]
pub(crate) struct Scored {
    /// Per indicator, per scope unit: normalised score (NaN = skipped or not applicable).
    pub scores: Vec<Vec<f64>>,
    /// Per indicator, per scope unit: the value used (after imputation and outlier treatment).
    pub values: Vec<Vec<f64>>,
    pub flags: Vec<Vec<Option<Flag>>>,
    /// Per scope unit.
    pub composite: Vec<f64>,
    /// Per population: the weights used, per indicator (within its pillar, when there are pillars).
    pub weights: Vec<Vec<f64>>,
    /// Per pillar, per scope unit: the pillar's score.
    pub pillar_scores: Vec<Vec<f64>>,
    /// Per population: the pillars' weights (empty without pillars).
    pub pillar_weights: Vec<Vec<f64>>,
    /// Scope units made ineligible by missing data under the rule "ineligible".
    pub missing_ineligible: Vec<bool>,
    /// Per population, per indicator: the lowest and highest value normalised over.
    pub ranges: Vec<Vec<Option<[f64; 2]>>>,
}

/// Whether a method's result depends only on the data (so a Monte Carlo alternative may replace it).
fn replaceable(ind: &Indicator) -> bool {
    match ind.normalise {
        Normalise::Goalposts | Normalise::Target => false,
        Normalise::Efficacy => ind.bounds.is_none(),
        _ => true,
    }
}

fn scaler(ind: &Indicator, method: Normalise, floor: f64, scale: f64) -> Scaler {
    let [low, high] = ind.bounds.map_or([None, None], |[l, h]| [Some(l), Some(h)]);
    let direction = match ind.polarity {
        Polarity::Lower => Direction::Lower,
        // Target polarity: values become −|x − t| first, so higher is better.
        Polarity::Higher | Polarity::Target(_) => Direction::Higher,
    };
    Scaler { method, direction, low, high, target: ind.target, floor, scale, log: ind.outlier == Some(Outlier::Log) }
}

/// Score every unit in scope under `choice`.
pub(crate) fn score(p: &Prepared, choice: &Choice) -> Result<Scored, EngineError> {
    let plan = p.plan;
    let n = p.units.len();
    let k = plan.indicators.len();
    let scale = plan.method.scale;
    let mut scores = vec![vec![f64::NAN; n]; k];
    let mut values = p.values.clone();
    let mut flags = vec![vec![None; n]; k];
    let mut missing_ineligible = vec![false; n];
    let mut ranges = vec![vec![None; k]; p.populations.len()];

    for (j, ind) in plan.indicators.iter().enumerate() {
        let method = match choice.normalise {
            Some(m) if replaceable(ind) => m,
            _ => ind.normalise,
        };
        let sc = scaler(ind, method, plan.method.floor, scale);
        for (pi, pop) in p.populations.iter().enumerate() {
            let mut column: Vec<f64> = pop.iter().map(|&u| values[j][u]).collect();
            // Missing data, by the rule in force.
            let fill = match choice.missing {
                MissingRule::GroupMean => stats::mean(&column),
                MissingRule::GroupMedian => stats::median(&column),
                _ => f64::NAN,
            };
            for (x, &u) in column.iter_mut().zip(pop) {
                if !p.applies[j][u] {
                    flags[j][u] = Some(Flag::NotApplicable);
                } else if x.is_nan() {
                    match choice.missing {
                        MissingRule::GroupMean | MissingRule::GroupMedian if !fill.is_nan() => {
                            *x = fill;
                            flags[j][u] = Some(Flag::Imputed(fill));
                        }
                        MissingRule::Zero => flags[j][u] = Some(Flag::Zero),
                        MissingRule::Ineligible => {
                            missing_ineligible[u] = true;
                            flags[j][u] = Some(Flag::Skipped);
                        }
                        _ => flags[j][u] = Some(Flag::Skipped),
                    }
                }
            }
            if ind.outlier == Some(Outlier::Winsorise) {
                let before = column.clone();
                for i in winsorise(&mut column) {
                    flags[j][pop[i]] = Some(Flag::Winsorised(before[i]));
                }
            }
            // Target polarity: the distance to the target, negated, is what is normalised; the
            // value shown stays the unit's own.
            let scaled: std::borrow::Cow<[f64]> = match ind.polarity {
                Polarity::Target(t) => column.iter().map(|x| -(x - t).abs()).collect(),
                _ => std::borrow::Cow::Borrowed(&column),
            };
            let mut s = normalise(&scaled, &sc, &ind.name)?;
            if ind.basis == Basis::ScoreImprovement
                && let Some(prev) = &p.previous[j]
            {
                let last: Vec<f64> = pop.iter().map(|&u| prev[u]).collect();
                let last = normalise(&last, &sc, &ind.name)?;
                let diff: Vec<f64> = s.iter().zip(&last).map(|(a, b)| a - b).collect();
                s = normalise(&diff, &Scaler { direction: Direction::Higher, log: false, ..sc }, &ind.name)?;
            }
            for (i, &u) in pop.iter().enumerate() {
                values[j][u] = column[i];
                scores[j][u] = if flags[j][u] == Some(Flag::Zero) { 0.0 } else { s[i] };
            }
            let (lo, hi) = (stats::min(&column), stats::max(&column));
            ranges[pi][j] = (!lo.is_nan()).then_some([lo, hi]);
        }
    }

    let mut composite = vec![f64::NAN; n];
    let np = plan.pillars.len();
    let mut pillar_scores = vec![vec![f64::NAN; n]; np];
    let mut used = Vec::with_capacity(p.populations.len());
    let mut used_pillars = Vec::with_capacity(p.populations.len());
    let given: Vec<f64> = plan.indicators.iter().map(|ind| ind.weight).collect();
    let factor = |i: usize| choice.weight_factors.get(i).copied().unwrap_or(1.0);
    let factors: Vec<f64> = (0..k).map(factor).collect();
    for pop in &p.populations {
        let names = |i: usize| format!("{} {}", p.code(pop[i]), p.name(pop[i]));
        let columns: Vec<Vec<f64>> = scores.iter().map(|col| pop.iter().map(|&u| col[u]).collect()).collect();
        let (agg, w, wp) = if np == 0 {
            let level = Level {
                columns: &columns,
                given: &given,
                factors: &factors,
                weights: plan.method.weights,
                aggregate: plan.method.aggregate,
            };
            let (agg, w) = level.combine(scale, "综合得分", &names)?;
            (agg, w, Vec::new())
        } else {
            // Indicators into pillars, then pillars into the composite.
            let mut w = vec![0.0; k];
            let mut pillar_cols = Vec::with_capacity(np);
            for (q, pillar) in plan.pillars.iter().enumerate() {
                let members: Vec<usize> =
                    (0..k).filter(|&j| plan.indicators[j].pillar.as_deref() == Some(&pillar.id)).collect();
                let cols: Vec<Vec<f64>> = members.iter().map(|&j| columns[j].clone()).collect();
                let g: Vec<f64> = members.iter().map(|&j| given[j]).collect();
                let f: Vec<f64> = members.iter().map(|&j| factors[j]).collect();
                let level = Level {
                    columns: &cols,
                    given: &g,
                    factors: &f,
                    weights: pillar.weights,
                    aggregate: pillar.aggregate,
                };
                let (col, pw) = level.combine(scale, &pillar.name, &names)?;
                for (&j, x) in members.iter().zip(pw) {
                    w[j] = x;
                }
                for (i, &u) in pop.iter().enumerate() {
                    pillar_scores[q][u] = col[i];
                }
                pillar_cols.push(col);
            }
            let g: Vec<f64> = plan.pillars.iter().map(|pl| pl.weight).collect();
            let f: Vec<f64> = (0..np).map(|q| factor(k + q)).collect();
            let level = Level {
                columns: &pillar_cols,
                given: &g,
                factors: &f,
                weights: plan.method.weights,
                aggregate: plan.method.aggregate,
            };
            let (agg, wp) = level.combine(scale, "综合得分", &names)?;
            (agg, w, wp)
        };
        for (i, &u) in pop.iter().enumerate() {
            composite[u] = agg[i];
        }
        used.push(w);
        used_pillars.push(wp);
    }
    Ok(Scored {
        scores,
        values,
        flags,
        composite,
        weights: used,
        pillar_scores,
        pillar_weights: used_pillars,
        missing_ineligible,
        ranges,
    })
}

/// One level of the tree over one population: its children's columns and how to combine them.
struct Level<'a> {
    columns: &'a [Vec<f64>],
    given: &'a [f64],
    /// Monte Carlo factors on the weights, whatever the method.
    factors: &'a [f64],
    weights: jili_model::WeightMethod,
    aggregate: jili_model::Aggregation,
}

impl Level<'_> {
    /// The combined column and the weights used.
    fn combine(
        &self,
        scale: f64,
        node: &str,
        names: &dyn Fn(usize) -> String,
    ) -> Result<(Vec<f64>, Vec<f64>), EngineError> {
        let directions = vec![Direction::Higher; self.columns.len()];
        let w = perturbed(self.weights, self.columns, &directions, self.given, self.factors, node)?;
        let agg = aggregate(self.aggregate, self.columns, &w, scale, node, names)?;
        Ok((agg, w))
    }
}
