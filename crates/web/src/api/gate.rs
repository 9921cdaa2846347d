//! The permission gate in front of each API handler: who may call the endpoint at all is decided
//! before anything the caller sent is read, so a user without the permission gets 401 or 403
//! whatever the body, query or content type (and never learns from a 422 what the input should
//! have been). The use-case checks again, with the object, when it runs.

use crate::auth::Visitor;
use crate::endpoint::Endpoint;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The endpoint a request is for, put on the route so [`check`] knows what it guards.
#[derive(Debug, Clone, Copy)]
pub struct Guarded(pub Endpoint);

/// Refuse the request unless its visitor may call the endpoint: log in first (401), then the
/// endpoint's permission (403).
pub async fn check(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(Guarded(endpoint)) = request.extensions().get::<Guarded>().copied() else {
        return next.run(request).await;
    };
    if !endpoint.login && endpoint.gate.is_none() {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let visitor = match Visitor::from_request_parts(&mut parts, &state).await {
        Ok(v) => v,
        Err(e) => return e.as_json().into_response(),
    };
    if endpoint.login && visitor.is_public() {
        return WebError::login_required().as_json().into_response();
    }
    if let Some(gate) = endpoint.gate {
        let principal = visitor.principal();
        if let Err(e) = visitor.app.allow(gate(principal)) {
            return WebError::from_app(e, visitor.is_public()).as_json().into_response();
        }
    }
    next.run(Request::from_parts(parts, body)).await
}
