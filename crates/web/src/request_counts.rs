//! Requests counted since the process started, by route pattern, method and status, with
//! their latencies: what the request log adds to and `/metrics` reads.

use jili_app::stats::{Histogram, HistogramSnapshot};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// (route, method, status) → requests.
pub type Counts = BTreeMap<(String, &'static str, u16), u64>;

/// Requests counted since the process started.
#[derive(Debug, Default)]
pub struct RequestMetrics {
    /// (route, method, status) → requests.
    counts: Mutex<Counts>,
    /// route → latencies.
    latencies: Mutex<BTreeMap<String, Arc<Histogram>>>,
}

impl RequestMetrics {
    /// Count one request. `route` is a route pattern (few of them), never a path as sent.
    pub fn observe(&self, route: &str, method: &'static str, status: u16, latency: Duration) {
        if let Ok(mut counts) = self.counts.lock() {
            *counts.entry((route.to_string(), method, status)).or_default() += 1;
        }
        let histogram = match self.latencies.lock() {
            Ok(mut l) => l.entry(route.to_string()).or_default().clone(),
            Err(_) => return,
        };
        histogram.observe(latency);
    }
}

impl RequestMetrics {
    /// The counts and each route's latencies now.
    pub fn snapshot(&self) -> (Counts, Vec<(String, HistogramSnapshot)>) {
        let counts = self.counts.lock().map(|c| c.clone()).unwrap_or_default();
        let latencies = match self.latencies.lock() {
            Ok(l) => l.iter().map(|(r, h)| (r.clone(), h.snapshot())).collect(),
            Err(_) => Vec::new(),
        };
        (counts, latencies)
    }
}
