//! The public downloads — the data as XLSX, CSV, JSON and SDMX-CSV, and the results notice as
//! DOCX — are built once per publication and kept in memory: an anonymous visitor looping on
//! `/data/download.xlsx` used to rebuild the workbook (0.2–1 s of CPU) on every request.
//!
//! Each file is keyed by the publication it states (year, version, sha256) and its kind, so a
//! new publication makes new keys. The first requests for a file build it once between them
//! (single flight: the others wait for that build), on the heavy pool; later ones are served
//! from memory with an entity tag made of the publication's digest (the same on every server
//! process), answered 304 to `If-None-Match`, and compressed where the type allows (kept
//! compressed). The kept files are bounded in bytes; past the bound the oldest go.

use crate::compress::{self, Encoded};
use crate::download::{ascii_name, percent_encode};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// The most bytes of built files kept (uncompressed and compressed forms together).
pub const MAX_BYTES: usize = 256 * 1024 * 1024;

/// A file built for download.
#[derive(Debug)]
pub struct Built {
    pub body: Encoded,
    pub content_type: &'static str,
    /// The name on the user's computer (Chinese), and its ASCII fallback.
    pub name: String,
    pub ascii: String,
    /// What the entity tag is made of.
    pub digest: String,
}

/// What a download is of: the publication (year, version, sha256) and the kind of file. A data
/// release is keyed by year 0, its id and its sha256.
pub type Key = (i32, i64, String, &'static str);

/// A file to keep and serve: what it is of, its type and its names.
#[derive(Debug)]
pub struct FileSpec {
    pub key: Key,
    pub content_type: &'static str,
    /// The name on the user's computer (Chinese), and its ASCII fallback.
    pub name: String,
    pub ascii: String,
    /// What the entity tag is made of.
    pub digest: String,
}

/// Answer with the kept file of `spec`, built by `build` on the first request for it.
pub async fn serve<F, Fut>(
    downloads: &Downloads,
    spec: FileSpec,
    request: &HeaderMap,
    build: F,
) -> Result<Response, crate::error::WebError>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<Vec<u8>, crate::error::WebError>>,
{
    let FileSpec { key, content_type, name, ascii, digest } = spec;
    let built = downloads
        .get(key, || async {
            let bytes = build().await?;
            Ok(Built { body: Encoded::new(bytes, content_type), content_type, name, ascii, digest })
        })
        .await?;
    Ok(respond(&built, request))
}

/// The kept downloads.
#[derive(Debug, Default)]
pub struct Downloads {
    slots: Mutex<Slots>,
    builds: AtomicUsize,
}

#[derive(Debug, Default)]
struct Slots {
    files: HashMap<Key, Arc<OnceCell<Arc<Built>>>>,
    /// Built files, oldest first, with their sizes.
    order: VecDeque<(Key, usize)>,
    bytes: usize,
}

impl Downloads {
    /// How many files have been built (each once per publication, unless evicted).
    pub fn builds(&self) -> usize {
        self.builds.load(Ordering::SeqCst)
    }

    /// The file for `key`, built by `build` if no request has built it yet; concurrent first
    /// requests share one build. A failed build is not kept.
    pub async fn get<F, Fut>(&self, key: Key, build: F) -> Result<Arc<Built>, crate::error::WebError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Built, crate::error::WebError>>,
    {
        let cell = {
            let Ok(mut s) = self.slots.lock() else { return build().await.map(Arc::new) };
            s.files.entry(key.clone()).or_default().clone()
        };
        let mut fresh = false;
        let built = cell
            .get_or_try_init(|| async {
                fresh = true;
                self.builds.fetch_add(1, Ordering::SeqCst);
                build().await.map(Arc::new)
            })
            .await?
            .clone();
        if fresh {
            self.account(key, &built);
        }
        Ok(built)
    }

    /// Count a new file's bytes, dropping the oldest files past [`MAX_BYTES`].
    fn account(&self, key: Key, built: &Built) {
        // The compressed forms, once made, take at most as much again.
        let size = built.body.identity().len() * 2;
        let Ok(mut s) = self.slots.lock() else { return };
        s.order.push_back((key, size));
        s.bytes += size;
        while s.bytes > MAX_BYTES && s.order.len() > 1 {
            let Some((old, n)) = s.order.pop_front() else { break };
            s.files.remove(&old);
            s.bytes = s.bytes.saturating_sub(n);
        }
    }
}

/// Answer with a built file: 304 or the bytes (compressed where the type allows), as an
/// attachment with its names. Public and the same for everyone; revalidated after a minute,
/// since the address always names the newest publication.
pub fn respond(built: &Built, request: &HeaderMap) -> Response {
    let mut r = compress::respond(&built.body, &built.digest, built.content_type, request, "Accept-Encoding");
    let h = r.headers_mut();
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_name(&built.ascii),
        percent_encode(&built.name)
    );
    if let Ok(d) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, d);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(crate::cache::PUBLIC_MAX_AGE));
    r
}
