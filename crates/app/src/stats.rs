//! Counts an operator's metrics are made of, kept in memory by this process: durations as
//! histograms with fixed buckets (Prometheus's shape, so a scrape is a copy of a few numbers),
//! and the state of the heavy-work pool. The web renders them (`/metrics`); nothing here does IO.

use crate::workers::Work;
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

/// One kind of heavy work, as the pool stands now.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkStats {
    pub kind: Work,
    /// Pieces of this kind admitted now (running, or holding their place while a thread frees).
    pub running: usize,
    /// Jobs of this kind started by this process and not finished (queued or running).
    pub jobs: usize,
    /// How long finished pieces of this kind took (on the pool, not counting the wait).
    pub durations: HistogramSnapshot,
}

impl Work {
    /// A name for metrics labels: ASCII, stable.
    pub fn metric_name(self) -> &'static str {
        match self {
            Work::Import => "import",
            Work::Trial => "trial",
            Work::Run => "run",
            Work::Publish => "publish",
            Work::Export => "export",
            Work::Verify => "verify",
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
