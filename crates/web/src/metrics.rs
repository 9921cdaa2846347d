//! Prometheus metrics, in the text exposition format written by hand (a few dozen lines
//! instead of a metrics crate and its registry): requests by route, method and status, their
//! latencies by route, heavy work (imports, runs, publications …) by kind — admitted now,
//! unfinished jobs, durations — and the database connection pool. Served on the separate
//! metrics listener only (`--metrics-listen`), never on the public one.

use crate::state::AppState;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use jili_app::stats::{BUCKETS, HistogramSnapshot};
use std::fmt::Write;

/// `GET /metrics`.
pub async fn metrics(State(state): State<AppState>) -> Response {
    ([(CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], render(&state)).into_response()
}

/// The exposition text.
pub fn render(state: &AppState) -> String {
    let mut out = String::new();
    let m = &state.0.metrics;
    let (counts, latencies) = m.snapshot();
    header(
        &mut out,
        "jili_http_requests_total",
        "counter",
        "HTTP requests answered, by route pattern, method and status.",
    );
    for ((route, method, status), n) in &counts {
        let _ = writeln!(
            out,
            "jili_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {n}",
            escape(route)
        );
    }
    header(&mut out, "jili_http_request_duration_seconds", "histogram", "Time to answer a request, by route pattern.");
    for (route, snapshot) in &latencies {
        histogram(&mut out, "jili_http_request_duration_seconds", &format!("route=\"{}\"", escape(route)), snapshot);
    }

    let work = state.app().work_stats();
    header(&mut out, "jili_heavy_work_admitted", "gauge", "Heavy work admitted now (running or about to), by kind.");
    for w in &work {
        let _ = writeln!(out, "jili_heavy_work_admitted{{kind=\"{}\"}} {}", w.kind.metric_name(), w.running);
    }
    header(
        &mut out,
        "jili_jobs_unfinished",
        "gauge",
        "Jobs started by this server and not finished (queued or running), by kind.",
    );
    for w in &work {
        let _ = writeln!(out, "jili_jobs_unfinished{{kind=\"{}\"}} {}", w.kind.metric_name(), w.jobs);
    }
    header(
        &mut out,
        "jili_heavy_work_duration_seconds",
        "histogram",
        "Time heavy work took on the pool (imports, runs, publications, exports, verification), by kind.",
    );
    for w in &work {
        histogram(
            &mut out,
            "jili_heavy_work_duration_seconds",
            &format!("kind=\"{}\"", w.kind.metric_name()),
            &w.durations,
        );
    }

    let pool = state.app().pool_stats();
    header(&mut out, "jili_db_connections", "gauge", "Database connections open, by state.");
    let _ = writeln!(out, "jili_db_connections{{state=\"idle\"}} {}", pool.idle);
    let _ = writeln!(out, "jili_db_connections{{state=\"in_use\"}} {}", pool.open.saturating_sub(pool.idle));
    header(&mut out, "jili_db_connections_max", "gauge", "The most database connections the pool opens.");
    let _ = writeln!(out, "jili_db_connections_max {}", pool.max);
    out
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// One histogram's series: cumulative buckets, `+Inf`, sum and count.
fn histogram(out: &mut String, name: &str, labels: &str, h: &HistogramSnapshot) {
    for (bound, n) in BUCKETS.iter().zip(&h.cumulative) {
        let _ = writeln!(out, "{name}_bucket{{{labels},le=\"{bound}\"}} {n}");
    }
    let _ = writeln!(out, "{name}_bucket{{{labels},le=\"+Inf\"}} {}", h.count);
    let _ = writeln!(out, "{name}_sum{{{labels}}} {}", h.sum);
    let _ = writeln!(out, "{name}_count{{{labels}}} {}", h.count);
}

/// A label value escaped as the format asks (backslash, quote, newline).
fn escape(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(escape("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
