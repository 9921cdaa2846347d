//! Benford's law on first digits (Nigrini 2012, *Benford's Law*): a set of amounts spanning
//! orders of magnitude has about 30% first digits 1 and under 5% nines; invented figures
//! rarely do. Judged by Nigrini's mean absolute deviation, not by chi-square, which rejects
//! almost any real data set once n is large.

use super::robust::percentile;

/// First-digit statistics of a set of values (those with |x| ≥ 10 and finite).
#[derive(Debug, Clone, PartialEq)]
pub struct Benford {
    pub n: usize,
    /// Nigrini's mean absolute deviation from Benford's proportions.
    pub mad: f64,
    /// Pearson's chi-square against Benford, 8 degrees of freedom (5% critical value 15.51).
    pub chi2: f64,
    /// Observed proportion of first digits 1–9.
    pub digits: [f64; 9],
}

impl Benford {
    /// Benford's proportion of first digit `d` (1–9): log10(1 + 1/d).
    pub fn expected(d: usize) -> f64 {
        (1.0 + 1.0 / d as f64).log10()
    }
}

/// First-digit statistics of `values`. Only finite values with |x| ≥ 10 count: smaller ones
/// are mostly rates and indices whose first digit Benford's law says nothing about. `None`
/// when no value counts.
pub fn benford(values: &[f64]) -> Option<Benford> {
    let mut counts = [0usize; 9];
    for x in values.iter().map(|x| x.abs()).filter(|x| x.is_finite() && *x >= 10.0) {
        // Scientific notation gives the first significant digit exactly (no log10 rounding).
        let d = format!("{x:e}").bytes().next().map_or(0, |b| usize::from(b.wrapping_sub(b'0')));
        if (1..=9).contains(&d) {
            counts[d - 1] += 1;
        }
    }
    let n: usize = counts.iter().sum();
    if n == 0 {
        return None;
    }
    let digits = counts.map(|c| c as f64 / n as f64);
    let (mut mad, mut chi2) = (0.0, 0.0);
    for (i, p) in digits.iter().enumerate() {
        let e = Benford::expected(i + 1);
        mad += (p - e).abs() / 9.0;
        chi2 += n as f64 * (p - e).powi(2) / e;
    }
    Some(Benford { n, mad, chi2, digits })
}

/// Benford's law describes amounts spanning orders of magnitude: values within one order (all
/// counties' budgets between 1 and 9 亿元) have first digits set by their size, not by chance.
/// The test applies only when the counted values' 5th and 95th percentiles are at least this
/// far apart (Nigrini 2012 asks for data "spanning several orders of magnitude").
pub const BENFORD_SPAN: f64 = 100.0;

/// Why `values` (described as `what`) do not conform to Benford's law, and what to do: the
/// message and the fix of a flag; `None` when they conform or the test does not apply (fewer
/// than `min` values, or not spanning two orders of magnitude). `bound` is Nigrini's MAD bound.
pub(super) fn nonconformity(values: &[f64], min: usize, bound: f64, what: &str) -> Option<(String, String)> {
    let b = benford(values).filter(|b| b.n >= min && b.mad > bound)?;
    let mut counted: Vec<f64> = values.iter().map(|x| x.abs()).filter(|x| x.is_finite() && *x >= 10.0).collect();
    counted.sort_by(f64::total_cmp);
    if percentile(&counted, 0.95) < BENFORD_SPAN * percentile(&counted, 0.05) {
        return None;
    }
    let (d, _) = (1..=9)
        .map(|d| (d, b.digits[d - 1] - Benford::expected(d)))
        .fold((1, f64::NEG_INFINITY), |best, c| if c.1 > best.1 { c } else { best });
    Some((
        format!(
            "{what} {} 个数值（绝对值不小于 10）的首位数字分布偏离本福特定律：MAD {:.4}（Nigrini 不符合界限 {}），卡方 {:.1}（8 个自由度，5% 临界值 15.51）；首位为 {d} 的占 {:.1}%，按本福特定律应约 {:.1}%",
            b.n,
            b.mad,
            bound,
            b.chi2,
            b.digits[d - 1] * 100.0,
            Benford::expected(d) * 100.0
        ),
        format!("偏离本身不能证明数据有误（取整、门槛或单一行业也会造成）：请抽查首位为 {d} 的数值的来源和计算过程"),
    ))
}
