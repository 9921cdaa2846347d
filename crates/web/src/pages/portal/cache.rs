//! Published pages for the public are rendered once per (path, the query parameters the route
//! accepts, language, what is published, demo) and served from memory after, with an entity tag; a repeated request with
//! `If-None-Match` gets 304. A cache hit reads nothing from the database. Logged-in visitors
//! get a fresh page (theirs can show their own results).

use crate::auth::Visitor;
use crate::error::WebResult;
use crate::render::Page;
use crate::state::AppState;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::future::Future;

pub use crate::cache::PUBLIC_MAX_AGE;

/// The query parameters a route accepts, already parsed and validated by its handler, by name;
/// `None` where absent. Only these enter the cache key, so `?junk=1` cannot make new entries.
pub type Params<'a> = &'a [(&'static str, Option<String>)];

/// The cache key of a public page: its route as the handler parsed it (`/measures/3`, so
/// `/measures/003` is the same page), the accepted parameters present (sorted by name), the
/// language and what is published. Unknown query parameters are ignored.
pub fn key(v: &Visitor, route: &str, params: Params<'_>) -> String {
    let mut present: Vec<(&str, &str)> =
        params.iter().filter_map(|(k, val)| val.as_deref().filter(|x| !x.is_empty()).map(|x| (*k, x))).collect();
    present.sort_unstable();
    let query: Vec<String> =
        present.iter().map(|(k, x)| format!("{k}={}", crate::download::percent_encode(x))).collect();
    format!("{}?{}\u{1f}{}\u{1f}{}\u{1f}{}", route, query.join("&"), v.lang.code(), v.facts.publications, v.facts.demo)
}

/// The page at `route` for `v`: from the cache for the public, rendered by `render` otherwise.
pub async fn page<F, Fut>(
    state: &AppState,
    v: &Visitor,
    route: &str,
    params: Params<'_>,
    headers: &HeaderMap,
    render: F,
) -> WebResult<Response>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = WebResult<Page>>,
{
    let html = || async { Ok(render().await?.0) };
    cached(state, v, route, params, headers, "text/html; charset=utf-8", html).await
}

/// The JSON at `route` (`/api/…`) for `v`, cached as pages are: the public API serves the same
/// published content as the pages, and costs as much to build. Errors are the caller's to turn
/// into JSON.
pub async fn json<T, F, Fut>(
    state: &AppState,
    v: &Visitor,
    route: &str,
    params: Params<'_>,
    headers: &HeaderMap,
    render: F,
) -> WebResult<Response>
where
    T: serde::Serialize,
    F: FnOnce() -> Fut,
    Fut: Future<Output = WebResult<T>>,
{
    let text = || async {
        let value = render().await?;
        serde_json::to_string(&value).map_err(|e| {
            crate::error::WebError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", format!("无法输出 JSON：{e}"))
        })
    };
    cached(state, v, route, params, headers, "application/json", text).await
}

/// A text response for `v`: from the cache for the public (with an entity tag), fresh and
/// private otherwise.
async fn cached<F, Fut>(
    state: &AppState,
    v: &Visitor,
    route: &str,
    params: Params<'_>,
    headers: &HeaderMap,
    content_type: &'static str,
    render: F,
) -> WebResult<Response>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = WebResult<String>>,
{
    let kind = HeaderValue::from_static(content_type);
    if !v.is_public() {
        let mut r = ([(header::CONTENT_TYPE, kind)], render().await?).into_response();
        r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
        return Ok(r);
    }
    let key = key(v, route, params);
    let (cached, hit) = match state.0.cache.get(&key) {
        Some(c) => (c, true),
        None => (state.0.cache.put(key, render().await?, content_type), false),
    };
    // The body and its compressed forms are shared with the cache: a hit copies nothing and
    // compresses nothing twice.
    let mut r = crate::compress::respond(
        &cached.body,
        &cached.digest,
        content_type,
        headers,
        "Cookie, Authorization, Accept-Encoding",
    );
    let h = r.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(PUBLIC_MAX_AGE));
    h.insert("x-cache", HeaderValue::from_static(if hit { "hit" } else { "miss" }));
    Ok(r)
}
