//! Multi-criteria decision analysis on a plain matrix (`jili mcda`): objective weights, then
//! TOPSIS, VIKOR, weighted sum or weighted product. Normalisations follow pymcdm's conventions
//! so that results can be compared with the Python libraries.

use crate::aggregate::{topsis, topsis_scaled, vikor};
use crate::error::EngineError;
use crate::stats;
use crate::weights::{unit_sum, weights};
pub use jili_model::composite::DecisionMatrix;
use jili_model::{Direction, WeightMethod};
use serde::Serialize;

/// Where the weights come from.
#[derive(Debug, Clone, PartialEq)]
pub enum WeightSpec {
    Method(WeightMethod),
    Given(Vec<f64>),
}

/// The ranking method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum McdaMethod {
    Topsis,
    Vikor,
    /// Weighted sum.
    Wsm,
    /// Weighted product.
    Wpm,
}

/// Matrix normalisations; each turns cost criteria into benefit ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixNormalise {
    /// x/‖x‖; cost: 1 − x/‖x‖.
    Vector,
    /// (x − min)/(max − min); cost: (max − x)/(max − min).
    Minmax,
    /// x/max; cost: 1 − x/max.
    Max,
    /// x/Σx; cost: (1/x)/Σ(1/x).
    Sum,
}

impl McdaMethod {
    /// TOPSIS uses vector normalisation, the weighted sum min-max, the weighted product sum.
    pub fn default_normalise(self) -> Option<MatrixNormalise> {
        match self {
            McdaMethod::Topsis => Some(MatrixNormalise::Vector),
            McdaMethod::Wsm => Some(MatrixNormalise::Minmax),
            McdaMethod::Wpm => Some(MatrixNormalise::Sum),
            McdaMethod::Vikor => None,
        }
    }
}

/// What `jili mcda --format json` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct McdaResult {
    pub weights: Vec<f64>,
    /// TOPSIS closeness, VIKOR Q (lower is better), or the weighted sum/product.
    pub scores: Vec<f64>,
    /// 1 = best, per alternative in input order; ties share the better rank.
    pub ranking: Vec<u32>,
    #[serde(skip_serializing_if = "Option::is_none", rename = "S")]
    pub s: Option<Vec<f64>>,
    #[serde(skip_serializing_if = "Option::is_none", rename = "R")]
    pub r: Option<Vec<f64>>,
}

/// Rank the alternatives. `normalise` overrides the method's default.
pub fn mcda(
    m: &DecisionMatrix,
    types: &[Direction],
    spec: &WeightSpec,
    method: McdaMethod,
    normalise: Option<MatrixNormalise>,
) -> Result<McdaResult, EngineError> {
    let n = m.columns.len();
    if types.len() != n {
        return Err(EngineError::Shape(format!("--types 给了 {} 个方向，矩阵有 {n} 个准则", types.len())));
    }
    let w = match spec {
        WeightSpec::Given(w) if w.len() != n => {
            return Err(EngineError::Shape(format!("--weights 给了 {} 个权重，矩阵有 {n} 个准则", w.len())));
        }
        WeightSpec::Given(w) => unit_sum(w.clone(), "权重")?,
        WeightSpec::Method(method) => weights(*method, &m.columns, types, &[], "权重")?,
    };
    let normalise = normalise.or(method.default_normalise());
    if method == McdaMethod::Topsis
        && let Some(kind) = normalise
        && let Some(scales) = affine(&m.columns, types, kind)
    {
        // TOPSIS after an affine normalisation: the same closeness without building the matrix.
        let factors: Vec<f64> = w.iter().zip(&scales).map(|(w, a)| w * a.abs()).collect();
        let higher: Vec<bool> = scales.iter().map(|a| *a > 0.0).collect();
        let scores = topsis_scaled(&m.columns, &factors, &higher);
        let ranking = stats::competition_ranks(&scores, true);
        return Ok(McdaResult { weights: w, scores, ranking, s: None, r: None });
    }
    let normalised: Vec<Vec<f64>> = match normalise {
        Some(kind) => {
            m.columns.iter().zip(types).map(|(c, t)| normalise_column(c, *t, kind)).collect::<Result<_, _>>()?
        }
        // VIKOR on the raw matrix: flip cost columns so that higher is better.
        None => m.columns.iter().zip(types).map(|(c, t)| flip(c, *t)).collect(),
    };
    let rows = m.alternatives.len();
    let mut result = McdaResult { weights: w.clone(), scores: Vec::new(), ranking: Vec::new(), s: None, r: None };
    match method {
        McdaMethod::Topsis => result.scores = topsis(&normalised, &w),
        McdaMethod::Vikor => {
            let v = vikor(&normalised, &w, 0.5);
            result.scores = v.q;
            result.s = Some(v.s);
            result.r = Some(v.r);
        }
        McdaMethod::Wsm => {
            result.scores = (0..rows).map(|i| normalised.iter().zip(&w).map(|(c, w)| w * c[i]).sum()).collect();
        }
        McdaMethod::Wpm => {
            if let Some((j, i)) =
                (0..n).flat_map(|j| (0..rows).map(move |i| (j, i))).find(|&(j, i)| normalised[j][i] <= 0.0)
            {
                return Err(EngineError::NonPositive {
                    node: format!("准则 {}", m.criteria[j]),
                    method: "加权乘积法",
                    unit: m.alternatives[i].clone(),
                    value: normalised[j][i],
                });
            }
            result.scores =
                (0..rows).map(|i| normalised.iter().zip(&w).map(|(c, w)| c[i].powf(*w)).product()).collect();
        }
    }
    result.ranking = stats::competition_ranks(&result.scores, method != McdaMethod::Vikor);
    Ok(result)
}

/// The slope a of each column's normalisation r = a·x + b, when every column's is affine.
fn affine(columns: &[Vec<f64>], types: &[Direction], kind: MatrixNormalise) -> Option<Vec<f64>> {
    use rayon::prelude::*;
    columns
        .par_iter()
        .zip(types)
        .map(|(c, t)| {
            let sign = if *t == Direction::Higher { 1.0 } else { -1.0 };
            let a = match kind {
                MatrixNormalise::Vector => 1.0 / c.iter().map(|x| x * x).sum::<f64>().sqrt(),
                MatrixNormalise::Minmax => 1.0 / (stats::max(c) - stats::min(c)),
                MatrixNormalise::Max => 1.0 / stats::max(c),
                MatrixNormalise::Sum if *t == Direction::Higher => 1.0 / c.iter().sum::<f64>(),
                MatrixNormalise::Sum => return None,
            };
            // A zero or infinite slope (constant column, zero norm) takes the general path.
            (a.is_finite() && a != 0.0).then_some(sign * a)
        })
        .collect()
}

fn flip(col: &[f64], t: Direction) -> Vec<f64> {
    col.iter().map(|x| if t == Direction::Higher { *x } else { -x }).collect()
}

fn normalise_column(col: &[f64], t: Direction, kind: MatrixNormalise) -> Result<Vec<f64>, EngineError> {
    let benefit = t == Direction::Higher;
    let (min, max) = match kind {
        MatrixNormalise::Minmax | MatrixNormalise::Max => (stats::min(col), stats::max(col)),
        _ => (0.0, 0.0),
    };
    Ok(match kind {
        MatrixNormalise::Vector => {
            let norm = col.iter().map(|x| x * x).sum::<f64>().sqrt();
            col.iter()
                .map(|x| {
                    if norm == 0.0 {
                        0.0
                    } else if benefit {
                        x / norm
                    } else {
                        1.0 - x / norm
                    }
                })
                .collect()
        }
        MatrixNormalise::Minmax => col
            .iter()
            .map(|x| {
                if max == min {
                    1.0
                } else if benefit {
                    (x - min) / (max - min)
                } else {
                    (max - x) / (max - min)
                }
            })
            .collect(),
        MatrixNormalise::Max => {
            if max == 0.0 {
                return Err(EngineError::Shape("max 标准化要求每列最大值不为零".into()));
            }
            col.iter().map(|x| if benefit { x / max } else { 1.0 - x / max }).collect()
        }
        MatrixNormalise::Sum => {
            if benefit {
                let total: f64 = col.iter().sum();
                if total == 0.0 {
                    return Err(EngineError::Shape("sum 标准化要求每列合计不为零".into()));
                }
                col.iter().map(|x| x / total).collect()
            } else {
                if let Some(x) = col.iter().find(|x| **x <= 0.0) {
                    return Err(EngineError::Shape(format!("sum 标准化的成本型准则要求数值为正，遇到 {x}")));
                }
                let total: f64 = col.iter().map(|x| 1.0 / x).sum();
                col.iter().map(|x| (1.0 / x) / total).collect()
            }
        }
    })
}
