//! The access log (访问日志): logins and failed logins (with the reason the user is not told),
//! single sign-ons and their refusals, logouts, password changes and resets, refused requests of logged-in users, and dry-run
//! imports — who, as which role, from which address, when, what about, and how it ended. The
//! auditor and the office search it and export it ([`crate::governance::access_export`]). It is not part
//! of the audit chain: nothing in it changes a record. Every row's text is bounded here, so a
//! visitor cannot grow a row, and anonymous visitors add rows only by trying to log in, which
//! is rate-limited (see [`App::login`]); their other refusals are not stored.

use crate::App;
use crate::access::{Action, Principal, Role};
use crate::clock;
use crate::error::{AppError, Result};
use jili_store::{AccessEntry, NewAccess};
use serde::Serialize;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessEvent {
    Login,
    Logout,
    /// 退出全部登录: every session of the user ended.
    LogoutAll,
    PasswordChange,
    /// The office set a user's password.
    PasswordReset,
    /// A logged-in user was refused a request (no permission, or a form without its token).
    Refused,
    /// A file checked without importing it.
    DryRun,
    /// A login through the single sign-on provider (统一身份认证).
    SsoLogin,
}

/// How it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessOutcome {
    Ok,
    UnknownUser,
    WrongPassword,
    Disabled,
    TooManyAttempts,
    Denied,
    /// A form or API write without its session's token.
    Csrf,
    /// A dry run that found errors.
    Rejected,
    /// A dry run that could not check the file (an unknown provider or encoding …).
    Failed,
    /// A single sign-on answer without a login under way for this browser: unknown, used or
    /// expired state.
    BadState,
    /// The provider refused the authorization code (used, expired, not this client's).
    CodeRejected,
    /// The ID token failed a check (signature, issuer, audience, expiry, nonce); the detail
    /// says which.
    BadToken,
    /// The person's claim maps to no role in the office's settings.
    Unmapped,
    /// The provider said no, or could not be asked.
    ProviderError,
}

impl AccessEvent {
    /// Every event, in the order the search form lists them.
    pub const ALL: [AccessEvent; 8] = [
        AccessEvent::Login,
        AccessEvent::Logout,
        AccessEvent::LogoutAll,
        AccessEvent::PasswordChange,
        AccessEvent::PasswordReset,
        AccessEvent::Refused,
        AccessEvent::DryRun,
        AccessEvent::SsoLogin,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            AccessEvent::Login => "login",
            AccessEvent::Logout => "logout",
            AccessEvent::LogoutAll => "logout_all",
            AccessEvent::PasswordChange => "password_change",
            AccessEvent::PasswordReset => "password_reset",
            AccessEvent::Refused => "refused",
            AccessEvent::DryRun => "dry_run",
            AccessEvent::SsoLogin => "sso_login",
        }
    }

    /// The event in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            AccessEvent::Login => "登录",
            AccessEvent::Logout => "退出",
            AccessEvent::LogoutAll => "退出全部登录",
            AccessEvent::PasswordChange => "修改密码",
            AccessEvent::PasswordReset => "重置密码",
            AccessEvent::Refused => "拒绝访问",
            AccessEvent::DryRun => "试导入（只校验）",
            AccessEvent::SsoLogin => "统一身份认证登录",
        }
    }

    /// The event of a stored code.
    pub fn parse(code: &str) -> Option<AccessEvent> {
        AccessEvent::ALL.into_iter().find(|e| e.code() == code)
    }
}

impl AccessOutcome {
    /// Every outcome, in the order the search form lists them.
    pub const ALL: [AccessOutcome; 14] = [
        AccessOutcome::Ok,
        AccessOutcome::UnknownUser,
        AccessOutcome::WrongPassword,
        AccessOutcome::Disabled,
        AccessOutcome::TooManyAttempts,
        AccessOutcome::Denied,
        AccessOutcome::Csrf,
        AccessOutcome::Rejected,
        AccessOutcome::Failed,
        AccessOutcome::BadState,
        AccessOutcome::CodeRejected,
        AccessOutcome::BadToken,
        AccessOutcome::Unmapped,
        AccessOutcome::ProviderError,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            AccessOutcome::Ok => "ok",
            AccessOutcome::UnknownUser => "unknown_user",
            AccessOutcome::WrongPassword => "wrong_password",
            AccessOutcome::Disabled => "disabled",
            AccessOutcome::TooManyAttempts => "too_many_attempts",
            AccessOutcome::Denied => "denied",
            AccessOutcome::Csrf => "csrf",
            AccessOutcome::Rejected => "rejected",
            AccessOutcome::Failed => "failed",
            AccessOutcome::BadState => "bad_state",
            AccessOutcome::CodeRejected => "code_rejected",
            AccessOutcome::BadToken => "bad_token",
            AccessOutcome::Unmapped => "unmapped",
            AccessOutcome::ProviderError => "provider_error",
        }
    }

    /// The outcome in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            AccessOutcome::Ok => "成功",
            AccessOutcome::UnknownUser => "用户名不存在",
            AccessOutcome::WrongPassword => "密码错误",
            AccessOutcome::Disabled => "账号已停用",
            AccessOutcome::TooManyAttempts => "失败次数过多，暂停登录",
            AccessOutcome::Denied => "无权限",
            AccessOutcome::Csrf => "表单令牌不符",
            AccessOutcome::Rejected => "校验未通过",
            AccessOutcome::Failed => "无法校验",
            AccessOutcome::BadState => "登录请求无效或已使用",
            AccessOutcome::CodeRejected => "授权码被拒绝",
            AccessOutcome::BadToken => "身份令牌无效",
            AccessOutcome::Unmapped => "未映射到角色",
            AccessOutcome::ProviderError => "认证服务报错或不可用",
        }
    }

    /// The outcome of a stored code.
    pub fn parse(code: &str) -> Option<AccessOutcome> {
        AccessOutcome::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// Longest user name kept (a name tried at login can be anything a visitor typed).
pub const MAX_USER: usize = 64;
/// Longest target kept (a request path, a file name).
pub const MAX_TARGET: usize = 300;
/// Longest detail kept.
pub const MAX_DETAIL: usize = 1000;

/// `text` cut to `max` characters, marked with `…` when cut; control characters other than
/// line breaks become spaces, so a row reads on one line wherever it is shown.
pub fn bounded(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).map(|c| if c.is_control() && c != '\n' { ' ' } else { c }).collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// The first eight hex digits of a session's token hash: enough to tell the sessions of one
/// user apart in the log (login, logout), far too little to find the session by.
pub fn session_label(token_hash: &str) -> String {
    format!("会话 {}", &token_hash[..token_hash.len().min(8)])
}

/// One row to record, before the actor and the time are added.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub event: AccessEvent,
    pub target: &'a str,
    pub outcome: AccessOutcome,
    pub detail: &'a str,
}

impl App {
    /// Record a row as the acting principal from its client.
    pub(crate) async fn record(&self, entry: Entry<'_>) -> Result<()> {
        let p = &self.principal;
        let (role, scope) = match p.role {
            Role::Public => ("", ""),
            _ => (p.role.kind(), p.role.scope()),
        };
        let user = if p.role == Role::Public { "" } else { p.name.as_str() };
        self.record_for(user, role, scope, entry).await
    }

    /// Record a row about `user` (a name tried at login, perhaps unknown) from this client.
    pub(crate) async fn record_for(&self, user: &str, role: &str, scope: &str, entry: Entry<'_>) -> Result<()> {
        self.write_row(user, role, scope, entry, None).await
    }

    /// [`App::record_for`], unless this client has a row of the same outcome since `since`
    /// (UTC): rows that need not be written again within a window.
    pub(crate) async fn record_once_for(
        &self,
        user: &str,
        role: &str,
        scope: &str,
        entry: Entry<'_>,
        since: &str,
    ) -> Result<()> {
        self.write_row(user, role, scope, entry, Some(since)).await
    }

    async fn write_row(&self, user: &str, role: &str, scope: &str, entry: Entry<'_>, once: Option<&str>) -> Result<()> {
        let (user, target, detail) =
            (bounded(user, MAX_USER), bounded(entry.target, MAX_TARGET), bounded(entry.detail, MAX_DETAIL));
        let at = clock::now_utc();
        let client = bounded(&self.client, MAX_USER);
        let row = NewAccess {
            at: &at,
            user_name: &user,
            role,
            scope,
            client: &client,
            event: entry.event.code(),
            target: &target,
            outcome: entry.outcome.code(),
            detail: &detail,
        };
        match once {
            Some(since) => self.store.record_access_once(&row, since).await.map(|_| ())?,
            None => self.store.record_access(&row).await.map(|_| ())?,
        }
        Ok(())
    }

    /// Record that the acting user was refused `target` (`POST /work/users`): the web calls it
    /// for every 403 it answers a logged-in user. `csrf` says the refusal was for a form or
    /// API write without its session's token. Nothing is recorded for the public: refusals of
    /// visitors who are not logged in would let anyone grow the log without bound.
    pub async fn record_refusal(&self, target: &str, csrf: bool, message: &str) -> Result<()> {
        if self.principal.role == Role::Public {
            return Ok(());
        }
        let outcome = if csrf { AccessOutcome::Csrf } else { AccessOutcome::Denied };
        self.record(Entry { event: AccessEvent::Refused, target, outcome, detail: message }).await
    }

    /// The principal of a stored user, for the command line acting for that user (changing
    /// their password with the current one). Only the office may look one up.
    pub async fn user_principal(&self, name: &str) -> Result<Principal> {
        self.allow(Action::ManageUsers)?;
        let user =
            self.store.user(name.trim()).await?.ok_or_else(|| {
                AppError::NotFound(format!("没有用户“{}”：用 jili user list 查看已有用户", name.trim()))
            })?;
        Ok(Principal { name: user.name, role: Role::from_parts(&user.role, &user.scope)? })
    }
}

/// A stored row as the log pages show it: codes with their Chinese labels, the time in
/// Beijing time too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessRow {
    #[serde(flatten)]
    pub entry: AccessEntry,
    /// `2026年11月30日 06:32`.
    pub beijing: String,
    pub event_label: String,
    pub outcome_label: String,
    pub role_label: String,
}

impl From<AccessEntry> for AccessRow {
    fn from(entry: AccessEntry) -> AccessRow {
        let label = |code: &str, known: Option<&'static str>| known.map_or_else(|| code.to_string(), String::from);
        AccessRow {
            beijing: clock::beijing_time(&entry.at),
            event_label: label(&entry.event, AccessEvent::parse(&entry.event).map(AccessEvent::label)),
            outcome_label: label(&entry.outcome, AccessOutcome::parse(&entry.outcome).map(AccessOutcome::label)),
            role_label: Role::from_parts(&entry.role, &entry.scope)
                .map_or_else(|_| String::new(), |r| r.label().into()),
            entry,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_round_trip() {
        for e in AccessEvent::ALL {
            assert_eq!(AccessEvent::parse(e.code()), Some(e));
            assert!(!e.label().is_empty());
        }
        for o in AccessOutcome::ALL {
            assert_eq!(AccessOutcome::parse(o.code()), Some(o));
        }
        assert_eq!(AccessEvent::parse("nope"), None);
    }

    #[test]
    fn text_is_bounded_and_kept_on_one_line() {
        assert_eq!(bounded("abc", 3), "abc");
        assert_eq!(bounded("abcd", 3), "abc…");
        assert_eq!(bounded("长沙市长沙县", 2), "长沙…");
        assert_eq!(bounded("a\tb\rc\nd\u{0}", 10), "a b c\nd ");
        assert_eq!(session_label("0123456789abcdef"), "会话 01234567");
        assert_eq!(session_label("01"), "会话 01");
    }
}
