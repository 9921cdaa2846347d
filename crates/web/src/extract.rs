//! The checks every work page and API call makes before it does anything, as extractors: a
//! handler that takes [`LoggedIn`] cannot run for the public, one that takes [`Writer`] or
//! [`CheckedForm`] cannot run for a request without the session's CSRF token. A refusal is the
//! same error the handler would have made (login first, with the page to come back to; or the
//! CSRF refusal), answered as a page or as JSON under `/api/` (see [`crate::context`]).

use crate::auth::Visitor;
use crate::error::WebError;
use crate::state::AppState;
use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Form, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::ops::Deref;

/// A visitor who is logged in (by session cookie or bearer token).
#[derive(Debug, Clone)]
pub struct LoggedIn(pub Visitor);

impl Deref for LoggedIn {
    type Target = Visitor;

    fn deref(&self) -> &Visitor {
        &self.0
    }
}

impl FromRequestParts<AppState> for LoggedIn {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<LoggedIn, WebError> {
        let v = Visitor::from_request_parts(parts, state).await?;
        if v.is_public() {
            return Err(WebError::login_required());
        }
        Ok(LoggedIn(v))
    }
}

/// A logged-in visitor allowed to write through the API: a cookie session's request carries
/// the session's token in `X-CSRF-Token` (a bearer token needs none — no browser sends it by
/// itself).
#[derive(Debug, Clone)]
pub struct Writer(pub Visitor);

impl Deref for Writer {
    type Target = Visitor;

    fn deref(&self) -> &Visitor {
        &self.0
    }
}

impl FromRequestParts<AppState> for Writer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Writer, WebError> {
        let LoggedIn(v) = LoggedIn::from_request_parts(parts, state).await?;
        let sent = parts.headers.get("x-csrf-token").and_then(|h| h.to_str().ok()).unwrap_or("");
        v.check_csrf(sent)?;
        Ok(Writer(v))
    }
}

/// The `csrf` field of a posted form.
#[derive(Debug, Default, Deserialize)]
struct Token {
    #[serde(default)]
    csrf: String,
}

/// A posted form (`application/x-www-form-urlencoded`) whose `csrf` field is the session's
/// token; the fields as `T` (which need not name `csrf`). A form without the token — an old
/// page, or one posted from another site — is refused before the handler runs.
#[derive(Debug, Clone)]
pub struct CheckedForm<T>(pub T);

impl<T: DeserializeOwned + Send> FromRequest<AppState> for CheckedForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<CheckedForm<T>, Response> {
        let (mut parts, body) = request.into_parts();
        let v = Visitor::from_request_parts(&mut parts, state).await.map_err(IntoResponse::into_response)?;
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let again = |bytes: &Bytes| Request::from_parts(parts.clone(), Body::from(bytes.clone()));
        let Form(token) =
            Form::<Token>::from_request(again(&bytes), state).await.map_err(IntoResponse::into_response)?;
        v.check_csrf(&token.csrf).map_err(IntoResponse::into_response)?;
        let Form(fields) = Form::<T>::from_request(again(&bytes), state).await.map_err(IntoResponse::into_response)?;
        Ok(CheckedForm(fields))
    }
}

/// A JSON body: 415 when the request does not say `Content-Type: application/json` (every JSON
/// endpoint answers a wrong content type the same way), 422 when the JSON does not read as `T`.
#[derive(Debug, Clone)]
pub struct JsonBody<T>(pub T);

/// Whether a request's content type is JSON (`application/json`, with parameters or a `+json`
/// suffix).
pub fn is_json(headers: &axum::http::HeaderMap) -> bool {
    let Some(kind) = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let kind = kind.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    kind == "application/json" || (kind.starts_with("application/") && kind.ends_with("+json"))
}

/// The refusal of a body in a content type the endpoint does not take.
pub fn wrong_content_type(expected: &str) -> WebError {
    WebError::new(
        axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        format!("请求的内容类型不对：请以 {expected} 发送（Content-Type 头）"),
    )
    .as_json()
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<JsonBody<T>, WebError> {
        if !is_json(request.headers()) {
            return Err(wrong_content_type("JSON（application/json）"));
        }
        match Json::<T>::from_request(request, state).await {
            Ok(Json(x)) => Ok(JsonBody(x)),
            Err(e) if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(WebError::new(e.status(), "too_large", "请求体太大：请缩小后再发送").as_json())
            }
            Err(e) => Err(WebError::invalid(format!("请求体应为 JSON：{}", e.body_text())).as_json()),
        }
    }
}

/// A form with nothing but its token: a button that does one thing (log out, verify).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct Button {}
