//! Single sign-on as stored: the logins under way (state hash, nonce, PKCE verifier; used once)
//! and the link of a provider's subject to the jili user it became. The user row itself is an
//! ordinary user, sealed in the audit log like every other; it has no usable password.

use crate::Store;
use crate::audit::{self, Actor};
use crate::db::on;
use crate::error::{Result, StoreError};
use crate::users::StoredUser;
use sqlx::FromRow;

/// A login under way, as the callback finds it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PendingSso {
    pub nonce: String,
    pub verifier: String,
    pub next: String,
    pub expires_at: i64,
}

/// What a single sign-on did to the user behind a subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SsoUserChange {
    /// The subject's first login: the user was added.
    Added,
    /// The provider now says another role, scope or display name: the user was updated.
    Updated { before: String },
    /// Nothing changed.
    Same,
}

impl Store {
    /// Record a login under way. Expired ones are deleted first; when `max_pending` unexpired
    /// ones are already waiting, none is added (a visitor cannot fill the table) and `false`
    /// is returned.
    pub async fn begin_sso(&self, state_hash: &str, pending: &PendingSso, now: i64, max_pending: i64) -> Result<bool> {
        let mut tx = self.pool.write_unaudited().await?;
        on!(tx.conn(), |c| sqlx::query("DELETE FROM sso_logins WHERE expires_at <= $1")
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
        let waiting: i64 =
            on!(tx.conn(), |c| sqlx::query_scalar("SELECT COUNT(*) FROM sso_logins").fetch_one(c).await?);
        if waiting >= max_pending {
            tx.commit().await?;
            return Ok(false);
        }
        on!(tx.conn(), |c| {
            sqlx::query(
            "INSERT INTO sso_logins (state_hash, nonce, verifier, next, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(state_hash)
        .bind(&pending.nonce)
        .bind(&pending.verifier)
        .bind(&pending.next)
        .bind(now)
        .bind(pending.expires_at)
        .execute(c)
        .await?
        .rows_affected()
        });
        tx.commit().await?;
        Ok(true)
    }

    /// Take the login under way with this state hash: it is deleted in the same transaction,
    /// so a state is used once however many requests bring it at once. `None` when there is
    /// none, or it has expired.
    pub async fn take_sso(&self, state_hash: &str, now: i64) -> Result<Option<PendingSso>> {
        let mut tx = self.pool.write_unaudited().await?;
        let found: Option<PendingSso> = on!(tx.conn(), |c| sqlx::query_as(
            "SELECT nonce, verifier, next, expires_at FROM sso_logins WHERE state_hash = $1"
        )
        .bind(state_hash)
        .fetch_optional(c)
        .await?);
        let deleted = on!(tx.conn(), |c| sqlx::query("DELETE FROM sso_logins WHERE state_hash = $1")
            .bind(state_hash)
            .execute(c)
            .await?
            .rows_affected());
        tx.commit().await?;
        Ok(found.filter(|p| deleted == 1 && p.expires_at > now))
    }

    /// The user a provider's subject signs in as: added at its first login (`user` as the
    /// provider describes it, its name unused by anyone), brought up to date with the
    /// provider's role, scope and display name at every later one. Adding and updating are
    /// recorded in the audit log; the link's last login is not (it changes no record).
    /// Returns the user as stored now (perhaps disabled by the office) and what changed.
    pub async fn sso_user(
        &self,
        who: &Actor,
        issuer: &str,
        subject: &str,
        user: &StoredUser,
    ) -> Result<(StoredUser, SsoUserChange)> {
        let mut tx = self.write().await?;
        let linked: Option<String> = on!(tx.conn(), |c| sqlx::query_scalar(
            "SELECT user_name FROM sso_identities WHERE issuer = $1 AND subject = $2"
        )
        .bind(issuer)
        .bind(subject)
        .fetch_optional(c)
        .await?);
        let change = match &linked {
            None => {
                let taken: Option<String> =
                    on!(tx.conn(), |c| sqlx::query_scalar("SELECT name FROM users WHERE name = $1")
                        .bind(&user.name)
                        .fetch_optional(c)
                        .await?);
                if taken.is_some() {
                    return Err(StoreError::Conflict(format!(
                        "用户名“{}”已被另一个账号使用：单点登录账号不能与之同名",
                        user.name
                    )));
                }
                on!(tx.conn(), |c| {
                    sqlx::query(
                    "INSERT INTO users (name, display, role, scope, password, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&user.name)
                .bind(&user.display)
                .bind(&user.role)
                .bind(&user.scope)
                .bind(&user.password)
                .bind(false)
                .bind(&user.created_at)
                .execute(c)
                .await?
                .rows_affected()
                });
                on!(tx.conn(), |c| {
                    sqlx::query(
                    "INSERT INTO sso_identities (issuer, subject, user_name, created_at, last_login) VALUES ($1, $2, $3, $4, $4)",
                )
                .bind(issuer)
                .bind(subject)
                .bind(&user.name)
                .bind(&user.created_at)
                .execute(c)
                .await?
                .rows_affected()
                });
                let object = format!("user/{}", user.name);
                let detail =
                    format!("{} 角色 {}{}（统一身份认证首次登录）", user.display, user.role, scope_note(&user.scope));
                audit::append(&mut tx, who, "user.add", &object, &detail, std::slice::from_ref(&object)).await?;
                SsoUserChange::Added
            }
            Some(name) => {
                let now: StoredUser = on!(tx.conn(), |c| sqlx::query_as("SELECT * FROM users WHERE name = $1")
                    .bind(name)
                    .fetch_one(c)
                    .await?);
                on!(tx.conn(), |c| sqlx::query(
                    "UPDATE sso_identities SET last_login = $1 WHERE issuer = $2 AND subject = $3"
                )
                .bind(&user.created_at)
                .bind(issuer)
                .bind(subject)
                .execute(c)
                .await?
                .rows_affected());
                if (now.role.as_str(), now.scope.as_str(), now.display.as_str())
                    == (user.role.as_str(), user.scope.as_str(), user.display.as_str())
                {
                    SsoUserChange::Same
                } else {
                    on!(tx.conn(), |c| sqlx::query(
                        "UPDATE users SET role = $1, scope = $2, display = $3 WHERE name = $4"
                    )
                    .bind(&user.role)
                    .bind(&user.scope)
                    .bind(&user.display)
                    .bind(name)
                    .execute(c)
                    .await?
                    .rows_affected());
                    let before = format!("{}{}", now.role, scope_note(&now.scope));
                    let detail = format!(
                        "统一身份认证：角色 {before} → {}{}，名称 {}",
                        user.role,
                        scope_note(&user.scope),
                        user.display
                    );
                    let object = format!("user/{name}");
                    audit::append(&mut tx, who, "user.sso", &object, &detail, std::slice::from_ref(&object)).await?;
                    SsoUserChange::Updated { before }
                }
            }
        };
        let name = linked.as_deref().unwrap_or(&user.name);
        let stored: StoredUser =
            on!(tx.conn(), |c| sqlx::query_as("SELECT * FROM users WHERE name = $1").bind(name).fetch_one(c).await?);
        tx.commit().await?;
        Ok((stored, change))
    }

    /// The user a provider's subject signed in as, if it ever did.
    pub async fn sso_user_name(&self, issuer: &str, subject: &str) -> Result<Option<String>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_scalar(
            "SELECT user_name FROM sso_identities WHERE issuer = $1 AND subject = $2"
        )
        .bind(issuer)
        .bind(subject)
        .fetch_optional(p)
        .await?))
    }
}

fn scope_note(scope: &str) -> String {
    if scope.is_empty() { String::new() } else { format!("（{scope}）") }
}
