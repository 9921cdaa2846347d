//! Variance-based sensitivity (COINr's `get_sensitivity(SA_type = "SA")`): Saltelli's design of
//! `N(d + 2)` builds, first-order and total Sobol indices of the mean absolute rank change, and
//! bootstrap 5–95 % bounds, with COINr's estimators (`SA_estimate`).

use super::ua::{RankStats, summarise};
use super::{Sample, Space};
use crate::error::EngineError;
use crate::rng::SampleRng;
use crate::stats;
use rayon::prelude::*;

/// Stream offset of the bootstrap draws, apart from the samples' streams.
const BOOT_STREAM: u64 = 1 << 41;

/// The indices of one varied choice.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolIndex {
    pub choice: &'static str,
    pub first: f64,
    pub total: f64,
    /// 5th and 95th percentiles over the bootstrap resamples (NaN without bootstrap).
    pub first_q05: f64,
    pub first_q95: f64,
    pub total_q05: f64,
    pub total_q95: f64,
}

/// What a sensitivity analysis gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    pub indices: Vec<SobolIndex>,
    /// Variance of the target over the A and B samples.
    pub variance: f64,
    /// Rank statistics over the 2N random samples (A and B), as COINr's `RankStats`.
    pub ranks: RankStats,
    /// Builds run: N(d + 2).
    pub builds: usize,
}

/// Run the design with `n` base points and `boot` bootstrap resamples; `keep` returns every build
/// (A rows, then B rows, then A with each choice from B).
pub fn sensitivity(
    space: &Space,
    n: u32,
    boot: u32,
    quantiles: &[f64],
    keep: bool,
) -> Result<Sensitivity, EngineError> {
    let d = space.factors.len();
    if d < 2 {
        return Err(EngineError::Shape(
            "敏感性分析至少要变动两项选择（例如 --vary-weights 和 --vary-normalise）；只变动一项时请用 --uncertainty"
                .into(),
        ));
    }
    let one = |j: u64| -> Result<(Sample, Sample, Vec<Sample>), EngineError> {
        let mut rng = SampleRng::new(space.seed, j);
        let xs: Vec<f64> = (0..2 * d).map(|_| rng.unit()).collect();
        let (a, b) = (space.point(&xs[..d]), space.point(&xs[d..]));
        let run = |p: &[usize]| space.run(p).map_err(|e| failed(space, p, &e));
        let mut ab = Vec::with_capacity(d);
        for i in 0..d {
            let mut p = a.clone();
            p[i] = b[i];
            ab.push(run(&p)?);
        }
        Ok((run(&a)?, run(&b)?, ab))
    };
    let rows: Vec<_> = (0..u64::from(n)).into_par_iter().map(one).collect::<Result<_, _>>()?;
    let ya: Vec<f64> = rows.iter().map(|r| r.0.shift).collect();
    let yb: Vec<f64> = rows.iter().map(|r| r.1.shift).collect();
    let yab: Vec<Vec<f64>> = (0..d).map(|i| rows.iter().map(|r| r.2[i].shift).collect()).collect();
    let (variance, mut indices) = estimate(&ya, &yb, &yab, boot, space.seed);
    for (ix, (f, _)) in indices.iter_mut().zip(&space.factors) {
        ix.choice = f.code();
    }
    let random: Vec<Sample> = rows.iter().map(|r| r.0.clone()).chain(rows.iter().map(|r| r.1.clone())).collect();
    let mut ranks = summarise(&random, space.codes.len(), quantiles, Vec::new());
    if keep {
        let mut all = random;
        all.extend((0..d).flat_map(|i| rows.iter().map(move |r| r.2[i].clone())));
        ranks.samples = Some(all);
    }
    Ok(Sensitivity { indices, variance, ranks, builds: rows.len() * (d + 2) })
}

fn failed(space: &Space, point: &[usize], e: &EngineError) -> EngineError {
    let choice: Vec<String> =
        space.factors.iter().zip(point).map(|(&(f, _), &k)| format!("{}={}", f.code(), space.label(f, k))).collect();
    EngineError::Shape(format!("敏感性分析的一次构建失败（{}）：{e}。请从备选中去掉这一项", choice.join("，")))
}

/// COINr's `SA_estimate`: `ya`, `yb` the outputs at A and B, `yab[i]` at A with choice `i` from B.
/// Returns Var(Y) over A and B, and per choice Si = mean(yB·(yABi − yA))/Var(Y),
/// STi = Σ(yA − yABi)²/(2N·Var(Y)), with bootstrap percentiles when `boot` > 0.
pub fn estimate(ya: &[f64], yb: &[f64], yab: &[Vec<f64>], boot: u32, seed: u64) -> (f64, Vec<SobolIndex>) {
    let n = ya.len();
    let both: Vec<f64> = ya.iter().chain(yb).copied().collect();
    let var = stats::sd(&both).powi(2);
    let nf = n as f64;
    let indices = yab
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let first_terms: Vec<f64> = (0..n).map(|j| yb[j] * (x[j] - ya[j])).collect();
            let total_terms: Vec<f64> = (0..n).map(|j| ya[j] - x[j]).collect();
            let first = |t: &[f64]| t.iter().sum::<f64>() / nf / var;
            let total = |t: &[f64]| t.iter().map(|d| d * d).sum::<f64>() / (2.0 * nf * var);
            let mut ix = SobolIndex {
                choice: "",
                first: first(&first_terms),
                total: total(&total_terms),
                first_q05: f64::NAN,
                first_q95: f64::NAN,
                total_q05: f64::NAN,
                total_q95: f64::NAN,
            };
            if boot > 0 && n > 0 {
                let mut rng = SampleRng::new(seed, BOOT_STREAM + i as u64);
                let mut resample = |t: &[f64]| -> Vec<f64> { (0..n).map(|_| t[rng.below(n)]).collect() };
                let mut fs = Vec::with_capacity(boot as usize);
                let mut ts = Vec::with_capacity(boot as usize);
                for _ in 0..boot {
                    fs.push(first(&resample(&first_terms)));
                    ts.push(total(&resample(&total_terms)));
                }
                fs.sort_by(f64::total_cmp);
                ts.sort_by(f64::total_cmp);
                (ix.first_q05, ix.first_q95) = (stats::quantile_sorted(&fs, 0.05), stats::quantile_sorted(&fs, 0.95));
                (ix.total_q05, ix.total_q95) = (stats::quantile_sorted(&ts, 0.05), stats::quantile_sorted(&ts, 0.95));
            }
            ix
        })
        .collect();
    (var, indices)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// COINr's own example for `SA_estimate`: y = x1 + 2·x2 + 3·x3 on U(0, 1)³, whose indices are
    /// known exactly (each term's variance share: 1/14, 4/14, 9/14; additive, so Si = STi).
    #[test]
    fn estimators_recover_the_known_indices_of_coinrs_linear_example() {
        let (n, d) = (20_000, 3);
        let f = |x: &[f64]| x[0] + 2.0 * x[1] + 3.0 * x[2];
        let (mut ya, mut yb, mut yab) = (Vec::new(), Vec::new(), vec![Vec::new(); d]);
        for j in 0..n {
            let mut rng = SampleRng::new(11, j);
            let xs: Vec<f64> = (0..2 * d).map(|_| rng.unit()).collect();
            let (a, b) = (&xs[..d], &xs[d..]);
            ya.push(f(a));
            yb.push(f(b));
            for (i, y) in yab.iter_mut().enumerate() {
                let mut p = a.to_vec();
                p[i] = b[i];
                y.push(f(&p));
            }
        }
        let (var, ix) = estimate(&ya, &yb, &yab, 200, 3);
        assert!((var - 14.0 / 12.0).abs() < 0.03, "Var(Y) = 14/12, got {var}");
        for (i, exact) in [1.0 / 14.0, 4.0 / 14.0, 9.0 / 14.0].into_iter().enumerate() {
            assert!((ix[i].total - exact).abs() < 0.02, "STi {i}: {} vs {exact}", ix[i].total);
            assert!((ix[i].first - exact).abs() < 0.05, "Si {i}: {} vs {exact}", ix[i].first);
            assert!(ix[i].total_q05 <= ix[i].total && ix[i].total <= ix[i].total_q95, "{:?}", ix[i]);
        }
    }
}
