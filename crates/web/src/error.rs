//! The web's one error type. It renders as a JSON object `{code, message}` for the API and as
//! a Chinese page for a browser, with the status a client can act on.

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
}

/// Shorthand for handler results.
pub type WebResult<T> = Result<T, WebError>;

#[derive(Serialize)]
struct Body<'a> {
    code: &'a str,
    message: &'a str,
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
        }
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
            AppError::Invalid(_) | AppError::Intake(_) | AppError::Model(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
            }
            AppError::Store(StoreError::Conflict(_)) => (StatusCode::CONFLICT, "conflict"),
            AppError::Store(_) => (StatusCode::INTERNAL_SERVER_ERROR, "store"),
        };
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            tracing::error!("{e}");
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

impl From<AppError> for WebError {
    fn from(e: AppError) -> WebError {
        WebError::from_app(e, false)
    }
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
    fn into_response(self) -> Response {
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
            return (self.status, Json(Body { code: self.code, message: &self.message })).into_response();
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
