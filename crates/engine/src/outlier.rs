//! Optional treatment of extreme values before normalising, by COINr's rule (`Treat` with its
//! defaults: `winsorise`, then `log_CT` where winsorising does not suffice, checked by
//! `check_SkewKurt`). Missing values (NaN) are left alone and ignored by every statistic.

use crate::stats;

/// Largest number of values COINr's rule winsorises in one column (its default `winmax`).
pub const WINSORISE_MAX: usize = jili_model::pipeline::WINSORISE_DEFAULT_MAX;
const SKEW_LIMIT: f64 = 2.0;
const KURT_LIMIT: f64 = 3.5;

/// Whether a column needs no treatment: |skewness| < 2 or kurtosis < 3.5 (COINr's
/// `check_SkewKurt`; the statistics are the sample skewness and excess kurtosis of e1071's
/// type 2, as COINr computes them).
pub fn passes(xs: &[f64]) -> bool {
    stats::count(xs) < 4 || stats::skewness(xs).abs() < SKEW_LIMIT || stats::kurtosis(xs) < KURT_LIMIT
}

/// What winsorising did to a column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Winsorised {
    /// Positions brought down to the next value below them ("winhi"), in position order.
    pub high: Vec<usize>,
    /// Positions brought up ("winlo").
    pub low: Vec<usize>,
    /// Whether the column passes the skewness/kurtosis check afterwards.
    pub passes: bool,
}

/// COINr's winsorisation: while the column fails the check and fewer than `max` points were
/// moved, every value equal to the extreme on the skewed side (skewness ≥ 0: the maximum) takes
/// the most extreme value among the others. Tied points move together and all count.
pub fn winsorise_up_to(xs: &mut [f64], max: usize) -> Winsorised {
    let mut out = Winsorised { passes: passes(xs), ..Winsorised::default() };
    let mut moved = 0;
    while !out.passes && moved < max {
        let high = stats::skewness(xs) >= 0.0;
        let extreme = if high { max_of(xs.iter().copied()) } else { min_of(xs.iter().copied()) };
        let Some(extreme) = extreme else { break };
        let at: Vec<usize> = (0..xs.len()).filter(|&i| xs[i] == extreme).collect();
        let others = xs.iter().copied().filter(|x| *x != extreme);
        let Some(inside) = (if high { max_of(others) } else { min_of(others) }) else { break };
        for &i in &at {
            xs[i] = inside;
        }
        if high {
            out.high = at;
        } else {
            out.low = at;
        }
        // COINr counts the points moved at the last step on each side: earlier ones are among them.
        moved = out.high.len() + out.low.len();
        out.passes = passes(xs);
    }
    out
}

/// [`winsorise_up_to`] with COINr's default limit; the positions changed, for the flags a plan
/// shows.
pub fn winsorise(xs: &mut [f64]) -> Vec<usize> {
    let w = winsorise_up_to(xs, WINSORISE_MAX);
    let mut changed: Vec<usize> = w.high.into_iter().chain(w.low).collect();
    changed.sort_unstable();
    changed
}

/// How a column was treated.
#[derive(Debug, Clone, PartialEq)]
pub enum Treatment {
    /// It passed the check as it was.
    Untouched,
    Winsorised(Winsorised),
    /// Winsorising up to the limit did not pass; the original column was log-transformed
    /// (COINr's `log_CT`: ln(x − min + 0.01 × (max − min))).
    Logged,
}

/// COINr's default treatment of one column, in place.
pub fn treat(xs: &mut [f64], max: usize) -> Treatment {
    if passes(xs) {
        return Treatment::Untouched;
    }
    let original = xs.to_vec();
    let w = winsorise_up_to(xs, max);
    if w.passes {
        return Treatment::Winsorised(w);
    }
    xs.copy_from_slice(&original);
    let (lo, hi) = (min_of(original.iter().copied()), max_of(original.iter().copied()));
    if let (Some(lo), Some(hi)) = (lo, hi) {
        for x in xs.iter_mut().filter(|x| !x.is_nan()) {
            *x = (*x - lo + 0.01 * (hi - lo)).ln();
        }
    }
    Treatment::Logged
}

fn max_of(xs: impl Iterator<Item = f64>) -> Option<f64> {
    xs.filter(|x| !x.is_nan()).reduce(f64::max)
}

fn min_of(xs: impl Iterator<Item = f64>) -> Option<f64> {
    xs.filter(|x| !x.is_nan()).reduce(f64::min)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coinr_winsorises_the_hundred_to_ten() {
        let mut xs: Vec<f64> = (1..=10).map(f64::from).chain([100.0]).collect();
        let changed = winsorise(&mut xs);
        assert_eq!(changed, [10]);
        assert!((xs[10] - 10.0).abs() < 1e-12);
    }

    #[test]
    fn a_symmetric_column_is_left_alone() {
        let mut xs: Vec<f64> = (1..=10).map(f64::from).collect();
        assert!(winsorise(&mut xs).is_empty());
        assert_eq!(treat(&mut xs, 5), Treatment::Untouched);
    }

    #[test]
    fn tied_points_move_together_and_count() {
        // Two far values: the first step moves the larger onto the smaller, the second both.
        let mut xs: Vec<f64> = (1..=20).map(f64::from).chain([200.0, 400.0]).collect();
        let w = winsorise_up_to(&mut xs, 5);
        assert!(w.passes, "{xs:?}");
        assert_eq!(w.high, [20, 21]);
        assert_eq!((xs[20], xs[21]), (20.0, 20.0));
    }

    #[test]
    fn a_column_winsorising_cannot_fix_is_log_transformed() {
        // Half the values tiny, a long tail: one point of winsorising is not enough.
        let mut xs: Vec<f64> = [1.0; 30].into_iter().chain((1..=6).map(|k| 10f64.powi(k))).collect();
        let original = xs.clone();
        assert_eq!(treat(&mut xs, 1), Treatment::Logged);
        let (lo, hi) = (1.0, 1e6);
        assert!((xs[35] - (original[35] - lo + 0.01 * (hi - lo)).ln()).abs() < 1e-12);
    }
}
