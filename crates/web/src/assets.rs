//! The static files, compiled into the binary: nothing is fetched from elsewhere at run time.
//! See `assets/SOURCES.md` for where the vendored files come from.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

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
    ("SOURCES.md", "text/markdown; charset=utf-8", include_bytes!("../assets/SOURCES.md")),
    ("vendor/ECHARTS-LICENSE", "text/plain; charset=utf-8", include_bytes!("../assets/vendor/ECHARTS-LICENSE")),
];

/// Serve one embedded file; cached by browsers for a day.
pub async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, kind, bytes)) => {
            let mut r = (*bytes).into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
            r
        }
        None => (StatusCode::NOT_FOUND, "没有这个文件").into_response(),
    }
}
