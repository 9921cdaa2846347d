//! A composite indicator as a tree of any depth: indicators at the leaves, aggregates above.
//! The analyst command `jili index` reads one from COINr's iMeta table; the engine builds it.

use crate::method::{Aggregation, Direction, Normalise, Outlier, WeightMethod};
use serde::{Deserialize, Serialize};

/// A checked tree: every parent exists and is an aggregate, there is exactly one root, no cycles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Composite {
    /// Leaves first (in file order), then aggregates from the lowest level up; the root is last.
    pub nodes: Vec<Node>,
}

/// One indicator or aggregate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub code: String,
    pub name: String,
    pub level: u32,
    /// Index into `Composite::nodes` of the parent; `None` for the root.
    pub parent: Option<usize>,
    /// The weight within its parent (used when the parent's weights are fixed).
    pub weight: f64,
    pub kind: NodeKind,
}

/// What a node does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NodeKind {
    Indicator(Leaf),
    Aggregate(Branch),
}

/// How an indicator is scaled.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Leaf {
    pub direction: Direction,
    /// `None`: the composite's default method.
    pub normalise: Option<Normalise>,
    /// Goalposts' bounds, or efficacy's 不允许值 (low) and 满意值 (high).
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub target: Option<f64>,
    pub outlier: Option<Outlier>,
    /// iMeta's `Denominator`: the iData column this indicator is divided by when the build
    /// denominates (COINr's `Denominate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<String>,
    /// iMeta's `Impute`: this indicator's own rule, in place of `--impute`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impute: Option<crate::pipeline::Impute>,
    /// iMeta's `Treat`: this indicator's own outlier rule, in place of `--treat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treat: Option<crate::pipeline::Treat>,
}

/// How an aggregate combines its children.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    pub aggregate: Aggregation,
    pub weights: WeightMethod,
}

impl Composite {
    /// The indicators, in the order of the data columns.
    pub fn leaves(&self) -> impl Iterator<Item = (usize, &Node, &Leaf)> {
        self.nodes.iter().enumerate().filter_map(|(i, n)| match &n.kind {
            NodeKind::Indicator(l) => Some((i, n, l)),
            NodeKind::Aggregate(_) => None,
        })
    }

    /// The children of a node, in node order.
    pub fn children(&self, parent: usize) -> Vec<usize> {
        (0..self.nodes.len()).filter(|&i| self.nodes[i].parent == Some(parent)).collect()
    }

    /// The index of the root (the last node).
    pub fn root(&self) -> usize {
        self.nodes.len().saturating_sub(1)
    }
}

/// iData's other columns a build may need, for the same units as the [`UnitTable`]: group
/// columns (`Type = Group` in iMeta, e.g. `EurAsia_group`) and denominators (`Type =
/// Denominator`, e.g. `GDP`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UnitColumns {
    /// Group column → each unit's group; `None` where missing.
    pub groups: std::collections::BTreeMap<String, Vec<Option<String>>>,
    /// Denominator column → each unit's value; NaN where missing.
    pub denominators: std::collections::BTreeMap<String, Vec<f64>>,
    /// Each row's `Time`, when rows were chosen by time (a panel); empty otherwise.
    #[serde(default)]
    pub times: Vec<f64>,
}

/// Units and their raw values, one column per leaf in `Composite::leaves` order; NaN = missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitTable {
    pub codes: Vec<String>,
    pub names: Vec<String>,
    pub columns: Vec<Vec<f64>>,
}

/// Alternatives (rows) by criteria (columns), complete: the input of `jili mcda`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionMatrix {
    pub alternatives: Vec<String>,
    pub criteria: Vec<String>,
    /// One column per criterion.
    pub columns: Vec<Vec<f64>>,
}
