//! The web's one error type. It renders as a JSON object `{code, message}` for the API and as
//! a Chinese page for a browser, with the status a client can act on. A failure of the server
//! itself (the database, a template) shows only an error id and what to do; the details go to
//! the log under the same id, since they can name tables, files or data the visitor may not see.

use crate::render::Page;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jili_app::{AppError, StoreError};
use serde::Serialize;

/// What went wrong, how to answer it, and whether the caller wants JSON.
#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    /// A stable machine-readable code (`not_found`, `denied`, `invalid`, …).
    pub code: &'static str,
    /// What happened and what to do, in Chinese.
    pub message: String,
    /// Answer as JSON (API routes) rather than a page.
    pub json: bool,
    /// A page that could not be shown to a visitor who is not logged in sends them to log in.
    pub login_first: bool,
    /// The page to come back to after logging in.
    pub next: String,
    /// The language of the error page (the frame's words; the message stays as written).
    pub lang: crate::i18n::Lang,
    /// Seconds after which to try again (`Retry-After`), for a busy server.
    pub retry_after: Option<u64>,
    /// A server failure's id, shown to the visitor and written to the log with the details.
    pub error_id: Option<String>,
}

/// Shorthand for handler results.
pub type WebResult<T> = Result<T, WebError>;

/// An API handler's answer: JSON, or a JSON `{code, message}` refusal.
pub type ApiResult = WebResult<Json<serde_json::Value>>;

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_id: Option<&'a str>,
}

impl WebError {
    /// An error with a status, code and message (as a page).
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> WebError {
        WebError {
            status,
            code,
            message: message.into(),
            json: false,
            login_first: false,
            next: String::new(),
            lang: crate::i18n::Lang::Zh,
            retry_after: None,
            error_id: None,
        }
    }

    /// A failure of the server itself (`code` says of what: `store`, `template`, …): the
    /// visitor gets an id and a plain message, the log gets `detail` under that id.
    pub fn internal(code: &'static str, detail: impl std::fmt::Display) -> WebError {
        let id = new_error_id();
        tracing::error!(error_id = %id, code, "{detail}");
        let message = format!("服务器内部错误（编号 {id}）：请稍后再试；如果一再出现，请把编号告诉系统管理员");
        let mut out = WebError::new(StatusCode::INTERNAL_SERVER_ERROR, code, message);
        out.error_id = Some(id);
        out
    }

    /// A page or call for users only, from the public: log in first (and come back).
    pub fn login_required() -> WebError {
        let mut e = WebError::new(StatusCode::UNAUTHORIZED, "login_required", "请先登录");
        e.login_first = true;
        e
    }

    /// Bad input from a form or request.
    pub fn invalid(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
    }

    /// Nothing here.
    pub fn not_found(message: impl Into<String>) -> WebError {
        WebError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// A form without this session's token: the page is old or was sent from elsewhere.
    pub fn csrf() -> WebError {
        WebError::new(StatusCode::FORBIDDEN, "csrf", "表单已过期或来源不明：请刷新页面后重新提交")
    }

    /// The same error, answered as JSON.
    pub fn as_json(mut self) -> WebError {
        self.json = true;
        self
    }

    /// The error from a use-case, with `public` saying the visitor is not logged in.
    pub fn from_app(e: AppError, public: bool) -> WebError {
        let (status, code) = match &e {
            AppError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            AppError::Denied(_) if public => (StatusCode::UNAUTHORIZED, "login_required"),
            AppError::Denied(_) => (StatusCode::FORBIDDEN, "denied"),
            AppError::RateLimited(_) => (StatusCode::TOO_MANY_REQUESTS, "rate_limited"),
            AppError::Busy { .. } => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            AppError::Unavailable(_) => (StatusCode::BAD_GATEWAY, "unavailable"),
            AppError::Invalid(_) | AppError::Intake(_) | AppError::Model(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
            }
            AppError::Store(StoreError::Conflict(_)) => (StatusCode::CONFLICT, "conflict"),
            AppError::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, "store"),
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            return WebError::internal(code, e);
        }
        let retry_after = match &e {
            AppError::Busy { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        let mut out = WebError::new(status, code, e.to_string());
        out.login_first = public && status == StatusCode::UNAUTHORIZED;
        out.retry_after = retry_after;
        out
    }
}

/// A use-case's error in a handler (`?`): as the request's visitor should see it — a refusal
/// asks the public to log in first (see [`crate::context`]).
impl From<AppError> for WebError {
    fn from(e: AppError) -> WebError {
        WebError::from_app(e, crate::context::is_public())
    }
}

/// A short id that is new on every call: a hash, with this process's random keys, of a counter
/// and the clock.
fn new_error_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNT.fetch_add(1, Ordering::Relaxed));
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    format!("{:012x}", h.finish() >> 16)
}

/// What a refusal (403) said, carried on the response for the access log (see
/// [`crate::refusals`]), which records it when the visitor was logged in.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// A form or API write without its session's token.
    pub csrf: bool,
    pub message: String,
}

impl IntoResponse for WebError {
    fn into_response(mut self) -> Response {
        // The request's language and address, and JSON under `/api/`.
        if let Some((lang, here, api)) = crate::context::with(|c| (c.lang, c.here.clone(), c.api)) {
            self.lang = lang;
            if self.next.is_empty() {
                self.next = here;
            }
            self.json |= api;
        }
        let retry_after = self.retry_after;
        let refusal = (self.status == StatusCode::FORBIDDEN)
            .then(|| Refusal { csrf: self.code == "csrf", message: self.message.clone() });
        let mut response = self.respond();
        if let Some(r) = refusal {
            response.extensions_mut().insert(r);
        }
        if let Some(secs) = retry_after {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(secs));
        }
        response
    }
}

impl WebError {
    fn respond(self) -> Response {
        if self.json {
            let body = Body { code: self.code, message: &self.message, error_id: self.error_id.as_deref() };
            return (self.status, Json(body)).into_response();
        }
        if self.login_first {
            if self.next.is_empty() {
                return Redirect::to("/login").into_response();
            }
            return Redirect::to(&format!("/login?next={}", crate::download::percent_encode(&self.next)))
                .into_response();
        }
        let page = Page::error(self.status.as_u16(), &self.message, self.lang);
        (self.status, page).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(r: Response) -> String {
        let bytes = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// A database failure shows the visitor an id and what to do, never the database's words.
    #[tokio::test]
    async fn a_server_failure_shows_an_id_and_not_the_database_text() {
        let raw = "no such table: secret_series_values";
        let e = WebError::from_app(AppError::Store(StoreError::Corrupt(raw.into())), false);
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(e.code, "store");
        let id = e.error_id.clone().unwrap_or_default();
        assert_eq!(id.len(), 12, "{id}");
        assert!(e.message.contains(&id) && e.message.contains("服务器内部错误"), "{}", e.message);
        assert!(!e.message.contains("secret_series_values"), "{}", e.message);

        let json = body_of(
            WebError::from_app(AppError::Store(StoreError::Corrupt(raw.into())), false).as_json().into_response(),
        )
        .await;
        let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(v["code"], "store");
        let id = v["error_id"].as_str().unwrap_or_default();
        assert!(!id.is_empty() && v["message"].as_str().unwrap_or_default().contains(id), "{json}");
        assert!(!json.contains("secret_series_values"), "{json}");

        let page = WebError::from_app(AppError::Store(StoreError::Corrupt(raw.into())), false).into_response();
        assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let html = body_of(page).await;
        assert!(html.contains("服务器内部错误（编号 "), "{html}");
        assert!(!html.contains("secret_series_values"), "{html}");
    }

    #[test]
    fn error_ids_differ() {
        assert_ne!(new_error_id(), new_error_id());
    }

    /// A refusal of what the user asked is theirs to read: its words are kept.
    #[test]
    fn a_conflict_keeps_its_message() {
        let e = WebError::from_app(AppError::Store(StoreError::Conflict("用户名已被占用".into())), false);
        assert_eq!(
            (e.status, e.code, e.message.as_str(), e.error_id),
            (StatusCode::CONFLICT, "conflict", "用户名已被占用", None)
        );
    }
}
