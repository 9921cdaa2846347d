//! The request log: one structured event per request (target `jili::request`), written as a
//! JSON line by the subscriber the binary installs — the request id, the user, the method, the
//! route *pattern* (`/api/units/{code}`, never the path as sent nor its query string, which may
//! carry a token or a confidential filter), the status and the latency. No header, cookie,
//! form or body is read. The id is also sent back as `x-request-id`, so a user's report of a
//! failed page can be found in the log; one the client (or a proxy) sent is kept when it looks
//! like an id. Every request is also counted for `/metrics`.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// The header that carries the request id both ways.
pub const REQUEST_ID: &str = "x-request-id";

/// The longest request id accepted from a client.
const MAX_ID: usize = 64;

/// The layer: time the request, log it, count it, and name it in the response.
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id(request.headers());
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", |m| m.as_str()).to_string();
    let method = method_label(request.method());
    let mut response = next.run(request).await;
    let latency = started.elapsed();
    let status = response.status().as_u16();
    let user = crate::context::user();
    state.0.metrics.observe(&route, method, status, latency);
    tracing::info!(
        target: "jili::request",
        request_id = %id,
        user = %user,
        method,
        route = %route,
        status,
        latency_ms = latency.as_secs_f64() * 1000.0,
        "request"
    );
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, v);
    }
    response
}

/// The client's id when it is short and plain (letters, digits, `-_.`), else a new one: an
/// id is written into the log, so it must not be able to forge a log line.
fn request_id(headers: &HeaderMap) -> String {
    let given = headers.get(REQUEST_ID).and_then(|v| v.to_str().ok()).filter(|v| {
        !v.is_empty() && v.len() <= MAX_ID && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    });
    given.map_or_else(new_id, String::from)
}

/// A new id: this process's prefix (its id and start time) and a counter, unique across the
/// servers sharing a database without a random-number crate.
fn new_id() -> String {
    static PREFIX: OnceLock<String> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let prefix = PREFIX.get_or_init(|| {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let mixed = (nanos as u64) ^ (u64::from(std::process::id()) << 40);
        format!("{mixed:016x}")
    });
    format!("{prefix}-{:x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The method as a metrics label: the standard ones by name, anything else as `OTHER` (a
/// client can send any word as a method; labels must stay few).
pub fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "OTHER",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_client_id_is_kept_and_anything_else_replaced() {
        let mut h = HeaderMap::new();
        h.insert(REQUEST_ID, HeaderValue::from_static("lb-42.a_b"));
        assert_eq!(request_id(&h), "lb-42.a_b");
        for bad in ["有中文", "a b", "x\"}{", &"x".repeat(MAX_ID + 1)] {
            let mut h = HeaderMap::new();
            if let Ok(v) = HeaderValue::from_str(bad) {
                h.insert(REQUEST_ID, v);
            }
            let id = request_id(&h);
            assert_ne!(id, bad);
            assert!(id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-'), "{id}");
        }
        assert_ne!(new_id(), new_id());
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap_or(Method::GET)), "OTHER");
    }
}
