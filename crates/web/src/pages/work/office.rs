//! The office's runs and publication: run every measure (or one) and see the recent runs;
//! publish the year's results (a correction must say why), commend a unit, override one
//! unit's result with a public reason. Refusals are shown on the page with the app's words.

use super::form;
use crate::auth::Visitor;
use crate::error::WebResult;
use crate::extract::{CheckedForm, LoggedIn};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use jili_app::runs::run::parse_measure_choice;
use jili_app::{Action, AppError, RunRequest};
use minijinja::{Value, context};
use serde::Deserialize;

/// Runs listed on the page.
const RECENT_RUNS: usize = 60;

/// A page's outcome message: what was done, or why it was refused.
#[derive(Debug, Default)]
struct Said {
    ok: String,
    error: String,
}

impl Said {
    fn status(&self) -> StatusCode {
        if self.error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
    }
}

/// The outcome of a use-case: its message, or the refusal (bad input on the page; a missing
/// permission as its error page).
fn said<T>(_v: &Visitor, r: Result<T, AppError>, ok: impl FnOnce(T) -> String) -> WebResult<Said> {
    match r {
        Ok(x) => Ok(Said { ok: ok(x), error: String::new() }),
        Err(AppError::Invalid(m) | AppError::NotFound(m)) => Ok(Said { ok: String::new(), error: m }),
        Err(e) => Err(e.into()),
    }
}

async fn runs_page(v: &Visitor, said: &Said, done: Value) -> WebResult<Response> {
    let runs = v.app.recent_runs(RECENT_RUNS).await?;
    let programme = v.app.programme(None).await?;
    let measures: Vec<(u32, String)> = programme.measures.iter().map(|m| (m.no, m.short.clone())).collect();
    let can_run = v.app.allow(Action::Run).is_ok();
    let page = v.page(
        "work/runs.html",
        context! { runs, measures, can_run, year => programme.year, ok => said.ok, error => said.error, done },
    )?;
    Ok(form::with_status(said.status(), page))
}

/// `GET /work/runs`.
pub(super) async fn runs(v: LoggedIn) -> WebResult<Response> {
    runs_page(&v, &Said::default(), Value::from(())).await
}

/// The run form: `measure` is `all` or one measure's number.
#[derive(Debug, Deserialize)]
pub(super) struct RunForm {
    #[serde(default)]
    measure: String,
}

/// `POST /work/runs`: `measure=all` (a job: redirected to its page) or a measure's number.
pub(super) async fn run(v: LoggedIn, CheckedForm(f): CheckedForm<RunForm>) -> WebResult<Response> {
    let request = RunRequest::default();
    let reports = match parse_measure_choice(&f.measure) {
        // Every measure: a job, followed on its own page.
        Ok(None) => match v.app.start_run_all(request).await {
            Ok(job) => return Ok(super::jobs::redirect(&v, &job).await),
            Err(e) => Err(e),
        },
        Ok(Some(n)) => v.app.run(n, &request).await.map(|r| vec![r]),
        Err(e) => Err(e),
    };
    let mut done = Vec::new();
    let said = said(&v, reports, |reports| {
        let total: u64 = reports.iter().map(|r| r.result.total_wan).sum();
        for r in &reports {
            let winners = r.result.units.iter().filter(|u| u.outcome == jili_app::engine::Outcome::Winner).count();
            done.push(context! { id => r.id, measure => r.result.measure, title => r.result.title, winners,
            total_wan => r.result.total_wan.to_string() });
        }
        format!("已运行 {} 条措施，奖励合计 {total} 万元；结果尚未公开，发布请到“结果发布”", reports.len())
    })?;
    runs_page(&v, &said, Value::from_serialize(&done)).await
}

/// What the publish page's forms had, to show them again after a refusal.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
pub(super) struct Draft {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    inspection: String,
    #[serde(default)]
    practice: String,
    #[serde(default)]
    run: String,
    #[serde(default)]
    outcome: String,
    /// The override's reason (made public).
    #[serde(default)]
    why: String,
    /// A pending publication request to confirm (`confirm`) or withdraw (`withdraw`).
    #[serde(default)]
    request: String,
    #[serde(default)]
    decision: String,
    /// Why publish while material verification cases are open.
    #[serde(default)]
    open_cases: String,
}

async fn publish_page(v: &Visitor, said: &Said, draft: &Draft) -> WebResult<Response> {
    v.app.allow(Action::Publish)?;
    let publication = v.app.published(None).await?;
    let programme = v.app.programme(None).await?;
    let titles: std::collections::BTreeMap<u32, String> =
        programme.measures.iter().map(|m| (m.no, m.short.clone())).collect();
    let omitted: Vec<(u32, String, String)> = publication.as_ref().map_or_else(Vec::new, |p| {
        p.body.omitted.iter().map(|(n, why)| (*n, titles.get(n).cloned().unwrap_or_default(), why.clone())).collect()
    });
    let pending = v.app.pending_publication(programme.year).await?;
    let mine = pending.as_ref().is_some_and(|p| p.requested_by == v.principal().name);
    let runs = v.app.recent_runs(usize::MAX).await?;
    // The newest run of each measure: the one a publication (or an override) would use.
    let mut latest: Vec<&jili_app::runs::workbench::RunRow> = Vec::new();
    for r in &runs {
        if r.year == programme.year && !latest.iter().any(|l| l.measure == r.measure) {
            latest.push(r);
        }
    }
    latest.sort_by_key(|r| r.measure);
    let (material, waivers) = super::cases::publish_context(v, pending.as_ref().map(|p| p.id)).await?;
    let page = v.page(
        "work/publish.html",
        context! {
            publication, omitted, latest, year => programme.year, pending, mine, material, waivers,
            inspections => programme.rules.commendation_sources.clone(),
            ok => said.ok, error => said.error, draft,
        },
    )?;
    Ok(form::with_status(said.status(), page))
}

/// `GET /work/publish`.
pub(super) async fn publication(v: LoggedIn) -> WebResult<Response> {
    publish_page(&v, &Said::default(), &Draft::default()).await
}

/// `POST /work/publish`: ask for the year's results to be published (a second version is a
/// correction and must give its reason), or — another office user — confirm or withdraw the
/// pending request (four eyes).
pub(super) async fn publish(
    State(state): State<AppState>,
    v: LoggedIn,
    CheckedForm(f): CheckedForm<Draft>,
) -> WebResult<Response> {
    let id = f.request.trim().parse::<i64>().ok();
    let r: Result<String, AppError> = match (id, f.decision.as_str()) {
        (Some(id), "withdraw") => v.app.withdraw_publication(id).await.map(|()| format!("已撤回发布申请 {id}")),
        (Some(id), _) => v.app.confirm_publication(id).await.map(|p| {
            state.0.cache.stale();
            format!("已发布 {} 年评价结果第 {} 版（{}）", p.year, p.version, p.reason)
        }),
        (None, _) => v
            .app
            .request_publication_noting(None, &f.reason, &f.open_cases)
            .await
            .map(|id| format!("已提交发布申请 {id}：须由另一位省政府办公厅用户在本页确认后才发布（双人把关）")),
    };
    let said = said(&v, r, |m| m)?;
    let draft = if said.error.is_empty() { Draft::default() } else { f };
    publish_page(&v, &said, &draft).await
}

/// `POST /work/publish/commend`: a commendation (通报表扬) for the next publication.
pub(super) async fn commend(v: LoggedIn, CheckedForm(f): CheckedForm<Draft>) -> WebResult<Response> {
    let year = v.app.programme(None).await?.year;
    let r = v.app.commend(year, f.unit.trim(), &f.inspection, &f.practice).await;
    let said = said(&v, r, |id| format!("已登记通报表扬 #{id}：{}，将随下一次发布公开", f.unit.trim()))?;
    let draft = if said.error.is_empty() { Draft::default() } else { f };
    publish_page(&v, &said, &draft).await
}

/// `POST /work/publish/override`: change one unit's outcome in the run to be published, with
/// a reason that will be public.
pub(super) async fn override_result(v: LoggedIn, CheckedForm(f): CheckedForm<Draft>) -> WebResult<Response> {
    let r = match f.run.trim().parse::<i64>() {
        Ok(run) => v.app.override_result(run, f.unit.trim(), f.outcome == "winner", &f.why).await,
        Err(_) => Err(AppError::Invalid(format!("运行号“{}”应为数字（见下表“最新运行”）", f.run.trim()))),
    };
    let said = said(&v, r, |id| {
        format!("已记录更正 #{id}（审计可查，下一次发布时公开）：运行 {} 中 {}", f.run.trim(), f.unit.trim())
    })?;
    let draft = if said.error.is_empty() { Draft::default() } else { f };
    publish_page(&v, &said, &draft).await
}
