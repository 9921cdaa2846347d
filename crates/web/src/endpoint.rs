//! How an API endpoint is declared: once, with its method, path and summary. The page modules
//! declare theirs here and [`crate::api`] builds both the router and the OpenAPI document from
//! the one list, so they cannot drift apart.

use crate::state::AppState;
use axum::routing::MethodRouter;

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
