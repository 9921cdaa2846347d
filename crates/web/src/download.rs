//! Files to download and text in URLs, written once: every download (public data, the results
//! notice, work exports) names its file the same way, so a Chinese name reaches the user's
//! computer intact and older clients still get a plain ASCII one.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// `text` percent-encoded byte by byte, keeping only the unreserved characters of RFC 3986
/// (`A–Z a–z 0–9 - . _ ~`): safe in a query string, a path segment and RFC 5987 `filename*`.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The ASCII fallback of a file name for clients that ignore `filename*`: runs of anything
/// outside printable ASCII (and `"`, `\`, `;`) become one `_`; never empty.
pub fn ascii_name(filename: &str) -> String {
    let mut out = String::with_capacity(filename.len());
    for c in filename.chars() {
        if (c.is_ascii_graphic() && !matches!(c, '"' | '\\' | ';' | '%')) || c == ' ' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    if out.trim_matches(['_', '.', ' ']).is_empty() { "download".to_string() } else { out }
}

/// A file to download named `filename` (Chinese allowed): `Content-Disposition: attachment`
/// with an ASCII fallback name and the exact name as RFC 5987 `filename*=UTF-8''…`.
pub fn attachment(bytes: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    attachment_as(bytes, content_type, filename, &ascii_name(filename))
}

/// As [`attachment`], with a chosen ASCII fallback name (`jili-data-2024-v1.csv` says more
/// than the Chinese name with its characters replaced).
pub fn attachment_as(bytes: Vec<u8>, content_type: &'static str, filename: &str, ascii: &str) -> Response {
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition =
        format!("attachment; filename=\"{}\"; filename*=UTF-8''{}", ascii_name(ascii), percent_encode(filename));
    if let Ok(d) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, d);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_percent_encoded_with_an_ascii_fallback() {
        assert_eq!(percent_encode("2024年.csv"), "2024%E5%B9%B4.csv");
        assert_eq!(percent_encode("a b&c=d/e"), "a%20b%26c%3Dd%2Fe");
        assert_eq!(ascii_name("2024年主要指标数据（第1版）.csv"), "2024_1_.csv");
        assert_eq!(ascii_name("审计日志.xlsx"), "_.xlsx");
        assert_eq!(ascii_name("审计"), "download");
        assert_eq!(ascii_name("a\"b.csv"), "a_b.csv");
        let r = attachment(b"x".to_vec(), "text/csv; charset=utf-8", "审计日志.csv");
        let d = r.headers()[header::CONTENT_DISPOSITION].to_str().unwrap_or_default().to_string();
        assert_eq!(d, "attachment; filename=\"_.csv\"; filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.csv");
    }
}
