//! The office's users page: who has an account and in which role, add one (the password typed
//! twice), disable or enable one, reset a forgotten password. Users are never deleted: the
//! audit log names them.

use super::form;
use crate::auth::Visitor;
use crate::error::WebResult;
use crate::extract::{CheckedForm, LoggedIn};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jili_app::users::NewUser;
use jili_app::{AppError, Role};
use minijinja::context;
use serde::{Deserialize, Serialize};

/// The roles an account may have (the public needs none): (kind, label).
const ROLES: [(&str, &str); 5] = [
    ("provider", "数据提供部门"),
    ("lead", "牵头单位"),
    ("unit", "评价对象"),
    ("auditor", "纪检监察"),
    ("office", "省政府办公厅"),
];

/// The add-user form; shown again (without the passwords) when it is refused.
#[derive(Debug, Default, Deserialize, Serialize)]
pub(super) struct AddForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    display: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
    #[serde(default, skip_serializing)]
    password: String,
    #[serde(default, skip_serializing)]
    password2: String,
}

/// The users page's query after a change (`?done=added` …): the message it shows.
#[derive(Debug, Deserialize, Default)]
pub(super) struct Done {
    #[serde(default)]
    done: String,
}

async fn page(v: &Visitor, ok: &str, error: &str, draft: &AddForm) -> WebResult<Response> {
    let users = v.app.users().await?;
    let users: Vec<_> = users
        .iter()
        .map(|u| {
            context! { name => u.name, display => u.display, role => u.role.kind(), role_label => u.role.label(),
            scope => u.role.scope(), disabled => u.disabled, created_at => u.created_at }
        })
        .collect();
    let (min_password, max_password) = (jili_app::users::MIN_PASSWORD, jili_app::users::MAX_PASSWORD);
    let roles = ROLES.to_vec();
    let page = v.page("work/users.html", context! { users, roles, ok, error, draft, min_password, max_password })?;
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(form::with_status(status, page))
}

/// `GET /work/users`.
pub(super) async fn list(v: LoggedIn, Query(q): Query<Done>) -> WebResult<Response> {
    let ok = match q.done.as_str() {
        "added" => "已添加用户",
        "disabled" => "已停用该用户：其全部会话已结束，重新启用后须重新登录；审计日志仍保留其名字",
        "enabled" => "已重新启用该用户：请其重新登录",
        "reset" => {
            "已重置密码：该用户的全部会话已结束。请通过安全的途径把新密码告诉本人，并请其登录后在“我的账号”中改为只有自己知道的密码"
        }
        _ => "",
    };
    page(&v, ok, "", &AddForm::default()).await
}

/// `POST /work/users`: add a user.
pub(super) async fn add(v: LoggedIn, CheckedForm(f): CheckedForm<AddForm>) -> WebResult<Response> {
    v.app.allow(jili_app::Action::ManageUsers)?;
    if f.password != f.password2 {
        return page(&v, "", "两次输入的密码不一致：请重新输入", &f).await;
    }
    let role = match Role::from_parts(f.role.trim(), f.scope.trim()) {
        Ok(r) => r,
        Err(e) => return page(&v, "", &e.to_string().replace("用 --scope ", ""), &f).await,
    };
    let new = NewUser { name: &f.name, display: &f.display, role, password: &f.password };
    match v.app.add_user(&new).await {
        Ok(()) => Ok(Redirect::to("/work/users?done=added").into_response()),
        Err(AppError::Invalid(m)) => page(&v, "", &m, &f).await,
        Err(AppError::Store(jili_app::StoreError::Conflict(m))) => page(&v, "", &m, &f).await,
        Err(e) => Err(e.into()),
    }
}

/// The form that disables or enables a user.
#[derive(Debug, Deserialize)]
pub(super) struct StateForm {
    #[serde(default)]
    name: String,
    /// `1` to disable, `0` to enable.
    #[serde(default)]
    disabled: String,
}

/// `POST /work/users/state`: disable or enable a user.
pub(super) async fn set_state(v: LoggedIn, CheckedForm(f): CheckedForm<StateForm>) -> WebResult<Response> {
    let disabled = f.disabled == "1";
    match v.app.set_user_disabled(&f.name, disabled).await {
        Ok(()) => {
            let done = if disabled { "disabled" } else { "enabled" };
            Ok(Redirect::to(&format!("/work/users?done={done}")).into_response())
        }
        Err(AppError::Invalid(m) | AppError::NotFound(m) | AppError::Store(jili_app::StoreError::Conflict(m))) => {
            page(&v, "", &m, &AddForm::default()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form that resets a user's password.
#[derive(Debug, Deserialize)]
pub(super) struct ResetForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

/// `POST /work/users/password`: the office sets a new password for a user who forgot theirs;
/// every session of that user ends.
pub(super) async fn reset_password(v: LoggedIn, CheckedForm(f): CheckedForm<ResetForm>) -> WebResult<Response> {
    v.app.allow(jili_app::Action::ManageUsers)?;
    if f.password != f.password2 {
        return page(&v, "", "两次输入的新密码不一致：请重新输入", &AddForm::default()).await;
    }
    match v.app.reset_password(&f.name, &f.password).await {
        Ok(()) => Ok(Redirect::to("/work/users?done=reset").into_response()),
        Err(AppError::Invalid(m) | AppError::NotFound(m) | AppError::Store(jili_app::StoreError::Conflict(m))) => {
            page(&v, "", &m, &AddForm::default()).await
        }
        Err(e) => Err(e.into()),
    }
}
