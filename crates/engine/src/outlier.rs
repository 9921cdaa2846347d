//! Optional treatment of extreme values before normalising.

use crate::stats;

/// Largest number of values COINr's rule winsorises in one column.
pub const WINSORISE_MAX: usize = 5;
const SKEW_LIMIT: f64 = 2.0;
const KURT_LIMIT: f64 = 3.5;

/// COINr's winsorisation: while |skewness| > 2 and kurtosis > 3.5, the most extreme value on the
/// skewed side takes the next value inside. Returns the indices changed, in order.
pub fn winsorise(xs: &mut [f64]) -> Vec<usize> {
    let mut changed = Vec::new();
    while changed.len() < WINSORISE_MAX {
        let skew = stats::skewness(xs);
        if !(skew.abs() > SKEW_LIMIT && stats::kurtosis(xs) > KURT_LIMIT) {
            break;
        }
        let sorted = stats::sorted(xs);
        if sorted.len() < 3 {
            break;
        }
        let (extreme, inside) =
            if skew > 0.0 { (sorted[sorted.len() - 1], sorted[sorted.len() - 2]) } else { (sorted[0], sorted[1]) };
        match xs.iter().position(|&x| x == extreme) {
            Some(i) if extreme != inside => {
                xs[i] = inside;
                changed.push(i);
            }
            _ => break,
        }
    }
    changed
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
    }
}
