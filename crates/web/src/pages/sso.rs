//! Single sign-on (统一身份认证): `/sso/login` sends the browser to the provider with a state
//! that a cookie binds to this browser; `/sso/callback` takes the provider's answer and, when
//! the app accepts it, starts a session like a password login. The binding cookie is
//! `SameSite=Lax` (it must come back on the provider's redirect, a cross-site navigation); the
//! session cookie stays `Strict`, so the callback answers with a page that moves on to the next
//! page itself (a redirect at the end of a cross-site chain would arrive without it).
//! Without settings, both paths answer 404.

use super::login::{fresh_form, safe_next, with_cookie};
use crate::auth::{ClientAddr, Visitor, cookie, session_cookie};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use jili_app::AppError;
use jili_app::sso::{PENDING_SECONDS, SsoCallback};
use minijinja::context;
use serde::Deserialize;

/// The cookie binding a login under way to the browser that started it.
const SSO_COOKIE: &str = "jili_sso";

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/sso/login", get(begin)).route("/sso/callback", get(callback))
}

fn not_configured() -> WebError {
    WebError::new(StatusCode::NOT_FOUND, "not_found", "本系统未配置统一身份认证：请用本系统账号登录")
}

fn binding_cookie(state: &str, secure: bool) -> String {
    let age = if state.is_empty() { 0 } else { PENDING_SECONDS };
    let secure = if secure { "; Secure" } else { "" };
    format!("{SSO_COOKIE}={state}; Path=/sso; HttpOnly; SameSite=Lax; Max-Age={age}{secure}")
}

#[derive(Deserialize, Default)]
struct Next {
    #[serde(default)]
    next: String,
}

async fn begin(State(state): State<AppState>, v: Visitor, Query(q): Query<Next>) -> WebResult<Response> {
    let Some(sso) = state.sso() else { return Err(not_configured()) };
    let next = safe_next(&q.next);
    match v.app.sso_begin(sso, next).await {
        Ok(start) => {
            let r = Redirect::to(&start.url).into_response();
            Ok(with_cookie(r, &binding_cookie(&start.state, state.0.secure_cookies)))
        }
        Err(e) => refused(&state, &v, next, e),
    }
}

/// The provider's answer; every field bounded by the app before use.
#[derive(Deserialize, Default)]
struct Answer {
    #[serde(default)]
    code: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
    #[serde(default)]
    iss: String,
}

async fn callback(
    State(state): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    ClientAddr(addr): ClientAddr,
    Query(q): Query<Answer>,
) -> WebResult<Response> {
    let Some(sso) = state.sso() else { return Err(not_configured()) };
    let bound = cookie(&headers, SSO_COOKIE).unwrap_or("");
    let answer = SsoCallback {
        code: q.code,
        state: q.state,
        error: q.error,
        error_description: q.error_description,
        iss: q.iss,
    };
    let secure = state.0.secure_cookies;
    match state.app().from_client(&addr).sso_finish(sso, &answer, bound).await {
        Ok((session, next)) => {
            let next = safe_next(&next).to_string();
            let page = v.page("sso_done.html", context! { next => next })?;
            let r = with_cookie(page.into_response(), &session_cookie(&session.token, secure));
            Ok(with_cookie(r, &binding_cookie("", secure)))
        }
        Err(e) => {
            let r = refused(&state, &v, "/work", e)?;
            Ok(with_cookie(r, &binding_cookie("", secure)))
        }
    }
}

/// The login page with why single sign-on did not work (the local form stays usable).
fn refused(state: &AppState, v: &Visitor, next: &str, e: AppError) -> WebResult<Response> {
    // A refused login is the visitor's to fix (log in again, ask the office), not a 401.
    let denied = matches!(e, AppError::Denied(_));
    let e = WebError::from_app(e, true);
    let status = if denied { StatusCode::FORBIDDEN } else { e.status };
    fresh_form(state, v, next, &e.message, "", status)
}
