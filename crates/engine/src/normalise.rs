//! Put one column of values on a common scale, with the indicator's direction. NaN is missing and
//! stays missing. Definitions follow COINr where COINr has the method; docs/method.md has them all.

use crate::error::EngineError;
use crate::stats;
use jili_model::{Direction, Normalise};

/// Everything a normalisation needs besides the values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaler {
    pub method: Normalise,
    pub direction: Direction,
    /// Goalposts' bounds, or efficacy's 不允许值 (low) and 满意值 (high) for a benefit indicator.
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub target: Option<f64>,
    /// Bounded scales run from `floor` to `scale` (min-max) or 0 to `scale` (goalposts, percentile,
    /// fraction of max).
    pub floor: f64,
    pub scale: f64,
    /// Natural log of values and bounds first.
    pub log: bool,
}

impl Scaler {
    /// A method with COINr's defaults: direction higher, onto [0, 100].
    pub fn new(method: Normalise) -> Scaler {
        Scaler {
            method,
            direction: Direction::Higher,
            low: None,
            high: None,
            target: None,
            floor: 0.0,
            scale: 100.0,
            log: false,
        }
    }
}

/// Normalise a column; `node` names the indicator in errors.
pub fn normalise(xs: &[f64], s: &Scaler, node: &str) -> Result<Vec<f64>, EngineError> {
    let mut owned = Vec::new();
    let (mut low, mut high, mut target) = (s.low, s.high, s.target);
    if s.log {
        owned = xs.to_vec();
        for (i, x) in owned.iter_mut().enumerate().filter(|(_, x)| !x.is_nan()) {
            if *x <= 0.0 {
                return Err(EngineError::NonPositive {
                    node: node.into(),
                    method: "取对数",
                    unit: format!("第 {} 个", i + 1),
                    value: *x,
                });
            }
            *x = x.ln();
        }
        for b in [&mut low, &mut high, &mut target].into_iter().flatten() {
            if *b <= 0.0 {
                return Err(EngineError::parameter(node, format!("取对数时上下限和目标值须为正数，现为 {b}")));
            }
            *b = b.ln();
        }
    }
    let xs: &[f64] = if s.log { &owned } else { xs };
    let higher = s.direction == Direction::Higher;
    let map = |f: &dyn Fn(f64) -> f64| -> Vec<f64> { xs.iter().map(|&x| if x.is_nan() { x } else { f(x) }).collect() };
    let (min, max) = (stats::min(xs), stats::max(xs));
    Ok(match s.method {
        Normalise::Minmax => {
            let mid = (s.floor + s.scale) / 2.0;
            let span = s.scale - s.floor;
            map(&|x| {
                if max == min {
                    mid
                } else if higher {
                    s.floor + (x - min) / (max - min) * span
                } else {
                    s.floor + (max - x) / (max - min) * span
                }
            })
        }
        Normalise::Zscore => {
            let (m, sd) = (stats::mean(xs), stats::sd(xs));
            let sign = if higher { 1.0 } else { -1.0 };
            map(&|x| if sd.is_nan() || sd == 0.0 { 0.0 } else { sign * (x - m) / sd })
        }
        Normalise::Rank => {
            let flipped: Vec<f64> = if higher { xs.to_vec() } else { xs.iter().map(|x| -x).collect() };
            stats::average_ranks(&flipped)
        }
        Normalise::Percentile => {
            let flipped: Vec<f64> = if higher { xs.to_vec() } else { xs.iter().map(|x| -x).collect() };
            let n = stats::count(xs) as f64;
            stats::average_ranks(&flipped)
                .into_iter()
                .map(|r| {
                    if r.is_nan() {
                        r
                    } else if n < 2.0 {
                        s.scale
                    } else {
                        (r - 1.0) / (n - 1.0) * s.scale
                    }
                })
                .collect()
        }
        Normalise::Goalposts => {
            let (Some(l), Some(h)) = (low, high) else {
                return Err(EngineError::parameter(node, "固定上下限标准化须给出下限和上限"));
            };
            if l >= h {
                return Err(EngineError::parameter(node, format!("下限 {l} 应小于上限 {h}")));
            }
            map(&|x| {
                let f = if higher { (x - l) / (h - l) } else { (h - x) / (h - l) };
                f.clamp(0.0, 1.0) * s.scale
            })
        }
        Normalise::Target => {
            let Some(t) = target else {
                return Err(EngineError::parameter(
                    node,
                    "与目标值的距离须给出目标值（iMeta 的 Target 列或方案的 target）",
                ));
            };
            // COINr's n_dist2targ, uncapped: progress from the worst value towards the target.
            map(&|x| {
                let (num, den) = if higher { (x - min, t - min) } else { (max - x, max - t) };
                if den == 0.0 { if num >= 0.0 { 1.0 } else { 0.0 } } else { num / den }
            })
        }
        Normalise::Efficacy => {
            let (bad, good) = match (low, high) {
                (Some(l), Some(h)) if higher => (l, h),
                (Some(l), Some(h)) => (h, l),
                _ if higher => (min, max),
                _ => (max, min),
            };
            map(&|x| if good == bad { 80.0 } else { (60.0 + 40.0 * (x - bad) / (good - bad)).clamp(60.0, 100.0) })
        }
        Normalise::FractionOfMax => {
            if higher {
                if max <= 0.0 {
                    return Err(EngineError::parameter(node, format!("与最大值之比要求最大值为正，现为 {max}")));
                }
                map(&|x| x / max * s.scale)
            } else {
                positive(xs, node, "与最小值之比（越低越好）")?;
                map(&|x| min / x * s.scale)
            }
        }
        Normalise::Proportion => {
            if higher {
                let total = stats::sum(xs);
                if total == 0.0 {
                    return Err(EngineError::parameter(node, "占合计比重要求合计不为零"));
                }
                map(&|x| x / total)
            } else {
                positive(xs, node, "占合计比重（越低越好，取倒数）")?;
                let total: f64 = stats::present(xs).map(|x| 1.0 / x).sum();
                map(&|x| (1.0 / x) / total)
            }
        }
        Normalise::Vector => {
            let norm = stats::present(xs).map(|x| x * x).sum::<f64>().sqrt();
            map(&|x| {
                let v = if norm == 0.0 { 0.0 } else { x / norm };
                if higher { v } else { 1.0 - v }
            })
        }
        Normalise::None => map(&|x| if higher { x } else { -x }),
    })
}

fn positive(xs: &[f64], node: &str, method: &'static str) -> Result<(), EngineError> {
    match xs.iter().enumerate().find(|(_, x)| **x <= 0.0) {
        Some((i, &x)) => {
            Err(EngineError::NonPositive { node: node.into(), method, unit: format!("第 {} 个", i + 1), value: x })
        }
        None => Ok(()),
    }
}

/// Whether the method's output is bounded by the scale (so the unit can read it as 0–100).
pub fn is_bounded(method: Normalise) -> bool {
    matches!(method, Normalise::Minmax | Normalise::Percentile | Normalise::Goalposts | Normalise::Efficacy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_max_maps_onto_floor_to_scale_and_flips_for_lower() {
        let s = Scaler { floor: 60.0, ..Scaler::new(Normalise::Minmax) };
        assert_eq!(normalise(&[1.0, 2.0, 3.0], &s, "t").unwrap(), [60.0, 80.0, 100.0]);
        let lower = Scaler { direction: Direction::Lower, ..s };
        assert_eq!(normalise(&[1.0, 2.0, 3.0], &lower, "t").unwrap(), [100.0, 80.0, 60.0]);
        // A constant column sits in the middle of the range.
        assert_eq!(normalise(&[5.0, 5.0], &s, "t").unwrap(), [80.0, 80.0]);
    }

    #[test]
    fn lower_is_better_forms() {
        let s = |m| Scaler { direction: Direction::Lower, scale: 1.0, ..Scaler::new(m) };
        assert_eq!(normalise(&[1.0, 2.0, 4.0], &s(Normalise::FractionOfMax), "t").unwrap(), [1.0, 0.5, 0.25]);
        let p = normalise(&[1.0, 2.0, 4.0], &s(Normalise::Proportion), "t").unwrap();
        assert!((p[0] - 4.0 / 7.0).abs() < 1e-12 && (p[2] - 1.0 / 7.0).abs() < 1e-12, "{p:?}");
        assert_eq!(normalise(&[3.0, 1.0, 2.0], &s(Normalise::Rank), "t").unwrap(), [1.0, 3.0, 2.0]);
        let err = normalise(&[0.0, 2.0], &s(Normalise::FractionOfMax), "某指标").unwrap_err().to_string();
        assert!(err.contains("某指标") && err.contains("全部为正"), "{err}");
    }
}
