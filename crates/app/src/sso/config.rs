//! The office's single sign-on settings: which provider, this site's registration with it,
//! and how a claim of the provider's ID token (a department code, a group) becomes a jili role
//! and scope. Read from a TOML file (`jili serve --sso-config FILE`); the client secret never
//! is in it, but in a file of its own or an environment variable, so the settings can be kept
//! and shown without it.

use super::SsoError;
use crate::access::Role;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The largest settings file read (the mapping of a province's departments and units fits
/// many times over).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;
/// The largest client secret read from its file.
const MAX_SECRET_BYTES: u64 = 4096;

/// Single sign-on settings as written by the office. See docs/deploy.md for an example.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsoConfig {
    /// The provider's issuer URL; its discovery document is at
    /// `{issuer}/.well-known/openid-configuration` and must name the same issuer.
    pub issuer: String,
    /// This site's client id, registered with the provider.
    pub client_id: String,
    /// A file holding the client secret (only the secret; a trailing newline is dropped).
    #[serde(default)]
    pub client_secret_file: Option<PathBuf>,
    /// An environment variable holding the client secret.
    #[serde(default)]
    pub client_secret_env: Option<String>,
    /// Never read: present only to refuse a secret written into the settings themselves.
    #[serde(default, rename = "client_secret")]
    pub client_secret_inline: Option<toml::Value>,
    /// This site's callback as registered with the provider: `https://<site>/sso/callback`.
    pub redirect_url: String,
    /// Scopes asked for; `openid` is added when missing.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// The ID token claim that carries the department, unit or group (a string or a list).
    pub role_claim: String,
    /// The claim that names the user (the jili user name is `sso.` and it); `sub` when absent.
    #[serde(default = "default_name_claim")]
    pub name_claim: String,
    /// How claim values become roles, tried in this order; the first that matches wins.
    #[serde(default, rename = "map")]
    pub mapping: Vec<RoleMapping>,
}

/// One line of the mapping: a claim value (or every value with a prefix) and the jili role it
/// gives.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleMapping {
    /// The claim value exactly, e.g. `"hunan-gov-office"`.
    #[serde(default)]
    pub value: Option<String>,
    /// Every value starting with this; the rest of the value is the scope unless `scope` is
    /// given (e.g. `prefix = "unit:"`, `role = "unit"`: `unit:430100` is the unit 430100).
    #[serde(default)]
    pub prefix: Option<String>,
    /// office, lead, provider, auditor or unit.
    pub role: String,
    /// The department code (lead, provider) or unit code (unit).
    #[serde(default)]
    pub scope: Option<String>,
}

fn default_scopes() -> Vec<String> {
    vec!["openid".into(), "profile".into()]
}

fn default_name_claim() -> String {
    "preferred_username".into()
}

impl SsoConfig {
    /// Read and check the settings in `path` (at most [`MAX_CONFIG_BYTES`]).
    pub fn load(path: &Path) -> Result<SsoConfig, SsoError> {
        let file = path.display().to_string();
        let text =
            read_bounded(path, MAX_CONFIG_BYTES).map_err(|reason| SsoError::Config { file: file.clone(), reason })?;
        SsoConfig::parse(&text).map_err(|reason| SsoError::Config { file, reason })
    }

    /// Parse and check settings written in TOML; why not, in words.
    pub fn parse(text: &str) -> Result<SsoConfig, String> {
        let config: SsoConfig =
            toml::from_str(text).map_err(|e| format!("不是有效的单点登录配置：{}", e.to_string().trim()))?;
        config.check()?;
        Ok(config)
    }

    /// Check what can be checked without the provider and the database.
    pub fn check(&self) -> Result<(), String> {
        if self.client_secret_inline.is_some() {
            return Err("client_secret 不能写在配置文件里：请放进单独的文件（client_secret_file）或环境变量（client_secret_env）".into());
        }
        check_url("issuer", &self.issuer)?;
        check_url("redirect_url", &self.redirect_url)?;
        if self.client_id.trim().is_empty() || self.client_id.len() > 256 {
            return Err("client_id 为空或过长：填在认证服务中登记本系统时得到的客户端标识".into());
        }
        if self.client_secret_file.is_some() == self.client_secret_env.is_some() {
            return Err(
                "请给出 client_secret_file 或 client_secret_env 中的一项（客户端密钥所在的文件或环境变量）".into()
            );
        }
        if self.role_claim.trim().is_empty() {
            return Err("role_claim 为空：填身份令牌中表示部门、单位或群组的声明名（如 department）".into());
        }
        if self.scopes.iter().any(|s| s.is_empty() || s.chars().any(char::is_whitespace)) {
            return Err("scopes 中每一项都应是不含空格的名称（如 \"openid\"、\"profile\"）".into());
        }
        if self.mapping.is_empty() {
            return Err("没有 [[map]]：至少写一条声明值到角色的映射，否则没有人能通过统一身份认证登录".into());
        }
        for (i, m) in self.mapping.iter().enumerate() {
            m.check().map_err(|e| format!("第 {} 条 [[map]]：{e}", i + 1))?;
        }
        Ok(())
    }

    /// The client secret, from its file or environment variable.
    pub fn client_secret(&self) -> Result<String, SsoError> {
        let secret = match (&self.client_secret_file, &self.client_secret_env) {
            (Some(path), _) => read_bounded(path, MAX_SECRET_BYTES).map_err(|reason| SsoError::Config {
                file: path.display().to_string(),
                reason: format!("无法读取客户端密钥：{reason}"),
            })?,
            (None, Some(var)) => std::env::var(var).map_err(|_| SsoError::Config {
                file: format!("环境变量 {var}"),
                reason: "没有设置或不是有效文本：请设为认证服务给出的客户端密钥".into(),
            })?,
            (None, None) => String::new(),
        };
        let secret = secret.trim_end_matches(['\r', '\n']).to_string();
        if secret.is_empty() {
            return Err(SsoError::Config { file: "client_secret".into(), reason: "客户端密钥为空".into() });
        }
        Ok(secret)
    }

    /// The scopes asked for, `openid` first.
    pub fn scope_param(&self) -> String {
        let mut scopes = vec!["openid"];
        scopes.extend(self.scopes.iter().map(String::as_str).filter(|s| *s != "openid"));
        scopes.join(" ")
    }

    /// The role of the first mapping line any of `values` matches, with the value that matched.
    /// The role's codes are not checked here (the catalogue is in the database).
    pub fn role_for<'a>(&self, values: &'a [String]) -> Option<(Role, &'a str)> {
        self.mapping.iter().find_map(|m| values.iter().find_map(|v| m.role_for(v).map(|r| (r, v.as_str()))))
    }
}

impl RoleMapping {
    fn check(&self) -> Result<(), String> {
        match (&self.value, &self.prefix) {
            (Some(_), Some(_)) | (None, None) => return Err("value 和 prefix 只写其中一项".into()),
            (Some(v), None) if v.is_empty() => return Err("value 为空".into()),
            (None, Some(p)) if p.is_empty() => return Err("prefix 为空".into()),
            _ => {}
        }
        let scope = match (&self.scope, &self.prefix) {
            (Some(s), _) => s.clone(),
            // The scope comes from the value: checked as a stand-in.
            (None, Some(_)) if matches!(self.role.as_str(), "lead" | "provider" | "unit") => "X".into(),
            (None, _) => String::new(),
        };
        Role::from_parts(&self.role, &scope).map(|_| ()).map_err(|e| e.to_string().replace("用 --scope", "用 scope"))
    }

    /// The role `value` gets by this line, if it matches.
    fn role_for(&self, value: &str) -> Option<Role> {
        let rest = match (&self.value, &self.prefix) {
            (Some(v), _) if v == value => "",
            (None, Some(p)) => value.strip_prefix(p.as_str())?,
            _ => return None,
        };
        let scope = self.scope.as_deref().unwrap_or(rest);
        Role::from_parts(&self.role, scope).ok()
    }
}

/// An absolute http(s) URL; plain http only to this machine (a provider for tests).
fn check_url(what: &str, url: &str) -> Result<(), String> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest.filter(|r| !r.is_empty() && url.len() <= 2000 && !url.chars().any(char::is_whitespace))
    else {
        return Err(format!("{what} 不是完整的网址：应以 https:// 开头，如 https://sso.example.gov.cn/realms/hunan"));
    };
    if url.starts_with("http://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
        if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
            return Err(format!("{what} 必须用 https（明文 http 只允许本机 127.0.0.1 上的测试服务）：{url}"));
        }
    }
    Ok(())
}

/// The text of a file of at most `max` bytes; why not, in words.
fn read_bounded(path: &Path, max: u64) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("无法打开：{e}"))?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| format!("无法读取：{e}"))?;
    if bytes.len() as u64 > max {
        return Err(format!("文件超过 {max} 字节：不像是配置文件"));
    }
    String::from_utf8(bytes).map_err(|_| "不是 UTF-8 文本".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
        issuer = "https://sso.example.gov.cn/realms/hunan"
        client_id = "jili"
        client_secret_env = "JILI_SSO_SECRET"
        redirect_url = "https://jili.example.gov.cn/sso/callback"
        role_claim = "department"

        [[map]]
        value = "hunan-office"
        role = "office"

        [[map]]
        value = "FGW"
        role = "lead"
        scope = "FGW"

        [[map]]
        prefix = "unit:"
        role = "unit"
    "#;

    #[test]
    fn claim_values_map_to_the_first_matching_line() {
        let c = SsoConfig::parse(GOOD).unwrap();
        let values = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(c.role_for(&values(&["FGW"])).map(|r| r.0), Some(Role::Lead("FGW".into())));
        assert_eq!(c.role_for(&values(&["unit:430100"])).map(|r| r.0), Some(Role::Unit("430100".into())));
        // Several values: the line written first wins, whatever the order of the values.
        assert_eq!(c.role_for(&values(&["FGW", "hunan-office"])).map(|r| r.0), Some(Role::Office));
        assert_eq!(c.role_for(&values(&["HR-9", "unit:"])), None, "unmapped, and a prefix with nothing after it");
        assert_eq!(c.scope_param(), "openid profile");
    }

    #[test]
    fn settings_that_cannot_work_are_refused_with_the_reason() {
        let bad = |from: &str, to: &str| SsoConfig::parse(&GOOD.replace(from, to)).unwrap_err();
        assert!(
            bad("client_secret_env = \"JILI_SSO_SECRET\"", "client_secret = \"s3cret\"").contains("不能写在配置文件里")
        );
        assert!(bad("https://sso.example.gov.cn", "http://sso.example.gov.cn").contains("必须用 https"));
        assert!(bad("role = \"office\"", "role = \"boss\"").contains("没有角色“boss”"));
        assert!(bad("scope = \"FGW\"", "").contains("需要用 scope 指定"));
        assert!(bad("role_claim", "claim").contains("unknown field"));
        // A test provider on this machine may use plain http.
        assert!(SsoConfig::parse(&GOOD.replace("https://sso.example.gov.cn", "http://127.0.0.1:3000")).is_ok());
    }
}
