//! The verification cases' JSON API: the watch list, the cases, opening a case and taking a
//! step on one. The same use-cases as the pages (`super::cases`).

use super::cases::{StepForm, case_id, case_json, take};
use crate::api::work_answers::{Case, Cases, WatchList};
use crate::endpoint::{Route, endpoint};
use crate::error::{ApiResult, WebError};
use crate::extract::{JsonBody, LoggedIn, Writer};
use axum::Json;
use axum::extract::Path;
use axum::routing::{get, post};
use jili_app::Action;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

/// This module's API endpoints.
pub(super) fn routes() -> Vec<Route> {
    vec![
        (
            endpoint(
                "get",
                "/api/watch",
                "数据核查",
                "疑点关注清单：未办结的疑点按对得分和入选的影响排序（办公厅、纪检监察）",
                true,
            )
            .gate(|_| Action::Watch)
            .ok::<WatchList>(),
            get(api_watch),
        ),
        (
            endpoint(
                "get",
                "/api/cases",
                "数据核查",
                "核查案件：办公厅、纪检监察看全部，数据提供部门看向本部门提出的",
                true,
            )
            .gate(|p| Action::ReadCases { provider: p.role.scope() })
            .ok::<Cases>(),
            get(api_list),
        ),
        (
            endpoint("post", "/api/cases", "数据核查", "办公厅立案：JSON {title, flags: [疑点编号], note}", true)
                .gate(|_| Action::ManageCases)
                .json::<OpenBody>()
                .ok::<Case>(),
            post(api_open),
        ),
        (
            endpoint(
                "get",
                "/api/cases/{id}",
                "数据核查",
                "一件核查案件：疑点、修订记录、询问与答复、结论、移送证据",
                true,
            )
            .gate(|p| Action::ReadCases { provider: p.role.scope() })
            .ok::<Case>(),
            get(api_one),
        ),
        (
            endpoint(
                "post",
                "/api/cases/{id}",
                "数据核查",
                "案件的一步：JSON {action: query | answer | resolve, text, batch, resolution: explained | corrected | referred}",
                true,
            )
            .gate(|p| Action::AnswerCase { provider: p.role.scope() })
            .json::<StepBody>()
            .ok::<Case>(),
            post(api_step),
        ),
    ]
}

async fn api_watch(v: LoggedIn) -> ApiResult {
    let list = v.app.watch_list().await?;
    Ok(Json(serde_json::to_value(&list).map_err(|e| WebError::invalid(e.to_string()).as_json())?))
}

async fn api_list(v: LoggedIn) -> ApiResult {
    let cases = v.app.cases().await?;
    Ok(Json(json!({ "cases": cases })))
}

/// `POST /api/cases`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"title": "长沙市规上工业增加值核查", "flags": [1, 2], "note": "请说明数据来源"}))]
struct OpenBody {
    #[serde(default)]
    title: String,
    #[serde(default)]
    flags: Vec<i64>,
    #[serde(default)]
    note: String,
}

async fn api_open(v: Writer, JsonBody(b): JsonBody<OpenBody>) -> ApiResult {
    let id = v.app.open_case(&b.title, &b.flags, &b.note).await?;
    Ok(Json(case_json(&v.app.case(id).await?)))
}

async fn api_one(v: LoggedIn, Path(id): Path<String>) -> ApiResult {
    let id = case_id(&id).map_err(WebError::as_json)?;
    Ok(Json(case_json(&v.app.case(id).await?)))
}

/// `POST /api/cases/{id}`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"action": "query", "text": "请说明该数值的来源"}))]
struct StepBody {
    /// `query` (the office asks), `answer` (the department answers), `resolve` (the office closes).
    #[serde(default)]
    action: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    batch: Option<i64>,
    /// For `resolve`: `explained`, `corrected` or `referred`.
    #[serde(default)]
    resolution: String,
}

async fn api_step(v: Writer, Path(id): Path<String>, JsonBody(b): JsonBody<StepBody>) -> ApiResult {
    let id = case_id(&id).map_err(WebError::as_json)?;
    let form = StepForm {
        action: b.action,
        text: b.text,
        batch: b.batch.map_or_else(String::new, |b| b.to_string()),
        resolution: b.resolution,
    };
    take(&v, id, &form).await?;
    Ok(Json(case_json(&v.app.case(id).await?)))
}
