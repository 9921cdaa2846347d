//! Combine children's scores into a parent's, one method per node. Inputs are columns (one per
//! child) of already normalised scores, higher = better; NaN is missing and is skipped, with the
//! weights of the rest renormalised (COINr's default).

use crate::error::EngineError;
use crate::stats;
use jili_model::Aggregation;

/// Aggregate the rows of `columns` with `weights` (one per column). `names` label units in errors.
pub fn aggregate(
    method: Aggregation,
    columns: &[Vec<f64>],
    weights: &[f64],
    scale: f64,
    node: &str,
    names: &dyn Fn(usize) -> String,
) -> Result<Vec<f64>, EngineError> {
    let m = columns.first().map_or(0, Vec::len);
    match method {
        Aggregation::Topsis => Ok(topsis(columns, weights).into_iter().map(|c| c * scale).collect()),
        Aggregation::Vikor => Ok(vikor(columns, weights, 0.5)
            .q
            .into_iter()
            .map(|q| if q.is_nan() { q } else { (1.0 - q) * scale })
            .collect()),
        Aggregation::Copeland => Ok(copeland(columns, weights)),
        _ => {
            let mut row = Vec::with_capacity(columns.len());
            (0..m)
                .map(|i| {
                    row.clear();
                    row.extend(columns.iter().map(|c| c[i]));
                    combine(method, &row, weights).map_err(|value| EngineError::NonPositive {
                        node: node.into(),
                        method: method.label(),
                        unit: names(i),
                        value,
                    })
                })
                .collect()
        }
    }
}

/// One row by a row-wise method. `Err(value)` is a value ≤ 0 met by a geometric or harmonic mean.
pub fn combine(method: Aggregation, row: &[f64], weights: &[f64]) -> Result<f64, f64> {
    let pairs = || row.iter().zip(weights).filter(|(x, w)| !x.is_nan() && **w > 0.0);
    let wsum: f64 = pairs().map(|(_, w)| w).sum();
    if wsum == 0.0 {
        return Ok(f64::NAN);
    }
    Ok(match method {
        Aggregation::Gmean => {
            if let Some((x, _)) = pairs().find(|(x, _)| **x <= 0.0) {
                return Err(*x);
            }
            (pairs().map(|(x, w)| w * x.ln()).sum::<f64>() / wsum).exp()
        }
        Aggregation::Hmean => {
            if let Some((x, _)) = pairs().find(|(x, _)| **x <= 0.0) {
                return Err(*x);
            }
            wsum / pairs().map(|(x, w)| w / x).sum::<f64>()
        }
        Aggregation::Median => stats::median(row),
        _ => pairs().map(|(x, w)| w * x).sum::<f64>() / wsum,
    })
}

/// TOPSIS closeness in [0, 1] on benefit columns: weighted distances to the best and worst values
/// of each column, over the columns a unit has.
pub fn topsis(columns: &[Vec<f64>], weights: &[f64]) -> Vec<f64> {
    topsis_scaled(columns, weights, &vec![true; columns.len()])
}

/// Rows per parallel task in TOPSIS; each row's sums run over the columns in order, so the result
/// does not depend on how rows are split.
const TOPSIS_ROWS: usize = 256;

/// TOPSIS on columns that an affine normalisation r = a·x + b would put on a benefit scale,
/// without building the normalised matrix: `factors[j]` is weight × |a|, `higher[j]` says whether
/// a > 0 (so the best raw value is the largest).
pub fn topsis_scaled(columns: &[Vec<f64>], factors: &[f64], higher: &[bool]) -> Vec<f64> {
    use rayon::prelude::*;
    let m = columns.first().map_or(0, Vec::len);
    let bounds: Vec<(f64, f64, bool)> = columns
        .par_iter()
        .zip(higher)
        .map(|(c, &h)| {
            let (mut hi, mut lo, mut gaps) = (f64::MIN, f64::MAX, false);
            for &x in c {
                gaps |= x.is_nan();
                if x > hi {
                    hi = x;
                }
                if x < lo {
                    lo = x;
                }
            }
            if h { (hi, lo, gaps) } else { (lo, hi, gaps) }
        })
        .collect();
    let starts: Vec<usize> = (0..m).step_by(TOPSIS_ROWS).collect();
    let chunks: Vec<Vec<f64>> = starts
        .par_iter()
        .map(|&start| {
            let end = (start + TOPSIS_ROWS).min(m);
            let len = end - start;
            let (mut plus, mut minus, mut seen) = (vec![0.0; len], vec![0.0; len], vec![0u32; len]);
            for ((c, f), &(best, worst, gaps)) in columns.iter().zip(factors).zip(&bounds) {
                let f2 = f * f;
                let rows = &c[start..end];
                if gaps {
                    for (((&x, p), n), k) in rows.iter().zip(plus.iter_mut()).zip(minus.iter_mut()).zip(seen.iter_mut())
                    {
                        if !x.is_nan() {
                            *p += f2 * (best - x) * (best - x);
                            *n += f2 * (x - worst) * (x - worst);
                            *k += 1;
                        }
                    }
                } else {
                    // The common case, without a branch per value.
                    for ((&x, p), n) in rows.iter().zip(plus.iter_mut()).zip(minus.iter_mut()) {
                        *p += f2 * (best - x) * (best - x);
                        *n += f2 * (x - worst) * (x - worst);
                    }
                    seen.iter_mut().for_each(|k| *k += 1);
                }
            }
            plus.iter()
                .zip(&minus)
                .zip(&seen)
                .map(|((p, n), k)| {
                    let (p, n) = (p.sqrt(), n.sqrt());
                    if *k == 0 {
                        f64::NAN
                    } else if p + n == 0.0 {
                        0.5
                    } else {
                        n / (p + n)
                    }
                })
                .collect()
        })
        .collect();
    chunks.concat()
}

/// VIKOR's three measures; lower Q is better.
#[derive(Debug, Clone, PartialEq)]
pub struct Vikor {
    pub s: Vec<f64>,
    pub r: Vec<f64>,
    pub q: Vec<f64>,
}

/// VIKOR on benefit columns with strategy weight `v` (0.5: consensus).
pub fn vikor(columns: &[Vec<f64>], weights: &[f64], v: f64) -> Vikor {
    let m = columns.first().map_or(0, Vec::len);
    let best: Vec<f64> = columns.iter().map(|c| stats::max(c)).collect();
    let worst: Vec<f64> = columns.iter().map(|c| stats::min(c)).collect();
    let mut s = vec![f64::NAN; m];
    let mut r = vec![f64::NAN; m];
    for i in 0..m {
        let (mut si, mut ri, mut any) = (0.0, 0.0f64, false);
        for (j, c) in columns.iter().enumerate() {
            if c[i].is_nan() {
                continue;
            }
            any = true;
            let d = if best[j] == worst[j] { 0.0 } else { weights[j] * (best[j] - c[i]) / (best[j] - worst[j]) };
            si += d;
            ri = ri.max(d);
        }
        if any {
            s[i] = si;
            r[i] = ri;
        }
    }
    let (s_best, s_worst, r_best, r_worst) = (stats::min(&s), stats::max(&s), stats::min(&r), stats::max(&r));
    let part = |x: f64, lo: f64, hi: f64| if hi == lo { 0.0 } else { (x - lo) / (hi - lo) };
    let q = (0..m)
        .map(|i| {
            if s[i].is_nan() {
                f64::NAN
            } else {
                v * part(s[i], s_best, s_worst) + (1.0 - v) * part(r[i], r_best, r_worst)
            }
        })
        .collect();
    Vikor { s, r, q }
}

/// Copeland (as COINr's a_copeland): unit a beats b when the weight of the columns where a is
/// better exceeds the weight where b is better; score = wins − losses. Columns missing for
/// either unit are left out of that pair.
pub fn copeland(columns: &[Vec<f64>], weights: &[f64]) -> Vec<f64> {
    let m = columns.first().map_or(0, Vec::len);
    let mut score = vec![0.0; m];
    for a in 0..m {
        if columns.iter().all(|c| c[a].is_nan()) {
            score[a] = f64::NAN;
            continue;
        }
        for b in 0..m {
            if a == b || columns.iter().all(|c| c[b].is_nan()) {
                continue;
            }
            let (mut wa, mut wb) = (0.0, 0.0);
            for (j, c) in columns.iter().enumerate() {
                let (x, y) = (c[a], c[b]);
                if x.is_nan() || y.is_nan() {
                    continue;
                }
                if x > y {
                    wa += weights[j];
                } else if y > x {
                    wb += weights[j];
                }
            }
            if wa > wb {
                score[a] += 1.0;
            } else if wb > wa {
                score[a] -= 1.0;
            }
        }
    }
    score
}
