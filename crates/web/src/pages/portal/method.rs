//! `/method`: how results are reached, for a reader who is not a statistician. Static text.

use super::cache;
use crate::auth::Visitor;
use crate::error::WebResult;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use minijinja::context;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/method", get(page))
}

async fn page(State(state): State<AppState>, v: Visitor, headers: HeaderMap) -> WebResult<Response> {
    cache::page(&state, &v, "/method", &[], &headers, || async { v.page("portal/method.html", context! {}) }).await
}
