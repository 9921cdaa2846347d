//! Carrying an uploaded file between its check and its confirmation without keeping it on the
//! server: the check page puts the file in its confirmation form (base64, with its sha256), so a
//! page may be confirmed on another server process than the one that checked it.

use crate::error::{WebError, WebResult};
use jili_app::intake::upload_sha256;

/// A file carried back by the confirmation form, decoded. The client supplies both the content
/// and its sha256, so the digest proves nothing about where the file came from: it only catches
/// a file damaged on its round trip through the browser. What makes the confirmation safe is
/// that the import checks the file again, in full, before anything is stored.
pub fn carried_file(base64: &str, sha256: &str) -> WebResult<Vec<u8>> {
    let bytes = base64_decode(base64)
        .ok_or_else(|| WebError::invalid("确认表单中的文件内容已损坏（不是有效的 base64）：请重新上传文件并校验"))?;
    if bytes.is_empty() {
        return Err(WebError::invalid("确认表单中没有文件内容：请重新上传文件并校验"));
    }
    if upload_sha256(&bytes) != sha256.trim().to_ascii_lowercase() {
        return Err(WebError::invalid(
            "文件与校验时的不一致（sha256 校验值不符），未导入：请重新上传文件并校验后再确认",
        ));
    }
    Ok(bytes)
}

/// Standard base64 with padding (RFC 4648), for carrying a file in a form.
pub fn base64_encode(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Standard base64 back to bytes; whitespace is ignored; `None` when it is not base64.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let clean: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_and_rejects_garbage() {
        for text in ["", "a", "ab", "abc", "abcd", "地区,指标\r\n长沙市"] {
            let enc = base64_encode(text.as_bytes());
            assert_eq!(base64_decode(&enc).as_deref(), Some(text.as_bytes()), "{text}");
        }
        assert_eq!(base64_encode(b"Man"), "TWFu");
        assert_eq!(base64_encode(b"Ma"), "TWE=");
        assert_eq!(base64_decode("TWE="), Some(b"Ma".to_vec()));
        assert_eq!(base64_decode("TW=E"), None);
        assert_eq!(base64_decode("T!E="), None);
        assert_eq!(base64_decode("TWE"), None);
    }

    #[test]
    fn a_carried_file_must_match_its_sha256() {
        let bytes = b"abc".to_vec();
        let sha = upload_sha256(&bytes);
        assert_eq!(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(carried_file(&base64_encode(&bytes), &sha).ok(), Some(bytes));
        let err = carried_file(&base64_encode(b"abd"), &sha).err().map(|e| e.message).unwrap_or_default();
        assert!(err.contains("sha256"), "{err}");
    }
}
