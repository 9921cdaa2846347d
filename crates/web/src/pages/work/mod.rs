//! The work pages, one set per role after login: the provider uploads and explains its data,
//! the office runs, publishes, commends and manages users, the auditor reads and verifies the
//! audit log and the access log, a unit reads its own results; everyone changes their own
//! password on their account page. Each page calls the `jili_app` use-cases as the
//! logged-in user, so the app's permission checks decide what a role may open.

mod access;
mod account;
mod account_words;
mod api;
mod api_account;
mod api_office;
mod auditor;
mod board;
mod cases;
mod cases_api;
mod dashboard;
mod form;
mod funds;
mod grants;
mod jobs;
mod measures;
mod office;
mod programme;
mod provider;
mod releases;
mod unit;
mod upload;
mod users;
mod words;

use crate::endpoint::Route;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};

pub use account_words::WORDS as ACCOUNT_WORDS;
pub use board::WORDS as BOARD_WORDS;
pub use cases::WORDS as CASE_WORDS;
pub use funds::WORDS as FUNDS_WORDS;
pub use grants::WORDS as GRANT_WORDS;
pub use measures::WORDS as MEASURE_WORDS;
pub use programme::WORDS as PROGRAMME_WORDS;
pub use releases::WORDS as RELEASE_FORM_WORDS;
pub(crate) use releases::release_form;
pub use words::WORDS;

/// This module's templates.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("work/dashboard.html", include_str!("../../../templates/work/dashboard.html")),
    ("work/upload.html", include_str!("../../../templates/work/upload.html")),
    ("work/report.html", include_str!("../../../templates/work/report.html")),
    ("work/imported.html", include_str!("../../../templates/work/imported.html")),
    ("work/batches.html", include_str!("../../../templates/work/batches.html")),
    ("work/flags.html", include_str!("../../../templates/work/flags.html")),
    ("work/runs.html", include_str!("../../../templates/work/runs.html")),
    ("work/publish.html", include_str!("../../../templates/work/publish.html")),
    ("work/users.html", include_str!("../../../templates/work/users.html")),
    ("work/audit.html", include_str!("../../../templates/work/audit.html")),
    ("work/results.html", include_str!("../../../templates/work/results.html")),
    ("work/jobs.html", include_str!("../../../templates/work/jobs.html")),
    ("work/job.html", include_str!("../../../templates/work/job.html")),
    ("work/measures.html", include_str!("../../../templates/work/measures.html")),
    ("work/measure.html", include_str!("../../../templates/work/measure.html")),
    ("work/account.html", include_str!("../../../templates/work/account.html")),
    ("work/access.html", include_str!("../../../templates/work/access.html")),
    ("work/grants.html", include_str!("../../../templates/work/grants.html")),
    ("work/watch.html", include_str!("../../../templates/work/watch.html")),
    ("work/cases.html", include_str!("../../../templates/work/cases.html")),
    ("work/case.html", include_str!("../../../templates/work/case.html")),
    ("work/programme.html", include_str!("../../../templates/work/programme.html")),
    ("work/board.html", include_str!("../../../templates/work/board.html")),
    ("work/funds.html", include_str!("../../../templates/work/funds.html")),
];

/// This module's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/work", get(dashboard::dashboard))
        .merge(upload::routes())
        .route("/work/batches", get(provider::batches))
        .route("/work/flags", get(provider::flags))
        .route("/work/flags/{id}/notes", post(provider::annotate))
        .route("/work/flags/recheck", post(provider::start_recheck))
        .route("/work/runs", get(office::runs).post(office::run))
        .route("/work/programme", get(programme::show).post(programme::upload))
        .route("/work/publish", get(office::publication).post(office::publish))
        .route("/work/publish/commend", post(office::commend))
        .route("/work/publish/override", post(office::override_result))
        .route("/work/users", get(users::list).post(users::add))
        .route("/work/users/state", post(users::set_state))
        .route("/work/users/password", post(users::reset_password))
        .route("/work/account", get(account::show))
        .route("/work/account/password", post(account::change_password))
        .route("/work/account/logout-all", post(account::logout_all))
        .route("/work/access", get(access::log))
        .route("/work/access/export.xlsx", get(access::export_xlsx))
        .route("/work/access/export.csv", get(access::export_csv))
        .route("/work/audit", get(auditor::log))
        .route("/work/audit/verify", post(auditor::start_verify))
        .route("/work/jobs", get(jobs::list))
        .route("/work/jobs/{id}", get(jobs::page))
        .route("/work/audit/export.xlsx", get(auditor::export_xlsx))
        .route("/work/audit/export.csv", get(auditor::export_csv))
        .route("/work/results", get(unit::results))
        .route("/work/measures", get(measures::list))
        .route("/work/measures/{measure}", get(measures::one))
        .route("/work/grants", get(grants::list).post(grants::submit))
        .route("/work/grants/{id}", post(grants::decide))
        .route("/work/releases", post(releases::submit))
        .route("/work/watch", get(cases::watch))
        .route("/work/cases", get(cases::list).post(cases::open))
        .route("/work/cases/{id}", get(cases::one).post(cases::step))
        .route("/work/board", get(board::show))
        .route("/work/board/overdue.xlsx", get(board::overdue_xlsx))
        .route("/work/board/overdue.csv", get(board::overdue_csv))
        .route("/work/calendar", post(board::set))
        .route("/work/template", get(board::template))
        .route("/work/funds", get(funds::ledger).post(funds::record))
        .route("/work/funds/ledger.xlsx", get(funds::export_xlsx))
}

/// This module's API endpoints.
pub fn api_routes() -> Vec<Route> {
    let mut all = api::routes();
    all.extend(api_account::routes());
    all.extend(measures::api_routes());
    all.extend(grants::api_routes());
    all.extend(cases_api::routes());
    all
}
