//! The static files, compiled into the binary: nothing is fetched from elsewhere at run time.
//! See `assets/SOURCES.md` for where the vendored files come from.
//!
//! Templates name them by [`url`], which carries a fingerprint of the content
//! (`/assets/app.css?v=3f2a…`): such a URL never changes meaning, so it is served with
//! `Cache-Control: public, max-age=31536000, immutable` and a browser asks for it once. A URL
//! without the current fingerprint (an old page, a hand-typed address) gets the current file,
//! cached for five minutes only. Each file keeps its gzip and brotli forms, made once.

use crate::compress::{self, Encoded};
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::LazyLock;

/// (path under /assets/, content type, bytes).
pub const ASSETS: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../assets/app.css")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../assets/app.js")),
    ("charts.js", "text/javascript; charset=utf-8", include_bytes!("../assets/charts.js")),
    ("work.css", "text/css; charset=utf-8", include_bytes!("../assets/work.css")),
    ("plan-editor.js", "text/javascript; charset=utf-8", include_bytes!("../assets/plan-editor.js")),
    ("plan-editor.css", "text/css; charset=utf-8", include_bytes!("../assets/plan-editor.css")),
    ("vendor/echarts.min.js", "text/javascript; charset=utf-8", include_bytes!("../assets/vendor/echarts.min.js")),
    ("map/hunan.json", "application/json", include_bytes!("../assets/map/hunan.json")),
    ("favicon.svg", "image/svg+xml", include_bytes!("../assets/favicon.svg")),
    ("SOURCES.md", "text/markdown; charset=utf-8", include_bytes!("../assets/SOURCES.md")),
    ("vendor/ECHARTS-LICENSE", "text/plain; charset=utf-8", include_bytes!("../assets/vendor/ECHARTS-LICENSE")),
];

/// How long a fingerprinted URL may be kept: a year, never revalidated.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// How long a URL without the current fingerprint may be kept.
pub const SHORT: &str = "public, max-age=300";

/// One file, ready to serve.
#[derive(Debug)]
struct Asset {
    kind: &'static str,
    fingerprint: String,
    body: Encoded,
}

static FILES: LazyLock<HashMap<&'static str, Asset>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|(path, kind, bytes)| {
            let asset = Asset { kind, fingerprint: fingerprint(bytes), body: Encoded::new(*bytes, kind) };
            (*path, asset)
        })
        .collect()
});

/// A short digest of a file's content (FNV-1a, 64 bits): it changes whenever the file does.
fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The URL of an embedded file with its fingerprint, for templates (`{{ asset("app.css") }}`);
/// a name that is not embedded is given unchanged under /assets/ (and answers 404).
pub fn url(path: &str) -> String {
    match FILES.get(path) {
        Some(a) => format!("/assets/{path}?v={}", a.fingerprint),
        None => format!("/assets/{path}"),
    }
}

/// Make every file's compressed forms (a server calls it once, off the request threads).
pub fn prepare() {
    for a in FILES.values() {
        a.body.prepare();
    }
}

/// `/favicon.ico`, which browsers ask for whatever the page links: the site's icon (an SVG, which
/// browsers take under that name too), so no visit logs a 404.
pub async fn favicon(headers: HeaderMap) -> Response {
    asset(Path("favicon.svg".to_string()), Query(HashMap::new()), headers).await
}

/// Serve one embedded file, compressed as the client accepts.
pub async fn asset(Path(path): Path<String>, Query(q): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    let Some(a) = FILES.get(path.as_str()) else {
        return (StatusCode::NOT_FOUND, "没有这个文件").into_response();
    };
    let current = q.get("v").is_some_and(|v| *v == a.fingerprint);
    let etag = format!("\"{}", a.fingerprint);
    let coding = compress::negotiate(&headers);
    let (body, coding) = a.body.get(coding);
    let tag = format!("{etag}{}\"", coding.tag());
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h.split(',').any(|t| t.trim().trim_start_matches("W/").starts_with(&etag)));
    let mut r = if not_modified { StatusCode::NOT_MODIFIED.into_response() } else { body.into_response() };
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.kind));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(if current { IMMUTABLE } else { SHORT }));
    if let Ok(t) = HeaderValue::from_str(&tag) {
        h.insert(header::ETAG, t);
    }
    if not_modified {
        h.remove(header::CONTENT_TYPE);
    }
    compress::mark(h, if not_modified { compress::Coding::Identity } else { coding }, "Accept-Encoding");
    r
}
