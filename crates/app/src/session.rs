//! Web sessions: log in with a name and password, get a random token for a cookie; every
//! request presents the token and acts as its user. The database holds only the token's hash,
//! so every server process on it knows every session and a stolen copy of the database does
//! not log anyone in. Failed logins are counted per name and per client address and refused
//! for a while once there are too many.

use crate::access::{Principal, Role};
use crate::error::{AppError, Result};
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

fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

impl App {
    /// Log in: check the password and start a session. `client` is the caller's address, for
    /// counting failures. Too many failures for the name or the address refuse even a right
    /// password until the window has passed.
    pub async fn login(&self, name: &str, password: &str, client: &str) -> Result<NewSession> {
        let now = clock::unix_now();
        let since = now - FAILURE_WINDOW_SECONDS;
        let name_key = format!("name:{}", name.trim());
        let client_key = format!("addr:{client}");
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
                return Err(AppError::RateLimited(format!(
                    "登录失败次数过多，请 {} 分钟后再试；忘记密码请联系省政府办公厅的系统管理员",
                    FAILURE_WINDOW_SECONDS / 60
                )));
            }
            tokio::time::sleep(PENDING_POLL).await;
            waited += PENDING_POLL;
        }
        let principal = self.authenticate(name, password).await?;
        self.store.forget_login_attempts(&attempts).await?;
        let token = random_token();
        let csrf = random_token();
        self.store.create_session(&token_hash(&token), &principal.name, &csrf, now, now + SESSION_SECONDS).await?;
        Ok(NewSession { token, csrf, principal })
    }

    /// The session behind a cookie's token, if it is live and its user still enabled.
    pub async fn session(&self, token: &str) -> Result<Option<LiveSession>> {
        let Some(s) = self.store.session(&token_hash(token), clock::unix_now()).await? else {
            return Ok(None);
        };
        let role = Role::from_parts(&s.user.role, &s.user.scope)?;
        Ok(Some(LiveSession { principal: Principal { name: s.user.name, role }, csrf: s.csrf }))
    }

    /// End a session.
    pub async fn logout(&self, token: &str) -> Result<()> {
        Ok(self.store.end_session(&token_hash(token)).await?)
    }
}
