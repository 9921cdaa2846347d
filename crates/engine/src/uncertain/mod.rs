//! Uncertainty and sensitivity analysis of a composite indicator (`jili index --uncertainty`,
//! `--sensitivity`), following COINr's `get_sensitivity`: every varied choice is one input drawn
//! uniformly from its alternatives; the output of a sample is the ranking it gives. Seeded: sample
//! `i` always draws the same numbers, on one thread or many.

mod sobol;
mod ua;

pub use sobol::{Sensitivity, SobolIndex, estimate, sensitivity};
pub use ua::{RankStats, uncertainty};

use crate::error::EngineError;
use crate::index::{BuildOptions, Variation, build};
use crate::pipeline::prepare;
use crate::rng::SampleRng;
use jili_model::composite::{Composite, NodeKind, UnitColumns, UnitTable};
use jili_model::pipeline::{Impute, Pipeline, Treat};
use jili_model::uncertainty::{NormaliseChoice, Uncertain, WeightNoise};
use jili_model::{Aggregation, Normalise};
use std::collections::HashMap;

/// Stream offset of the weight sets, apart from the samples' own streams.
const WEIGHT_STREAM: u64 = 1 << 40;

/// One input of the analysis and how many alternatives it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Factor {
    Weights,
    Normalise,
    Aggregate,
    Impute,
    Treat,
}

impl Factor {
    /// The name in tables (the `--vary-…` flag's word).
    pub fn code(self) -> &'static str {
        match self {
            Factor::Weights => "weights",
            Factor::Normalise => "normalise",
            Factor::Aggregate => "aggregate",
            Factor::Impute => "impute",
            Factor::Treat => "treat",
        }
    }
}

/// One prepared data set (an imputation × treatment pair) and where its units sit in the
/// nominal list (screening may drop different units under different imputations).
#[derive(Debug)]
struct Cell {
    table: UnitTable,
    to_nominal: Vec<usize>,
}

/// Everything a sample needs: the tree, the prepared data sets, the alternatives.
#[derive(Debug)]
pub struct Space<'a> {
    tree: &'a Composite,
    options: BuildOptions,
    seed: u64,
    /// The nominal build's unit codes and ranks.
    pub codes: Vec<String>,
    pub names: Vec<String>,
    pub nominal: Vec<u32>,
    noise: Option<WeightNoise>,
    normalise: Vec<NormaliseChoice>,
    aggregate: Vec<Aggregation>,
    impute: Vec<Impute>,
    treat: Vec<Treat>,
    cells: Vec<Cell>,
    /// The varied inputs, in the order of COINr's `SA_specs` as jili writes them.
    pub factors: Vec<(Factor, usize)>,
}

/// What every sample starts from: the tree, the raw data with its group and denominator
/// columns, the build's own steps and options.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'t, 'd> {
    pub tree: &'t Composite,
    pub raw: &'d UnitTable,
    pub extra: &'d UnitColumns,
    pub base: &'d Pipeline,
    pub options: BuildOptions,
}

/// One sample's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The alternative taken for each factor.
    pub point: Vec<usize>,
    /// Rank per nominal unit; 0 where the unit has no score in this sample.
    pub rank: Vec<u32>,
    /// Mean absolute rank change against the nominal ranks (COINr's sensitivity target).
    pub shift: f64,
}

impl<'a> Space<'a> {
    /// Prepare every imputation × treatment pair once, and the nominal build. `samples` is the
    /// number of weight sets when the spec does not fix it.
    pub fn new(inputs: Inputs<'a, '_>, spec: &Uncertain, samples: u32, seed: u64) -> Result<Space<'a>, EngineError> {
        let Inputs { tree, raw, extra, base, options } = inputs;
        let nominal_data = prepare(tree, raw, extra, base)?.table;
        let nominal = build(tree, &nominal_data, &options, &Variation::default())?.rank;
        let codes = nominal_data.codes;
        let position: HashMap<&str, usize> = codes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
        let impute = if spec.impute.is_empty() { vec![base.impute.clone()] } else { spec.impute.clone() };
        let treat = if spec.treat.is_empty() { vec![base.treat] } else { spec.treat.clone() };
        let mut cells = Vec::with_capacity(impute.len() * treat.len());
        for i in &impute {
            for t in &treat {
                let p = Pipeline { impute: i.clone(), treat: *t, ..base.clone() };
                let table = prepare(tree, raw, extra, &p)?.table;
                // A unit the nominal build screened out has no nominal rank to compare with.
                let to_nominal =
                    table.codes.iter().map(|c| position.get(c.as_str()).copied().unwrap_or(usize::MAX)).collect();
                cells.push(Cell { table, to_nominal });
            }
        }
        let mut factors = Vec::new();
        let sets = spec.weights.as_ref().and_then(|n| n.sets).unwrap_or(samples).max(1);
        if spec.weights.is_some() {
            factors.push((Factor::Weights, sets as usize));
        }
        for (f, n) in [
            (Factor::Normalise, spec.normalise.len()),
            (Factor::Aggregate, spec.aggregate.len()),
            (Factor::Impute, impute.len()),
            (Factor::Treat, treat.len()),
        ] {
            if n > 1 {
                factors.push((f, n));
            }
        }
        Ok(Space {
            tree,
            options,
            seed,
            codes,
            names: nominal_data.names,
            nominal,
            noise: spec.weights.clone(),
            normalise: spec.normalise.clone(),
            aggregate: spec.aggregate.clone(),
            impute,
            treat,
            cells,
            factors,
        })
    }

    /// The alternative a uniform draw `x` in [0, 1) picks among `n` (COINr's `cut(x, n)`).
    fn pick(x: f64, n: usize) -> usize {
        ((x * n as f64) as usize).min(n.saturating_sub(1))
    }

    /// The point of uniform draws `xs`, one per factor.
    fn point(&self, xs: &[f64]) -> Vec<usize> {
        self.factors.iter().zip(xs).map(|(&(_, n), &x)| Space::pick(x, n)).collect()
    }

    /// Words for the alternative `k` of a factor, for the samples file.
    pub fn label(&self, f: Factor, k: usize) -> String {
        match f {
            Factor::Weights => format!("set{}", k + 1),
            Factor::Normalise => self.normalise[k].code(),
            Factor::Aggregate => self.aggregate[k].code().to_string(),
            Factor::Impute => impute_code(&self.impute[k]),
            Factor::Treat => match self.treat[k] {
                Treat::None => "none".into(),
                Treat::Winsorise { max } => format!("winsorise:{max}"),
            },
        }
    }

    /// Build one point.
    fn run(&self, point: &[usize]) -> Result<Sample, EngineError> {
        let mut variation = Variation {
            weight_factors: Vec::new(),
            normalise: (self.normalise.len() == 1).then(|| self.normalise[0]),
            aggregate: (self.aggregate.len() == 1).then(|| self.aggregate[0]),
        };
        let (mut imp, mut tr) = (0, 0);
        for (&(f, _), &k) in self.factors.iter().zip(point) {
            match f {
                Factor::Weights => variation.weight_factors = self.weight_set(k),
                Factor::Normalise => variation.normalise = Some(self.normalise[k]),
                Factor::Aggregate => variation.aggregate = Some(self.aggregate[k]),
                Factor::Impute => imp = k,
                Factor::Treat => tr = k,
            }
        }
        let cell = &self.cells[imp * self.treat.len() + tr];
        let built = build(self.tree, &cell.table, &self.options, &variation)?;
        let mut rank = vec![0; self.codes.len()];
        for (r, &u) in built.rank.iter().zip(&cell.to_nominal) {
            if let Some(slot) = rank.get_mut(u) {
                *slot = *r;
            }
        }
        let shift = mean_shift(&rank, &self.nominal);
        Ok(Sample { point: point.to_vec(), rank, shift })
    }

    /// Weight set `k`: a factor per node, drawn from the set's own stream.
    fn weight_set(&self, k: usize) -> Vec<f64> {
        let Some(noise) = &self.noise else { return Vec::new() };
        let mut rng = SampleRng::new(self.seed, WEIGHT_STREAM + k as u64);
        self.tree
            .nodes
            .iter()
            .map(|n| {
                let varies = noise.levels.is_empty() || noise.levels.contains(&n.level);
                let f = rng.between(1.0 - noise.spread, 1.0 + noise.spread);
                if varies { f } else { 1.0 }
            })
            .collect()
    }
}

/// Mean |rank − nominal| over the units ranked in both.
fn mean_shift(rank: &[u32], nominal: &[u32]) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for (a, b) in rank.iter().zip(nominal) {
        if *a > 0 && *b > 0 {
            sum += (f64::from(*a) - f64::from(*b)).abs();
            n += 1;
        }
    }
    if n == 0 { f64::NAN } else { sum / n as f64 }
}

fn impute_code(i: &Impute) -> String {
    match i {
        Impute::None => "none".into(),
        Impute::Mean => "mean".into(),
        Impute::Median => "median".into(),
        Impute::GroupMean(c) => format!("group-mean:{c}"),
        Impute::GroupMedian(c) => format!("group-median:{c}"),
    }
}

/// What `--uncertainty N` varies when no `--vary-…` flag is given: every weight ×U(0.75, 1.25),
/// and the default normalisation among those that suit the tree (z-scores only where no
/// aggregate needs positive values).
pub fn default_spec(c: &Composite, nominal: Normalise) -> Uncertain {
    use Aggregation::{Gmean, Hmean};
    let positive_only =
        c.nodes.iter().any(|n| matches!(&n.kind, NodeKind::Aggregate(b) if matches!(b.aggregate, Gmean | Hmean)));
    let mut alts = vec![nominal];
    for a in [Normalise::Minmax, Normalise::Percentile, Normalise::Zscore] {
        if !(alts.contains(&a) || positive_only && a == Normalise::Zscore) {
            alts.push(a);
        }
    }
    Uncertain {
        weights: Some(WeightNoise { spread: 0.25, levels: Vec::new(), sets: None }),
        normalise: alts.into_iter().map(|method| NormaliseChoice { method, low: None, high: None }).collect(),
        ..Uncertain::default()
    }
}
