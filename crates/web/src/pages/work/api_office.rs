//! The office's part of the work API: runs, publication, commendations, overrides and users.

use crate::error::ApiResult;
use crate::extract::{JsonBody, LoggedIn, Writer};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use jili_app::runs::run::parse_measure_choice;
use jili_app::users::NewUser;
use jili_app::{Role, RunRequest};
use serde::Deserialize;
use serde_json::{Value, json};

/// `GET /api/runs`.
pub(super) async fn runs(v: LoggedIn) -> ApiResult {
    let runs = v.app.recent_runs(200).await?;
    Ok(Json(json!({ "runs": runs })))
}

/// `POST /api/runs`: `measure` is omitted, `"all"`, or one measure's number.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"measure": 3}))]
pub(super) struct RunBody {
    /// A measure's number, or `"all"` (or nothing) for every measure.
    #[serde(default)]
    #[schema(value_type = Option<crate::api::types::IntOrText>)]
    measure: Option<Value>,
}

/// `POST /api/runs`.
pub(super) async fn run(
    v: Writer,
    JsonBody(b): JsonBody<RunBody>,
) -> crate::error::WebResult<axum::response::Response> {
    let request = RunRequest::default();
    let text = match &b.measure {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let reports = match parse_measure_choice(&text)? {
        // Every measure: a job (202, Location: /api/jobs/{id}).
        None => {
            let job = v.app.start_run_all(request).await?;
            return Ok(super::jobs::accepted(&job));
        }
        Some(n) => v.app.run(n, &request).await.map(|r| vec![r]),
    }?;
    let list: Vec<Value> = reports
        .iter()
        .map(|r| {
            json!({"id": r.id, "measure": r.result.measure, "title": r.result.title, "total_wan": r.result.total_wan,
            "data_sha256": r.data_sha256, "result_sha256": r.result_sha256})
        })
        .collect();
    Ok(axum::response::IntoResponse::into_response(Json(json!({ "runs": list }))))
}

/// `POST /api/publications`: why (required for a correction).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"reason": "更正第3条的数据"}))]
pub(super) struct Reason {
    #[serde(default)]
    reason: String,
}

/// `POST /api/publications`.
pub(super) async fn publish(v: Writer, JsonBody(b): JsonBody<Reason>) -> ApiResult {
    let id = v.app.request_publication(None, &b.reason).await?;
    Ok(Json(json!({"request": id, "status": jili_model::RequestStatus::Pending,
        "next": format!("须由另一位办公厅用户确认：POST /api/publications/{id}/confirm")})))
}

/// `POST /api/publications/{id}/confirm`: another office user confirms and publishes.
pub(super) async fn confirm(
    State(state): State<AppState>,
    v: Writer,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> ApiResult {
    let p = v.app.confirm_publication(id).await?;
    state.0.cache.stale();
    Ok(Json(json!({"year": p.year, "version": p.version, "reason": p.reason, "published_at": p.published_at,
        "sha256": p.sha256, "omitted": p.body.omitted, "measures": p.body.measures.len()})))
}

/// `POST /api/commendations`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"unit": "430100", "inspection": "国务院第十次大督查", "practice": "优化营商环境"}))]
pub(super) struct Commend {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    inspection: String,
    #[serde(default)]
    practice: String,
}

/// `POST /api/commendations`.
pub(super) async fn commend(v: Writer, JsonBody(b): JsonBody<Commend>) -> ApiResult {
    let year = v.app.programme(None).await?.year;
    let id = v.app.commend(year, b.unit.trim(), &b.inspection, &b.practice).await?;
    Ok(Json(json!({ "id": id, "year": year })))
}

/// `POST /api/overrides`: one unit's outcome in a run, with a public reason.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"run": 1, "unit": "430100", "winner": false, "reason": "数据造假，结果不成立"}))]
pub(super) struct Override {
    #[serde(default)]
    run: i64,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    winner: bool,
    #[serde(default)]
    reason: String,
}

/// `POST /api/overrides`.
pub(super) async fn override_result(v: Writer, JsonBody(b): JsonBody<Override>) -> ApiResult {
    let id = v.app.override_result(b.run, b.unit.trim(), b.winner, &b.reason).await?;
    Ok(Json(json!({ "id": id })))
}

/// `GET /api/users` (never with password hashes).
pub(super) async fn users(v: LoggedIn) -> ApiResult {
    let list: Vec<Value> = v
        .app
        .users()
        .await?
        .iter()
        .map(|u| {
            json!({"name": u.name, "display": u.display, "role": u.role.kind(), "scope": u.role.scope(),
            "disabled": u.disabled, "created_at": u.created_at})
        })
        .collect();
    Ok(Json(json!({ "users": list })))
}

/// `POST /api/users`.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"name": "li.gxt", "display": "李工", "role": "lead", "scope": "GXT", "password": "至少十个字符的密码"}))]
pub(super) struct AddUser {
    #[serde(default)]
    name: String,
    #[serde(default)]
    display: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    password: String,
}

/// `POST /api/users`.
pub(super) async fn add_user(v: Writer, JsonBody(b): JsonBody<AddUser>) -> ApiResult {
    v.app.allow(jili_app::Action::ManageUsers)?;
    let role = Role::from_parts(b.role.trim(), &b.scope)?;
    v.app.add_user(&NewUser { name: &b.name, display: &b.display, role, password: &b.password }).await?;
    Ok(Json(json!({ "name": b.name.trim() })))
}
