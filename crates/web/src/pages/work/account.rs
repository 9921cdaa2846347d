//! 我的账号 (`/work/account`, linked from the user's name in every page's frame): change one's
//! own password (the current one required; every other session ends) and log out everywhere
//! (退出全部登录, for a computer left logged in elsewhere). The office resets other users'
//! passwords on the users page.

use super::form;
use crate::auth::{SESSION_COOKIE, Visitor, cookie, session_cookie};
use crate::error::WebResult;
use crate::extract::{Button, CheckedForm, LoggedIn};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jili_app::AppError;
use minijinja::context;
use serde::Deserialize;

/// The page's query after a change (`?done=password`).
#[derive(Debug, Deserialize, Default)]
pub(super) struct Done {
    #[serde(default)]
    done: String,
}

async fn page(v: &Visitor, ok: &str, error: &str) -> WebResult<Response> {
    let min_password = jili_app::users::MIN_PASSWORD;
    let max_password = jili_app::users::MAX_PASSWORD;
    let page = v.page("work/account.html", context! { ok, error, min_password, max_password })?;
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(form::with_status(status, page))
}

/// `GET /work/account`.
pub(super) async fn show(v: LoggedIn, Query(q): Query<Done>) -> WebResult<Response> {
    let ok = match q.done.as_str() {
        "password" => "密码已修改：您在其他浏览器和脚本中的登录已全部退出，本页的登录保留",
        _ => "",
    };
    page(&v, ok, "").await
}

/// The change-password form.
#[derive(Debug, Deserialize)]
pub(super) struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

/// `POST /work/account/password`: change one's own password, keeping this session.
pub(super) async fn change_password(
    v: LoggedIn,
    headers: HeaderMap,
    CheckedForm(f): CheckedForm<PasswordForm>,
) -> WebResult<Response> {
    if f.password != f.password2 {
        return page(&v, "", "两次输入的新密码不一致：请重新输入").await;
    }
    let keep = cookie(&headers, SESSION_COOKIE);
    match v.app.change_password(&f.current, &f.password, keep).await {
        Ok(_) => Ok(Redirect::to("/work/account?done=password").into_response()),
        Err(AppError::Invalid(m)) => page(&v, "", &m).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /work/account/logout-all`: end every session of the user, this one too, and go to
/// the login page.
pub(super) async fn logout_all(
    State(state): State<AppState>,
    v: LoggedIn,
    _: CheckedForm<Button>,
) -> WebResult<Response> {
    v.app.logout_all().await?;
    let mut r = Redirect::to("/login?done=logged_out_all").into_response();
    if let Ok(c) = HeaderValue::from_str(&session_cookie("", state.0.secure_cookies)) {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(r)
}
