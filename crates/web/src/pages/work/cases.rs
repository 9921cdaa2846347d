//! Verification cases (核查案件) and the watch list (疑点关注清单): `/work/watch` ranks the open
//! anomaly flags by what they do to the results (office and auditor), with a form to open a
//! case on a value's flags; `/work/cases` lists the cases the visitor may read (the office and
//! the auditor all, a provider its own); `/work/cases/{id}` shows one — flags, the value's
//! revisions, queries, answers, the resolution and the referral's evidence — with the forms the
//! visitor may use (the office queries and resolves, the provider answers). The same use-cases
//! as `jili case` and `jili data watch`, as the logged-in user: the app decides who sees and
//! does what.

use super::form;
use crate::auth::Visitor;
use crate::error::{WebError, WebResult};
use crate::extract::{CheckedForm, LoggedIn};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jili_app::cases::watch::{WatchEntry, WatchList};
use jili_app::cases::{CaseView, guard::MaterialCase};
use jili_app::{Action, AppError, StoreError};
use jili_model::CaseStep;
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The words of these pages (key, 中文, English).
pub const WORDS: &[(&str, &str, &str)] = &[
    ("work_watch", "疑点关注清单", "Watch list"),
    (
        "work_watch_desc",
        "未办结的数据疑点按对评价结果的影响排序：把疑点数值换成同级单位的中位数重新评价，看得分变化和是否越过入选线。",
        "Open anomaly flags ranked by what they do to the results: each flagged value is replaced by its peers' median and the plans re-evaluated.",
    ),
    (
        "watch_intro",
        "按现行（已批准或已公布）实施方案评估。可能改变入选单位的排在最前；这些数值的核查结论未出之前，发布结果须写明理由。本页含未公布的名次，仅办公厅和纪检监察可见。",
        "Evaluated with the plans in force (approved or published). Values that may change who wins come first; while they are open, publishing results needs a stated reason. This page shows unpublished ranks: the office and the auditor only.",
    ),
    ("watch_summary", "未办结疑点", "Open flags"),
    ("watch_values", "涉及数值", "Values"),
    ("watch_plans", "现行方案", "Plans in force"),
    ("watch_evaluated", "已评估", "Evaluated"),
    ("watch_skipped", "超出上限未评估", "Not evaluated (over the limit)"),
    ("watch_value", "数值", "Value"),
    ("watch_median", "同级中位数", "Peers' median"),
    ("watch_impact", "影响（原值 → 中位数）", "Impact (value → median)"),
    ("watch_crosses", "越过入选线", "Crosses the cut-off"),
    ("watch_moves", "改变入选单位", "Changes the winners"),
    ("watch_flags", "疑点", "Flags"),
    ("watch_case", "核查案件", "Case"),
    ("watch_none", "没有未办结的数据疑点。", "No open flags."),
    ("watch_open_case", "立案核查", "Open a case"),
    ("watch_case_title", "案件标题", "Title"),
    ("watch_case_note", "立案说明", "Why"),
    ("watch_show_all", "列出全部", "Show all"),
    ("watch_published", "已公布方案", "published plan"),
    ("work_cases", "数据核查案件", "Verification cases"),
    (
        "work_cases_desc",
        "就数据疑点立案，询问数据提供部门，登记答复和更正，办结为已说明、已更正或移送纪检监察；每一步记入审计日志。",
        "Cases opened on anomaly flags: the provider is queried and answers, the office resolves them as explained, corrected or referred to discipline inspection; every step is in the audit log.",
    ),
    ("case_no", "编号", "No."),
    ("case_title", "标题", "Title"),
    ("case_provider", "数据提供部门", "Provider"),
    ("case_flags_count", "疑点", "Flags"),
    ("case_opened", "立案", "Opened"),
    ("case_updated", "最近一步", "Last step"),
    ("case_none", "还没有核查案件。", "No cases yet."),
    ("case_closed", "办结", "Closed"),
    ("case_flags", "疑点", "Flags"),
    ("case_history", "数值修订记录", "Revisions of the values"),
    ("case_revision", "版本", "Revision"),
    ("case_source", "来源", "Source"),
    ("case_imported", "导入", "Imported"),
    ("case_revision_reason", "修订原因", "Reason"),
    ("case_steps", "经过", "Steps"),
    ("case_step", "步骤", "Step"),
    ("case_actor", "操作人", "By"),
    ("case_text", "内容", "Text"),
    ("case_batch_ref", "更正批次", "Corrected in batch"),
    ("case_request_ref", "发布申请", "Publication request"),
    ("case_query", "询问数据提供部门", "Query the provider"),
    ("case_query_text", "询问内容", "Query"),
    ("case_query_help", "写明请对方说明什么、何时前答复。", "Say what the provider should explain, and by when."),
    ("case_answer", "答复", "Answer"),
    ("case_answer_text", "答复内容", "Answer"),
    (
        "case_answer_help",
        "说明该数值的来源和变化原因；已重新报送更正数据的，填写更正批次号。",
        "Explain where the value comes from and why it changed; if you sent a correction, give its batch number.",
    ),
    ("case_batch", "更正批次号（可不填）", "Correcting batch (optional)"),
    ("case_resolve", "办结", "Resolve"),
    ("case_resolution", "结论", "Conclusion"),
    ("case_resolve_text", "办结意见", "Reasons"),
    (
        "case_resolve_help",
        "“已更正”须有更正批次（答复中已指明的可不填）；“移送纪检监察”时，疑点、数值修订记录、询问与答复一并封存为移送证据。",
        "“Corrected” needs the correcting batch (unless the answer named it); a referral freezes the flags, the values' revisions, the queries and answers as its evidence.",
    ),
    ("case_explained", "已说明", "Explained"),
    ("case_corrected", "已更正", "Corrected"),
    ("case_referred", "移送纪检监察", "Referred to discipline inspection"),
    ("case_evidence", "移送证据（移送时封存）", "Evidence (frozen at referral)"),
    ("case_evidence_notes", "疑点说明", "Notes on the flags"),
    ("case_withheld_note", "部分内容仅办公厅和纪检监察可见。", "Some content is for the office and the auditor only."),
    ("case_open_cases", "未结核查案件说明", "Reason to publish with open cases"),
    (
        "case_open_cases_help",
        "有可能改变入选单位的未办结核查案件时（见疑点关注清单），须写明为何仍须发布；说明记入这些案件和审计日志。没有这类案件时不必填写。",
        "When open verification cases may change the winners (see the watch list), say why the results must be published all the same; it is recorded with those cases and in the audit log. Leave empty otherwise.",
    ),
    ("case_waivers", "未结核查案件说明", "Reasons given for open cases"),
    ("work_count_cases_open", "件核查案件未办结", "open verification cases"),
    ("work_count_cases_waiting", "件核查案件待答复", "cases awaiting your answer"),
];

/// Values listed on the watch page unless all are asked for.
const SHOWN: usize = 100;

/// A score, to two decimals.
fn score(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite()).map_or("—".into(), |v| format!("{v:.2}"))
}

/// One watched value as the page shows it.
fn watch_row(rank: usize, e: &WatchEntry) -> Value {
    let impacts: Vec<Value> = e
        .impacts
        .iter()
        .map(|i| {
            let change = match (i.winner, i.winner_if_median) {
                (true, false) => "入选 → 落选",
                (false, true) => "未入选 → 入选",
                _ => "",
            };
            json!({
                "measure": i.measure, "title": i.title, "published": i.published,
                "score": score(i.score), "score_if_median": score(i.score_if_median),
                "rank": i.rank, "rank_if_median": i.rank_if_median, "change": change,
                "others": i.others.join("、"), "moves": i.moves_winners(),
            })
        })
        .collect();
    let ids: Vec<String> = e.flags.iter().map(|f| f.id.to_string()).collect();
    let name = if e.unit_name.is_empty() { e.unit.as_str() } else { e.unit_name.as_str() };
    let what = if e.series_name.is_empty() { e.series.as_str() } else { e.series_name.as_str() };
    json!({
        "rank": rank, "series": e.series, "series_name": e.series_name, "unit": e.unit,
        "unit_name": e.unit_name, "period": e.period, "value": e.value, "median": e.median,
        "peers": e.peers, "evaluated": e.evaluated, "note": e.note, "crosses": e.crosses,
        "moves_winners": e.moves_winners, "impacts": impacts,
        "flags": e.flags, "flag_ids": ids.join(","), "case": e.case,
        "suggested_title": format!("{name}{}{what}疑点核查", e.period),
    })
}

/// The watch page's query.
#[derive(Debug, Default, Deserialize)]
pub(super) struct WatchQuery {
    #[serde(default)]
    all: String,
}

/// The form opening a case.
#[derive(Debug, Default, Deserialize, Serialize)]
pub(super) struct OpenForm {
    #[serde(default)]
    title: String,
    /// Flag ids, separated by commas or spaces.
    #[serde(default)]
    flags: String,
    #[serde(default)]
    note: String,
}

fn flag_ids(text: &str) -> Result<Vec<i64>, AppError> {
    text.split([',', '，', ' '])
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<i64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| AppError::Invalid(format!("疑点编号“{}”应为以逗号分隔的数字", text.trim())))
}

async fn watch_page(v: &Visitor, all: bool, error: &str, draft: &OpenForm) -> WebResult<Response> {
    let list: WatchList = v.app.watch_list().await?;
    let shown = if all { list.entries.len() } else { SHOWN.min(list.entries.len()) };
    let rows: Vec<Value> = list.entries.iter().take(shown).enumerate().map(|(i, e)| watch_row(i + 1, e)).collect();
    let can_open = v.app.may(&Action::ManageCases);
    let page = v.page(
        "work/watch.html",
        context! {
            rows, can_open, error, draft, all, more => list.entries.len() - shown,
            year => list.year, plans => list.plans, flags => list.flags, values => list.entries.len(),
            evaluated => list.evaluated, skipped => list.skipped, limit => list.limit,
        },
    )?;
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(form::with_status(status, page))
}

/// A refusal shown on the page (bad input, a wrong step); a missing permission is its error page.
fn refusal(e: AppError) -> Result<String, AppError> {
    match e {
        AppError::Invalid(m) | AppError::NotFound(m) | AppError::Store(StoreError::Conflict(m)) => Ok(m),
        e => Err(e),
    }
}

/// `GET /work/watch` (`?all=1` lists every value).
pub(super) async fn watch(v: LoggedIn, Query(q): Query<WatchQuery>) -> WebResult<Response> {
    watch_page(&v, !q.all.is_empty(), "", &OpenForm::default()).await
}

/// `POST /work/cases`: open a case on flags (from the watch list).
pub(super) async fn open(v: LoggedIn, CheckedForm(f): CheckedForm<OpenForm>) -> WebResult<Response> {
    let r = match flag_ids(&f.flags) {
        Ok(ids) => v.app.open_case(&f.title, &ids, &f.note).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(id) => Ok(Redirect::to(&format!("/work/cases/{id}?done=open")).into_response()),
        Err(e) => {
            let m = refusal(e)?;
            watch_page(&v, false, &m, &f).await
        }
    }
}

/// `GET /work/cases`.
pub(super) async fn list(v: LoggedIn) -> WebResult<Response> {
    let cases = v.app.cases().await?;
    let rows: Vec<Value> = cases
        .iter()
        .rev()
        .map(|c| {
            json!({
                "id": c.case.id, "title": c.case.title, "provider": c.case.provider,
                "provider_name": c.provider_name, "status": c.case.status.as_str(),
                "status_label": c.case.status.label(), "resolved": c.case.status.resolved(),
                "flags": c.flags, "opened_at": c.case.opened_at, "opened_by": c.case.opened_by,
                "updated_at": c.updated_at,
            })
        })
        .collect();
    let can_watch = v.app.may(&Action::Watch);
    Ok(v.page("work/cases.html", context! { cases => rows, can_watch })?.into_response())
}

/// The case page's query: the step just taken.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Done {
    #[serde(default)]
    done: String,
}

/// A step posted on the case page (or through the API).
#[derive(Debug, Default, Deserialize, Serialize)]
pub(super) struct StepForm {
    /// `query`, `answer` or `resolve`.
    #[serde(default)]
    pub(super) action: String,
    #[serde(default)]
    pub(super) text: String,
    /// A batch number, or empty.
    #[serde(default)]
    pub(super) batch: String,
    /// For `resolve`: explained, corrected or referred.
    #[serde(default)]
    pub(super) resolution: String,
}

pub(super) fn case_id(text: &str) -> WebResult<i64> {
    text.parse().map_err(|_| WebError::not_found(format!("没有编号为“{text}”的核查案件：请从核查案件列表中选择")))
}

fn batch_of(text: &str) -> Result<Option<i64>, AppError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|_| AppError::Invalid(format!("更正批次号“{t}”应为数字（批次见“数据批次”页面）")))
}

/// The case as the page and the API show it: the stored view with words beside the codes.
pub(super) fn case_json(view: &CaseView) -> Value {
    let steps: Vec<Value> = view
        .steps
        .iter()
        .map(|s| {
            json!({
                "id": s.id, "step": s.step.as_str(), "label": s.step.label(), "text": s.text,
                "batch_id": s.batch_id, "request_id": s.request_id, "actor": s.actor, "at": s.at,
            })
        })
        .collect();
    let c = &view.case;
    json!({
        "id": c.id, "title": c.title, "provider": c.provider, "provider_name": view.provider_name,
        "status": c.status.as_str(), "status_label": c.status.label(), "resolved": c.status.resolved(),
        "opened_by": c.opened_by, "opened_at": c.opened_at, "closed_by": c.closed_by, "closed_at": c.closed_at,
        "flags": view.flags, "histories": view.histories, "steps": steps, "evidence": view.evidence,
        "may": view.may,
    })
}

async fn case_page(v: &Visitor, id: i64, ok: &str, error: &str, draft: &StepForm) -> WebResult<Response> {
    let view = v.app.case(id).await?;
    let case = case_json(&view);
    let everything = v.app.may(&Action::Watch);
    let page = v.page("work/case.html", context! { case, ok, error, draft, everything })?;
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(form::with_status(status, page))
}

/// `GET /work/cases/{id}`.
pub(super) async fn one(v: LoggedIn, Path(id): Path<String>, Query(q): Query<Done>) -> WebResult<Response> {
    let id = case_id(&id)?;
    let ok = match q.done.as_str() {
        "open" => format!("已立案：核查案件 {id}。下一步：询问数据提供部门"),
        "query" => "已询问数据提供部门：对方在其工作页面上看到询问并答复".to_string(),
        "answer" => "已登记答复：待省政府办公厅办结".to_string(),
        "resolve" => "已办结".to_string(),
        _ => String::new(),
    };
    case_page(&v, id, &ok, "", &StepForm::default()).await
}

/// Take a step on case `id` as the visitor.
pub(super) async fn take(v: &Visitor, id: i64, f: &StepForm) -> Result<(), AppError> {
    let batch = batch_of(&f.batch)?;
    match f.action.as_str() {
        "query" => v.app.query_case(id, &f.text).await.map(drop),
        "answer" => v.app.answer_case(id, &f.text, batch).await.map(drop),
        "resolve" => {
            let Some(step) = CaseStep::resolution(&f.resolution) else {
                return Err(AppError::Invalid("请选择结论：已说明、已更正或移送纪检监察".into()));
            };
            v.app.resolve_case(id, step, &f.text, batch).await.map(drop)
        }
        other => Err(AppError::Invalid(format!("没有“{other}”这一步：应为 query、answer 或 resolve"))),
    }
}

/// `POST /work/cases/{id}`: query, answer or resolve.
pub(super) async fn step(
    v: LoggedIn,
    Path(id): Path<String>,
    CheckedForm(f): CheckedForm<StepForm>,
) -> WebResult<Response> {
    let id = case_id(&id)?;
    match take(&v, id, &f).await {
        Ok(()) => Ok(Redirect::to(&format!("/work/cases/{id}?done={}", f.action)).into_response()),
        Err(e) => {
            let m = refusal(e)?;
            case_page(&v, id, "", &m, &f).await
        }
    }
}

/// The material open cases and the reasons given, for the publish page.
pub(super) async fn publish_context(v: &Visitor, pending: Option<i64>) -> WebResult<(Vec<Value>, Vec<Value>)> {
    if !v.app.may(&Action::Watch) {
        return Ok((Vec::new(), Vec::new()));
    }
    let material: Vec<MaterialCase> = v.app.material_open_cases(None).await?;
    let material = material
        .iter()
        .map(|c| json!({"id": c.id, "title": c.title, "status": c.status.label(), "effects": c.effects}))
        .collect();
    let waivers = v
        .app
        .publication_waivers()
        .await?
        .into_iter()
        .filter(|w| pending.is_some() && w.request_id == pending)
        .map(|w| json!({"case": w.case_id, "text": w.text, "actor": w.actor, "at": w.at}))
        .collect();
    Ok((material, waivers))
}
