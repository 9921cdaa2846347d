//! The pages: the public portal (no login, only what is published) and the work pages of each
//! role. Each module brings its routes, its API endpoints and its templates.

mod login;

use crate::api::Route;
use crate::state::AppState;
use axum::Router;

/// The frame's templates: layout, error page, login.
const FRAME: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("error.html", include_str!("../../templates/error.html")),
    ("login.html", include_str!("../../templates/login.html")),
];

/// Every template, by module.
pub const TEMPLATE_SETS: &[&[(&str, &str)]] = &[FRAME];

/// Every page route.
pub fn routes() -> Router<AppState> {
    Router::new().merge(login::routes())
}

/// Every API endpoint the page modules bring.
pub fn api_routes() -> Vec<Route> {
    Vec::new()
}
