//! (being written)

use crate::api::Route;
use crate::state::AppState;
use axum::Router;

/// This module's templates.
pub const TEMPLATES: &[(&str, &str)] = &[];

/// This module's words (key, 中文, English) for `t(...)`.
pub const WORDS: &[(&str, &str, &str)] = &[];

/// This module's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
}

/// This module's API endpoints.
pub fn api_routes() -> Vec<Route> {
    Vec::new()
}
