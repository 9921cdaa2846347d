//! Build a composite indicator over a tree of any depth (`jili index`, COINr's model):
//! normalise each indicator, then aggregate node by node up to the root.

use crate::aggregate::aggregate;
use crate::error::EngineError;
use crate::normalise::{Scaler, normalise};
use crate::outlier::winsorise;
use crate::stats;
use crate::weights::perturbed;
pub use jili_model::composite::UnitTable;
use jili_model::composite::{Composite, NodeKind};
use jili_model::{Direction, Normalise, Outlier};

/// Defaults for leaves that do not name their own method.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BuildOptions {
    pub normalise: Normalise,
    pub scale: f64,
}

impl Default for BuildOptions {
    fn default() -> BuildOptions {
        BuildOptions { normalise: Normalise::Minmax, scale: 100.0 }
    }
}

/// One variation of the uncertain choices, for Monte Carlo.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Variation {
    /// Multiplies each node's weight (by node index); empty = 1 everywhere.
    pub weight_factors: Vec<f64>,
    /// Replaces the default method for leaves without their own.
    pub normalise: Option<Normalise>,
}

/// Every node's column: normalised values at leaves, scores at aggregates.
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    pub nodes: Vec<Vec<f64>>,
    /// Rank on the root, 1 = best; 0 where the root score is missing.
    pub rank: Vec<u32>,
}

/// Build the composite.
pub fn build(
    c: &Composite,
    data: &UnitTable,
    options: &BuildOptions,
    variation: &Variation,
) -> Result<Built, EngineError> {
    let m = data.codes.len();
    let leaves: Vec<usize> = c.leaves().map(|(i, _, _)| i).collect();
    if leaves.len() != data.columns.len() || data.columns.iter().any(|col| col.len() != m) {
        return Err(EngineError::Shape(format!(
            "数据有 {} 列指标，指标体系有 {} 个指标；每列应有 {m} 个单位",
            data.columns.len(),
            leaves.len()
        )));
    }
    let mut nodes: Vec<Vec<f64>> = vec![Vec::new(); c.nodes.len()];
    for (col, &i) in leaves.iter().enumerate() {
        let node = &c.nodes[i];
        let NodeKind::Indicator(leaf) = &node.kind else { continue };
        let mut xs = data.columns[col].clone();
        if leaf.outlier == Some(Outlier::Winsorise) {
            winsorise(&mut xs);
        }
        let method = leaf.normalise.unwrap_or(variation.normalise.unwrap_or(options.normalise));
        let scaler = Scaler {
            method,
            direction: leaf.direction,
            low: leaf.low,
            high: leaf.high,
            target: leaf.target,
            floor: 0.0,
            scale: options.scale,
            log: leaf.outlier == Some(Outlier::Log),
        };
        nodes[i] = normalise(&xs, &scaler, &node.code)?;
    }
    let names = |u: usize| data.codes[u].clone();
    for (i, node) in c.nodes.iter().enumerate() {
        let NodeKind::Aggregate(branch) = &node.kind else { continue };
        let children = c.children(i);
        let columns: Vec<Vec<f64>> = children.iter().map(|&k| nodes[k].clone()).collect();
        let given: Vec<f64> = children.iter().map(|&k| c.nodes[k].weight).collect();
        let factors: Vec<f64> =
            children.iter().map(|&k| variation.weight_factors.get(k).copied().unwrap_or(1.0)).collect();
        let directions = vec![Direction::Higher; columns.len()];
        let w = perturbed(branch.weights, &columns, &directions, &given, &factors, &node.code)?;
        nodes[i] = aggregate(branch.aggregate, &columns, &w, options.scale, &node.code, &names)?;
    }
    let rank = stats::competition_ranks(&nodes[c.root()], true);
    Ok(Built { nodes, rank })
}

/// Rank statistics over Monte Carlo samples.
#[derive(Debug, Clone, PartialEq)]
pub struct RankInterval {
    pub median: Vec<f64>,
    pub q05: Vec<f64>,
    pub q95: Vec<f64>,
}

/// Uncertainty analysis: `samples` builds, each with every weight multiplied by a factor drawn
/// from U(1 − spread, 1 + spread) and the default normalisation drawn from `alternatives`.
pub fn uncertainty(
    c: &Composite,
    data: &UnitTable,
    options: &BuildOptions,
    samples: u32,
    seed: u64,
    spread: f64,
    alternatives: &[Normalise],
) -> Result<RankInterval, EngineError> {
    use rayon::prelude::*;
    let ranks: Vec<Vec<u32>> = (0..u64::from(samples))
        .into_par_iter()
        .map(|s| {
            let mut rng = crate::rng::SampleRng::new(seed, s);
            let weight_factors = (0..c.nodes.len()).map(|_| rng.between(1.0 - spread, 1.0 + spread)).collect();
            let normalise =
                if alternatives.is_empty() { None } else { Some(alternatives[rng.below(alternatives.len())]) };
            build(c, data, options, &Variation { weight_factors, normalise }).map(|b| b.rank)
        })
        .collect::<Result<_, _>>()?;
    let m = data.codes.len();
    let mut out = RankInterval { median: vec![f64::NAN; m], q05: vec![f64::NAN; m], q95: vec![f64::NAN; m] };
    let mut col = Vec::with_capacity(ranks.len());
    for u in 0..m {
        col.clear();
        col.extend(ranks.iter().map(|r| r[u]).filter(|r| *r > 0).map(f64::from));
        col.sort_by(f64::total_cmp);
        out.median[u] = stats::quantile_sorted(&col, 0.5);
        out.q05[u] = stats::quantile_sorted(&col, 0.05);
        out.q95[u] = stats::quantile_sorted(&col, 0.95);
    }
    Ok(out)
}

/// The alternative normalisations that suit a tree: z-scores only where no node needs positive
/// values.
pub fn default_alternatives(c: &Composite, nominal: Normalise) -> Vec<Normalise> {
    use jili_model::Aggregation::{Gmean, Hmean};
    let positive_only =
        c.nodes.iter().any(|n| matches!(&n.kind, NodeKind::Aggregate(b) if matches!(b.aggregate, Gmean | Hmean)));
    let mut alts = vec![nominal];
    for a in [Normalise::Minmax, Normalise::Percentile, Normalise::Zscore] {
        if !(alts.contains(&a) || positive_only && a == Normalise::Zscore) {
            alts.push(a);
        }
    }
    alts
}
