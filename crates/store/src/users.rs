//! Users as stored. The password is an argon2id PHC string made by the app; the store never
//! sees a password.

use crate::Store;
use crate::audit::{self, Actor};
use crate::db::{Tx, on};
use crate::error::{Result, StoreError};
use sqlx::FromRow;

/// A stored user.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredUser {
    pub name: String,
    pub display: String,
    /// office / lead / provider / auditor / unit.
    pub role: String,
    /// A department code (lead, provider), a unit code (unit), or empty.
    pub scope: String,
    /// argon2id, PHC string.
    pub password: String,
    pub disabled: bool,
    pub created_at: String,
}

impl Store {
    /// Add a user. Fails when the name is taken.
    pub async fn add_user(&self, who: &Actor, user: &StoredUser) -> Result<()> {
        let mut tx = self.write().await?;
        let taken: Option<String> = on!(tx.conn(), |c| sqlx::query_scalar("SELECT name FROM users WHERE name = $1")
            .bind(&user.name)
            .fetch_optional(c)
            .await?);
        if taken.is_some() {
            return Err(StoreError::Conflict(format!("用户名“{}”已存在：请换一个用户名", user.name)));
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
        .bind(user.disabled)
        .bind(&user.created_at)
        .execute(c)
        .await?.rows_affected()
        });
        let object = format!("user/{}", user.name);
        let scope = if user.scope.is_empty() { String::new() } else { format!("（{}）", user.scope) };
        let detail = format!("{} 角色 {}{scope}", user.display, user.role);
        audit::append(&mut tx, who, "user.add", &object, &detail, std::slice::from_ref(&object)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Enable or disable a user (users are never deleted: the audit log names them). Disabling
    /// ends every session of the user in the same transaction, so enabling the user again
    /// brings no old token back: they log in anew.
    pub async fn set_user_disabled(&self, who: &Actor, name: &str, disabled: bool) -> Result<()> {
        let mut tx = self.write().await?;
        let now: Option<bool> = on!(tx.conn(), |c| sqlx::query_scalar("SELECT disabled FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(c)
            .await?);
        match now {
            None => return Err(StoreError::Conflict(format!("没有用户“{name}”：用 jili user list 查看已有用户"))),
            Some(d) if d == disabled => {
                let state = if disabled { "已是停用状态" } else { "已是启用状态" };
                return Err(StoreError::Conflict(format!("用户“{name}”{state}")));
            }
            Some(_) => {}
        }
        on!(tx.conn(), |c| sqlx::query("UPDATE users SET disabled = $1 WHERE name = $2")
            .bind(disabled)
            .bind(name)
            .execute(c)
            .await?
            .rows_affected());
        if disabled {
            end_sessions(&mut tx, name, None).await?;
        }
        let object = format!("user/{name}");
        let action = if disabled { "user.disable" } else { "user.enable" };
        audit::append(&mut tx, who, action, &object, "", std::slice::from_ref(&object)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Give a user a new password (`hash`, an argon2id PHC string made by the app) and end
    /// their sessions, all but `keep` (the hash of the token of the session that made the
    /// change, when the user changed their own). `reset` says the office set it rather than the
    /// user. Recorded in the audit log like the user's other changes, without the hash (the
    /// seal holds only a digest of it, as for `user.add`). Returns the sessions ended.
    pub async fn set_password(
        &self,
        who: &Actor,
        name: &str,
        hash: &str,
        reset: bool,
        keep: Option<&str>,
    ) -> Result<u64> {
        let mut tx = self.write().await?;
        let known: Option<String> = on!(tx.conn(), |c| sqlx::query_scalar("SELECT name FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(c)
            .await?);
        if known.is_none() {
            return Err(StoreError::Conflict(format!("没有用户“{name}”：用 jili user list 查看已有用户")));
        }
        on!(tx.conn(), |c| sqlx::query("UPDATE users SET password = $1 WHERE name = $2")
            .bind(hash)
            .bind(name)
            .execute(c)
            .await?
            .rows_affected());
        let ended = end_sessions(&mut tx, name, keep).await?;
        let object = format!("user/{name}");
        let (action, detail) = if reset {
            ("user.reset", format!("重置密码；结束其会话 {ended} 个"))
        } else {
            ("user.password", format!("本人修改密码；结束其他会话 {ended} 个"))
        };
        audit::append(&mut tx, who, action, &object, &detail, std::slice::from_ref(&object)).await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// One user by name.
    pub async fn user(&self, name: &str) -> Result<Option<StoredUser>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM users WHERE name = $1")
            .bind(name)
            .fetch_optional(p)
            .await?))
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<StoredUser>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM users ORDER BY name").fetch_all(p).await?))
    }
}

/// Delete the sessions of `user` inside `tx`, all but the one whose token hash is `keep`;
/// how many were deleted.
pub(crate) async fn end_sessions(tx: &mut Tx, user: &str, keep: Option<&str>) -> Result<u64> {
    Ok(on!(tx.conn(), |c| sqlx::query("DELETE FROM web_sessions WHERE user_name = $1 AND token_hash <> $2")
        .bind(user)
        .bind(keep.unwrap_or(""))
        .execute(c)
        .await?
        .rows_affected()))
}
