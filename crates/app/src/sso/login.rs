//! The two halves of a single sign-on: send the browser to the provider (a state bound to the
//! browser, a nonce, a PKCE challenge; the login under way kept in the database), and take the
//! provider's answer (the state used once, the code traded for an ID token, the token checked,
//! the claim mapped, the user added or brought up to date, a session started). Every refusal
//! is recorded in the access log with its reason, and counted against the client's address
//! like a wrong password.

use super::id_token::{self, Expected};
use super::provider::Exchange;
use super::{Sso, SsoError};
use crate::access::{Principal, Role};
use crate::error::{AppError, Result};
use crate::governance::access_log::{AccessEvent, AccessOutcome, Entry};
use crate::users::session::{FAILURE_WINDOW_SECONDS, MAX_FAILURES_PER_CLIENT, NewSession, random_token, token_hash};
use crate::{App, clock};
use base64::Engine;
use jili_store::{PendingSso, SsoUserChange, StoredUser};
use sha2::{Digest, Sha256};

/// How long a login may stay at the provider (entering a password, a second factor).
pub const PENDING_SECONDS: i64 = 600;
/// Logins under way at most; past it new ones are refused until some end or expire, so
/// visitors cannot fill the table.
pub const MAX_PENDING: i64 = 10_000;
/// What an SSO user has for a password: not a PHC string, so no password matches it.
const NO_PASSWORD: &str = "!sso";
/// Longest part of a user name taken from the provider (`sso.` goes before it; 64 in all).
const MAX_NAME_PART: usize = 56;

/// Where to send the browser, and the state to bind to it (a cookie the callback compares).
#[derive(Debug, Clone)]
pub struct SsoStart {
    pub url: String,
    pub state: String,
}

/// The provider's answer as the callback receives it (its query).
#[derive(Debug, Clone, Default)]
pub struct SsoCallback {
    pub code: String,
    pub state: String,
    pub error: String,
    pub error_description: String,
    /// The issuer the provider says answered (RFC 9207), when it says.
    pub iss: String,
}

/// A refused single sign-on: the row for the access log and the sentence for the user.
struct Refusal {
    outcome: AccessOutcome,
    user: String,
    detail: String,
    error: SsoError,
}

impl Refusal {
    fn new(outcome: AccessOutcome, detail: impl Into<String>, message: impl Into<String>) -> Refusal {
        Refusal { outcome, user: String::new(), detail: detail.into(), error: SsoError::Refused(message.into()) }
    }

    fn by(mut self, user: &str) -> Refusal {
        self.user = user.to_string();
        self
    }
}

impl App {
    /// Start a single sign-on that returns to `next` (a path on this site): the provider's
    /// authorization URL and the state the browser must bring back.
    pub async fn sso_begin(&self, sso: &Sso, next: &str) -> Result<SsoStart> {
        let discovery = sso.provider.discovery().await?;
        let (state, nonce, verifier) = (random_token(), random_token(), random_token());
        let now = clock::unix_now();
        let pending = PendingSso {
            nonce: nonce.clone(),
            verifier: verifier.clone(),
            next: next.chars().take(1000).collect(),
            expires_at: now + PENDING_SECONDS,
        };
        if !self.store.begin_sso(&token_hash(&state), &pending, now, MAX_PENDING).await? {
            return Err(AppError::RateLimited("正在进行的统一身份认证登录过多，请几分钟后再试".into()));
        }
        let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let c = sso.config();
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("response_type", "code")
            .append_pair("client_id", &c.client_id)
            .append_pair("redirect_uri", &c.redirect_url)
            .append_pair("scope", &c.scope_param())
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256")
            .finish();
        let sep = if discovery.authorization_endpoint.contains('?') { '&' } else { '?' };
        Ok(SsoStart { url: format!("{}{sep}{query}", discovery.authorization_endpoint), state })
    }

    /// Finish a single sign-on with the provider's answer; `bound_state` is the state the
    /// browser's cookie holds. A session like a local login's, or the refusal (recorded).
    /// Returns where to go next too.
    pub async fn sso_finish(&self, sso: &Sso, answer: &SsoCallback, bound_state: &str) -> Result<(NewSession, String)> {
        let client_key = format!("addr:{}", self.client());
        let now = clock::unix_now();
        let attempt = self.store.record_login_failure(&client_key, now).await?;
        let since = now - FAILURE_WINDOW_SECONDS;
        if self.store.login_failures_before(&client_key, since, attempt).await? > MAX_FAILURES_PER_CLIENT {
            self.store.forget_login_attempts(&[attempt]).await?;
            let detail = format!("{} 分钟内本地址此后被拒绝的尝试不再逐条记录", FAILURE_WINDOW_SECONDS / 60);
            let entry = Entry {
                event: AccessEvent::SsoLogin,
                target: "",
                outcome: AccessOutcome::TooManyAttempts,
                detail: &detail,
            };
            self.record_once_for("", "", "", entry, &clock::format_utc(since.max(0) as u64)).await?;
            return Err(AppError::RateLimited(format!(
                "登录失败次数过多，请 {} 分钟后再试",
                FAILURE_WINDOW_SECONDS / 60
            )));
        }
        match self.sso_check(sso, answer, bound_state, now).await {
            Ok((principal, next, detail)) => {
                self.store.forget_login_attempts(&[attempt]).await?;
                let session = self.start_session(principal, AccessEvent::SsoLogin, &detail).await?;
                Ok((session, next))
            }
            Err(r) => {
                // The provider being down is no failure of this client's.
                if r.outcome == AccessOutcome::ProviderError {
                    self.store.forget_login_attempts(&[attempt]).await?;
                }
                let entry = Entry { event: AccessEvent::SsoLogin, target: "", outcome: r.outcome, detail: &r.detail };
                self.record_for(&r.user, "", "", entry).await?;
                Err(r.error.into())
            }
        }
    }

    /// Every check of the answer, in order; the principal, the path to go to and the access
    /// log's detail, or the refusal.
    async fn sso_check(
        &self,
        sso: &Sso,
        answer: &SsoCallback,
        bound_state: &str,
        now: i64,
    ) -> std::result::Result<(Principal, String, String), Refusal> {
        let again = "请回到登录页重新点击“统一身份认证登录”";
        if answer.state.is_empty()
            || answer.state.len() > 128
            || bound_state.is_empty()
            || !constant_time_eq(answer.state.as_bytes(), bound_state.as_bytes())
        {
            return Err(Refusal::new(
                AccessOutcome::BadState,
                "state 与浏览器的 Cookie 不符或缺失",
                format!("这次登录的应答不属于本浏览器发起的登录请求（state 不符）：{again}"),
            ));
        }
        let store_error = |e: jili_store::StoreError| {
            Refusal::new(AccessOutcome::ProviderError, e.to_string(), format!("无法完成登录：{e}"))
        };
        let Some(pending) = self.store.take_sso(&token_hash(&answer.state), now).await.map_err(store_error)? else {
            return Err(Refusal::new(
                AccessOutcome::BadState,
                "state 已使用或已过期",
                format!("这次登录请求已使用或已过期（{} 分钟内有效）：{again}", PENDING_SECONDS / 60),
            ));
        };
        let c = sso.config();
        // An answer naming another issuer came from another provider (a mix-up attack).
        if !answer.iss.is_empty() && answer.iss.trim_end_matches('/') != c.issuer.trim_end_matches('/') {
            return Err(Refusal::new(
                AccessOutcome::BadState,
                format!("应答的 iss 为 {}", bounded(&answer.iss, 200)),
                format!("这次登录的应答不是配置的认证服务给出的（iss 不符）：{again}"),
            ));
        }
        if !answer.error.is_empty() {
            let (error, description) = (bounded(&answer.error, 100), bounded(&answer.error_description, 300));
            return Err(Refusal::new(
                AccessOutcome::ProviderError,
                format!("认证服务答复 {error}：{description}"),
                format!("统一身份认证没有完成（{error}：{description}）：{again}"),
            ));
        }
        if answer.code.is_empty() || answer.code.len() > 2048 {
            return Err(Refusal::new(
                AccessOutcome::CodeRejected,
                "应答中没有授权码或授权码过长",
                format!("认证服务的应答中没有有效的授权码：{again}"),
            ));
        }
        let token = match sso
            .provider
            .exchange(&answer.code, &pending.verifier, &c.redirect_url, &c.client_id, &sso.secret)
            .await
        {
            Ok(t) => t,
            Err(Exchange::Refused { error, description }) => {
                let (error, description) = (bounded(&error, 100), bounded(&description, 300));
                return Err(Refusal::new(
                    AccessOutcome::CodeRejected,
                    format!("令牌端点拒绝授权码：{error}：{description}"),
                    format!("认证服务拒绝了授权码（{error}：{description}）：授权码只能使用一次且很快失效，{again}"),
                ));
            }
            Err(Exchange::Unavailable(why)) => {
                return Err(Refusal {
                    outcome: AccessOutcome::ProviderError,
                    user: String::new(),
                    detail: bounded(&why, 500),
                    error: SsoError::Unavailable(why),
                });
            }
        };
        let unavailable = |e: SsoError| Refusal {
            outcome: AccessOutcome::ProviderError,
            user: String::new(),
            detail: bounded(&e.to_string(), 500),
            error: e,
        };
        let algorithms = sso.provider.discovery().await.map_err(unavailable)?.id_token_signing_alg_values_supported;
        let kid = jsonwebtoken::decode_header(&token).ok().and_then(|h| h.kid);
        let keys = sso.provider.keys(kid.as_deref()).await.map_err(unavailable)?;
        let expected =
            Expected { issuer: &c.issuer, client_id: &c.client_id, nonce: &pending.nonce, algorithms: &algorithms };
        let claims = id_token::check(&token, &keys, &expected).map_err(|p| {
            let detail = match &p {
                id_token::TokenProblem::Signature(why) | id_token::TokenProblem::Malformed(why) => {
                    format!("{}：{why}", p.code())
                }
                _ => p.code().to_string(),
            };
            Refusal::new(AccessOutcome::BadToken, detail, p.message())
        })?;
        let subject = claims.get("sub").and_then(|v| v.as_str()).unwrap_or_default().to_string();
        let name = user_name(&claims, &c.name_claim, &subject);
        let values = id_token::claim_values(&claims, &c.role_claim);
        let shown = if values.is_empty() { "（无）".to_string() } else { values.join("、") };
        let Some((role, matched)) = c.role_for(&values) else {
            return Err(Refusal::new(
                AccessOutcome::Unmapped,
                format!("sub={subject}；{}={shown}", c.role_claim),
                format!(
                    "您的统一身份认证账号（{}：{shown}）没有对应本系统的角色：请联系省政府办公厅在单点登录映射中为其配置角色",
                    c.role_claim
                ),
            )
            .by(&name));
        };
        let matched = matched.to_string();
        if let Err(e) = self.check_role(&role).await {
            return Err(Refusal::new(
                AccessOutcome::Unmapped,
                format!("sub={subject}；{}={matched} 映射到的角色无效：{e}", c.role_claim),
                format!("单点登录映射给出的角色无效（{e}）：请联系省政府办公厅修正映射"),
            )
            .by(&name));
        }
        let (principal, change) = self.sso_user(&c.issuer, &subject, &name, &claims, &role).await.map_err(|e| {
            Refusal::new(AccessOutcome::ProviderError, e.to_string(), format!("无法完成登录：{e}")).by(&name)
        })?;
        let Some(principal) = principal else {
            return Err(Refusal::new(
                AccessOutcome::Disabled,
                format!("sub={subject}"),
                "您的账号已在本系统停用：请联系省政府办公厅",
            )
            .by(&name));
        };
        let change = match change {
            SsoUserChange::Added => "；首次登录，已建账号".to_string(),
            SsoUserChange::Updated { before } => format!("；角色由 {before} 更新"),
            SsoUserChange::Same => String::new(),
        };
        let detail = format!("sub={subject}；{}={matched}{change}", c.role_claim);
        Ok((principal, pending.next, detail))
    }

    /// The user behind `subject`, added or brought up to date; `None` when the office has
    /// disabled it.
    async fn sso_user(
        &self,
        issuer: &str,
        subject: &str,
        name: &str,
        claims: &serde_json::Map<String, serde_json::Value>,
        role: &Role,
    ) -> Result<(Option<Principal>, SsoUserChange)> {
        let linked = self.store.sso_user_name(issuer, subject).await?;
        // A new subject whose name another account has (a local one, or another provider's
        // person): the name gets a suffix from the subject, the same at every login.
        let name = match linked {
            Some(n) => n,
            None if self.store.user(name).await?.is_some() => {
                let digest = Sha256::digest(format!("{issuer}\n{subject}").as_bytes());
                format!("{name}.{}", &jili_store::hex(&digest)[..8])
            }
            None => name.to_string(),
        };
        let display = claims
            .get("name")
            .and_then(|v| v.as_str())
            .map(|s| bounded(s.trim(), 100))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| name.clone());
        let wanted = StoredUser {
            name: name.clone(),
            display,
            role: role.kind().to_string(),
            scope: role.scope().to_string(),
            password: NO_PASSWORD.into(),
            disabled: false,
            created_at: clock::now_utc(),
        };
        let who = self.acting_as(Principal { name: name.clone(), role: role.clone() }).actor();
        let (stored, change) = self.store.sso_user(&who, issuer, subject, &wanted).await?;
        if stored.disabled {
            return Ok((None, change));
        }
        Ok((Some(Principal { role: Role::from_parts(&stored.role, &stored.scope)?, name: stored.name }), change))
    }
}

/// `sso.` and the name the provider gives (the `name_claim`, or the subject), when it makes a
/// user name (at most 56 characters, no space or `/`); else a digest of the subject.
fn user_name(claims: &serde_json::Map<String, serde_json::Value>, name_claim: &str, subject: &str) -> String {
    let fits = |s: &str| {
        !s.is_empty()
            && s.chars().count() <= MAX_NAME_PART
            && !s.chars().any(|c| c.is_whitespace() || c.is_control() || c == '/')
    };
    let given = claims.get(name_claim).and_then(|v| v.as_str()).filter(|s| fits(s));
    let part = match given {
        Some(s) => s.to_string(),
        None if fits(subject) => subject.to_string(),
        None => jili_store::hex(&Sha256::digest(subject.as_bytes()))[..16].to_string(),
    };
    format!("sso.{part}")
}

fn bounded(text: &str, max: usize) -> String {
    crate::governance::access_log::bounded(text, max)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl From<SsoError> for AppError {
    fn from(e: SsoError) -> AppError {
        match e {
            SsoError::Refused(m) => AppError::Denied(m),
            SsoError::Unavailable(_) => AppError::Unavailable(e.to_string()),
            SsoError::Config { .. } => AppError::Invalid(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_name_comes_from_the_provider_and_always_fits() {
        let claims: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(r#"{"preferred_username": "li.fgw", "odd": "a b"}"#).unwrap();
        assert_eq!(user_name(&claims, "preferred_username", "s-1"), "sso.li.fgw");
        assert_eq!(user_name(&claims, "odd", "s-1"), "sso.s-1", "a name with a space: the subject");
        let long = "x".repeat(300);
        let name = user_name(&claims, "missing", &long);
        assert!(name.starts_with("sso.") && name.len() == 20, "{name}");
    }
}
