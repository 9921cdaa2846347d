//! Uncertainty analysis: `N` samples, each drawing every varied choice uniformly (COINr's
//! `SA_type = "UA"`), summarised per unit as the median rank and the quantiles asked for.

use super::{Sample, Space};
use crate::error::EngineError;
use crate::rng::SampleRng;
use crate::stats;
use rayon::prelude::*;

/// Rank statistics per nominal unit over the samples that built.
#[derive(Debug, Clone, PartialEq)]
pub struct RankStats {
    pub mean: Vec<f64>,
    pub median: Vec<f64>,
    /// (p, the p-quantile of each unit's rank), in the order asked.
    pub quantiles: Vec<(f64, Vec<f64>)>,
    /// Samples whose build failed (e.g. a geometric mean met a zero); left out of the statistics.
    pub failed: Vec<(Vec<usize>, String)>,
    /// Every sample that built, when asked for (`--samples-out`).
    pub samples: Option<Vec<Sample>>,
}

/// Run `samples` builds of the space; `keep` returns them too.
pub fn uncertainty(space: &Space, samples: u32, quantiles: &[f64], keep: bool) -> Result<RankStats, EngineError> {
    let d = space.factors.len();
    let runs: Vec<Result<Sample, (Vec<usize>, String)>> = (0..u64::from(samples))
        .into_par_iter()
        .map(|s| {
            let mut rng = SampleRng::new(space.seed, s);
            let xs: Vec<f64> = (0..d).map(|_| rng.unit()).collect();
            let point = space.point(&xs);
            space.run(&point).map_err(|e| (point, e.to_string()))
        })
        .collect();
    let mut built = Vec::with_capacity(runs.len());
    let mut failed = Vec::new();
    for r in runs {
        match r {
            Ok(s) => built.push(s),
            Err(f) => failed.push(f),
        }
    }
    if built.is_empty() {
        let why = failed.first().map_or_else(String::new, |f| f.1.clone());
        return Err(EngineError::Shape(format!("{samples} 次构建全部失败：{why}")));
    }
    let mut stats = summarise(&built, space.codes.len(), quantiles, failed);
    if keep {
        stats.samples = Some(built);
    }
    Ok(stats)
}

/// Per-unit rank statistics of built samples.
pub(super) fn summarise(
    built: &[Sample],
    units: usize,
    quantiles: &[f64],
    failed: Vec<(Vec<usize>, String)>,
) -> RankStats {
    let mut out = RankStats {
        mean: vec![f64::NAN; units],
        median: vec![f64::NAN; units],
        quantiles: quantiles.iter().map(|&p| (p, vec![f64::NAN; units])).collect(),
        failed,
        samples: None,
    };
    let mut col = Vec::with_capacity(built.len());
    for u in 0..units {
        col.clear();
        col.extend(built.iter().map(|s| s.rank[u]).filter(|r| *r > 0).map(f64::from));
        col.sort_by(f64::total_cmp);
        out.mean[u] = stats::mean(&col);
        out.median[u] = stats::quantile_sorted(&col, 0.5);
        for (p, q) in &mut out.quantiles {
            q[u] = stats::quantile_sorted(&col, *p);
        }
    }
    out
}
