//! Robust summaries of a distribution: median, MAD-based scale and percentiles. Outliers must
//! not inflate their own yardstick, so nothing here uses a mean or a standard deviation.

/// A distribution summarised robustly: `scale` is such that (x − median)/scale is the robust
/// (modified) z, and [lo, hi] its 5th–95th percentiles.
#[derive(Debug, Clone, Copy)]
pub(super) struct Spread {
    pub n: usize,
    pub median: f64,
    pub scale: f64,
    pub lo: f64,
    pub hi: f64,
}

/// The spread of at least `min` values. The scale is MAD/0.6745 (= 1.4826·MAD: consistent with
/// σ for normal data), or, when over half the values tie so MAD = 0, Iglewicz & Hoaglin's
/// mean-absolute-deviation fallback 1.253314·MeanAD. `None` when both are 0 (all equal), the
/// scale is not finite, or there are too few values.
pub(super) fn spread(mut values: Vec<f64>, min: usize) -> Option<Spread> {
    if values.len() < min.max(1) {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let m = median(&values)?;
    let dev: Vec<f64> = values.iter().map(|x| (x - m).abs()).collect();
    let mad = median(&dev)?;
    let scale = if mad > 0.0 { mad / 0.6745 } else { 1.253314 * dev.iter().sum::<f64>() / dev.len() as f64 };
    let (lo, hi) = (percentile(&values, 0.05), percentile(&values, 0.95));
    (scale > 0.0 && scale.is_finite()).then_some(Spread { n: values.len(), median: m, scale, lo, hi })
}

/// The median (halves added, so two huge values do not overflow).
pub(super) fn median(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    (n > 0).then(|| v[(n - 1) / 2] / 2.0 + v[n / 2] / 2.0)
}

/// The q-quantile of sorted values, interpolating linearly; NaN when empty.
pub(super) fn percentile(sorted: &[f64], q: f64) -> f64 {
    let Some(last) = sorted.len().checked_sub(1) else { return f64::NAN };
    let h = q * last as f64;
    let (i, frac) = (h.floor() as usize, h - h.floor());
    let lo = sorted[i.min(last)];
    lo + (sorted[(i + 1).min(last)] - lo) * frac
}
