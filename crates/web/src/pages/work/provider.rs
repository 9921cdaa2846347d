//! A provider's own data: its batches and revisions, and the anomaly flags raised on them with
//! a place to explain each (a real jump has a reason; the note stays with the flag and goes
//! into the audit log). The office and the auditor see every provider's, filtered by one.

use super::form;
use crate::auth::Visitor;
use crate::error::{WebError, WebResult};
use crate::extract::{CheckedForm, LoggedIn};
use crate::render::Page;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jili_app::{Action, AppError};
use minijinja::context;
use serde::{Deserialize, Serialize};

/// Flags per page.
const FLAGS_PER_PAGE: usize = 100;

/// The batches and flags pages' query: which provider, only open flags, the page, and the flag
/// just explained.
#[derive(Debug, Deserialize, Default)]
pub(super) struct Filter {
    #[serde(default)]
    provider: String,
    /// Only flags without a note.
    #[serde(default)]
    open: String,
    #[serde(default)]
    page: Option<usize>,
    /// A note was just saved on this flag.
    #[serde(default)]
    noted: Option<i64>,
}

/// The provider whose data to show: the user's own department, or the one the filter names.
pub(super) fn provider_of(v: &Visitor, filter: &str) -> Option<String> {
    let chosen = if reads_all(v) { filter.trim().to_ascii_uppercase() } else { v.principal().role.scope().to_string() };
    Some(chosen).filter(|p| !p.is_empty())
}

/// May read every provider's data (the office, the auditor): the pages offer a filter by
/// provider rather than showing the visitor's own.
fn reads_all(v: &Visitor) -> bool {
    v.app.may(&Action::ReadData)
}

/// `GET /work/batches`: batches newest first, each with its revisions and reason.
pub(super) async fn batches(v: LoggedIn, Query(f): Query<Filter>) -> WebResult<Page> {
    let provider = provider_of(&v, &f.provider);
    let mut list = match &provider {
        Some(p) => v.app.batches_of(p).await,
        None => v.app.batches().await,
    }?;
    list.reverse();
    let providers = v.app.providers().await?;
    let own = !reads_all(&v);
    let revised: i64 = list.iter().map(|b| b.revised).sum();
    let batches: Vec<_> = list
        .iter()
        .map(|b| {
            context! { id => b.id, provider => b.provider, source => b.source, demo => b.demo, rows => b.rows,
            sha256 => b.sha256, imported_at => b.imported_at, actor => b.actor, reason => b.reason, revised => b.revised }
        })
        .collect();
    v.page("work/batches.html", context! { batches, providers, provider, own, revised })
}

/// A flag as the page shows it.
#[derive(Debug, Serialize)]
pub(super) struct FlagRow {
    id: i64,
    batch: i64,
    series: String,
    series_name: String,
    unit: String,
    unit_name: String,
    period: String,
    code: String,
    /// The check in Chinese.
    check: &'static str,
    message: String,
    prominent: bool,
    /// Raised by a re-check of stored data rather than by its batch's import.
    rechecked: bool,
    office_only: bool,
    notes: Vec<NoteRow>,
}

#[derive(Debug, Serialize)]
struct NoteRow {
    note: String,
    actor: String,
    at: String,
}

/// Every flag the visitor may see (one provider's, or all providers' for the office and the
/// auditor), with names from the catalogue.
pub(super) async fn flag_rows(v: &Visitor, provider: Option<&str>) -> WebResult<Vec<FlagRow>> {
    let providers: Vec<String> = match provider {
        Some(p) => vec![p.to_string()],
        None => v.app.providers().await?.into_iter().map(|(c, _)| c).collect(),
    };
    let catalogue = v.app.catalogue().await?;
    let mut all = Vec::new();
    for p in &providers {
        all.extend(v.app.flags_of(p).await?);
    }
    all.sort_by_key(|(f, _)| std::cmp::Reverse(f.id));
    Ok(all
        .into_iter()
        .map(|(f, notes)| FlagRow {
            series_name: catalogue.series(&f.series).map_or_else(String::new, |s| s.name.clone()),
            unit_name: catalogue.unit(&f.unit).map_or_else(String::new, |u| u.name.clone()),
            id: f.id,
            batch: f.batch_id,
            series: f.series,
            unit: f.unit,
            period: f.period,
            check: jili_app::flag_label(&f.code),
            code: f.code,
            message: f.message,
            prominent: f.prominent,
            rechecked: f.recheck.is_some(),
            office_only: f.office_only,
            notes: notes.into_iter().map(|n| NoteRow { note: n.note, actor: n.actor, at: n.at }).collect(),
        })
        .collect())
}

async fn flags_page(v: &Visitor, f: &Filter, message: &str, draft: (i64, &str)) -> WebResult<Page> {
    let provider = provider_of(v, &f.provider);
    let rows = flag_rows(v, provider.as_deref()).await?;
    let total = rows.len();
    let open_count = rows.iter().filter(|r| r.notes.is_empty()).count();
    let only_open = !f.open.is_empty();
    let rows: Vec<FlagRow> = rows.into_iter().filter(|r| !only_open || r.notes.is_empty()).collect();
    let matching = rows.len();
    let pages = matching.div_ceil(FLAGS_PER_PAGE).max(1);
    let page = f.page.unwrap_or(1).clamp(1, pages);
    let flags: Vec<FlagRow> = rows.into_iter().skip((page - 1) * FLAGS_PER_PAGE).take(FLAGS_PER_PAGE).collect();
    // The provider whose batch raised a flag, and the office, may explain it (App::annotate_flag).
    let can_note = v.app.may(&Action::Import { owner: provider.as_deref().unwrap_or_default() });
    let may_recheck = v.app.may(&Action::Recheck);
    let providers = v.app.providers().await?;
    let own = !reads_all(v);
    v.page(
        "work/flags.html",
        context! {
            flags, total, open_count, only_open, matching, page, pages, can_note, providers, provider, own, may_recheck,
            message, noted => f.noted, draft_flag => draft.0, draft => draft.1,
        },
    )
}

/// `GET /work/flags`.
pub(super) async fn flags(v: LoggedIn, Query(f): Query<Filter>) -> WebResult<Page> {
    flags_page(&v, &f, "", (0, "")).await
}

/// The office's re-check form.
#[derive(Debug, Deserialize)]
pub(super) struct RecheckForm {
    #[serde(default)]
    all: String,
}

/// `POST /work/flags/recheck`: re-check the stored data as a job (it reads every value of the
/// series in scope), followed on the job's page.
pub(super) async fn start_recheck(v: LoggedIn, CheckedForm(form): CheckedForm<RecheckForm>) -> WebResult<Response> {
    let request = jili_app::RecheckRequest { all: !form.all.is_empty(), ..Default::default() };
    let job = v.app.start_recheck(request).await?;
    Ok(super::jobs::redirect(&v, &job).await)
}

/// The form explaining a flag.
#[derive(Debug, Deserialize)]
pub(super) struct NoteForm {
    #[serde(default)]
    note: String,
}

/// `POST /work/flags/{id}/notes`: explain a flag; a blank note is refused and nothing stored.
pub(super) async fn annotate(
    v: LoggedIn,
    Path(id): Path<String>,
    CheckedForm(form): CheckedForm<NoteForm>,
) -> WebResult<Response> {
    let id: i64 = id.parse().map_err(|_| WebError::not_found(format!("没有编号为“{id}”的异常提示")))?;
    match v.app.annotate_flag(id, &form.note).await {
        Ok(_) => Ok(Redirect::to(&format!("/work/flags?noted={id}#flag-{id}")).into_response()),
        Err(AppError::Invalid(m)) => {
            let page = flags_page(&v, &Filter::default(), &m, (id, &form.note)).await?;
            Ok(form::with_status(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(e) => Err(e.into()),
    }
}
