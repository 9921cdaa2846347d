//! Text encodings of CSV files. Excel and WPS on Chinese Windows save "CSV" in GBK (a subset of
//! GB18030); "CSV UTF-8" adds a BOM; "Unicode text" is UTF-16 with tabs. Detect, or be told.

use crate::error::IntakeError;
use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};
use jili_model::Location;
use std::borrow::Cow;

/// An encoding a user can name with `--encoding`.
pub fn named(label: &str) -> Option<&'static Encoding> {
    match label.trim().to_ascii_lowercase().as_str() {
        "utf8" | "utf-8" => Some(UTF_8),
        "gbk" | "gb2312" | "gb18030" | "cp936" | "936" => Some(GB18030),
        "utf16" | "utf-16" | "utf-16le" => Some(UTF_16LE),
        "utf-16be" => Some(UTF_16BE),
        other => Encoding::for_label(other.as_bytes()),
    }
}

/// Decode `bytes` as text. A BOM decides; otherwise valid UTF-8 is UTF-8 and anything else is
/// read as GB18030 (which contains GBK and GB2312). With `forced`, that encoding is used and
/// bytes it cannot decode are an error naming the line.
pub fn decode<'a>(
    file: &str,
    bytes: &'a [u8],
    forced: Option<&'static Encoding>,
) -> Result<(Cow<'a, str>, &'static Encoding), IntakeError> {
    let (encoding, body) = match (forced, Encoding::for_bom(bytes)) {
        (None, Some((enc, bom))) => (enc, &bytes[bom..]),
        (Some(enc), Some((bom_enc, bom))) if enc == bom_enc => (enc, &bytes[bom..]),
        (Some(enc), _) => (enc, bytes),
        (None, None) => match std::str::from_utf8(bytes) {
            // Valid UTF-8 is read in place: a large file is not copied.
            Ok(text) => return Ok((Cow::Borrowed(text), UTF_8)),
            Err(_) => (GB18030, bytes),
        },
    };
    match encoding.decode_without_bom_handling_and_without_replacement(body) {
        Some(text) => Ok((text, encoding)),
        None => {
            let (text, _) = encoding.decode_without_bom_handling(body);
            let line = text.split('\n').position(|l| l.contains('\u{FFFD}')).map_or(1, |i| i + 1);
            let hint = if encoding == UTF_8 {
                "文件中有不是 UTF-8 的字节：如果是 Excel/WPS 保存的“CSV（逗号分隔）”，请用 --encoding gbk，或另存为“CSV UTF-8”"
            } else {
                "文件中有按所选编码无法识别的字节：请确认文件编码（常见为 UTF-8 或 GBK），或在 Excel/WPS 中另存为“CSV UTF-8”"
            };
            Err(IntakeError::at(Location::file(file).at_line(line), format!("{}：{hint}", encoding.name())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_utf8_bom_gbk_and_utf16() {
        let (t, e) = decode("a.csv", "地区,数值\n".as_bytes(), None).unwrap();
        assert_eq!((&*t, e.name()), ("地区,数值\n", "UTF-8"));
        let (t, _) = decode("a.csv", b"\xEF\xBB\xBFa,b\n", None).unwrap();
        assert_eq!(t, "a,b\n");
        let (gbk, _, _) = GB18030.encode("长沙市,1\n");
        let (t, e) = decode("a.csv", &gbk, None).unwrap();
        assert_eq!((&*t, e.name()), ("长沙市,1\n", "gb18030"));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("地区\t数值".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode("a.txt", &utf16, None).unwrap().0, "地区\t数值");
    }

    #[test]
    fn forced_utf8_on_gbk_names_the_line_and_the_fix() {
        let (gbk, _, _) = GB18030.encode("a,b\n长沙市,1\n");
        let err = decode("a.csv", &gbk, named("utf-8")).unwrap_err().to_string();
        assert!(err.contains("第 2 行") && err.contains("--encoding gbk"), "{err}");
    }
}
