//! Small statistics over columns in which NaN means "missing". Sums run in index order so that
//! results never depend on thread scheduling.

/// The values that are present, in order.
pub fn present(xs: &[f64]) -> impl Iterator<Item = f64> + '_ {
    xs.iter().copied().filter(|x| !x.is_nan())
}

pub fn count(xs: &[f64]) -> usize {
    present(xs).count()
}

pub fn sum(xs: &[f64]) -> f64 {
    present(xs).sum()
}

pub fn mean(xs: &[f64]) -> f64 {
    let n = count(xs);
    if n == 0 { f64::NAN } else { sum(xs) / n as f64 }
}

/// Sample standard deviation (n − 1), as R's `sd`.
pub fn sd(xs: &[f64]) -> f64 {
    let n = count(xs);
    if n < 2 {
        return f64::NAN;
    }
    let m = mean(xs);
    (present(xs).map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1) as f64).sqrt()
}

pub fn min(xs: &[f64]) -> f64 {
    present(xs).fold(f64::NAN, f64::min)
}

pub fn max(xs: &[f64]) -> f64 {
    present(xs).fold(f64::NAN, f64::max)
}

/// The present values sorted ascending.
pub fn sorted(xs: &[f64]) -> Vec<f64> {
    let mut v: Vec<f64> = present(xs).collect();
    v.sort_by(f64::total_cmp);
    v
}

/// Quantile by linear interpolation between order statistics (R's type 7).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

pub fn median(xs: &[f64]) -> f64 {
    quantile_sorted(&sorted(xs), 0.5)
}

/// Ranks with ties averaged, 1 = smallest; missing stays missing.
pub fn average_ranks(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).filter(|&i| !xs[i].is_nan()).collect();
    idx.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut out = vec![f64::NAN; xs.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && xs[idx[j + 1]] == xs[idx[i]] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            out[k] = r;
        }
        i = j + 1;
    }
    out
}

/// Competition ranks ("1224"), 1 = best; `higher_better` says which end is best. Missing → 0.
pub fn competition_ranks(xs: &[f64], higher_better: bool) -> Vec<u32> {
    let mut idx: Vec<usize> = (0..xs.len()).filter(|&i| !xs[i].is_nan()).collect();
    idx.sort_by(|&a, &b| if higher_better { xs[b].total_cmp(&xs[a]) } else { xs[a].total_cmp(&xs[b]) });
    let mut out = vec![0; xs.len()];
    for (pos, &i) in idx.iter().enumerate() {
        out[i] = if pos > 0 && xs[idx[pos - 1]] == xs[i] { out[idx[pos - 1]] } else { pos as u32 + 1 };
    }
    out
}

/// Pearson correlation over the rows where both columns have a value (0 when undefined).
pub fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let pairs = || a.iter().zip(b).filter(|(x, y)| !x.is_nan() && !y.is_nan());
    let n = pairs().count() as f64;
    if n < 2.0 {
        return 0.0;
    }
    let ma = pairs().map(|(x, _)| x).sum::<f64>() / n;
    let mb = pairs().map(|(_, y)| y).sum::<f64>() / n;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in pairs() {
        sab += (x - ma) * (y - mb);
        saa += (x - ma) * (x - ma);
        sbb += (y - mb) * (y - mb);
    }
    if saa == 0.0 || sbb == 0.0 { 0.0 } else { sab / (saa * sbb).sqrt() }
}

/// Adjusted Fisher–Pearson skewness (as Excel's SKEW).
pub fn skewness(xs: &[f64]) -> f64 {
    let n = count(xs) as f64;
    let (m, s) = (mean(xs), sd(xs));
    if n < 3.0 || s == 0.0 {
        return 0.0;
    }
    n / ((n - 1.0) * (n - 2.0)) * present(xs).map(|x| ((x - m) / s).powi(3)).sum::<f64>()
}

/// Excess kurtosis (as Excel's KURT).
pub fn kurtosis(xs: &[f64]) -> f64 {
    let n = count(xs) as f64;
    let (m, s) = (mean(xs), sd(xs));
    if n < 4.0 || s == 0.0 {
        return 0.0;
    }
    let sum4 = present(xs).map(|x| ((x - m) / s).powi(4)).sum::<f64>();
    n * (n + 1.0) / ((n - 1.0) * (n - 2.0) * (n - 3.0)) * sum4 - 3.0 * (n - 1.0).powi(2) / ((n - 2.0) * (n - 3.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties_and_keep_missing() {
        let r = average_ranks(&[3.0, 1.0, 3.0, f64::NAN, 2.0]);
        assert_eq!(&r[..3], &[3.5, 1.0, 3.5]);
        assert!(r[3].is_nan());
        assert!((r[4] - 2.0).abs() < 1e-12);
    }

    #[test]
    fn competition_ranks_share_the_better_place() {
        assert_eq!(competition_ranks(&[3.0, 5.0, 3.0, f64::NAN, 1.0], true), [2, 1, 2, 0, 4]);
        assert_eq!(competition_ranks(&[3.0, 5.0, 3.0, 1.0], false), [2, 4, 2, 1]);
    }

    #[test]
    fn quantiles_interpolate_like_r_type_7() {
        let s = [1.0, 2.0, 3.0, 4.0];
        assert!((quantile_sorted(&s, 0.5) - 2.5).abs() < 1e-12);
        assert!((quantile_sorted(&s, 0.05) - 1.15).abs() < 1e-12);
        assert!((sd(&[1.0, 2.0, 3.0, 4.0]) - 1.2909944487358056).abs() < 1e-12);
    }
}
