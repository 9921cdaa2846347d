//! Money for the winners, in whole 万元: a fixed amount each, tiers by rank, or a pool shared in
//! proportion to score by largest remainder — exact integer arithmetic, never more than the pool.

use jili_model::plan::Amount;

/// Amounts for the winners of one group, given in rank order with their scores.
pub fn allocate(amount: &Amount, scores: &[f64]) -> Vec<u64> {
    match amount {
        Amount::Each(a) => vec![*a; scores.len()],
        Amount::Tiers(t) => (0..scores.len()).map(|i| t.get(i).or(t.last()).copied().unwrap_or(0)).collect(),
        Amount::Pool(pool) => share(*pool, scores),
        Amount::None => vec![0; scores.len()],
    }
}

/// Largest-remainder shares of `pool` in proportion to `scores` (negative or missing count as 0;
/// all zero shares equally). Ties in remainder go to the better-ranked (earlier) winner.
pub fn share(pool: u64, scores: &[f64]) -> Vec<u64> {
    if scores.is_empty() {
        return Vec::new();
    }
    // Scores become integers (relative to the largest, 1e9 steps) so that the money arithmetic
    // is exact and cannot overflow: pool × weight < 2^64 × 2^30.
    let top = scores.iter().copied().filter(|s| s.is_finite() && *s > 0.0).fold(0.0, f64::max);
    let mut w: Vec<u128> = scores
        .iter()
        .map(|s| if top > 0.0 && s.is_finite() && *s > 0.0 { (s / top * 1e9).round() as u128 } else { 0 })
        .collect();
    if w.iter().all(|x| *x == 0) {
        w = vec![1; scores.len()];
    }
    let total: u128 = w.iter().sum();
    let pool128 = u128::from(pool);
    let mut out: Vec<u64> = w.iter().map(|x| (pool128 * x / total) as u64).collect();
    let mut rest: Vec<(u128, usize)> = w.iter().enumerate().map(|(i, x)| (pool128 * x % total, i)).collect();
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let left = pool - out.iter().sum::<u64>();
    for &(_, i) in rest.iter().take(left as usize) {
        out[i] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pool_is_shared_exactly() {
        assert_eq!(share(100, &[1.0, 1.0, 1.0]), [34, 33, 33]);
        assert_eq!(share(1000, &[90.0, 60.0, 50.0]), [450, 300, 250]);
        assert_eq!(share(7, &[0.0, 0.0]), [4, 3]);
    }

    #[test]
    fn tiers_repeat_the_last_amount() {
        assert_eq!(allocate(&Amount::Tiers(vec![500, 300]), &[3.0, 2.0, 1.0]), [500, 300, 300]);
    }
}
