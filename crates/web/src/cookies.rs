//! Reading who a request says it is from its headers: the session and language cookies and an
//! API bearer token. Nothing here looks anything up; [`crate::auth`] does.

use axum::http::{HeaderMap, header};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "jili_session";
/// The language cookie's name.
pub const LANG_COOKIE: &str = "jili_lang";

/// One cookie's value from the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The token of an `Authorization: Bearer …` header, trimmed.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?.trim();
    (!token.is_empty()).then_some(token)
}

/// The session token of a request: the bearer token, or the session cookie (an empty one is
/// none).
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    bearer_token(headers).or_else(|| cookie(headers, SESSION_COOKIE)).filter(|t| !t.is_empty())
}
