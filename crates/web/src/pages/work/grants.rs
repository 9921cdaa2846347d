//! Data grants (数据授权, `/work/grants`): a lead department asks another department for the
//! use of one of its confidential series in one measure's plan of one year; that department's
//! users give or decline it and may revoke it; the office records a grant a department gave by
//! letter. The same use-cases as `jili grant`, as the logged-in user: the app decides who sees
//! which grants (the office and the auditor all; a lead or provider those its department asked
//! for or decides) and who may decide one.

use super::form;
use crate::api::work_answers as answers;
use crate::auth::Visitor;
use crate::endpoint::{Route, endpoint};
use crate::error::ApiResult;
use crate::error::{WebError, WebResult};
use crate::extract::{CheckedForm, JsonBody, LoggedIn, Writer};
use axum::Json;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use jili_app::{Action, AppError, StoreError};
use jili_model::{Catalogue, Grant, GrantStatus, Programme};
use minijinja::context;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The words of this page (key, 中文, English).
pub const WORDS: &[(&str, &str, &str)] = &[
    ("work_grants", "数据授权", "Data grants"),
    (
        "work_grants_desc",
        "实施方案使用其他部门原则上不向社会公布的数据项，须经该部门授权：牵头单位申请，数据所有部门同意、拒绝或撤销，办公厅可按复函登记。",
        "A plan that reads another department's confidential series needs that department's grant: the lead asks, the owning department gives, declines or revokes it, the office may record a grant given by letter.",
    ),
    (
        "work_grants_intro",
        "每项授权只对一个年度、一条措施、一个数据项有效。没有授权时方案检查报错、不能提交，牵头单位的试算被拒绝；授权后牵头单位看得到试算的得分和名次，原始数值仍不显示。每一步记入审计日志。",
        "A grant holds for one year, one measure and one series. Without it the plan fails its check and cannot be submitted, and the lead's trial is refused; with it the lead sees the trial's scores and places, never the values. Every step is in the audit log.",
    ),
    ("work_grant_no", "编号", "No."),
    ("work_grant_owner", "所有部门", "Owner"),
    ("work_grant_grantee", "使用部门", "Used by"),
    ("work_grant_reason_basis", "理由或依据", "Reason or basis"),
    ("work_grant_requested", "申请", "Asked"),
    ("work_grant_decided", "决定", "Decided"),
    ("work_grant_none", "本年度还没有数据授权。", "No data grants this year."),
    ("work_grant_status_requested", "待授权", "Awaiting decision"),
    ("work_grant_status_granted", "已授权", "Granted"),
    ("work_grant_status_declined", "未同意", "Declined"),
    ("work_grant_status_revoked", "已撤销", "Revoked"),
    ("work_grant_basis", "依据", "Basis"),
    (
        "work_grant_basis_help",
        "数据所有部门的复函文号，或同意、拒绝、撤销的理由",
        "The owner's letter, or why it gives, declines or revokes",
    ),
    ("work_grant_give", "同意", "Grant"),
    ("work_grant_decline", "拒绝", "Decline"),
    ("work_grant_revoke", "撤销", "Revoke"),
    ("work_grant_request", "申请授权", "Request a grant"),
    (
        "work_grant_request_help",
        "写明该数据项在方案中的用途，以及为何不能改用可公开的数据项。申请由数据所有部门决定。",
        "Say what the plan uses the series for and why a public series will not do. The owning department decides.",
    ),
    ("work_grant_reason", "申请理由", "Reason"),
    ("work_grant_record", "按复函登记", "Record a grant given by letter"),
    (
        "work_grant_record_help",
        "数据所有部门已书面同意的，由办公厅登记，依据写复函文号（如 湘财函〔2024〕12号）；授权给该措施的牵头单位。",
        "When the owning department agreed in writing, the office records it with the letter's number; the grant goes to the measure's lead.",
    ),
    ("work_grant_letter", "依据（复函文号）", "Basis (the letter)"),
    ("work_grant_confidential", "不公开的数据项", "Confidential series"),
];

/// The page's query: the year shown and the message after a change (`?done=granted&id=3`).
#[derive(Debug, Default, Deserialize)]
pub(super) struct Shown {
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    done: String,
    #[serde(default)]
    id: Option<i64>,
}

/// The request and record forms; shown again (with what was typed) when refused.
#[derive(Debug, Default, Deserialize, Serialize)]
pub(super) struct Draft {
    #[serde(default)]
    year: String,
    #[serde(default)]
    measure: String,
    #[serde(default)]
    series: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    basis: String,
    /// Which form it was: `request` or `record`.
    #[serde(default)]
    form: String,
}

/// A decision on one grant.
#[derive(Debug, Default, Deserialize)]
pub(super) struct DecisionForm {
    /// `grant`, `decline` or `revoke`.
    #[serde(default)]
    decision: String,
    #[serde(default)]
    basis: String,
}

/// A decision's word in forms and the API, and the status it leads to.
const DECISIONS: [(&str, GrantStatus); 3] =
    [("grant", GrantStatus::Granted), ("decline", GrantStatus::Declined), ("revoke", GrantStatus::Revoked)];

fn decision_of(word: &str) -> Result<GrantStatus, String> {
    DECISIONS
        .iter()
        .find(|(w, _)| *w == word.trim())
        .map(|(_, s)| *s)
        .ok_or_else(|| format!("决定应为 grant（同意）、decline（拒绝）或 revoke（撤销），收到的是“{}”", word.trim()))
}

fn word_of(status: GrantStatus) -> &'static str {
    DECISIONS.iter().find(|(_, s)| *s == status).map_or("", |(w, _)| w)
}

fn department_name(catalogue: &Catalogue, code: &str) -> String {
    catalogue.department(code).map_or_else(|| code.to_string(), |d| d.name.clone())
}

/// One grant as the page and the API show it: names beside the codes, and the decisions this
/// user may take on it.
fn grant_row(v: &Visitor, g: &Grant, catalogue: &Catalogue, programmes: &[Programme]) -> Value {
    let may_decide = v.app.may(&Action::DecideGrant { owner: &g.owner });
    let decisions: Vec<&str> = if may_decide { g.status.next().iter().map(|s| word_of(*s)).collect() } else { vec![] };
    let short = programmes
        .iter()
        .find(|p| p.year == g.year)
        .and_then(|p| p.measures.iter().find(|m| m.no == g.measure))
        .map_or_else(String::new, |m| m.short.clone());
    json!({
        "id": g.id, "year": g.year, "measure": g.measure, "measure_short": short,
        "series": g.series, "series_name": catalogue.series(&g.series).map_or("", |s| s.name.as_str()),
        "owner": g.owner, "owner_name": department_name(catalogue, &g.owner),
        "grantee": g.grantee, "grantee_name": department_name(catalogue, &g.grantee),
        "status": g.status.as_str(), "status_label": g.status.label(),
        "reason": g.reason, "basis": g.basis,
        "requested_by": g.requested_by, "requested_at": g.requested_at,
        "decided_by": g.decided_by, "decided_at": g.decided_at,
        "decisions": decisions,
    })
}

/// The year a page or form means: the one given, else the newest programme's.
async fn year_of(v: &Visitor, year: Option<i32>) -> WebResult<i32> {
    match year {
        Some(y) => Ok(y),
        None => Ok(v.app.programme(None).await?.year),
    }
}

async fn page(v: &Visitor, year: Option<i32>, ok: &str, error: &str, draft: &Draft) -> WebResult<Response> {
    let year = year_of(v, year).await?;
    // The app decides who sees which grants (a unit or the public: refused).
    let grants = v.app.grants(Some(year)).await?;
    let catalogue = v.app.catalogue().await?;
    let programmes: Vec<Programme> = v.app.programme(Some(year)).await.ok().into_iter().collect();
    let rows: Vec<Value> = grants.iter().map(|g| grant_row(v, g, &catalogue, &programmes)).collect();
    let measures: &[jili_model::Measure] = programmes.first().map_or(&[], |p| p.measures.as_slice());
    // The measures this user may ask for (a lead its own; the office on a lead's behalf).
    let request_measures: Vec<Value> = measures
        .iter()
        .filter_map(|m| {
            let lead = catalogue.lead_of(m);
            v.app.may(&Action::DraftPlan { lead: &lead }).then(|| json!({"no": m.no, "short": m.short, "lead": m.lead}))
        })
        .collect();
    let own = v.principal().role.scope();
    let confidential: Vec<Value> = catalogue
        .all_series()
        .filter(|s| !s.public && s.owner != own)
        .map(|s| json!({"code": s.code, "name": s.name, "owner": department_name(&catalogue, &s.owner)}))
        .collect();
    // Recording another department's letter: deciding for a department not one's own.
    let can_record =
        catalogue.all_series().any(|s| s.owner != own && v.app.may(&Action::DecideGrant { owner: &s.owner }));
    let record_measures: Vec<Value> = if can_record {
        measures.iter().map(|m| json!({"no": m.no, "short": m.short, "lead": m.lead})).collect()
    } else {
        Vec::new()
    };
    let page = v.page(
        "work/grants.html",
        context! {
            year, grants => rows, request_measures, record_measures, confidential, can_record,
            ok, error, draft,
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

/// `GET /work/grants` (`?year=`).
pub(super) async fn list(v: LoggedIn, Query(q): Query<Shown>) -> WebResult<Response> {
    let id = q.id.map_or_else(String::new, |id| format!(" {id}"));
    let ok = match q.done.as_str() {
        "requested" => format!("已申请数据授权{id}：待数据所有部门决定"),
        "recorded" => format!("已登记数据授权{id}：牵头单位现在可以在该措施的方案中使用这个数据项"),
        "granted" => format!("已同意数据授权{id}：牵头单位现在可以在该措施的方案中使用这个数据项"),
        "declined" => format!("已拒绝数据授权{id}"),
        "revoked" => format!("已撤销数据授权{id}：使用该数据项的方案不能再试算、不能提交"),
        _ => String::new(),
    };
    page(&v, q.year, &ok, "", &Draft::default()).await
}

/// The measure number typed in a form.
fn measure_of(text: &str) -> Result<u32, AppError> {
    text.trim().parse().map_err(|_| AppError::Invalid("请选择措施".into()))
}

/// `POST /work/grants`: ask for a grant (`form=request`) or, the office, record one given by
/// letter (`form=record`).
pub(super) async fn submit(v: LoggedIn, CheckedForm(f): CheckedForm<Draft>) -> WebResult<Response> {
    let year = year_of(&v, f.year.trim().parse().ok()).await?;
    let series = f.series.trim();
    let recording = f.form == "record";
    let r = match measure_of(&f.measure) {
        Ok(measure) if recording => v.app.record_grant(year, measure, series, &f.basis).await,
        Ok(measure) => v.app.request_grant(year, measure, series, &f.reason).await,
        Err(e) => Err(e),
    };
    match r {
        Ok(id) => {
            let done = if recording { "recorded" } else { "requested" };
            Ok(Redirect::to(&format!("/work/grants?year={year}&done={done}&id={id}")).into_response())
        }
        Err(e) => {
            let m = refusal(e)?;
            page(&v, Some(year), "", &m, &f).await
        }
    }
}

/// `POST /work/grants/{id}`: give, decline or revoke a grant, with its basis.
pub(super) async fn decide(
    v: LoggedIn,
    Path(id): Path<String>,
    CheckedForm(f): CheckedForm<DecisionForm>,
) -> WebResult<Response> {
    let id: i64 =
        id.parse().map_err(|_| WebError::not_found(format!("没有编号为“{id}”的数据授权：请从数据授权列表中选择")))?;
    let r = match decision_of(&f.decision) {
        Ok(to) => v.app.decide_grant(id, to, &f.basis).await,
        Err(m) => Err(AppError::Invalid(m)),
    };
    match r {
        Ok(g) => {
            let done = g.status.as_str();
            Ok(Redirect::to(&format!("/work/grants?year={}&done={done}&id={id}", g.year)).into_response())
        }
        Err(e) => {
            let m = refusal(e)?;
            page(&v, None, "", &m, &Draft::default()).await
        }
    }
}

/// This module's API endpoints.
pub(super) fn api_routes() -> Vec<Route> {
    vec![
        (
            endpoint(
                "get",
                "/api/grants",
                "数据授权",
                "数据授权（?year= 筛选年度，缺省为全部）：办公厅、纪检监察看全部；牵头单位、数据提供部门看本部门申请的或本部门数据项的",
                true,
            )
            .query::<YearQuery>()
            .ok::<answers::Grants>(),
            get(api_list),
        ),
        (
            endpoint(
                "post",
                "/api/grants",
                "数据授权",
                "牵头单位申请使用其他部门不公开的数据项：JSON {measure, series, reason, year}（year 缺省为最新年度）",
                true,
            )
            .gate(|p| Action::DraftPlan { lead: p.role.scope() })
            .json::<RequestBody>()
            .ok::<answers::GrantRequested>(),
            post(api_request),
        ),
        (
            endpoint(
                "post",
                "/api/grants/{id}",
                "数据授权",
                "数据所有部门（或办公厅）决定一项授权：JSON {decision: grant | decline | revoke, basis}",
                true,
            )
            .gate(|p| Action::DecideGrant { owner: p.role.scope() })
            .json::<DecisionBody>()
            .ok::<answers::Grant>(),
            post(api_decide),
        ),
    ]
}

/// `GET /api/grants`: `?year=`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
struct YearQuery {
    /// The programme year; every year when absent.
    #[serde(default)]
    year: Option<i32>,
}

async fn api_list(v: LoggedIn, Query(q): Query<YearQuery>) -> ApiResult {
    let grants = v.app.grants(q.year).await?;
    let catalogue = v.app.catalogue().await?;
    let mut programmes = Vec::new();
    let mut years: Vec<i32> = grants.iter().map(|g| g.year).collect();
    years.dedup();
    for year in years {
        if !programmes.iter().any(|p: &Programme| p.year == year) {
            programmes.extend(v.app.programme(Some(year)).await.ok());
        }
    }
    let rows: Vec<Value> = grants.iter().map(|g| grant_row(&v, g, &catalogue, &programmes)).collect();
    Ok(Json(json!({ "grants": rows })))
}

/// `POST /api/grants`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"measure": 3, "series": "GYZJZ", "reason": "评价第3条须用规上工业增加值", "year": 2024}))]
struct RequestBody {
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    measure: u32,
    #[serde(default)]
    series: String,
    #[serde(default)]
    reason: String,
}

async fn api_request(v: Writer, JsonBody(b): JsonBody<RequestBody>) -> ApiResult {
    let year = year_of(&v, b.year).await?;
    let id = v.app.request_grant(year, b.measure, b.series.trim(), &b.reason).await?;
    Ok(Json(json!({ "id": id, "year": year, "status": GrantStatus::Requested.as_str() })))
}

/// `POST /api/grants/{id}`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"decision": "grant", "basis": "湘统函〔2024〕12号"}))]
struct DecisionBody {
    /// `grant`, `decline` or `revoke`.
    #[serde(default)]
    decision: String,
    #[serde(default)]
    basis: String,
}

async fn api_decide(v: Writer, Path(id): Path<String>, JsonBody(b): JsonBody<DecisionBody>) -> ApiResult {
    let id: i64 = id.parse().map_err(|_| WebError::not_found(format!("没有编号为“{id}”的数据授权")).as_json())?;
    let to = decision_of(&b.decision).map_err(|m| WebError::invalid(m).as_json())?;
    let g = v.app.decide_grant(id, to, &b.basis).await?;
    let catalogue = v.app.catalogue().await?;
    let programmes: Vec<Programme> = v.app.programme(Some(g.year)).await.ok().into_iter().collect();
    Ok(Json(grant_row(&v, &g, &catalogue, &programmes)))
}
