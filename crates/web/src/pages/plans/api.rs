//! The plan API (tag 实施方案): the visitor's visible plans, one plan as JSON with its file,
//! and the editor's and the office's actions. Bodies are the editor's fields as JSON, or
//! `{"toml": "…"}`, or a plan file as text. Errors are `{code, message}`; a check that finds
//! errors adds `findings`.

use super::form::{fields_from_json, plan_form};
use super::{editor::source_name, measure_no, status_word, version_no};
use crate::api::answers::{Decided, Drafted, PlanAnswer, PlanCheck, PlanDiff, PlanList, Submitted, Trial};
use crate::auth::Visitor;
use crate::endpoint::{Route, endpoint};
use crate::error::{WebError, WebResult};
use crate::extract::{LoggedIn, Writer, is_json, wrong_content_type};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jili_app::Action;
use jili_app::plans::plan_form::{FormCheck, PlanForm};
use jili_model::PlanStatus;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

const TAG: &str = "实施方案";

/// Drafting, trying and submitting: a lead department (its own measures) or the office.
const DRAFT: crate::endpoint::Gate = |p| Action::DraftPlan { lead: p.role.scope() };

/// Approving, returning and publishing: the office.
const REVIEW: crate::endpoint::Gate = |_| Action::ReviewPlan;

/// A plan body's documented content type: the editor's fields or `{"toml": …}` as JSON. The
/// plan file itself is also taken as `application/toml` or `text/plain` (docs/web.md).
const PLAN_TYPES: &[&str] = &["application/json"];

/// A plan in a request: the editor's fields as JSON, `{"toml": "…"}`, or the plan file itself
/// (`application/toml` or `text/plain`, see docs/plan-format.md).
#[derive(Debug, ToSchema)]
#[allow(dead_code, reason = "the body's schema only: the handler reads JSON or TOML itself")]
#[schema(example = json!({"toml": "[plan]\nmeasure = 3\n"}))]
struct PlanBody {
    /// The plan file.
    toml: Option<String>,
}

/// The plan API's endpoints, documented in /api/openapi.json.
pub(super) fn routes() -> Vec<Route> {
    vec![
        (
            endpoint("get", "/api/plans", TAG, "可见的各措施实施方案（最新可见版本及状态）", false).ok::<PlanList>(),
            get(list),
        ),
        (
            endpoint("get", "/api/plans/{measure}", TAG, "某措施最新可见的方案：JSON 及 TOML 原文", false)
                .ok::<PlanAnswer>(),
            get(one),
        ),
        (
            endpoint(
                "post",
                "/api/plans/{measure}/lint",
                TAG,
                "按通知的规则检查编辑中的方案（表单 JSON 或 TOML；不保存）",
                true,
            )
            .gate(DRAFT)
            .body::<PlanBody>(PLAN_TYPES)
            .ok::<PlanCheck>(),
            post(lint),
        ),
        (
            endpoint("post", "/api/plans/{measure}/draft", TAG, "保存为草稿（有错误时不保存）", true)
                .gate(DRAFT)
                .body::<PlanBody>(PLAN_TYPES)
                .ok::<Drafted>(),
            post(draft),
        ),
        (
            endpoint(
                "post",
                "/api/plans/{measure}/trial",
                TAG,
                "用当前数据试算：各组得分、入选及区域分布（不保存）",
                true,
            )
            .gate(DRAFT)
            .body::<PlanBody>(PLAN_TYPES)
            .ok::<Trial>(),
            post(trial),
        ),
        (
            endpoint("post", "/api/plans/{measure}/submit", TAG, "提交最新草稿审核（有错误时不能提交）", true)
                .gate(DRAFT)
                .ok::<Submitted>(),
            post(submit),
        ),
        (
            endpoint(
                "post",
                "/api/plans/{measure}/versions/{version}/approve",
                TAG,
                "批准已提交的版本（意见可空）",
                true,
            )
            .gate(REVIEW)
            .json_optional::<Comment>()
            .ok::<Decided>(),
            post(approve),
        ),
        (
            endpoint(
                "post",
                "/api/plans/{measure}/versions/{version}/return",
                TAG,
                "退回已提交的版本（须写意见）",
                true,
            )
            .gate(REVIEW)
            .json_optional::<Comment>()
            .ok::<Decided>(),
            post(return_plan),
        ),
        (
            endpoint("post", "/api/plans/{measure}/versions/{version}/publish", TAG, "公布已批准的版本", true)
                .gate(REVIEW)
                .ok::<Decided>(),
            post(publish),
        ),
        (
            endpoint("get", "/api/plans/{measure}/diff", TAG, "比较两个版本（?a=旧版本&b=新版本）", true)
                .query::<Pair>()
                .ok::<PlanDiff>(),
            get(diff),
        ),
    ]
}

async fn year(v: &Visitor) -> WebResult<i32> {
    super::year(v).await
}

/// The body as a form: the editor's fields as JSON, `{"toml": …}`, or a plan file as text.
fn body_form(measure: u32, headers: &HeaderMap, body: &[u8]) -> WebResult<PlanForm> {
    let json = match content_type(headers) {
        None => None,
        Some(_) if is_json(headers) => Some(true),
        Some(kind) if matches!(kind.as_str(), "application/toml" | "text/plain" | "text/x-toml") => Some(false),
        Some(_) => {
            return Err(wrong_content_type("JSON（application/json）或方案文件（application/toml、text/plain）"));
        }
    };
    let text = std::str::from_utf8(body).map_err(|_| WebError::invalid("请求体不是 UTF-8 文本").as_json())?;
    // Without a content type, a body that starts with `{` is read as JSON.
    let toml = if json.unwrap_or_else(|| text.trim_start().starts_with('{')) {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| WebError::invalid(format!("请求体不是有效的 JSON：{e}")).as_json())?;
        if !v.is_object() {
            return Err(WebError::invalid("请求体应为 JSON 对象：编辑器的字段，或 {\"toml\": \"方案原文\"}").as_json());
        }
        match v.get("toml") {
            Some(Value::String(t)) => t.clone(),
            Some(_) => return Err(WebError::invalid("toml 应为方案原文（字符串）").as_json()),
            None => return Ok(plan_form(&fields_from_json(&v), measure)),
        }
    } else {
        text.to_string()
    };
    let form = PlanForm::from_toml("请求中的方案", &toml).map_err(|e| WebError::from_app(e, false).as_json())?;
    if form.measure != measure {
        return Err(WebError::invalid(format!("方案是第 {} 条措施的，地址是第 {measure} 条", form.measure)).as_json());
    }
    Ok(form)
}

fn findings_json(check: &FormCheck) -> Value {
    json!({"passes": check.passes(), "findings": check.findings, "toml": check.toml})
}

/// The request's content type without parameters, lower case.
fn content_type(headers: &HeaderMap) -> Option<String> {
    let kind = headers.get(axum::http::header::CONTENT_TYPE)?.to_str().unwrap_or("?");
    Some(kind.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
}

async fn checked(v: &Visitor, measure: &str, headers: &HeaderMap, body: &[u8]) -> WebResult<(i32, u32, FormCheck)> {
    let measure = measure_no(measure)?;
    let year = year(v).await?;
    let form = body_form(measure, headers, body)?;
    let check = v.app.check_plan_form(year, measure, &form).await?;
    Ok((year, measure, check))
}

fn refused(check: &FormCheck, message: &str) -> Response {
    let mut body = findings_json(check);
    body["code"] = json!("invalid");
    body["message"] = json!(message);
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

async fn list(v: Visitor) -> WebResult<Json<Value>> {
    let year = year(&v).await?;
    let plans = v.app.plans(year).await?;
    let rows: Vec<Value> = plans
        .iter()
        .map(|p| json!({"year": p.year, "measure": p.measure, "version": p.version, "status": p.status, "status_label": status_word(p.status), "example": p.example, "sha256": p.sha256}))
        .collect();
    Ok(Json(json!({"year": year, "plans": rows})))
}

async fn one(v: Visitor, Path(measure): Path<String>) -> WebResult<Json<Value>> {
    let measure = measure_no(&measure)?;
    let year = year(&v).await?;
    let view = v.app.plan(Some(year), measure).await?;
    let s = &view.stored;
    Ok(Json(json!({
        "year": s.year, "measure": s.measure, "version": s.version, "status": s.status,
        "status_label": status_word(s.status), "example": s.example, "sha256": s.sha256,
        "plan": view.plan, "toml": s.toml,
    })))
}

async fn lint(v: Writer, Path(measure): Path<String>, headers: HeaderMap, body: Bytes) -> WebResult<Json<Value>> {
    let (_, _, check) = checked(&v, &measure, &headers, &body).await?;
    Ok(Json(findings_json(&check)))
}

async fn draft(v: Writer, Path(measure): Path<String>, headers: HeaderMap, body: Bytes) -> WebResult<Response> {
    let (_, measure, check) = checked(&v, &measure, &headers, &body).await?;
    // Saved with lint errors too, as `jili plan draft` does; submission is what they block.
    let Some(toml) = check.toml.as_ref().filter(|_| check.plan.is_some()) else {
        return Ok(refused(&check, "方案有结构错误，未保存：请按 findings 修改后再保存"));
    };
    let saved = v.app.save_draft(&source_name(measure), toml).await?;
    Ok(Json(json!({"version": saved.version, "new_version": saved.new_version, "findings": check.findings}))
        .into_response())
}

async fn trial(v: Writer, Path(measure): Path<String>, headers: HeaderMap, body: Bytes) -> WebResult<Response> {
    let (_, measure, check) = checked(&v, &measure, &headers, &body).await?;
    let Some(toml) = check.toml.as_ref().filter(|_| check.plan.is_some()) else {
        return Ok(refused(&check, "方案有结构错误，无法试算"));
    };
    let t = v.app.trial_plan(&source_name(measure), toml, Some(0)).await?;
    let mut out = super::trial::json(&v, &t.result).await?;
    out["findings"] = json!(check.findings);
    Ok(Json(out).into_response())
}

async fn submit(v: Writer, Path(measure): Path<String>) -> WebResult<Json<Value>> {
    let measure = measure_no(&measure)?;
    let year = year(&v).await?;
    let (version, lint) = v.app.submit_plan(year, measure).await?;
    Ok(Json(json!({"version": version, "status": PlanStatus::Submitted.as_str(), "warnings": lint.lints.len()})))
}

/// The office's comment on a decision (may be empty, except when returning a plan).
#[derive(Deserialize, Default, ToSchema)]
#[schema(example = json!({"comment": "同意"}))]
struct Comment {
    #[serde(default)]
    comment: String,
}

async fn decision(
    v: &Visitor,
    ids: (String, String),
    headers: &HeaderMap,
    body: &[u8],
    to: PlanStatus,
) -> WebResult<Json<Value>> {
    let measure = measure_no(&ids.0)?;
    let version = version_no(&ids.1)?;
    let year = year(v).await?;
    let c: Comment = if body.iter().all(u8::is_ascii_whitespace) {
        Comment::default()
    } else if !is_json(headers) {
        return Err(wrong_content_type("JSON（application/json）"));
    } else {
        serde_json::from_slice(body)
            .map_err(|e| WebError::invalid(format!("请求体应为 JSON，如 {{\"comment\": \"意见\"}}：{e}")).as_json())?
    };
    match to {
        PlanStatus::Approved => v.app.approve_plan(year, measure, version, &c.comment).await,
        PlanStatus::Returned => v.app.return_plan(year, measure, version, &c.comment).await,
        _ => v.app.publish_plan(year, measure, version).await,
    }?;
    Ok(Json(json!({"measure": measure, "version": version, "status": to.as_str(), "status_label": status_word(to)})))
}

async fn approve(
    v: Writer,
    Path(ids): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Json<Value>> {
    decision(&v, ids, &headers, &body, PlanStatus::Approved).await
}

async fn return_plan(
    v: Writer,
    Path(ids): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Json<Value>> {
    decision(&v, ids, &headers, &body, PlanStatus::Returned).await
}

async fn publish(
    v: Writer,
    Path(ids): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Json<Value>> {
    decision(&v, ids, &headers, &body, PlanStatus::Published).await
}

/// The two versions to compare.
#[derive(Deserialize, Default, IntoParams)]
struct Pair {
    /// The older version.
    #[serde(default)]
    #[param(value_type = i64, minimum = 1)]
    a: String,
    /// The newer version.
    #[serde(default)]
    #[param(value_type = i64, minimum = 1)]
    b: String,
}

async fn diff(v: LoggedIn, Path(measure): Path<String>, Query(q): Query<Pair>) -> WebResult<Json<Value>> {
    let measure = measure_no(&measure)?;
    let (a, b) = (version_no(&q.a)?, version_no(&q.b)?);
    let year = year(&v).await?;
    let changes = v.app.plan_diff(year, measure, a, b).await?;
    Ok(Json(json!({"measure": measure, "a": a, "b": b, "changes": changes})))
}
