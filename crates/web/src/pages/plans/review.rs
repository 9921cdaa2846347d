//! The versions of a plan with their review steps and a diff of any two, and the office's
//! review of a submitted version: its diff against the version in force, its lint, a trial
//! (scores only), and the decision — approve, return with a comment, then publish.

use super::editor::source_name;
use super::form::fields;
use super::{measure_no, status_word, version_no, year};
use crate::auth::Visitor;
use crate::error::{WebError, WebResult};
use crate::extract::{CheckedForm, LoggedIn};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jili_app::Action;
use jili_app::plans::lint::SPREAD_MARGIN;
use jili_model::PlanStatus;
use minijinja::context;
use serde::Deserialize;
use serde_json::json;

/// The versions page's query: the two versions to compare (`a`, `b`) and the message after a
/// submission or a publication.
#[derive(Deserialize, Default)]
pub(super) struct Pick {
    #[serde(default)]
    a: String,
    #[serde(default)]
    b: String,
    #[serde(default)]
    submitted: String,
    #[serde(default)]
    published: String,
}

/// GET `/work/plans/{measure}/versions[?a=&b=]`.
pub(super) async fn versions(v: LoggedIn, Path(measure): Path<String>, Query(q): Query<Pick>) -> WebResult<Response> {
    let measure = measure_no(&measure)?;
    let year = year(&v).await?;
    let h = v.app.plan_history(year, measure).await?;
    let list: Vec<i64> = h.versions.iter().map(|p| p.version).collect();
    let pick = |s: &str, default: Option<i64>| if s.is_empty() { Ok(default) } else { version_no(s).map(Some) };
    let n = list.len();
    let a = pick(&q.a, n.checked_sub(2).map(|i| list[i]))?;
    let b = pick(&q.b, list.last().copied())?;
    let (mut changes, mut error) = (None, String::new());
    if let (Some(a), Some(b)) = (a, b) {
        match v.app.plan_diff(year, measure, a, b).await {
            Ok(c) => changes = Some(super::changes_json(&c)),
            Err(e) => error = WebError::from(e).message,
        }
    }
    let versions: Vec<serde_json::Value> = h
        .versions
        .iter()
        .map(|p| json!({"version": p.version, "status_label": status_word(p.status), "reviewable": p.status.may_move_to(PlanStatus::Approved), "publishable": p.status.may_move_to(PlanStatus::Published), "source": p.source_name, "sha": p.sha256.chars().take(12).collect::<String>(), "example": p.example}))
        .collect();
    let steps: Vec<serde_json::Value> = h
        .reviews
        .iter()
        .map(|r| json!({"version": r.version, "step": status_word(r.step), "actor": r.actor, "at": r.at, "comment": r.comment}))
        .collect();
    let message = match (q.submitted.parse::<i64>(), q.published.parse::<i64>()) {
        (_, Ok(p)) => format!("已公布：第 {p} 版"),
        (Ok(s), _) => format!("已提交审核：第 {s} 版，等待省政府办公厅审核"),
        _ => String::new(),
    };
    let reviewer = v.app.may(&Action::ReviewPlan);
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = v.page(
        "plans/versions.html",
        context! { measure, year, versions, steps, list, a, b, changes, error, message, reviewer },
    )?;
    Ok((status, page).into_response())
}

/// The review page of one version, with a message or an error.
async fn page(
    v: &Visitor,
    measure: u32,
    version: i64,
    message: &str,
    error: &str,
    status: StatusCode,
) -> WebResult<Response> {
    let year = year(v).await?;
    let view = v.app.plan_version(year, measure, Some(version)).await?;
    let h = v.app.plan_history(year, measure).await?;
    let previous = h.versions.iter().rev().find(|p| p.version < version && p.status.in_force()).map(|p| p.version);
    let changes = match previous {
        Some(p) => Some(super::changes_json(&v.app.plan_diff(year, measure, p, version).await?)),
        None => None,
    };
    let findings = match v.app.lint_plan(&view.plan, SPREAD_MARGIN).await {
        Ok(r) => Some(
            r.lints
                .iter()
                .map(|l| {
                    let error = l.level == jili_model::plan::LintLevel::Error;
                    json!({"level": if error { "error" } else { "warning" }, "label": if error { "错误" } else { "警告" }, "at": l.at, "message": l.message})
                })
                .collect::<Vec<_>>(),
        ),
        Err(_) => None,
    };
    let trial = match v.app.trial_plan(&source_name(measure), &view.stored.toml, Some(0)).await {
        Ok(t) => Some(super::trial::view(v, &t.result).await?),
        Err(_) => None,
    };
    let steps: Vec<serde_json::Value> = h
        .reviews
        .iter()
        .filter(|r| r.version == version)
        .map(|r| json!({"step": status_word(r.step), "actor": r.actor, "at": r.at, "comment": r.comment}))
        .collect();
    let reviewer = v.app.may(&Action::ReviewPlan);
    let page = v.page(
        "plans/review.html",
        context! {
            measure, year, version, status_label => status_word(view.stored.status),
            reviewable => view.stored.status.may_move_to(PlanStatus::Approved),
            publishable => view.stored.status.may_move_to(PlanStatus::Published),
            title => view.plan.header.title, previous, changes, findings, trial, steps, reviewer, message, error,
        },
    )?;
    Ok((status, page).into_response())
}

/// The review page's query after a decision (`?done=approved` …): the message it shows.
#[derive(Deserialize, Default)]
pub(super) struct Done {
    #[serde(default)]
    done: String,
}

/// GET `/work/plans/{measure}/review/{version}`.
pub(super) async fn open(
    v: LoggedIn,
    Path((measure, version)): Path<(String, String)>,
    Query(q): Query<Done>,
) -> WebResult<Response> {
    let (measure, version) = (measure_no(&measure)?, version_no(&version)?);
    let message = match q.done.parse::<PlanStatus>() {
        Ok(PlanStatus::Approved) => format!("已批准第 {version} 版（此后不可更改；正式评价使用此版）"),
        Ok(PlanStatus::Returned) => format!("已退回第 {version} 版"),
        _ => String::new(),
    };
    page(&v, measure, version, &message, "", StatusCode::OK).await
}

/// POST `/work/plans/{measure}/review/{version}`: approve, or return with a comment.
pub(super) async fn decide(
    v: LoggedIn,
    Path((measure, version)): Path<(String, String)>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> WebResult<Response> {
    let f = fields(pairs);
    let (measure, version) = (measure_no(&measure)?, version_no(&version)?);
    let year = year(&v).await?;
    let comment = f.get("comment").cloned().unwrap_or_default();
    let (result, done) = match f.get("action").map(String::as_str) {
        Some("return") => (v.app.return_plan(year, measure, version, &comment).await, PlanStatus::Returned),
        Some("approve") => (v.app.approve_plan(year, measure, version, &comment).await, PlanStatus::Approved),
        _ => return page(&v, measure, version, "", "请选择批准或退回", StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/work/plans/{measure}/review/{version}?done={done}")).into_response()),
        Err(e) => {
            let e = WebError::from(e);
            page(&v, measure, version, "", &e.message, e.status).await
        }
    }
}

/// POST `/work/plans/{measure}/publish` (field `version`): publish an approved version.
pub(super) async fn publish(
    v: LoggedIn,
    Path(measure): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> WebResult<Response> {
    let f = fields(pairs);
    let measure = measure_no(&measure)?;
    let version = version_no(f.get("version").map_or("", String::as_str))?;
    let year = year(&v).await?;
    match v.app.publish_plan(year, measure, version).await {
        Ok(()) => Ok(Redirect::to(&format!("/work/plans/{measure}/versions?published={version}")).into_response()),
        Err(e) => {
            let e = WebError::from(e);
            if e.status == StatusCode::FORBIDDEN || e.status == StatusCode::UNAUTHORIZED {
                return Err(e);
            }
            page(&v, measure, version, "", &e.message, e.status).await
        }
    }
}
