//! Logging in and out through the API: a bearer token for scripts and other systems.

use crate::api::answers::{LoginAnswer, Me};
use crate::api::types::Done;
use crate::auth::{ClientAddr, Visitor};
use crate::endpoint::{Route, endpoint};
use crate::error::{WebError, WebResult};
use crate::extract::{JsonBody, Writer};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

pub(super) fn routes() -> Vec<Route> {
    vec![
        (
            endpoint("post", "/api/login", "会话", "登录：以用户名和密码换取令牌（Authorization: Bearer 令牌）", false)
                .json::<Login>()
                .ok::<LoginAnswer>(),
            post(login),
        ),
        (endpoint("post", "/api/logout", "会话", "退出：令牌作废", true).ok::<Done>(), post(logout)),
        (endpoint("get", "/api/me", "会话", "当前用户及其角色", false).ok::<Me>(), get(me)),
    ]
}

/// `POST /api/login`.
#[derive(Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"name": "admin", "password": "至少十个字符的密码"}))]
struct Login {
    #[schema(max_length = 64)]
    name: String,
    #[schema(max_length = 256)]
    password: String,
}

async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    JsonBody(body): JsonBody<Login>,
) -> WebResult<Json<Value>> {
    let s = state.app().login(&body.name, &body.password, &addr).await.map_err(|e| match e {
        jili_app::AppError::Denied(m) => WebError::new(StatusCode::UNAUTHORIZED, "login_failed", m).as_json(),
        e => WebError::from(e),
    })?;
    Ok(Json(json!({
        "token": s.token,
        "csrf": s.csrf,
        "user": {"name": s.principal.name, "role": s.principal.role.kind(), "scope": s.principal.role.scope()},
        "expires_in": jili_app::users::session::SESSION_SECONDS,
    })))
}

async fn logout(v: Writer, headers: axum::http::HeaderMap) -> WebResult<Json<Value>> {
    let token = crate::auth::session_token(&headers).unwrap_or_default().to_string();
    v.app.logout(&token).await?;
    Ok(Json(json!({"ok": true})))
}

async fn me(v: Visitor) -> Json<Value> {
    let p = v.principal();
    Json(json!({
        "name": p.name,
        "role": p.role.kind(),
        "role_label": p.role.label(),
        "scope": p.role.scope(),
        "demo": v.facts.demo,
    }))
}
