//! Jobs on the web: long work started from a page or the API (run all measures, a confirmed
//! import, audit verification) answers at once — a page redirects to `/work/jobs/{id}`, the API
//! answers 202 with `Location: /api/jobs/{id}` — and the work goes on in the server, whether or
//! not the browser stays. The job's page refreshes itself (a `<meta>` refresh, no script) until
//! the job is done or failed, then shows the outcome and a link to the result.

use crate::api::types::{JobDoc, JobList};
use crate::auth::Visitor;
use crate::error::{WebError, WebResult};
use crate::extract::LoggedIn;
use crate::render::Page;
use axum::Json;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jili_app::jobs::Job;
use minijinja::context;
use std::time::Duration;

/// How long a page that started a job waits for it before redirecting: a small import is done
/// by then, and its page shows the outcome at once.
pub(super) const BRIEF_WAIT: Duration = Duration::from_millis(1500);

/// Seconds between refreshes of an unfinished job's page.
const REFRESH_SECS: u32 = 2;

/// The API's answer to a started job: 202 Accepted, `Location` naming its resource.
pub(super) fn accepted(job: &Job) -> Response {
    let mut r = (StatusCode::ACCEPTED, Json(JobDoc::of(job))).into_response();
    if let Ok(loc) = HeaderValue::from_str(&format!("/api/jobs/{}", job.id)) {
        r.headers_mut().insert(header::LOCATION, loc);
    }
    r
}

/// A page's answer to a started job: to its page (after a brief wait for quick ones).
pub(super) async fn redirect(v: &Visitor, job: &Job) -> Response {
    let _ = v.app.wait_for_job(job.id, BRIEF_WAIT).await;
    Redirect::to(&format!("/work/jobs/{}", job.id)).into_response()
}

fn id_of(text: &str) -> Result<i64, WebError> {
    text.trim().parse().map_err(|_| WebError::not_found(format!("没有编号为“{text}”的任务：请从“后台任务”列表进入")))
}

/// `GET /work/jobs`: the user's jobs (everyone's for the office and the auditor).
pub(super) async fn list(v: LoggedIn) -> WebResult<Page> {
    let jobs = v.app.jobs().await?;
    let unfinished = jobs.iter().any(|j| !j.finished());
    let refresh = if unfinished { REFRESH_SECS } else { 0 };
    v.page("work/jobs.html", context! { jobs, refresh })
}

/// `GET /work/jobs/{id}`: one job, refreshing itself until it ends.
pub(super) async fn page(v: LoggedIn, Path(id): Path<String>) -> WebResult<Page> {
    let job = v.app.job(id_of(&id)?).await?;
    let refresh = if job.finished() { 0 } else { REFRESH_SECS };
    let percent = if job.total_steps > 0 { job.done_steps * 100 / job.total_steps } else { 0 };
    v.page("work/job.html", context! { job, refresh, percent })
}

/// `GET /api/jobs`.
pub(super) async fn api_list(v: LoggedIn) -> WebResult<Json<JobList>> {
    let jobs = v.app.jobs().await?;
    Ok(Json(JobList { jobs: jobs.iter().map(JobDoc::of).collect() }))
}

/// `GET /api/jobs/{id}`.
pub(super) async fn api_one(v: LoggedIn, Path(id): Path<String>) -> WebResult<Json<JobDoc>> {
    let job = v.app.job(id_of(&id)?).await?;
    Ok(Json(JobDoc::of(&job)))
}
