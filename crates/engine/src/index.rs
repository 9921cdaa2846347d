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
use jili_model::uncertainty::NormaliseChoice;
use jili_model::{Aggregation, Direction, Normalise, Outlier};

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
    /// Replaces the default method (with COINr's parameters) for leaves without their own.
    pub normalise: Option<NormaliseChoice>,
    /// Replaces every aggregate's method (COINr's `f_ag`).
    pub aggregate: Option<Aggregation>,
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
        // A leaf's own method wins; otherwise the varied choice with its parameters.
        let choice = match (leaf.normalise, variation.normalise) {
            (Some(own), _) => NormaliseChoice { method: own, low: None, high: None },
            (None, Some(c)) => c,
            (None, None) => NormaliseChoice { method: options.normalise, low: None, high: None },
        };
        let minmax_range = match (choice.method, choice.low, choice.high) {
            (Normalise::Minmax, Some(l), Some(h)) => (l, h),
            _ => (0.0, options.scale),
        };
        let scaler = Scaler {
            method: choice.method,
            direction: leaf.direction,
            low: leaf.low,
            high: leaf.high,
            target: leaf.target,
            floor: minmax_range.0,
            scale: minmax_range.1,
            log: leaf.outlier == Some(Outlier::Log),
        };
        nodes[i] = normalise(&xs, &scaler, &node.code)?;
        if let (Normalise::Zscore, Some(mean), Some(sd)) = (choice.method, choice.low, choice.high) {
            nodes[i].iter_mut().for_each(|z| *z = *z * sd + mean);
        }
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
        let method = variation.aggregate.unwrap_or(branch.aggregate);
        nodes[i] = aggregate(method, &columns, &w, options.scale, &node.code, &names)?;
    }
    let rank = stats::competition_ranks(&nodes[c.root()], true);
    Ok(Built { nodes, rank })
}
