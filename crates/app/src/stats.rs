//! Durations kept in memory for an operator's metrics: histograms with fixed buckets
//! (Prometheus's shape, so a scrape is a copy of a few numbers). The heavy-work pool keeps one
//! per kind ([`crate::workers::WorkStats`]); the web renders them (`/metrics`). No IO.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The upper bounds of the duration buckets, in seconds: from a cached page to a long import.
pub const BUCKETS: [f64; 12] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0];

/// A histogram of durations; updated without locks.
#[derive(Debug, Default)]
pub struct Histogram {
    /// Observations at or under each bound (not cumulative; the snapshot sums them).
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    /// The sum, in microseconds.
    sum_micros: AtomicU64,
}

/// A histogram as read at one moment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HistogramSnapshot {
    /// Cumulative counts at each bound of [`BUCKETS`].
    pub cumulative: Vec<u64>,
    pub count: u64,
    /// Seconds.
    pub sum: f64,
}

impl Histogram {
    /// Record one duration.
    pub fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
            self.buckets[i].fetch_add(1, Ordering::Relaxed);
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add(u64::try_from(d.as_micros()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// The counts now.
    pub fn snapshot(&self) -> HistogramSnapshot {
        let mut running = 0;
        let cumulative = self
            .buckets
            .iter()
            .map(|b| {
                running += b.load(Ordering::Relaxed);
                running
            })
            .collect();
        HistogramSnapshot {
            cumulative,
            count: self.count.load(Ordering::Relaxed),
            sum: self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_counts_into_cumulative_buckets() {
        let h = Histogram::default();
        h.observe(Duration::from_millis(3));
        h.observe(Duration::from_millis(70));
        h.observe(Duration::from_secs(120));
        let s = h.snapshot();
        assert_eq!(s.count, 3);
        assert_eq!(s.cumulative[0], 1, "≤ 5 ms");
        assert_eq!(s.cumulative[3], 1, "≤ 50 ms");
        assert_eq!(s.cumulative[4], 2, "≤ 100 ms");
        assert_eq!(*s.cumulative.last().unwrap_or(&0), 2, "120 s is above the last bound: only in +Inf");
        assert!((s.sum - 120.073).abs() < 1e-9, "{}", s.sum);
    }
}
