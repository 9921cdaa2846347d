//! Single sign-on through an OpenID Connect provider (统一身份认证): the authorization code
//! flow with PKCE, the provider found by discovery, its ID token checked (signature, issuer,
//! audience, expiry, nonce), and a claim of it (a department code, a group) mapped to a jili
//! role and scope by the office's settings. A mapped person gets a jili session like a local
//! login, as a user of their own (`sso.` and their name at the provider) linked to the
//! provider's subject. Local passwords stay: a deployment without a provider uses them only,
//! and the office keeps local accounts to get in when the provider is down (break-glass).

mod config;
pub mod id_token;
mod login;
pub mod provider;

pub use config::{MAX_CONFIG_BYTES, RoleMapping, SsoConfig};
pub use login::{MAX_PENDING, PENDING_SECONDS, SsoCallback, SsoStart};

use thiserror::Error;

/// Why single sign-on could not be set up or used. Every message says what to do.
#[derive(Debug, Error)]
pub enum SsoError {
    /// The settings (or the secret they point to) cannot be used.
    #[error("单点登录配置（{file}）：{reason}")]
    Config { file: String, reason: String },
    /// The provider could not be asked, or answered nonsense: the login cannot go on now.
    #[error("统一身份认证服务暂时无法使用（{0}）：请稍后再试；急需时请用本地账号登录")]
    Unavailable(String),
    /// The login was refused (a bad token, an unmapped person …); recorded in the access log.
    #[error("{0}")]
    Refused(String),
}

/// Single sign-on of one server: the settings, the client secret, and the provider's client
/// with what it keeps (discovery, keys). Shared by every request.
#[derive(Debug)]
pub struct Sso {
    config: SsoConfig,
    secret: String,
    provider: provider::ProviderClient,
}

impl Sso {
    /// Single sign-on with these settings; the client secret is read now, so a missing one
    /// stops the server at its start rather than at the first login.
    pub fn new(config: SsoConfig) -> Result<Sso, SsoError> {
        config.check().map_err(|reason| SsoError::Config { file: "sso".into(), reason })?;
        let secret = config.client_secret()?;
        let provider = provider::ProviderClient::new(&config.issuer);
        Ok(Sso { config, secret, provider })
    }

    /// The settings.
    pub fn config(&self) -> &SsoConfig {
        &self.config
    }

    /// Ask the provider for its discovery document now: a server checks at its start that the
    /// provider answers (a wrong issuer is found before anyone tries to log in).
    pub async fn check_provider(&self) -> Result<String, SsoError> {
        let d = self.provider.discovery().await?;
        Ok(d.authorization_endpoint)
    }
}
