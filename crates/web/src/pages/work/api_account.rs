//! The account and access-log API: change one's own password, log out everywhere, the office's
//! password reset, and the access log searched as JSON. The same use-cases as the pages; writes
//! from a browser session carry `X-CSRF-Token`.

use super::access::Search;
use crate::api::types::Done;
use crate::api::work_answers::AccessPage;
use crate::auth::session_token;
use crate::endpoint::{Route, endpoint};
use crate::error::ApiResult;
use crate::extract::{JsonBody, LoggedIn, Writer};
use axum::Json;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::routing::{get, post};
use jili_app::Action;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// This module's endpoints, documented in /api/openapi.json.
pub(super) fn routes() -> Vec<Route> {
    vec![
        (
            endpoint(
                "post",
                "/api/password",
                "会话",
                "修改自己的密码：JSON {current, password}；本令牌保留，其他会话全部结束",
                true,
            )
            .gate(|_| Action::ManageOwnAccount)
            .json::<NewPassword>()
            .ok::<Done>(),
            post(change_password),
        ),
        (
            endpoint("post", "/api/logout-all", "会话", "退出全部登录：本用户的全部会话（含本令牌）结束", true)
                .gate(|_| Action::ManageOwnAccount)
                .ok::<Done>(),
            post(logout_all),
        ),
        (
            endpoint(
                "post",
                "/api/users/{name}/password",
                "办公厅",
                "重置用户密码：JSON {password}；该用户的全部会话结束",
                true,
            )
            .gate(|_| Action::ManageUsers)
            .json::<NewPassword>()
            .ok::<Done>(),
            post(reset_password),
        ),
        (
            endpoint(
                "get",
                "/api/access-log",
                "审计",
                "访问日志，最新的在前（?user=&event=&outcome=&client=&from=&to=&page=&per_page=，日期为北京时间）",
                true,
            )
            .gate(|_| Action::Audit)
            .query::<Search>()
            .ok::<AccessPage>(),
            get(access_log),
        ),
    ]
}

/// A new password (10 to 256 characters); `current` only when changing one's own.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"current": "旧的十个字符以上的密码", "password": "新的十个字符以上的密码"}))]
pub(super) struct NewPassword {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
}

/// `POST /api/password`.
async fn change_password(v: Writer, headers: HeaderMap, JsonBody(b): JsonBody<NewPassword>) -> ApiResult {
    let keep = session_token(&headers);
    let ended = v.app.change_password(&b.current, &b.password, keep).await?;
    Ok(Json(json!({ "ok": true, "sessions_ended": ended })))
}

/// `POST /api/logout-all`.
async fn logout_all(v: Writer, _headers: HeaderMap) -> ApiResult {
    let ended = v.app.logout_all().await?;
    Ok(Json(json!({ "ok": true, "sessions_ended": ended })))
}

/// `POST /api/users/{name}/password`.
async fn reset_password(v: Writer, Path(name): Path<String>, JsonBody(b): JsonBody<NewPassword>) -> ApiResult {
    v.app.reset_password(&name, &b.password).await?;
    Ok(Json(json!({ "ok": true, "name": name.trim() })))
}

/// `GET /api/access-log`.
async fn access_log(v: LoggedIn, Query(s): Query<Search>) -> ApiResult {
    let page = v.app.search_access(&s.filter()).await?;
    Ok(Json(serde_json::to_value(&page).unwrap_or(Value::Null)))
}
