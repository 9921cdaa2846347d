//! Web sessions, failed logins and notes on anomaly flags. Sessions live in the database so
//! every server process on it knows them; only a hash of the cookie's token is stored.

use crate::Store;
use crate::audit::{self, Actor};
use crate::db::on;
use crate::error::{Result, StoreError};
use crate::users::StoredUser;
use sqlx::FromRow;

/// The user behind a live session, with the session's form token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub user: StoredUser,
    pub csrf: String,
}

/// A provider's note on an anomaly flag.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct FlagNote {
    pub id: i64,
    pub flag_id: i64,
    pub note: String,
    pub actor: String,
    pub at: String,
}

impl Store {
    /// Start a session for `user` (an enabled user's name) lasting until `expires_at`.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: &str,
        csrf: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        let mut tx = self.pool.write_unaudited().await?;
        on!(tx.conn(), |c| sqlx::query("DELETE FROM web_sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(c)
            .await?
            .rows_affected());
        on!(tx.conn(), |c| sqlx::query(
            "INSERT INTO web_sessions (token_hash, user_name, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(token_hash)
        .bind(user)
        .bind(csrf)
        .bind(now)
        .bind(expires_at)
        .execute(c)
        .await?
        .rows_affected());
        tx.commit().await?;
        Ok(())
    }

    /// The user of a live session: not expired, and the user not disabled since.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<SessionUser>> {
        let row: Option<(String, String)> = on!(self.pool.get(), |p| sqlx::query_as(
            "SELECT user_name, csrf FROM web_sessions WHERE token_hash = $1 AND expires_at > $2"
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(p)
        .await?);
        let Some((name, csrf)) = row else { return Ok(None) };
        Ok(self.user(&name).await?.filter(|u| !u.disabled).map(|user| SessionUser { user, csrf }))
    }

    /// End a session (logout). Ending one that is gone is not an error.
    pub async fn end_session(&self, token_hash: &str) -> Result<()> {
        on!(self.pool.get(), |p| sqlx::query("DELETE FROM web_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }

    /// End every session of `user` (logging out everywhere), or all but the one whose token
    /// hash is `keep`; how many were ended.
    pub async fn end_sessions_of(&self, user: &str, keep: Option<&str>) -> Result<u64> {
        let mut tx = self.pool.write_unaudited().await?;
        let ended = crate::users::end_sessions(&mut tx, user, keep).await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// Note a login attempt for `client` (a user name or an address) before the password is
    /// checked, so that attempts made at the same moment all count; the caller forgets it when
    /// the password was right. Returns the attempt's id.
    pub async fn record_login_failure(&self, client: &str, now: i64) -> Result<i64> {
        let mut tx = self.pool.write_unaudited().await?;
        on!(tx.conn(), |c| sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(now - 86_400)
            .execute(c)
            .await?
            .rows_affected());
        let id = on!(tx.conn(), |c| sqlx::query_scalar(
            "INSERT INTO login_failures (client, at) VALUES ($1, $2) RETURNING id"
        )
        .bind(client)
        .bind(now)
        .fetch_one(c)
        .await?);
        tx.commit().await?;
        Ok(id)
    }

    /// Forget login attempts that turned out right.
    pub async fn forget_login_attempts(&self, ids: &[i64]) -> Result<()> {
        for id in ids {
            on!(self.pool.get(), |p| sqlx::query("DELETE FROM login_failures WHERE id = $1")
                .bind(id)
                .execute(p)
                .await?
                .rows_affected());
        }
        Ok(())
    }

    /// How many logins failed for `client` since `since` (unix seconds).
    pub async fn login_failures(&self, client: &str, since: i64) -> Result<i64> {
        Ok(on!(self.pool.get(), |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failures WHERE client = $1 AND at >= $2"
        )
        .bind(client)
        .bind(since)
        .fetch_one(p)
        .await?))
    }

    /// [`Store::login_failures`] counting only the attempts recorded up to attempt `up_to`.
    pub async fn login_failures_before(&self, client: &str, since: i64, up_to: i64) -> Result<i64> {
        Ok(on!(self.pool.get(), |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failures WHERE client = $1 AND at >= $2 AND id <= $3"
        )
        .bind(client)
        .bind(since)
        .bind(up_to)
        .fetch_one(p)
        .await?))
    }

    /// Add a note to an anomaly flag, recorded in the audit log. Returns the note's id.
    pub async fn add_flag_note(&self, who: &Actor, flag_id: i64, note: &str) -> Result<i64> {
        let mut tx = self.write().await?;
        let flag: Option<(String, String, String)> =
            on!(tx.conn(), |c| sqlx::query_as("SELECT series, unit, period FROM flags WHERE id = $1")
                .bind(flag_id)
                .fetch_optional(c)
                .await?);
        let Some((series, unit, period)) = flag else {
            return Err(StoreError::Conflict(format!("没有编号为 {flag_id} 的异常提示：请在数据核查页面查看现有提示")));
        };
        let id: i64 = on!(tx.conn(), |c| {
            sqlx::query_scalar(
            "INSERT INTO flag_notes (id, flag_id, note, actor, at) VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM flag_notes), $1, $2, $3, $4) RETURNING id",
        )
        .bind(flag_id)
        .bind(note)
        .bind(&who.name)
        .bind(&who.at)
        .fetch_one(c)
        .await?
        });
        let object = format!("flagnote/{id}");
        let detail = format!("异常提示 {flag_id}（{series} {unit} {period}）：{note}");
        audit::append(&mut tx, who, "flag.note", &object, &detail, std::slice::from_ref(&object)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The notes on the flags, oldest first.
    pub async fn flag_notes(&self) -> Result<Vec<FlagNote>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM flag_notes ORDER BY id").fetch_all(p).await?))
    }
}
