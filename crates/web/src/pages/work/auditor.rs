//! The auditor's page (the office's too): the audit log searched on the server, newest first;
//! the verification of the hash chain and every record against it, with the chain head to note
//! down; the log exported as XLSX (with the verification) or CSV.

use super::form;
use crate::error::WebResult;
use crate::extract::{Button, CheckedForm, LoggedIn};
use crate::render::Page;
use axum::extract::Query;
use axum::response::Response;
use jili_app::runs::workbench::AuditFilter;
use minijinja::context;
use serde::Deserialize;

/// The search form (`GET /work/audit?q=…&action=…&actor=…&object=…&page=…&verify=1`).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub(super) struct Search {
    /// Words to find in any field.
    #[serde(default)]
    pub q: String,
    /// An action name (e.g. `plan.publish`).
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub actor: String,
    /// The object acted on.
    #[serde(default)]
    pub object: String,
    /// The page, from 1.
    #[serde(default)]
    pub page: Option<usize>,
    /// `verify=1`: also verify the whole chain and every record (slow on a long log, so only
    /// when asked, with the button).
    #[serde(default)]
    pub verify: Option<String>,
}

impl Search {
    /// The app's filter.
    pub(super) fn filter(&self) -> AuditFilter {
        AuditFilter {
            q: self.q.clone(),
            action: self.action.clone(),
            actor: self.actor.clone(),
            object: self.object.clone(),
            page: self.page.unwrap_or(1),
            per_page: 0,
        }
    }

    /// The query string of this search without the page, for the pager's links.
    fn query(&self) -> String {
        let enc = crate::download::percent_encode;
        format!(
            "q={}&action={}&actor={}&object={}",
            enc(&self.q),
            enc(&self.action),
            enc(&self.actor),
            enc(&self.object)
        )
    }
}

/// `GET /work/audit`: the search; with `verify=1` also the verification of the chain (which
/// re-hashes the whole log, so a plain search does not run it).
pub(super) async fn log(v: LoggedIn, Query(s): Query<Search>) -> WebResult<Page> {
    let found = v.app.search_audit(&s.filter()).await?;
    let verified = matches!(s.verify.as_deref(), Some("1" | "on" | "true" | "yes"));
    let report = if verified { Some(v.app.verify_audit(None).await?) } else { None };
    let events: Vec<_> = found
        .events
        .iter()
        .map(|e| {
            context! { seq => e.seq, at => e.at, actor => e.actor, action => e.action, subject => e.subject,
            detail => e.detail, hash => e.hash, prev_hash => e.prev_hash, content_hash => e.content_hash }
        })
        .collect();
    let head = report.as_ref().and_then(|r| r.head.as_ref()).map(|(seq, hash)| format!("{seq}:{hash}"));
    let intact = report.as_ref().is_some_and(|r| r.is_intact());
    let checked_events = report.as_ref().map_or(0, |r| r.events);
    let objects = report.as_ref().map_or(0, |r| r.objects);
    let problems = report.map(|r| r.problems).unwrap_or_default();
    v.page(
        "work/audit.html",
        context! {
            events, matching => found.matching, total => found.total, page => found.page, pages => found.pages,
            actions => found.actions, q => s.q, action => s.action, actor => s.actor, object => s.object,
            query => s.query(), verified, intact, checked_events, objects, problems, head,
        },
    )
}

/// `POST /work/audit/verify`: verify the chain and every record as a job (it re-hashes the
/// whole database), followed on the job's page.
pub(super) async fn start_verify(v: LoggedIn, _: CheckedForm<Button>) -> WebResult<Response> {
    let job = v.app.start_verify(None).await?;
    Ok(super::jobs::redirect(&v, &job).await)
}

/// `GET /work/audit/export.xlsx`: the log with the verification result.
pub(super) async fn export_xlsx(v: LoggedIn) -> WebResult<Response> {
    let bytes = v.app.audit_xlsx().await?;
    Ok(form::attachment(bytes, form::XLSX, "audit-log.xlsx", "审计日志.xlsx"))
}

/// `GET /work/audit/export.csv`: the log as CSV (UTF-8 with a BOM for Excel and WPS).
pub(super) async fn export_csv(v: LoggedIn) -> WebResult<Response> {
    let bytes = v.app.audit_csv().await?;
    Ok(form::attachment(bytes, "text/csv; charset=utf-8", "audit-log.csv", "审计日志.csv"))
}
