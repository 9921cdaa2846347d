//! What an analyst checks before trusting an index (`jili index --analyse`), as COINr's
//! `get_corr` and `get_cronbach` do: how each node correlates with its parent and with the
//! index, which indicators run against their parent, and how consistent each aggregate's
//! children are (Cronbach's alpha).

use crate::index::Built;
use crate::stats;
use jili_model::composite::{Composite, NodeKind};

/// The checks of one node.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeCheck {
    /// Index into `Composite::nodes`.
    pub node: usize,
    /// Pearson correlation with the parent's score (pairwise complete units); `None` at the root.
    pub with_parent: Option<f64>,
    /// Pearson correlation with the index (the root); `None` at the root.
    pub with_index: Option<f64>,
    /// Cronbach's alpha of an aggregate's children over the units with every child present;
    /// `None` for indicators and aggregates with one child.
    pub alpha: Option<f64>,
    /// It correlates negatively with its parent: it pulls against what it is meant to measure.
    pub negative: bool,
}

/// Check every node of a built composite.
pub fn analyse(c: &Composite, built: &Built) -> Vec<NodeCheck> {
    let root = c.root();
    (0..c.nodes.len())
        .map(|i| {
            let node = &c.nodes[i];
            let with_parent = node.parent.map(|p| stats::correlation(&built.nodes[i], &built.nodes[p]));
            let with_index = (i != root).then(|| stats::correlation(&built.nodes[i], &built.nodes[root]));
            let alpha = match node.kind {
                NodeKind::Aggregate(_) => {
                    let children: Vec<&[f64]> = c.children(i).iter().map(|&k| built.nodes[k].as_slice()).collect();
                    cronbach_alpha(&children)
                }
                NodeKind::Indicator(_) => None,
            };
            NodeCheck { node: i, with_parent, with_index, alpha, negative: with_parent.is_some_and(|r| r < 0.0) }
        })
        .collect()
}

/// Cronbach's alpha, k/(k − 1) × (1 − Σ var(xᵢ) / var(Σ xᵢ)), over the rows where every column
/// has a value; `None` with fewer than two columns or two rows, or no variance in the sum.
pub fn cronbach_alpha(columns: &[&[f64]]) -> Option<f64> {
    let k = columns.len();
    let rows = columns.first().map_or(0, |c| c.len());
    let complete: Vec<usize> = (0..rows).filter(|&u| columns.iter().all(|c| !c[u].is_nan())).collect();
    if k < 2 || complete.len() < 2 {
        return None;
    }
    let variance = |xs: &[f64]| stats::sd(xs).powi(2);
    let parts: f64 = columns.iter().map(|c| variance(&complete.iter().map(|&u| c[u]).collect::<Vec<_>>())).sum();
    let total: Vec<f64> = complete.iter().map(|&u| columns.iter().map(|c| c[u]).sum()).collect();
    let whole = variance(&total);
    let k = k as f64;
    (whole > 0.0).then(|| k / (k - 1.0) * (1.0 - parts / whole))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_items_are_perfectly_consistent_and_unrelated_ones_not_at_all() {
        let a = [1.0, 2.0, 3.0, 4.0];
        assert!((cronbach_alpha(&[&a, &a, &a]).unwrap() - 1.0).abs() < 1e-12);
        // Uncorrelated, equal variance: var(a + b) = var(a) + var(b), so alpha = 0.
        let (x, y) = ([1.0, -1.0, 1.0, -1.0], [1.0, 1.0, -1.0, -1.0]);
        assert!(cronbach_alpha(&[&x, &y]).unwrap().abs() < 1e-12);
        // Opposed items cancel out: the sum has no variance.
        let z = [-1.0, 1.0, -1.0, 1.0];
        assert_eq!(cronbach_alpha(&[&x, &z]), None);
        assert_eq!(cronbach_alpha(&[&a]), None);
    }

    #[test]
    fn rows_with_a_missing_item_are_left_out() {
        let a = [1.0, 2.0, 3.0, f64::NAN];
        let b = [2.0, 4.0, 6.0, 100.0];
        let alpha = cronbach_alpha(&[&a, &b]).unwrap();
        // On the three complete rows b = 2a: alpha = 2 × (1 − (1 + 4) / 9) = 8/9.
        assert!((alpha - 8.0 / 9.0).abs() < 1e-12, "{alpha}");
    }
}
