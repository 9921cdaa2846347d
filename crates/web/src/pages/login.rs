//! Log in, log out, switch language. The login form carries a token from a short-lived cookie
//! (double submit), so another site cannot log a browser in under someone else's account.

use crate::auth::{ClientAddr, LANG_COOKIE, Visitor, cookie, session_cookie};
use crate::error::{WebError, WebResult};
use crate::extract::{Button, CheckedForm};
use crate::render::Page;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use minijinja::context;
use serde::Deserialize;

const LOGIN_COOKIE: &str = "jili_login";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route("/lang", get(switch_lang))
}

#[derive(Deserialize, Default)]
struct Next {
    #[serde(default)]
    next: String,
    /// `logged_out_all` after 退出全部登录.
    #[serde(default)]
    done: String,
}

/// Only a path on this site may be returned to: it starts with one `/`, and holds no
/// backslash, whitespace or control character (browsers drop a tab in `/\t/evil.example`
/// and would leave the site).
pub(crate) fn safe_next(next: &str) -> &str {
    let on_site = next.starts_with('/')
        && !next.starts_with("//")
        && !next.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    if on_site { next } else { "/work" }
}

pub(super) fn with_cookie(mut r: Response, value: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(value) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}

fn form_page(v: &Visitor, sso: bool, token: &str, next: &str, message: &str, notice: &str) -> WebResult<Page> {
    let sso_next = form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>();
    v.page(
        "login.html",
        context! { login_token => token, next => next, message => message, notice => notice, sso => sso, sso_next => sso_next },
    )
}

async fn login_form(State(state): State<AppState>, v: Visitor, Query(q): Query<Next>) -> WebResult<Response> {
    let notice = if q.done == "logged_out_all" { crate::i18n::word(v.lang, "login_logged_out_all") } else { "" };
    fresh_form(&state, &v, safe_next(&q.next), "", notice, StatusCode::OK)
}

/// The login page with a new form token (and its cookie), a message or notice, and `status`:
/// also the answer to a refused single sign-on.
pub(super) fn fresh_form(
    state: &AppState,
    v: &Visitor,
    next: &str,
    message: &str,
    notice: &str,
    status: StatusCode,
) -> WebResult<Response> {
    let token = jili_app::users::session::random_token();
    let page = form_page(v, state.sso().is_some(), &token, next, message, notice)?;
    Ok(with_cookie(
        (status, page).into_response(),
        &format!("{LOGIN_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=1800"),
    ))
}

#[derive(Deserialize)]
struct LoginForm {
    name: String,
    password: String,
    #[serde(default)]
    login_token: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(state): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    ClientAddr(addr): ClientAddr,
    Form(f): Form<LoginForm>,
) -> WebResult<Response> {
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    if expected.is_empty() || expected != f.login_token {
        return Err(WebError::csrf());
    }
    match state.app().login(&f.name, &f.password, &addr).await {
        Ok(s) => {
            let r = Redirect::to(safe_next(&f.next)).into_response();
            let r = with_cookie(r, &session_cookie(&s.token, state.0.secure_cookies));
            Ok(with_cookie(r, &format!("{LOGIN_COOKIE}=; Path=/login; HttpOnly; SameSite=Strict; Max-Age=0")))
        }
        Err(e) => {
            let e = WebError::from_app(e, false);
            let page = form_page(&v, state.sso().is_some(), expected, safe_next(&f.next), &e.message, "")?;
            Ok((e.status, page).into_response())
        }
    }
}

async fn logout(
    State(state): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    _: CheckedForm<Button>,
) -> WebResult<Response> {
    if let Some(token) = cookie(&headers, crate::auth::SESSION_COOKIE) {
        v.app.logout(token).await?;
    }
    Ok(with_cookie(Redirect::to("/").into_response(), &session_cookie("", state.0.secure_cookies)))
}

#[derive(Deserialize)]
struct LangQuery {
    to: String,
    #[serde(default)]
    back: String,
}

async fn switch_lang(Query(q): Query<LangQuery>) -> Response {
    let lang = crate::i18n::Lang::parse(&q.to);
    let code = if lang == crate::i18n::Lang::En { "en" } else { "zh" };
    let back = if q.back.is_empty() { "/" } else { safe_next(&q.back) };
    with_cookie(
        Redirect::to(back).into_response(),
        &format!("{LANG_COOKIE}={code}; Path=/; SameSite=Strict; Max-Age=31536000"),
    )
}
