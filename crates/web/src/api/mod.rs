//! The JSON API: everything the pages show and do, under `/api/`. Each endpoint is declared
//! once with its method, path, summary, permission and types; the router, the permission gate
//! and the OpenAPI document are all built from that list, so they cannot drift apart. Errors
//! are `{"code", "message"}`.

pub mod answers;
pub mod gate;
pub mod openapi;
mod session;
pub mod types;
pub mod work_answers;

pub use crate::endpoint::{Endpoint, Route, endpoint};
pub use openapi::openapi;

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
