//! Published pages are rendered from immutable data, so a page for the public is rendered once
//! per publication and served from memory after. The key includes the publication's version
//! and digest, so a new publication (made by any process) makes new keys; which publication is
//! newest is looked up at most once a second per process, so a page may lag a new publication
//! by that second.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// How long a browser or proxy may keep a public page or download without asking again.
pub const PUBLIC_MAX_AGE: &str = "public, max-age=60";

/// A cached page body (with its compressed forms) and the digest its entity tags are made of.
#[derive(Debug)]
pub struct CachedPage {
    pub body: crate::compress::Encoded,
    pub digest: String,
}

/// How long the newest publication and the demo flag are trusted before they are looked up again.
pub const FRESHNESS: Duration = Duration::from_secs(1);

/// Cached pages and the facts their keys depend on.
#[derive(Debug, Default)]
pub struct PageCache {
    pages: RwLock<HashMap<String, Arc<CachedPage>>>,
    facts: Mutex<Option<(Instant, Facts)>>,
}

/// What every public page depends on besides its own path.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facts {
    /// `year/version/sha256` of the newest publication of each year, joined; empty when none.
    pub publications: String,
    pub demo: bool,
}

/// The most pages kept; beyond it the cache starts again (publications are few).
const MAX_PAGES: usize = 2000;

impl PageCache {
    /// A cached page.
    pub fn get(&self, key: &str) -> Option<Arc<CachedPage>> {
        self.pages.read().ok()?.get(key).cloned()
    }

    /// Keep a page (HTML or JSON, by `content_type`).
    pub fn put(&self, key: String, text: String, content_type: &str) -> Arc<CachedPage> {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut h = DefaultHasher::new();
        text.hash(&mut h);
        let digest = format!("{:016x}", h.finish());
        let body = Arc::new(CachedPage { body: crate::compress::Encoded::new(text, content_type), digest });
        if let Ok(mut pages) = self.pages.write() {
            if pages.len() >= MAX_PAGES {
                pages.clear();
            }
            pages.insert(key, body.clone());
        }
        body
    }

    /// The facts, if looked up within [`FRESHNESS`].
    pub fn fresh_facts(&self) -> Option<Facts> {
        let guard = self.facts.lock().ok()?;
        guard.as_ref().filter(|(at, _)| at.elapsed() < FRESHNESS).map(|(_, f)| f.clone())
    }

    /// Remember facts just looked up.
    pub fn set_facts(&self, facts: Facts) {
        if let Ok(mut guard) = self.facts.lock() {
            *guard = Some((Instant::now(), facts));
        }
    }

    /// Forget the facts (after this process published or imported something).
    pub fn stale(&self) {
        if let Ok(mut guard) = self.facts.lock() {
            *guard = None;
        }
    }
}
