//! Users: added, listed and disabled by the office, their passwords reset by it; passwords
//! kept as argon2id hashes only.

pub mod session;

use crate::access::{Action, Principal, Role};
use crate::error::{AppError, Result};
use crate::governance::access_log::{AccessEvent, AccessOutcome, Entry};
use crate::{App, clock};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use jili_store::StoredUser;

/// An argon2id hash of a random password nobody knows, checked against when a login names an
/// unknown user (default parameters, like every stored hash).
const UNKNOWN_USER_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRmb3JqaWxp$2kq0H5sB8r6O0m6c8B7Oq6mY2m8j5dV3n2t0sV8Qx0E";

/// The shortest password accepted.
pub const MIN_PASSWORD: usize = 10;
/// The longest password accepted (a pass phrase fits; a megabyte is not hashed).
pub const MAX_PASSWORD: usize = 256;

/// A user to add.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub name: &'a str,
    pub display: &'a str,
    pub role: Role,
    pub password: &'a str,
}

/// A user as listed (never with the password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserView {
    pub name: String,
    pub display: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: String,
}

impl App {
    /// Add a user. The role's scope must name a known department (lead, provider) or unit.
    pub async fn add_user(&self, user: &NewUser<'_>) -> Result<()> {
        self.allow(Action::ManageUsers)?;
        let name = user.name.trim();
        if name.is_empty() || name.len() > 64 || name.chars().any(|c| c.is_whitespace() || c == '/') {
            return Err(AppError::Invalid(format!("用户名“{name}”无效：用 1–64 个字符，不含空格和 /（如 zhang.fgw）")));
        }
        check_new_password(user.password)?;
        if matches!(user.role, Role::Public) {
            return Err(AppError::Invalid("公众无需账号：未登录即为公众".into()));
        }
        // A department may be named by code or name (FGW, 省发展改革委); the role keeps its code.
        let role = match &user.role {
            Role::Lead(d) => Role::Lead(self.department_code(d).await?),
            Role::Provider(d) => Role::Provider(self.department_code(d).await?),
            other => other.clone(),
        };
        self.check_role(&role).await?;
        let scope = role.scope();
        let hash = hash_password(user.password).await?;
        let stored = StoredUser {
            name: name.to_string(),
            display: user.display.trim().to_string(),
            role: user.role.kind().to_string(),
            scope: scope.to_string(),
            password: hash,
            disabled: false,
            created_at: clock::now_utc(),
        };
        Ok(self.store.add_user(&self.actor(), &stored).await?)
    }

    /// Refuse a role whose scope names no known department (lead, provider: one that leads or
    /// provides this year) or unit.
    pub(crate) async fn check_role(&self, role: &Role) -> Result<()> {
        let catalogue = self.catalogue().await?;
        match role {
            Role::Lead(d) | Role::Provider(d) => {
                let dept = catalogue.department(d).ok_or_else(|| {
                    AppError::Invalid(format!(
                        "没有部门代码“{d}”：部门代码见 data/departments/hunan.csv（如 FGW 省发展改革委、TJJ 省统计局）"
                    ))
                })?;
                if matches!(role, Role::Lead(_)) && !dept.lead {
                    return Err(AppError::Invalid(format!("{}不是本年度的牵头单位", dept.name)));
                }
                if matches!(role, Role::Provider(_)) && !dept.provider {
                    return Err(AppError::Invalid(format!("{}不是数据提供部门", dept.name)));
                }
            }
            Role::Unit(u) => {
                catalogue.unit(u).ok_or_else(|| {
                    AppError::Invalid(format!("没有评价对象代码“{u}”：代码见门户的单位页面或 jili units"))
                })?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Every user, without password hashes.
    pub async fn users(&self) -> Result<Vec<UserView>> {
        self.allow(Action::ManageUsers)?;
        let mut out = Vec::new();
        for u in self.store.users().await? {
            out.push(UserView {
                role: Role::from_parts(&u.role, &u.scope)?,
                name: u.name,
                display: u.display,
                disabled: u.disabled,
                created_at: u.created_at,
            });
        }
        Ok(out)
    }

    /// Disable (or enable again) a user. Users are never deleted: the audit log names them.
    /// Nobody disables their own account: the last administrator would lock everyone out.
    pub async fn set_user_disabled(&self, name: &str, disabled: bool) -> Result<()> {
        self.allow(Action::ManageUsers)?;
        if disabled && name.trim() == self.principal.name {
            return Err(AppError::Invalid("不能停用自己的账号：请由另一位管理员操作".into()));
        }
        Ok(self.store.set_user_disabled(&self.actor(), name.trim(), disabled).await?)
    }

    /// Reset another user's password (the office, when a user has forgotten theirs): every
    /// session of that user ends; recorded in the audit log (without the hash) and the access
    /// log. Nobody resets their own this way: they change it with their current password.
    pub async fn reset_password(&self, name: &str, password: &str) -> Result<()> {
        self.allow(Action::ManageUsers)?;
        let name = name.trim();
        if name == self.principal.name {
            return Err(AppError::Invalid("不能重置自己的密码：请在“我的账号”中修改（需输入当前密码）".into()));
        }
        check_new_password(password)?;
        let hash = hash_password(password).await?;
        let ended = self.store.set_password(&self.actor(), name, &hash, true, None).await?;
        let detail = format!("结束其会话 {ended} 个");
        let target = format!("user/{name}");
        self.record(Entry {
            event: AccessEvent::PasswordReset,
            target: &target,
            outcome: AccessOutcome::Ok,
            detail: &detail,
        })
        .await
    }

    /// Check a name and password; the principal to act as when they match an enabled user.
    /// The same refusal for an unknown name, a wrong password and a disabled user.
    pub async fn authenticate(&self, name: &str, password: &str) -> Result<Principal> {
        self.check_password(name, password).await?.map_err(|_| AppError::Denied(REFUSED_LOGIN.into()))
    }

    /// Check a name and password: the user's principal, or why not (for the access log only:
    /// the user is told the same for every reason).
    pub(crate) async fn check_password(
        &self,
        name: &str,
        password: &str,
    ) -> Result<std::result::Result<Principal, AccessOutcome>> {
        let user = self.store.user(name.trim()).await?;
        // An unknown name costs the same hashing as a known one, so timing does not tell
        // which names exist.
        let stored = user.as_ref().map_or(UNKNOWN_USER_HASH, |u| u.password.as_str()).to_string();
        // Hashing takes tens of milliseconds of CPU: off the async workers, so pages keep
        // being served while someone logs in.
        let password = password.to_string();
        let matches = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&stored)
                .is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
        })
        .await
        .unwrap_or(false);
        Ok(match user {
            None => Err(AccessOutcome::UnknownUser),
            Some(_) if !matches => Err(AccessOutcome::WrongPassword),
            Some(u) if u.disabled => Err(AccessOutcome::Disabled),
            Some(u) => Ok(Principal { role: Role::from_parts(&u.role, &u.scope)?, name: u.name }),
        })
    }
}

/// What a refused login is told, whatever the reason: nothing tells an unknown name from a
/// wrong password or a disabled account.
pub const REFUSED_LOGIN: &str = "用户名或密码不正确，或账号已停用";

/// Refuse a password that breaks the rules: given, at least [`MIN_PASSWORD`] characters, at most
/// [`MAX_PASSWORD`] (bounded before it is hashed).
pub(crate) fn check_new_password(password: &str) -> Result<()> {
    if password.trim().is_empty() {
        return Err(AppError::Invalid("没有读到密码：请在标准输入给出密码（如 echo 密码 | jili user add …）".into()));
    }
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(AppError::Invalid(format!("密码太短：至少 {MIN_PASSWORD} 个字符")));
    }
    if n > MAX_PASSWORD {
        return Err(AppError::Invalid(format!("密码太长：最多 {MAX_PASSWORD} 个字符")));
    }
    Ok(())
}

/// An argon2id PHC string for `password`, hashed off the async workers.
pub(crate) async fn hash_password(password: &str) -> Result<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| AppError::Invalid(format!("无法生成密码哈希：{e}")))?
    .map_err(|e| AppError::Invalid(format!("无法生成密码哈希：{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stand-in hash parses, so an unknown name goes through the same verification.
    #[test]
    fn the_unknown_user_hash_is_a_real_argon2id_hash() {
        let hash = PasswordHash::new(UNKNOWN_USER_HASH).unwrap();
        assert_eq!(hash.algorithm.as_str(), "argon2id");
        assert!(Argon2::default().verify_password(b"anything", &hash).is_err());
    }
}
