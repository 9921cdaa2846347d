//! What every handler shares: the application (acting as the public until a request says who
//! it is), the cache of published pages, and the cookie settings.

use crate::cache::PageCache;
use jili_app::App;
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
    /// Mark cookies `Secure` (behind https).
    pub secure_cookies: bool,
}

impl AppState {
    /// State for serving `app`'s database.
    pub fn new(app: App, secure_cookies: bool) -> AppState {
        let app = app.acting_as(jili_app::Principal::public());
        AppState(Arc::new(Shared { app, cache: PageCache::default(), secure_cookies }))
    }

    /// The application acting as the public.
    pub fn app(&self) -> &App {
        &self.0.app
    }
}
