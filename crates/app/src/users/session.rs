//! Web sessions: log in with a name and password, get a random token for a cookie; every
//! request presents the token and acts as its user. The database holds only the token's hash,
//! so every server process on it knows every session and a stolen copy of the database does
//! not log anyone in. Failed logins are counted per name and per client address and refused
//! for a while once there are too many. A user changes their own password here and logs out
//! everywhere; every login, failed login and logout goes into the access log.

use crate::access::{Action, Principal, Role};
use crate::error::{AppError, Result};
use crate::governance::access_log::{AccessEvent, AccessOutcome, Entry, MAX_USER, bounded, session_label};
use crate::users::{REFUSED_LOGIN, check_new_password, hash_password};
use crate::{App, clock};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use jili_store::hex;
use sha2::{Digest, Sha256};

/// How long a session lasts without logging in again: one working day.
pub const SESSION_SECONDS: i64 = 8 * 3600;
/// The window failed logins are counted in.
pub const FAILURE_WINDOW_SECONDS: i64 = 15 * 60;
/// Failed logins for one user name within the window after which logins for it are refused.
pub const MAX_FAILURES_PER_NAME: i64 = 5;
/// Failed logins from one client address within the window before its logins are refused.
pub const MAX_FAILURES_PER_CLIENT: i64 = 20;
/// How long a login past the limit waits for the attempts ahead of it that are still being
/// checked, before it is refused.
pub const PENDING_WAIT: std::time::Duration = std::time::Duration::from_secs(5);
/// How often it looks again meanwhile.
const PENDING_POLL: std::time::Duration = std::time::Duration::from_millis(50);

/// A session just started: the token goes into the cookie, the form token into every form.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf: String,
    pub principal: Principal,
}

/// A live session as a request finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSession {
    pub principal: Principal,
    pub csrf: String,
}

/// 32 random bytes as hex, from the operating system: session and form tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

pub(crate) fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

impl App {
    /// Log in: check the password and start a session. `client` is the caller's address, for
    /// counting failures. Too many failures for the name or the address refuse even a right
    /// password until the window has passed. Every login, and every refusal with its reason,
    /// is recorded in the access log (the user hears one sentence for every reason).
    pub async fn login(&self, name: &str, password: &str, client: &str) -> Result<NewSession> {
        let app = self.from_client(client);
        let principal = match app.guarded_check(name, password).await? {
            Ok(p) => p,
            Err(outcome) => {
                app.record_refused_check(AccessEvent::Login, name, outcome).await?;
                return Err(refusal(outcome));
            }
        };
        let detail = format!("有效 {} 小时", SESSION_SECONDS / 3600);
        app.start_session(principal, AccessEvent::Login, &detail).await
    }

    /// Start a session for `principal`, who has just proved who they are (a password, the
    /// single sign-on provider), and record it in the access log as `event` with `detail`.
    pub(crate) async fn start_session(
        &self,
        principal: Principal,
        event: AccessEvent,
        detail: &str,
    ) -> Result<NewSession> {
        let now = clock::unix_now();
        let token = random_token();
        let csrf = random_token();
        let hash = token_hash(&token);
        self.store.create_session(&hash, &principal.name, &csrf, now, now + SESSION_SECONDS).await?;
        let entry = Entry { event, target: &session_label(&hash), outcome: AccessOutcome::Ok, detail };
        self.acting_as(principal.clone()).record(entry).await?;
        Ok(NewSession { token, csrf, principal })
    }

    /// Check a password under the limits on failures: every attempt is counted (per name and
    /// per client address) before the password is checked, and forgotten only when it was
    /// right. The principal, or why not.
    async fn guarded_check(&self, name: &str, password: &str) -> Result<std::result::Result<Principal, AccessOutcome>> {
        let now = clock::unix_now();
        let since = now - FAILURE_WINDOW_SECONDS;
        // No user name is longer than MAX_USER: a longer one tried is counted by its start.
        let name_key = format!("name:{}", bounded(name.trim(), MAX_USER));
        let client_key = format!("addr:{}", self.client());
        // Every attempt is counted before the password is checked, and forgotten only when it
        // was right: attempts sent at the same moment cannot all slip under the limit.
        let attempts = [
            self.store.record_login_failure(&name_key, now).await?,
            self.store.record_login_failure(&client_key, now).await?,
        ];
        // Only the attempts recorded up to this one count against it. Those still being checked
        // count too, so many sent at once are tried no more than the limit allows; the ones past
        // it wait for them, since a right password is forgotten once checked: an office behind
        // one address logging in together at nine gets in, a guesser is refused.
        let mut waited = std::time::Duration::ZERO;
        while self.store.login_failures_before(&name_key, since, attempts[0]).await? > MAX_FAILURES_PER_NAME
            || self.store.login_failures_before(&client_key, since, attempts[1]).await? > MAX_FAILURES_PER_CLIENT
        {
            if waited >= PENDING_WAIT {
                // Refused unheard: this attempt tested no password, so it is no failure either.
                self.store.forget_login_attempts(&attempts).await?;
                return Ok(Err(AccessOutcome::TooManyAttempts));
            }
            tokio::time::sleep(PENDING_POLL).await;
            waited += PENDING_POLL;
        }
        let checked = self.check_password(name, password).await?;
        if checked.is_ok() {
            self.store.forget_login_attempts(&attempts).await?;
        }
        Ok(checked)
    }

    /// Record a refused password check. Refusals for too many attempts are recorded once per
    /// client address and window: past the limit, a guesser's every further try would
    /// otherwise add a row.
    async fn record_refused_check(&self, event: AccessEvent, name: &str, outcome: AccessOutcome) -> Result<()> {
        let user = self.store.user(name.trim()).await?;
        let (role, scope) = user.map(|u| (u.role, u.scope)).unwrap_or_default();
        // A login is about the session it would have started; a password change about the user.
        let target = if event == AccessEvent::Login { String::new() } else { format!("user/{}", name.trim()) };
        if outcome == AccessOutcome::TooManyAttempts {
            let detail = format!("{} 分钟内本地址此后被拒绝的尝试不再逐条记录", FAILURE_WINDOW_SECONDS / 60);
            let since = clock::format_utc((clock::unix_now() - FAILURE_WINDOW_SECONDS).max(0) as u64);
            let entry = Entry { event, target: &target, outcome, detail: &detail };
            return self.record_once_for(name.trim(), &role, &scope, entry, &since).await;
        }
        // The outcome says why.
        let entry = Entry { event, target: &target, outcome, detail: "" };
        self.record_for(name.trim(), &role, &scope, entry).await
    }

    /// The session behind a cookie's token, if it is live and its user still enabled.
    pub async fn session(&self, token: &str) -> Result<Option<LiveSession>> {
        let Some(s) = self.store.session(&token_hash(token), clock::unix_now()).await? else {
            return Ok(None);
        };
        let role = Role::from_parts(&s.user.role, &s.user.scope)?;
        Ok(Some(LiveSession { principal: Principal { name: s.user.name, role }, csrf: s.csrf }))
    }

    /// End a session; recorded in the access log when someone was logged in with it.
    pub async fn logout(&self, token: &str) -> Result<()> {
        let hash = token_hash(token);
        self.store.end_session(&hash).await?;
        if self.principal().role == Role::Public {
            return Ok(());
        }
        self.record(Entry {
            event: AccessEvent::Logout,
            target: &session_label(&hash),
            outcome: AccessOutcome::Ok,
            detail: "",
        })
        .await
    }

    /// 退出全部登录: end every session of the acting user, on every browser and script, this
    /// one included. How many were ended.
    pub async fn logout_all(&self) -> Result<u64> {
        self.allow(Action::ManageOwnAccount)?;
        let name = self.principal().name.clone();
        let ended = self.store.end_sessions_of(&name, None).await?;
        let (target, detail) = (format!("user/{name}"), format!("结束会话 {ended} 个"));
        self.record(Entry {
            event: AccessEvent::LogoutAll,
            target: &target,
            outcome: AccessOutcome::Ok,
            detail: &detail,
        })
        .await?;
        Ok(ended)
    }

    /// Change the acting user's own password: the current one is checked (under the same
    /// limits on failures as a login), the new one follows the rules of `user add`. Every other
    /// session of the user ends; `keep` is the token of the session making the change, which
    /// stays (none at the command line). Recorded in the audit log (without the hash) and the
    /// access log. How many sessions were ended.
    pub async fn change_password(&self, current: &str, new: &str, keep: Option<&str>) -> Result<u64> {
        self.allow(Action::ManageOwnAccount)?;
        let name = self.principal().name.clone();
        check_new_password(new)?;
        if new == current {
            return Err(AppError::Invalid("新密码与当前密码相同：请换一个新密码".into()));
        }
        if let Err(outcome) = self.guarded_check(&name, current).await? {
            self.record_refused_check(AccessEvent::PasswordChange, &name, outcome).await?;
            return Err(match outcome {
                AccessOutcome::TooManyAttempts => refusal(outcome),
                _ => AppError::Invalid(format!(
                    "当前密码不正确：请重新输入（15 分钟内连续输错 {MAX_FAILURES_PER_NAME} 次将暂停登录和修改密码）"
                )),
            });
        }
        let hash = hash_password(new).await?;
        let keep = keep.map(token_hash);
        let ended = self.store.set_password(&self.actor(), &name, &hash, false, keep.as_deref()).await?;
        let (target, detail) = (format!("user/{name}"), format!("结束其他会话 {ended} 个"));
        self.record(Entry {
            event: AccessEvent::PasswordChange,
            target: &target,
            outcome: AccessOutcome::Ok,
            detail: &detail,
        })
        .await?;
        Ok(ended)
    }
}

/// What a refused password check tells the user: too many attempts, or one sentence for
/// every other reason.
fn refusal(outcome: AccessOutcome) -> AppError {
    match outcome {
        AccessOutcome::TooManyAttempts => AppError::RateLimited(format!(
            "登录失败次数过多，请 {} 分钟后再试；忘记密码请联系省政府办公厅的系统管理员",
            FAILURE_WINDOW_SECONDS / 60
        )),
        _ => AppError::Denied(REFUSED_LOGIN.into()),
    }
}
