//! Seeded random numbers: sample `i` of a run with seed `s` always draws the same numbers, on
//! one thread or many.

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

/// The random stream of one Monte Carlo sample.
#[derive(Debug)]
pub struct SampleRng(ChaCha8Rng);

impl SampleRng {
    pub fn new(seed: u64, sample: u64) -> SampleRng {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(sample);
        SampleRng(rng)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [lo, hi).
    pub fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform index below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.unit() * n as f64) as usize).min(n.saturating_sub(1))
    }
}
