//! What every handler shares: the application (acting as the public until a request says who
//! it is), the cache of published pages, and the cookie settings.

use crate::cache::PageCache;
use jili_app::{App, Capacity};
use std::sync::Arc;

/// The shared state of the web server. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AppState(pub Arc<Shared>);

/// The state behind [`AppState`].
#[derive(Debug)]
pub struct Shared {
    /// The application acting as the public; requests act as their visitor through `acting_as`.
    pub app: App,
    pub cache: PageCache,
    /// The public downloads, built once per publication.
    pub downloads: crate::downloads::Downloads,
    /// Turns of downloads being sent, per client and in all.
    pub download_gate: crate::download_gate::DownloadGate,
    /// Mark cookies `Secure` (behind https).
    pub secure_cookies: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (see [`crate::auth::ClientAddr`]).
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Requests counted for `/metrics`.
    pub metrics: crate::request_counts::RequestMetrics,
    /// Single sign-on, when the server was given its settings (`jili serve --sso-config`).
    pub sso: std::sync::OnceLock<Arc<jili_app::sso::Sso>>,
}

impl AppState {
    /// State for serving `app`'s database.
    pub fn new(app: App, secure_cookies: bool) -> AppState {
        AppState::behind_proxies(app, secure_cookies, Vec::new())
    }

    /// State for serving behind reverse proxies: the `X-Forwarded-For` header of requests from
    /// these addresses is believed. Behind a load balancer every client would otherwise share
    /// its address, and one user's wrong passwords would lock out everyone.
    pub fn behind_proxies(app: App, secure_cookies: bool, trusted_proxies: Vec<std::net::IpAddr>) -> AppState {
        AppState::with_capacity(app, secure_cookies, trusted_proxies, Capacity::server())
    }

    /// State with these limits on heavy work (see [`jili_app::workers`]): a server's own pool,
    /// shared by every request.
    pub fn with_capacity(
        app: App,
        secure_cookies: bool,
        trusted_proxies: Vec<std::net::IpAddr>,
        limits: Capacity,
    ) -> AppState {
        let app = app.acting_as(jili_app::Principal::public()).with_capacity(limits);
        AppState(Arc::new(Shared {
            app,
            cache: PageCache::default(),
            downloads: crate::downloads::Downloads::default(),
            download_gate: crate::download_gate::DownloadGate::default(),
            secure_cookies,
            trusted_proxies,
            metrics: crate::request_counts::RequestMetrics::default(),
            sso: std::sync::OnceLock::new(),
        }))
    }

    /// The same state with single sign-on: the login page offers it and `/sso/…` answer.
    /// Set once, before serving; a second call is ignored.
    pub fn with_sso(self, sso: jili_app::sso::Sso) -> AppState {
        let _ = self.0.sso.set(Arc::new(sso));
        self
    }

    /// Single sign-on, if configured.
    pub fn sso(&self) -> Option<&Arc<jili_app::sso::Sso>> {
        self.0.sso.get()
    }

    /// The application acting as the public.
    pub fn app(&self) -> &App {
        &self.0.app
    }
}
