//! Talking to the provider: its discovery document, its signing keys (JWKS) and its token
//! endpoint. Every call runs on a blocking thread (never on the async workers), with a time
//! limit and a size limit on the answer; the discovery document and the keys are kept for a
//! while, and the keys fetched again when a token names one not seen yet (the provider rotated
//! its keys).

use super::SsoError;
use base64::Engine;
use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long one call to the provider may take, answer included.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest answer read from the provider (discovery, keys, token).
pub const MAX_ANSWER_BYTES: u64 = 256 * 1024;
/// How long the discovery document and the keys are kept.
const KEEP: Duration = Duration::from_secs(3600);
/// The keys are fetched again for an unknown key id at most this often.
const REFETCH_AT_MOST: Duration = Duration::from_secs(30);

/// What the discovery document says that jili uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub id_token_signing_alg_values_supported: Vec<String>,
}

/// The token endpoint's answer to a code.
#[derive(Debug, Clone, Deserialize)]
struct TokenAnswer {
    #[serde(default)]
    id_token: Option<String>,
}

/// The token endpoint's refusal.
#[derive(Debug, Clone, Deserialize)]
struct TokenRefusal {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

/// Why the token endpoint did not give an ID token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exchange {
    /// The provider refused the code (e.g. `invalid_grant`: used, expired, or not issued to
    /// this client), with its words.
    Refused { error: String, description: String },
    /// The provider could not be asked or answered nonsense.
    Unavailable(String),
}

#[derive(Debug)]
struct Kept<T> {
    value: T,
    at: Instant,
}

/// A provider's client: its HTTP agent and what it keeps.
#[derive(Debug)]
pub struct ProviderClient {
    issuer: String,
    agent: ureq::Agent,
    discovery: Mutex<Option<Kept<Discovery>>>,
    keys: Mutex<Option<Kept<JwkSet>>>,
}

impl ProviderClient {
    /// A client for the provider at `issuer` (nothing is fetched yet).
    pub fn new(issuer: &str) -> ProviderClient {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(CALL_TIMEOUT))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent("jili-sso")
            .build()
            .new_agent();
        ProviderClient {
            issuer: issuer.trim_end_matches('/').to_string(),
            agent,
            discovery: Mutex::default(),
            keys: Mutex::default(),
        }
    }

    /// The discovery document, fetched when not kept or kept too long. It must name the
    /// configured issuer (OpenID Connect Discovery 1.0, §4.3).
    pub async fn discovery(&self) -> Result<Discovery, SsoError> {
        if let Some(d) = fresh(&self.discovery, KEEP) {
            return Ok(d);
        }
        let url = format!("{}/.well-known/openid-configuration", self.issuer);
        let bytes = self.get(&url).await?;
        let d: Discovery = serde_json::from_slice(&bytes)
            .map_err(|e| SsoError::Unavailable(format!("发现文档 {url} 不是有效的 OpenID 配置：{e}")))?;
        if d.issuer.trim_end_matches('/') != self.issuer {
            return Err(SsoError::Unavailable(format!(
                "发现文档中的 issuer 是 {}，与配置的 {} 不符：请核对 issuer",
                d.issuer, self.issuer
            )));
        }
        keep(&self.discovery, d.clone());
        Ok(d)
    }

    /// The provider's keys; fetched again when `kid` is not among the kept ones (at most every
    /// [`REFETCH_AT_MOST`]) or they are kept too long.
    pub async fn keys(&self, kid: Option<&str>) -> Result<JwkSet, SsoError> {
        let kept = self.keys.lock().ok().and_then(|k| k.as_ref().map(|k| (k.value.clone(), k.at.elapsed())));
        if let Some((set, age)) = &kept {
            let known = kid.is_none_or(|kid| set.find(kid).is_some());
            if age < &KEEP && (known || age < &REFETCH_AT_MOST) {
                return Ok(set.clone());
            }
        }
        let url = self.discovery().await?.jwks_uri;
        let bytes = self.get(&url).await?;
        let set: JwkSet = serde_json::from_slice(&bytes)
            .map_err(|e| SsoError::Unavailable(format!("签名公钥 {url} 不是有效的 JWKS：{e}")))?;
        keep(&self.keys, set.clone());
        Ok(set)
    }

    /// Trade an authorization code for the provider's tokens; the ID token.
    pub async fn exchange(
        &self,
        code: &str,
        verifier: &str,
        redirect_url: &str,
        client_id: &str,
        secret: &str,
    ) -> Result<String, Exchange> {
        let token_url = self.discovery().await.map_err(|e| Exchange::Unavailable(e.to_string()))?.token_endpoint;
        // RFC 6749 §2.3.1: the id and secret are form-encoded before they go into Basic.
        let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", enc(client_id), enc(secret)));
        let form = [
            ("grant_type".to_string(), "authorization_code".to_string()),
            ("code".into(), code.to_string()),
            ("redirect_uri".into(), redirect_url.to_string()),
            ("code_verifier".into(), verifier.to_string()),
            ("client_id".into(), client_id.to_string()),
        ];
        let agent = self.agent.clone();
        let (status, bytes) = tokio::task::spawn_blocking(move || -> Result<(u16, Vec<u8>), String> {
            let mut answer = agent
                .post(&token_url)
                .header("Authorization", format!("Basic {basic}"))
                .header("Accept", "application/json")
                .send_form(form)
                .map_err(|e| format!("{token_url}：{e}"))?;
            let status = answer.status().as_u16();
            let bytes = answer
                .body_mut()
                .with_config()
                .limit(MAX_ANSWER_BYTES)
                .read_to_vec()
                .map_err(|e| format!("{token_url}：{e}"))?;
            Ok((status, bytes))
        })
        .await
        .map_err(|e| Exchange::Unavailable(e.to_string()))?
        .map_err(Exchange::Unavailable)?;
        if status == 200 {
            let answer: TokenAnswer = serde_json::from_slice(&bytes)
                .map_err(|e| Exchange::Unavailable(format!("令牌端点的答复不是有效的 JSON：{e}")))?;
            return answer.id_token.ok_or_else(|| {
                Exchange::Unavailable("令牌端点没有给出身份令牌（id_token）：请确认请求了 openid 范围".into())
            });
        }
        match serde_json::from_slice::<TokenRefusal>(&bytes) {
            Ok(r) if (400..500).contains(&status) => {
                Err(Exchange::Refused { error: r.error, description: r.error_description.unwrap_or_default() })
            }
            _ => Err(Exchange::Unavailable(format!("令牌端点答复 HTTP {status}"))),
        }
    }

    /// GET `url` off the async workers: the answer's bytes when it is 200.
    async fn get(&self, url: &str) -> Result<Vec<u8>, SsoError> {
        let agent = self.agent.clone();
        let owned = url.to_string();
        tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
            let mut answer =
                agent.get(&owned).header("Accept", "application/json").call().map_err(|e| e.to_string())?;
            if answer.status() != 200 {
                return Err(format!("HTTP {}", answer.status().as_u16()));
            }
            answer.body_mut().with_config().limit(MAX_ANSWER_BYTES).read_to_vec().map_err(|e| e.to_string())
        })
        .await
        .map_err(|e| SsoError::Unavailable(e.to_string()))?
        .map_err(|e| SsoError::Unavailable(format!("{url}：{e}")))
    }
}

fn fresh<T: Clone>(slot: &Mutex<Option<Kept<T>>>, max: Duration) -> Option<T> {
    let kept = slot.lock().ok()?;
    kept.as_ref().filter(|k| k.at.elapsed() < max).map(|k| k.value.clone())
}

fn keep<T>(slot: &Mutex<Option<Kept<T>>>, value: T) {
    if let Ok(mut kept) = slot.lock() {
        *kept = Some(Kept { value, at: Instant::now() });
    }
}
