//! Who is asking: the session cookie (HttpOnly, SameSite=Strict, Secure behind https) or an
//! API bearer token names a user; without either the visitor is the public. Forms carry the
//! session's CSRF token; API writes with a cookie carry it in `X-CSRF-Token`.

use crate::cache::Facts;
use crate::error::{WebError, WebResult};
use crate::i18n::Lang;
use crate::render::{Frame, FrameUser, Page};
use crate::state::AppState;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use jili_app::{App, Principal, Role};
use minijinja::Value;

pub use crate::cookies::{LANG_COOKIE, SESSION_COOKIE, bearer_token, cookie, session_token};

/// The visitor of one request: who they are, in which language, and the app acting as them.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub app: App,
    pub lang: Lang,
    /// The session's form token (empty for the public).
    pub csrf: String,
    /// The request path, for the frame.
    pub path: String,
    /// The request path with its query.
    pub here: String,
    /// Logged in through a bearer token: no cookie, so no CSRF check is needed.
    pub bearer: bool,
    /// The public facts of the moment (what is published, demo or not).
    pub facts: Facts,
}

impl Visitor {
    /// Who is acting.
    pub fn principal(&self) -> &Principal {
        self.app.principal()
    }

    /// Not logged in.
    pub fn is_public(&self) -> bool {
        self.principal().role == Role::Public
    }

    /// The frame every page shows.
    pub fn frame(&self) -> Frame {
        let p = self.principal();
        let user = (!self.is_public()).then(|| FrameUser {
            name: p.name.clone(),
            role: p.role.kind(),
            role_label: p.role.label(),
            scope: p.role.scope().to_string(),
        });
        Frame {
            lang: self.lang,
            lang_code: self.lang.code(),
            path: self.path.clone(),
            here: self.here.clone(),
            user,
            csrf: self.csrf.clone(),
            demo: self.facts.demo,
        }
    }

    /// Render a page for this visitor. A template that fails is the server's fault: the visitor
    /// gets an error id, the log gets the details.
    pub fn page(&self, template: &str, values: Value) -> WebResult<Page> {
        Page::render(template, &self.frame(), values)
            .map_err(|e| WebError::internal("template", format_args!("template {template}: {e:#}")))
    }

    /// Refuse a form or API write that does not carry this session's token.
    pub fn check_csrf(&self, token: &str) -> WebResult<()> {
        if self.bearer {
            return Ok(());
        }
        if self.is_public() || self.csrf.is_empty() || !constant_time_eq(token.as_bytes(), self.csrf.as_bytes()) {
            return Err(WebError::csrf());
        }
        Ok(())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The facts, from the cache when fresh.
pub async fn facts(state: &AppState) -> Facts {
    if let Some(f) = state.0.cache.fresh_facts() {
        return f;
    }
    let app = state.app();
    let facts = Facts {
        publications: app.published_fingerprint().await.unwrap_or_default(),
        demo: app.has_demo_data().await.unwrap_or(false),
    };
    state.0.cache.set_facts(facts.clone());
    facts
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Visitor, WebError> {
        // Several extractors of one request ask for the visitor: the session is looked up once.
        if let Some(v) = parts.extensions.get::<Visitor>() {
            return Ok(v.clone());
        }
        let visitor = Visitor::of(parts, state).await?;
        crate::context::set_public(visitor.is_public());
        if !visitor.is_public() {
            crate::context::set_user(&visitor.principal().name);
        }
        parts.extensions.insert(visitor.clone());
        Ok(visitor)
    }
}

impl Visitor {
    /// The visitor of the request with these parts.
    async fn of(parts: &mut Parts, state: &AppState) -> Result<Visitor, WebError> {
        let lang = crate::context::lang_of(parts);
        let ClientAddr(client) = ClientAddr::of(parts, state).await;
        let bearer_token = bearer_token(&parts.headers);
        let token = session_token(&parts.headers);
        let facts = facts(state).await;
        let mut visitor = Visitor {
            app: state.app().from_client(&client),
            lang,
            csrf: String::new(),
            path: parts.uri.path().to_string(),
            here: crate::context::here_of(parts),
            bearer: false,
            facts,
        };
        if let Some(token) = token.filter(|t| !t.is_empty()) {
            let session = state.app().session(token).await.map_err(|e| WebError::from_app(e, true))?;
            if let Some(s) = session {
                visitor.app = visitor.app.acting_as(s.principal);
                visitor.csrf = s.csrf;
                visitor.bearer = bearer_token.is_some();
            } else if bearer_token.is_some() {
                return Err(WebError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "login_required",
                    "令牌无效或已过期：请重新登录（POST /api/login）",
                )
                .as_json());
            }
        }
        Ok(visitor)
    }
}

impl OptionalFromRequestParts<AppState> for Visitor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Visitor>, WebError> {
        <Visitor as FromRequestParts<AppState>>::from_request_parts(parts, state).await.map(Some)
    }
}

/// A `Set-Cookie` value for the session (or to clear it with an empty token).
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    let age = if token.is_empty() { 0 } else { jili_app::users::session::SESSION_SECONDS };
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={age}{secure}")
}

/// The client's address, for counting failed logins and for the access log ("unknown" when
/// not served over TCP, as in tests that call the router directly). A request from a trusted proxy (`jili serve
/// --trusted-proxy`) is from the address its `X-Forwarded-For` names: the nearest one that is
/// not itself a trusted proxy, reading from the right, since a client can write anything to
/// the left of what its proxies append.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl ClientAddr {
    /// The client of the request with these parts.
    pub async fn of(parts: &mut Parts, state: &AppState) -> ClientAddr {
        use axum::extract::ConnectInfo;
        // The extractor, not the extension: it also finds the address tests mock.
        let Ok(ConnectInfo(peer)) = ConnectInfo::<std::net::SocketAddr>::from_request_parts(parts, state).await else {
            return ClientAddr("unknown".into());
        };
        let forwarded = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
        ClientAddr(client_ip(peer.ip(), forwarded, &state.0.trusted_proxies).to_string())
    }
}

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ClientAddr, Self::Rejection> {
        Ok(ClientAddr::of(parts, state).await)
    }
}

/// The client of a request from `peer` carrying these `X-Forwarded-For` values.
pub(crate) fn client_ip<'a>(
    peer: std::net::IpAddr,
    forwarded: impl Iterator<Item = &'a str>,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    // A server listening on [::] sees an IPv4 proxy as ::ffff:a.b.c.d.
    let is_trusted = |ip: std::net::IpAddr| trusted.iter().any(|t| t.to_canonical() == ip.to_canonical());
    let mut client = peer.to_canonical();
    if !is_trusted(client) {
        return client;
    }
    let hops: Vec<&str> = forwarded.flat_map(|v| v.split(',')).map(str::trim).collect();
    for hop in hops.iter().rev() {
        match hop.parse::<std::net::IpAddr>() {
            Ok(ip) if is_trusted(client) => client = ip.to_canonical(),
            _ => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::client_ip;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    #[test]
    fn a_proxy_is_believed_only_when_trusted_and_only_for_what_it_appended() {
        let proxy = ip("10.0.0.5");
        let trusted = [proxy, ip("10.0.0.6")];
        // No trusted proxies: the peer, whatever the header says.
        assert_eq!(client_ip(proxy, ["203.0.113.9"].into_iter(), &[]), proxy);
        // A client connecting directly cannot name another address.
        assert_eq!(client_ip(ip("198.51.100.1"), ["203.0.113.9"].into_iter(), &trusted), ip("198.51.100.1"));
        // Through the proxy: the address it appended.
        assert_eq!(client_ip(proxy, ["203.0.113.9"].into_iter(), &trusted), ip("203.0.113.9"));
        // A forged entry to the left of the real one is not believed.
        assert_eq!(client_ip(proxy, ["1.2.3.4, 203.0.113.9"].into_iter(), &trusted), ip("203.0.113.9"));
        // Two trusted proxies in a row, in two header lines.
        assert_eq!(client_ip(proxy, ["1.2.3.4, 203.0.113.9", "10.0.0.6"].into_iter(), &trusted), ip("203.0.113.9"));
        // IPv6 clients; an IPv4 proxy as a server on [::] sees it.
        assert_eq!(client_ip(proxy, ["2001:db8::7"].into_iter(), &trusted), ip("2001:db8::7"));
        assert_eq!(client_ip(ip("::ffff:10.0.0.5"), ["203.0.113.9"].into_iter(), &trusted), ip("203.0.113.9"));
        // A garbled or missing header leaves the proxy's own address.
        assert_eq!(client_ip(proxy, ["unknown"].into_iter(), &trusted), proxy);
        assert_eq!(client_ip(proxy, std::iter::empty(), &trusted), proxy);
    }
}
