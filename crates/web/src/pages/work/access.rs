//! 访问日志 (`/work/access`) for the auditor and the office: logins and failed logins, logouts,
//! password changes and resets, refusals and dry-run imports, searched on the server (user,
//! event, outcome, client address, Beijing dates), newest first, a page at a time; the same
//! search exported as CSV or XLSX. `/api/access-log` answers the same search as JSON.

use super::form;
use crate::error::WebResult;
use crate::extract::LoggedIn;
use axum::extract::Query;
use axum::response::Response;
use jili_app::governance::access_export::AccessFilter;
use jili_app::governance::access_log::{AccessEvent, AccessOutcome};
use minijinja::context;
use serde::Deserialize;

/// The search (`?user=&event=&outcome=&client=&from=&to=&page=&per_page=`), as typed.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub(super) struct Search {
    #[serde(default)]
    pub user: String,
    /// `login`, `logout`, `denied`, …
    #[serde(default)]
    pub event: String,
    /// e.g. `ok`, `wrong_password`.
    #[serde(default)]
    pub outcome: String,
    /// The client address.
    #[serde(default)]
    pub client: String,
    /// From this day (北京时间, YYYY-MM-DD).
    #[serde(default)]
    pub from: String,
    /// To this day (北京时间, YYYY-MM-DD).
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub page: Option<usize>,
    /// Entries a page (bounded by the server).
    #[serde(default)]
    pub per_page: Option<usize>,
}

impl Search {
    /// The app's filter (checked and bounded there).
    pub(super) fn filter(&self) -> AccessFilter {
        AccessFilter {
            user: self.user.clone(),
            event: self.event.clone(),
            outcome: self.outcome.clone(),
            client: self.client.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            page: self.page.unwrap_or(1),
            per_page: self.per_page.unwrap_or(0),
        }
    }

    /// The query string of this search without the page, for the pager and the exports.
    fn query(&self) -> String {
        let enc = crate::download::percent_encode;
        format!(
            "user={}&event={}&outcome={}&client={}&from={}&to={}",
            enc(&self.user),
            enc(&self.event),
            enc(&self.outcome),
            enc(&self.client),
            enc(&self.from),
            enc(&self.to)
        )
    }
}

/// `GET /work/access`: the search, or the form again with what was wrong in it.
pub(super) async fn log(v: LoggedIn, Query(s): Query<Search>) -> WebResult<Response> {
    let events: Vec<(&str, &str)> = AccessEvent::ALL.iter().map(|e| (e.code(), e.label())).collect();
    let outcomes: Vec<(&str, &str)> = AccessOutcome::ALL.iter().map(|o| (o.code(), o.label())).collect();
    let (found, error) = match v.app.search_access(&s.filter()).await {
        Ok(found) => (Some(found), String::new()),
        Err(jili_app::AppError::Invalid(m)) => (None, m),
        Err(e) => return Err(e.into()),
    };
    let status =
        if found.is_some() { axum::http::StatusCode::OK } else { axum::http::StatusCode::UNPROCESSABLE_ENTITY };
    let (entries, matching, page, pages) =
        found.map_or((Vec::new(), 0, 1, 1), |f| (f.entries, f.matching, f.page, f.pages));
    let page = v.page(
        "work/access.html",
        context! {
            entries, matching, page, pages, events, outcomes, error, query => s.query(),
            user => s.user, event => s.event, outcome => s.outcome, client => s.client, from => s.from, to => s.to,
        },
    )?;
    Ok(form::with_status(status, page))
}

/// `GET /work/access/export.xlsx?…`: the rows of the search, oldest first.
pub(super) async fn export_xlsx(v: LoggedIn, Query(s): Query<Search>) -> WebResult<Response> {
    let bytes = v.app.access_xlsx(&s.filter()).await?;
    Ok(form::attachment(bytes, form::XLSX, "access-log.xlsx", "访问日志.xlsx"))
}

/// `GET /work/access/export.csv?…`: the rows of the search as CSV (UTF-8 with a BOM).
pub(super) async fn export_csv(v: LoggedIn, Query(s): Query<Search>) -> WebResult<Response> {
    let bytes = v.app.access_csv(&s.filter()).await?;
    Ok(form::attachment(bytes, "text/csv; charset=utf-8", "access-log.csv", "访问日志.csv"))
}
