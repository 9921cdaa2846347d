//! The JSON API: everything the pages show and do, under `/api/`. Each endpoint is declared
//! once with its method, path and summary; the router and the OpenAPI document are both built
//! from that list, so they cannot drift apart. Errors are `{"code", "message"}`.

mod openapi;
mod session;

use crate::auth::Visitor;
use crate::error::WebError;
use crate::state::AppState;
use axum::routing::MethodRouter;
use jili_app::AppError;

pub use openapi::openapi;

/// One endpoint as documented.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    /// `get`, `post`, …, lower case as OpenAPI writes it.
    pub method: &'static str,
    /// The path, with `{name}` parameters (axum and OpenAPI share the syntax).
    pub path: &'static str,
    pub summary: &'static str,
    /// The group it is listed under.
    pub tag: &'static str,
    /// Needs a logged-in user (cookie session or bearer token).
    pub login: bool,
}

/// An endpoint with its handler.
pub type Route = (Endpoint, MethodRouter<AppState>);

/// Every endpoint of the API.
pub fn routes() -> Vec<Route> {
    let mut all = Vec::new();
    all.extend(session::routes());
    all.extend(crate::pages::api_routes());
    all
}

/// The documented endpoints (without handlers).
pub fn endpoints() -> Vec<Endpoint> {
    routes().into_iter().map(|(e, _)| e).collect()
}

/// A use-case error as the API answers it.
pub fn err(v: &Visitor) -> impl Fn(AppError) -> WebError + '_ {
    move |e| v.err(e).as_json()
}

/// Shorthand for declaring an endpoint.
pub const fn endpoint(
    method: &'static str,
    path: &'static str,
    tag: &'static str,
    summary: &'static str,
    login: bool,
) -> Endpoint {
    Endpoint { method, path, summary, tag, login }
}
