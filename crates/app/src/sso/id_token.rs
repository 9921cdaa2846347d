//! Checking an ID token (OpenID Connect Core 1.0, §3.1.3.7): signed with one of the provider's
//! published keys by an asymmetric algorithm the provider announces (never `none`, never a
//! shared-secret HMAC), issued by the configured issuer, for this client, not expired, and
//! carrying the nonce of this login. What fails is said in words and kept apart, for the
//! access log.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde_json::{Map, Value};

/// How far the provider's clock may be from ours.
pub const LEEWAY_SECONDS: u64 = 60;

/// Algorithms accepted for an ID token's signature.
const ASYMMETRIC: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// What is expected of the token of one login.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    /// The algorithms the provider's discovery document announces (all asymmetric ones when
    /// it names none).
    pub algorithms: &'a [String],
}

/// Why an ID token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenProblem {
    /// Not a JWS the provider signed: a bad signature, an unknown key, a disallowed algorithm.
    Signature(String),
    Issuer,
    Audience,
    Expired,
    Nonce,
    /// Not a token at all, or a required claim missing.
    Malformed(String),
}

impl TokenProblem {
    /// Short code for the access log's detail.
    pub fn code(&self) -> &'static str {
        match self {
            TokenProblem::Signature(_) => "signature",
            TokenProblem::Issuer => "issuer",
            TokenProblem::Audience => "audience",
            TokenProblem::Expired => "expired",
            TokenProblem::Nonce => "nonce",
            TokenProblem::Malformed(_) => "malformed",
        }
    }

    /// What the user is told.
    pub fn message(&self) -> String {
        match self {
            TokenProblem::Signature(why) => {
                format!("身份令牌的签名无效，可能被篡改（{why}）：已拒绝登录，请重新登录；反复出现请联系系统管理员")
            }
            TokenProblem::Issuer => "身份令牌不是配置的认证服务签发的（issuer 不符）：已拒绝登录".into(),
            TokenProblem::Audience => "身份令牌不是签发给本系统的（audience 不符）：已拒绝登录".into(),
            TokenProblem::Expired => "身份令牌已过期：请重新登录；反复出现请检查本机与认证服务的时钟".into(),
            TokenProblem::Nonce => {
                "身份令牌与本次登录请求不符（nonce 不符，可能是重放）：已拒绝登录，请重新登录".into()
            }
            TokenProblem::Malformed(why) => format!("身份令牌格式无效（{why}）：已拒绝登录"),
        }
    }
}

/// The claims of `token` when it passes every check against `keys`.
pub fn check(token: &str, keys: &JwkSet, expected: &Expected<'_>) -> Result<Map<String, Value>, TokenProblem> {
    let header = decode_header(token).map_err(|e| TokenProblem::Malformed(e.to_string()))?;
    let announced =
        |a: &Algorithm| expected.algorithms.is_empty() || expected.algorithms.iter().any(|s| format!("{a:?}") == *s);
    if !ASYMMETRIC.contains(&header.alg) || !announced(&header.alg) {
        return Err(TokenProblem::Signature(format!("不接受的签名算法 {:?}", header.alg)));
    }
    let jwk = match &header.kid {
        Some(kid) => keys.find(kid),
        // Without a key id, the one key there is.
        None if keys.keys.len() == 1 => keys.keys.first(),
        None => None,
    }
    .ok_or_else(|| TokenProblem::Signature("认证服务没有公布令牌所用的密钥".into()))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| TokenProblem::Signature(format!("公钥无法使用：{e}")))?;
    let mut validation = Validation::new(header.alg);
    validation.leeway = LEEWAY_SECONDS;
    validation.set_issuer(&[expected.issuer, &format!("{}/", expected.issuer.trim_end_matches('/'))]);
    validation.set_audience(&[expected.client_id]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
    let data = decode::<Map<String, Value>>(token, &key, &validation).map_err(|e| {
        use jsonwebtoken::errors::ErrorKind as K;
        match e.kind() {
            K::InvalidSignature | K::InvalidAlgorithm | K::InvalidEcdsaKey | K::InvalidRsaKey(_) | K::Crypto(_) => {
                TokenProblem::Signature(e.to_string())
            }
            K::InvalidIssuer => TokenProblem::Issuer,
            K::InvalidAudience => TokenProblem::Audience,
            K::ExpiredSignature => TokenProblem::Expired,
            _ => TokenProblem::Malformed(e.to_string()),
        }
    })?;
    let claims = data.claims;
    // Several audiences: this client must be the authorised party (Core §3.1.3.7, 4–5).
    if let Some(Value::Array(auds)) = claims.get("aud")
        && auds.len() > 1
        && claims.get("azp").and_then(Value::as_str) != Some(expected.client_id)
    {
        return Err(TokenProblem::Audience);
    }
    if claims.get("nonce").and_then(Value::as_str) != Some(expected.nonce) {
        return Err(TokenProblem::Nonce);
    }
    match claims.get("sub").and_then(Value::as_str) {
        Some(s) if !s.is_empty() && s.len() <= 255 => Ok(claims),
        _ => Err(TokenProblem::Malformed("sub 为空或超过 255 个字符".into())),
    }
}

/// The values of claim `name`: a string, a number, or a list of them (at most 200 values of at
/// most 200 characters are looked at).
pub fn claim_values(claims: &Map<String, Value>, name: &str) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.chars().take(200).collect()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match claims.get(name) {
        Some(Value::Array(items)) => items.iter().take(200).filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
        None => Vec::new(),
    }
}
