//! Refusals in the access log: every 403 answered to a logged-in visitor (no permission, or a
//! form or API write without its session's token) is recorded with who, from where, the method
//! and path, and what they were told. A visitor who is not logged in is not recorded: anyone
//! could grow the log without bound that way (their failed logins are recorded, and limited).

use crate::auth::{ClientAddr, session_token};
use crate::error::Refusal;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;

/// Record the refusals of logged-in visitors.
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(token) = session_token(request.headers()).map(str::to_string) else {
        return next.run(request).await;
    };
    let target = format!("{} {}", request.method(), request.uri().path());
    let (mut parts, body) = request.into_parts();
    let ClientAddr(client) = ClientAddr::of(&mut parts, &state).await;
    let response = next.run(Request::from_parts(parts, body)).await;
    // Only the site's own refusals: a failed login shown again as a page is a 403 too, and is
    // recorded as a failed login.
    let Some(Refusal { csrf, message }) =
        response.extensions().get::<Refusal>().filter(|_| response.status() == StatusCode::FORBIDDEN).cloned()
    else {
        return response;
    };
    let app = state.app();
    let recorded = match app.session(&token).await {
        Ok(Some(s)) => app.acting_as(s.principal).from_client(&client).record_refusal(&target, csrf, &message).await,
        Ok(None) => Ok(()),
        Err(e) => Err(e),
    };
    if let Err(e) = recorded {
        // The refusal stands; only its record is missing, which the server's log says.
        tracing::error!("访问日志未能记录拒绝 {target}：{e}");
    }
    response
}
