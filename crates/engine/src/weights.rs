//! Objective weights from a decision matrix, by their published definitions. The matrix is given
//! as columns (one per criterion) over the same alternatives. `jili mcda` gives complete
//! matrices; at a node of a plan, a characteristic indicator is missing (NaN) for the units it
//! does not apply to, so entropy and SD use each column's present values and CRITIC pairwise
//! complete correlations. MEREC needs complete rows.

use crate::error::EngineError;
use crate::stats;
use jili_model::{Direction, WeightMethod};

/// Weights by `method`; `fixed` returns `given` scaled to sum 1.
pub fn weights(
    method: WeightMethod,
    columns: &[Vec<f64>],
    directions: &[Direction],
    given: &[f64],
    node: &str,
) -> Result<Vec<f64>, EngineError> {
    let w = match method {
        WeightMethod::Fixed => given.to_vec(),
        WeightMethod::Equal => vec![1.0; columns.len()],
        WeightMethod::Entropy => entropy(columns, node)?,
        WeightMethod::Critic => critic(columns, directions),
        WeightMethod::Sd => standard_deviation(columns, directions),
        WeightMethod::Merec => merec(columns, directions, node)?,
        WeightMethod::Pca => crate::pca::first_component_weights(columns, node)?,
    };
    unit_sum(w, node)
}

/// Weights by `method`, then each multiplied by its Monte Carlo factor (empty = none) and scaled
/// to sum 1 again, so that weight uncertainty applies whatever the method.
pub fn perturbed(
    method: WeightMethod,
    columns: &[Vec<f64>],
    directions: &[Direction],
    given: &[f64],
    factors: &[f64],
    node: &str,
) -> Result<Vec<f64>, EngineError> {
    let w = weights(method, columns, directions, given, node)?;
    if factors.is_empty() {
        return Ok(w);
    }
    unit_sum(w.iter().zip(factors).map(|(w, f)| w * f).collect(), node)
}

/// Scale weights to sum 1. A negative or non-finite weight, or all zero, is an error.
pub fn unit_sum(w: Vec<f64>, node: &str) -> Result<Vec<f64>, EngineError> {
    if let Some(bad) = w.iter().find(|x| !x.is_finite() || **x < 0.0) {
        return Err(EngineError::parameter(node, format!("权重 {bad} 无效：权重应为非负的有限数")));
    }
    let total: f64 = w.iter().sum();
    if total.is_finite() {
        if total <= 0.0 {
            return Err(EngineError::ZeroWeights { node: node.into() });
        }
        return Ok(w.into_iter().map(|x| x / total).collect());
    }
    // Huge weights overflow the sum: divide by the largest first.
    let top = w.iter().copied().fold(0.0, f64::max);
    let scaled: Vec<f64> = w.into_iter().map(|x| x / top).collect();
    let total: f64 = scaled.iter().sum();
    Ok(scaled.into_iter().map(|x| x / total).collect())
}

/// Shannon entropy on the raw matrix: p = x/Σx, e = −Σ p ln p / ln m (0·ln 0 = 0), d = 1 − e.
/// Columns are independent, so they are computed in parallel; each in index order.
pub fn entropy(columns: &[Vec<f64>], node: &str) -> Result<Vec<f64>, EngineError> {
    use rayon::prelude::*;
    let d: Vec<f64> = columns
        .par_iter()
        .map(|col| {
            // One pass: the total, Σ x ln x, and whether any value is negative.
            let (mut total, mut xlnx, mut negative, mut count) = (0.0, 0.0, false, 0usize);
            for &x in col.iter().filter(|x| !x.is_nan()) {
                count += 1;
                total += x;
                negative |= x < 0.0;
                if x > 0.0 {
                    xlnx += x * x.ln();
                }
            }
            if negative {
                let (i, &x) = col.iter().enumerate().find(|(_, x)| **x < 0.0).unwrap_or((0, &0.0));
                return Err(EngineError::NonPositive {
                    node: node.into(),
                    method: "熵权法",
                    unit: format!("第 {} 个", i + 1),
                    value: x,
                });
            }
            let m = count as f64;
            if total == 0.0 || m < 2.0 {
                return Ok(0.0);
            }
            // Σ p ln p with p = x/T is (Σ x ln x)/T − ln T.
            let e = -(xlnx / total - total.ln()) / m.ln();
            Ok(1.0 - e)
        })
        .collect::<Result<_, _>>()?;
    if d.iter().all(|x| *x <= 0.0) {
        // Every criterion is uniform: entropy cannot tell them apart.
        return Ok(vec![1.0; columns.len()]);
    }
    Ok(d.into_iter().map(|x| x.max(0.0)).collect())
}

/// Min-max with direction onto [0, 1]; a constant column becomes zeros.
fn minmax01(col: &[f64], direction: Direction) -> Vec<f64> {
    let (min, max) = (stats::min(col), stats::max(col));
    col.iter()
        .map(|&x| {
            if x.is_nan() {
                x
            } else if max == min {
                0.0
            } else if direction == Direction::Higher {
                (x - min) / (max - min)
            } else {
                (max - x) / (max - min)
            }
        })
        .collect()
}

/// CRITIC (Diakoulaki et al. 1995): C_j = σ_j Σ_k (1 − r_jk) on the min-max normalised matrix.
pub fn critic(columns: &[Vec<f64>], directions: &[Direction]) -> Vec<f64> {
    let norm: Vec<Vec<f64>> = columns.iter().zip(directions).map(|(c, d)| minmax01(c, *d)).collect();
    let sd: Vec<f64> = norm.iter().map(|c| stats::sd(c)).collect();
    (0..norm.len())
        .map(|j| {
            let conflict: f64 = (0..norm.len()).map(|k| 1.0 - stats::correlation(&norm[j], &norm[k])).sum();
            let s = if sd[j].is_nan() { 0.0 } else { sd[j] };
            s * conflict
        })
        .collect()
}

/// Standard deviation of each min-max normalised criterion.
pub fn standard_deviation(columns: &[Vec<f64>], directions: &[Direction]) -> Vec<f64> {
    columns
        .iter()
        .zip(directions)
        .map(|(c, d)| {
            let s = stats::sd(&minmax01(c, *d));
            if s.is_nan() { 0.0 } else { s }
        })
        .collect()
}

/// MEREC (Keshavarz-Ghorabaee et al. 2021): the effect on overall performance of removing each
/// criterion. Needs positive values.
pub fn merec(columns: &[Vec<f64>], directions: &[Direction], node: &str) -> Result<Vec<f64>, EngineError> {
    let n = columns.len();
    // Complete rows only: MEREC compares each alternative's whole performance.
    let rows: Vec<usize> =
        (0..columns.first().map_or(0, Vec::len)).filter(|&i| columns.iter().all(|c| !c[i].is_nan())).collect();
    let columns: Vec<Vec<f64>> = columns.iter().map(|c| rows.iter().map(|&i| c[i]).collect()).collect();
    let m = rows.len();
    let mut logs = Vec::with_capacity(n);
    for (col, d) in columns.iter().zip(directions) {
        if let Some((i, &x)) = col.iter().enumerate().find(|(_, x)| **x <= 0.0) {
            return Err(EngineError::NonPositive {
                node: node.into(),
                method: "MEREC 法",
                unit: format!("第 {} 个", i + 1),
                value: x,
            });
        }
        let (min, max) = (stats::min(col), stats::max(col));
        let norm = col.iter().map(|&x| if *d == Direction::Higher { min / x } else { x / max });
        logs.push(norm.map(|v| v.ln().abs()).collect::<Vec<f64>>());
    }
    let nf = n as f64;
    let mut effect = vec![0.0; n];
    for i in 0..m {
        let total: f64 = logs.iter().map(|c| c[i]).sum();
        let s = (1.0 + total / nf).ln();
        for (j, e) in effect.iter_mut().enumerate() {
            let without = (1.0 + (total - logs[j][i]) / nf).ln();
            *e += (without - s).abs();
        }
    }
    Ok(effect)
}
