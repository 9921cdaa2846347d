//! Compression: HTML, JSON, CSS, JavaScript and CSV go out gzip- or brotli-compressed when the
//! client accepts it (brotli preferred); XLSX, DOCX and other zip-based files never (they are
//! compressed already). What is kept — cached public pages and API answers, downloads, static
//! assets — keeps its compressed forms too ([`Encoded`]), made once on first demand; everything
//! else is compressed as it is sent by tower-http's layer ([`layer`]).

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, header};
use std::io::Write;
use std::sync::OnceLock;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// A content coding the server can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Identity,
    Gzip,
    Brotli,
}

impl Coding {
    /// The `Content-Encoding` value; `None` for identity.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Coding::Identity => None,
            Coding::Gzip => Some("gzip"),
            Coding::Brotli => Some("br"),
        }
    }

    /// A suffix that keeps each coding's entity tag distinct.
    pub fn tag(self) -> &'static str {
        match self {
            Coding::Identity => "",
            Coding::Gzip => "-gz",
            Coding::Brotli => "-br",
        }
    }
}

/// The coding to answer with: brotli, else gzip, when `Accept-Encoding` accepts it (a `q=0`
/// refuses); identity otherwise.
pub fn negotiate(headers: &HeaderMap) -> Coding {
    let mut br = false;
    let mut gzip = false;
    for value in headers.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()) {
        for item in value.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                let p = p.trim();
                p.strip_prefix("q=").is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
            });
            match name.as_str() {
                "br" => br = !refused,
                "gzip" | "x-gzip" => gzip = !refused,
                "*" if !refused => {
                    br = true;
                    gzip = true;
                }
                _ => {}
            }
        }
    }
    if br {
        Coding::Brotli
    } else if gzip {
        Coding::Gzip
    } else {
        Coding::Identity
    }
}

/// Whether a content type is worth compressing: text (HTML, CSS, JavaScript, CSV, Markdown),
/// JSON, SDMX-CSV and SDMX-ML; not images, XLSX, DOCX or zip.
pub fn compressible(content_type: &str) -> bool {
    let t = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    t.starts_with("text/")
        || t == "application/json"
        || t.ends_with("+json")
        || t.ends_with("+csv")
        || t.ends_with("+xml")
}

/// A body kept with its compressed forms, each made once on first demand.
#[derive(Debug)]
pub struct Encoded {
    identity: Bytes,
    compressible: bool,
    gzip: OnceLock<Bytes>,
    brotli: OnceLock<Bytes>,
}

/// Bodies smaller than this go out as they are: compressing them saves nothing.
const SMALL: usize = 256;

impl Encoded {
    /// `bytes` of `content_type` (compressed only where [`compressible`]).
    pub fn new(bytes: impl Into<Bytes>, content_type: &str) -> Encoded {
        let identity = bytes.into();
        let compressible = compressible(content_type) && identity.len() >= SMALL;
        Encoded { identity, compressible, gzip: OnceLock::new(), brotli: OnceLock::new() }
    }

    /// The body as sent uncompressed.
    pub fn identity(&self) -> &Bytes {
        &self.identity
    }

    /// The body in the coding the client accepts (or identity), and that coding.
    pub fn get(&self, wanted: Coding) -> (Bytes, Coding) {
        if !self.compressible {
            return (self.identity.clone(), Coding::Identity);
        }
        match wanted {
            Coding::Identity => (self.identity.clone(), Coding::Identity),
            Coding::Gzip => (self.gzip.get_or_init(|| gzip(&self.identity)).clone(), Coding::Gzip),
            Coding::Brotli => (self.brotli.get_or_init(|| brotli(&self.identity)).clone(), Coding::Brotli),
        }
    }

    /// Make both compressed forms now (static assets at start, off the request threads).
    pub fn prepare(&self) {
        let _ = self.get(Coding::Gzip);
        let _ = self.get(Coding::Brotli);
    }
}

/// Set `Content-Encoding` (when not identity) and `Vary: Accept-Encoding` on a response's
/// headers; `vary` is what else the answer varies by.
pub fn mark(headers: &mut HeaderMap, coding: Coding, vary: &'static str) {
    if let Some(c) = coding.header() {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(c));
    }
    headers.insert(header::VARY, HeaderValue::from_static(vary));
}

/// Answer with a kept body: 304 when `If-None-Match` names any coding's tag of `digest`,
/// otherwise the body in the coding the client accepts, with its own entity tag
/// (`"digest"`, `"digest-gz"`, `"digest-br"`). `vary` names what else the answer varies by
/// besides `Accept-Encoding` (written whole, e.g. `Cookie, Authorization, Accept-Encoding`).
pub fn respond(
    body: &Encoded,
    digest: &str,
    content_type: &'static str,
    request: &HeaderMap,
    vary: &'static str,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let base = format!("\"{digest}");
    let not_modified = request
        .get(header::IF_NONE_MATCH)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| h.split(',').any(|t| t.trim() == "*" || t.trim().trim_start_matches("W/").starts_with(&base)));
    let (bytes, coding) = body.get(negotiate(request));
    let tag = HeaderValue::from_str(&format!("{base}{}\"", coding.tag())).unwrap_or(HeaderValue::from_static("\"0\""));
    let mut r = if not_modified {
        axum::http::StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = bytes.into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        mark(r.headers_mut(), coding, vary);
        r
    };
    r.headers_mut().insert(header::ETAG, tag);
    r.headers_mut().insert(header::VARY, HeaderValue::from_static(vary));
    r
}

fn gzip(bytes: &[u8]) -> Bytes {
    let mut e = flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 4), flate2::Compression::new(6));
    match e.write_all(bytes).and_then(|()| e.finish()) {
        Ok(out) => Bytes::from(out),
        // Writing to memory does not fail; if it did, the body goes out as it is.
        Err(_) => Bytes::copy_from_slice(bytes),
    }
}

fn brotli(bytes: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(bytes.len() / 4);
    // Quality 9: within a few percent of the best, at a fraction of its time.
    let params = brotli::enc::BrotliEncoderParams { quality: 9, lgwin: 22, ..Default::default() };
    match brotli::BrotliCompress(&mut std::io::Cursor::new(bytes), &mut out, &params) {
        Ok(_) => Bytes::from(out),
        Err(_) => Bytes::copy_from_slice(bytes),
    }
}

/// Compress the responses made per request (logged-in pages, API answers), gzip or brotli as
/// accepted, when their type is [`compressible`] and they are not encoded already.
pub fn layer() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .no_deflate()
        .no_zstd()
        .quality(CompressionLevel::Fastest)
        .compress_when(SizeAbove::new(SMALL as u16).and(ByType))
}

/// The [`compressible`] types, as tower-http's predicate.
#[derive(Debug, Clone, Copy)]
struct ByType;

impl Predicate for ByType {
    fn should_compress<B: axum::body::HttpBody>(&self, response: &axum::http::Response<B>) -> bool {
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(compressible)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).expect("header"));
        h
    }

    #[test]
    fn codings_are_negotiated_from_accept_encoding() {
        assert_eq!(negotiate(&HeaderMap::new()), Coding::Identity);
        assert_eq!(negotiate(&accept("gzip, deflate")), Coding::Gzip);
        assert_eq!(negotiate(&accept("gzip, deflate, br")), Coding::Brotli);
        assert_eq!(negotiate(&accept("br;q=0, gzip;q=0.5")), Coding::Gzip);
        assert_eq!(negotiate(&accept("identity")), Coding::Identity);
        assert_eq!(negotiate(&accept("*")), Coding::Brotli);
    }

    #[test]
    fn bodies_round_trip_and_zip_files_are_left_alone() {
        let text = "<p>湖南省二十条激励措施</p>".repeat(200);
        let e = Encoded::new(text.clone(), "text/html; charset=utf-8");
        let (gz, c) = e.get(Coding::Gzip);
        assert_eq!(c, Coding::Gzip);
        let mut back = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut back).expect("gunzip");
        assert_eq!(back, text);
        let (br, c) = e.get(Coding::Brotli);
        assert_eq!(c, Coding::Brotli);
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).expect("unbrotli");
        assert_eq!(back, text.as_bytes());
        assert!(br.len() < text.len() / 4);
        let xlsx = Encoded::new(vec![b'P'; 4096], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        assert_eq!(xlsx.get(Coding::Brotli).1, Coding::Identity);
        assert!(compressible("application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8"));
        assert!(compressible("application/vnd.sdmx.structure+xml; version=3.0.0; charset=utf-8"));
        assert!(!compressible("application/zip"));
    }
}
