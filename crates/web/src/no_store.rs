//! `Cache-Control: no-store` on every response to a logged-in visitor (a session cookie or a
//! bearer token), pages, API and downloads alike, and on the login and logout exchanges: what a
//! user's page shows (drafts, unpublished data, their own results) must not stay in a shared
//! computer's browser cache or a proxy. The embedded assets (styles, scripts, the map) are the
//! same for everyone and keep their caching, as do the public's cached pages.

use crate::auth::session_token;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The paths of logging in and out, private whoever asks.
const SESSION_PATHS: [&str; 6] = ["/login", "/logout", "/api/login", "/api/logout", "/api/logout-all", "/api/password"];

/// Whether the response to a request for `path` with these headers must not be stored.
pub fn private(path: &str, headers: &axum::http::HeaderMap) -> bool {
    if path.starts_with("/assets/") {
        return false;
    }
    SESSION_PATHS.contains(&path) || session_token(headers).is_some()
}

/// Add `Cache-Control: no-store` where [`private`] says, replacing whatever caching the
/// handler allowed (a handler that already said `private, no-store` keeps its words).
pub async fn headers(request: Request, next: Next) -> Response {
    let private = private(request.uri().path(), request.headers());
    let mut response = next.run(request).await;
    let said = response.headers().get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok());
    if private && !said.is_some_and(|v| v.split(',').any(|d| d.trim() == "no-store")) {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderMap;

    #[test]
    fn logged_in_requests_and_session_paths_are_private_assets_are_not() {
        let mut with_cookie = HeaderMap::new();
        with_cookie.insert(header::COOKIE, HeaderValue::from_static("jili_lang=zh; jili_session=abc"));
        let mut with_bearer = HeaderMap::new();
        with_bearer.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer abc"));
        let mut stale = HeaderMap::new();
        stale.insert(header::COOKIE, HeaderValue::from_static("jili_session="));
        let none = HeaderMap::new();
        assert!(private("/", &with_cookie));
        assert!(private("/api/programme", &with_bearer));
        assert!(private("/login", &none) && private("/api/login", &none));
        assert!(!private("/", &none) && !private("/measures/3", &stale));
        assert!(!private("/assets/app.css", &with_cookie));
    }
}
