//! The pages: the public portal (no login, only what is published) and the work pages of each
//! role. Each module brings its routes, its API endpoints and its templates.

mod login;
pub mod plans;
pub mod portal;
mod sso;
pub mod work;

use crate::endpoint::Route;
use crate::state::AppState;
use axum::Router;

/// The frame's templates: layout, error page, login.
const FRAME: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("error.html", include_str!("../../templates/error.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("sso_done.html", include_str!("../../templates/sso_done.html")),
];

/// Every template, by module.
pub const TEMPLATE_SETS: &[&[(&str, &str)]] = &[FRAME, portal::TEMPLATES, work::TEMPLATES, plans::TEMPLATES];

/// Every module's words, after the frame's (`i18n::WORDS`).
pub const WORD_SETS: &[&[(&str, &str, &str)]] = &[
    crate::i18n::WORDS,
    portal::WORDS,
    portal::RELEASE_WORDS,
    work::WORDS,
    work::ACCOUNT_WORDS,
    work::MEASURE_WORDS,
    work::GRANT_WORDS,
    work::CASE_WORDS,
    work::BOARD_WORDS,
    work::FUNDS_WORDS,
    work::RELEASE_FORM_WORDS,
    work::PROGRAMME_WORDS,
    plans::WORDS,
];

/// Every page route.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(login::routes())
        .merge(sso::routes())
        .merge(portal::routes())
        .merge(work::routes())
        .merge(plans::routes())
}

/// Every API endpoint the page modules bring.
pub fn api_routes() -> Vec<Route> {
    let mut all = portal::api_routes();
    all.extend(work::api_routes());
    all.extend(plans::api_routes());
    all
}
