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

/// A JSON body, or a 422 that says the body should be JSON (whatever axum objected to).
#[derive(Debug, Clone)]
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<JsonBody<T>, WebError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(x)) => Ok(JsonBody(x)),
            Err(e) => Err(WebError::invalid(format!("请求体应为 JSON：{}", e.body_text()))),
        }
    }
}

/// A form with nothing but its token: a button that does one thing (log out, verify).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct Button {}
