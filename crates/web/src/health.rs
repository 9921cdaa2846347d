//! Probes for load balancers and orchestrators: `/healthz` says the process answers (no
//! database access, so a slow database does not get healthy servers restarted); `/readyz` says
//! the database is reachable and its schema is the one this program expects, so traffic goes
//! only to servers that can serve it. Both are on the public listener (a load balancer needs
//! them) and on the metrics listener; they name no record.

use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// `GET /healthz`: 200 while the process answers.
pub async fn healthz() -> Response {
    (StatusCode::OK, Json(json!({ "status": "ok" }))).into_response()
}

/// `GET /readyz`: 200 when the database answers with the expected schema, 503 with the reason
/// otherwise.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.app().readiness().await {
        Ok(r) if r.is_current() => (
            StatusCode::OK,
            Json(json!({ "status": "ready", "database": "ok", "migrations": "current", "schema_version": r.applied })),
        )
            .into_response(),
        Ok(r) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({
                "status": "not_ready",
                "database": "ok",
                "migrations": if r.applied < r.expected { "behind" } else { "ahead" },
                "schema_version": r.applied,
                "expected_version": r.expected,
                "message": r.problem(),
            })),
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(target: "jili::ready", "数据库不可用：{e}");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "not_ready", "database": "unreachable", "message": "数据库无法连接" })),
            )
                .into_response()
        }
    }
}
