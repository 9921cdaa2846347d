//! The JSON documents jili stores — a run's result, a publication's body, a data release's body —
//! written with their format version and read back as their types. A document from a newer jili
//! is refused with a clear message (guessing at fields it does not know could publish wrong
//! numbers); one from an older format is brought up to date by its type's [`Document::upgrade`].
//! Documents stored before the version was written carry no `schema` key: they are version 1.
//!
//! The version is the first key of the stored text (`{"schema":1,…}`), so a document's digest
//! covers it and a reader can see it without parsing the rest.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A JSON document jili stores and reads back.
pub trait Document: DeserializeOwned {
    /// What it is, as an error message names it (运行结果, 发布内容 …).
    const KIND: &'static str;
    /// The format version this build writes and reads directly.
    const SCHEMA: u32;

    /// Bring a document of an older format `from` up to [`Self::SCHEMA`]. No type has an older
    /// format yet; the first change of a format adds its step here.
    fn upgrade(from: u32, doc: Value) -> Result<Value, String> {
        let _ = doc;
        Err(format!("本程序不认识格式版本 {from}"))
    }
}

/// Why a stored document did not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error("{kind}由较新版本的 jili 写入（格式版本 {found}，本程序只认到 {known}）：请升级 jili 后再读取")]
    Newer { kind: &'static str, found: u32, known: u32 },
    #[error("{kind}无法读取（格式版本 {version}）：{why}。请用 jili audit verify 核验数据库")]
    Unreadable { kind: &'static str, version: u32, why: String },
}

/// The document with its version first.
#[derive(Serialize)]
struct Versioned<'a, T> {
    schema: u32,
    #[serde(flatten)]
    doc: &'a T,
}

/// Only the version of a stored document (every other key is skipped unread).
#[derive(Deserialize)]
struct Version {
    #[serde(default = "first_version")]
    schema: u32,
}

fn first_version() -> u32 {
    1
}

/// The text to store for `doc`.
pub fn to_text<T: Document + Serialize>(doc: &T) -> serde_json::Result<String> {
    serde_json::to_string(&Versioned { schema: T::SCHEMA, doc })
}

/// A stored text read back as its type: the current format directly, an older one upgraded,
/// a newer one refused.
pub fn from_text<T: Document>(text: &str) -> Result<T, DocumentError> {
    let unreadable = |version: u32, why: String| DocumentError::Unreadable { kind: T::KIND, version, why };
    let version = serde_json::from_str::<Version>(text).map_err(|e| unreadable(0, e.to_string()))?.schema;
    match version.cmp(&T::SCHEMA) {
        std::cmp::Ordering::Greater => Err(DocumentError::Newer { kind: T::KIND, found: version, known: T::SCHEMA }),
        std::cmp::Ordering::Equal => serde_json::from_str(text).map_err(|e| unreadable(version, e.to_string())),
        std::cmp::Ordering::Less => {
            let value: Value = serde_json::from_str(text).map_err(|e| unreadable(version, e.to_string()))?;
            let upgraded = T::upgrade(version, value).map_err(|why| unreadable(version, why))?;
            serde_json::from_value(upgraded).map_err(|e| unreadable(version, e.to_string()))
        }
    }
}

impl Document for jili_engine::RunResult {
    const KIND: &'static str = "运行结果";
    const SCHEMA: u32 = 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Note {
        title: String,
        #[serde(default)]
        pages: u32,
    }

    impl Document for Note {
        const KIND: &'static str = "测试文档";
        const SCHEMA: u32 = 2;
        fn upgrade(from: u32, mut doc: Value) -> Result<Value, String> {
            // Version 1 called the title "name".
            match (from, doc.as_object_mut()) {
                (1, Some(map)) => {
                    let name = map.remove("name").ok_or("缺少 name")?;
                    map.insert("title".into(), name);
                    Ok(doc)
                }
                _ => Err(format!("本程序不认识格式版本 {from}")),
            }
        }
    }

    #[test]
    fn a_document_is_stored_with_its_version_first_and_reads_back() {
        let note = Note { title: "甲".into(), pages: 3 };
        let text = to_text(&note).expect("serialisable");
        assert_eq!(text, r#"{"schema":2,"title":"甲","pages":3}"#);
        assert_eq!(from_text::<Note>(&text), Ok(note));
    }

    #[test]
    fn an_older_format_is_upgraded_and_no_version_means_the_first() {
        let old = from_text::<Note>(r#"{"name":"乙"}"#).expect("version 1 upgrades");
        assert_eq!(old, Note { title: "乙".into(), pages: 0 });
        let explicit = from_text::<Note>(r#"{"schema":1,"name":"丙","pages":2}"#).expect("version 1 upgrades");
        assert_eq!(explicit, Note { title: "丙".into(), pages: 2 });
    }

    #[test]
    fn a_newer_format_is_refused_with_what_to_do() {
        let e = from_text::<Note>(r#"{"schema":3,"title":"丁"}"#).expect_err("newer than this build");
        assert_eq!(e, DocumentError::Newer { kind: "测试文档", found: 3, known: 2 });
        assert!(e.to_string().contains("请升级 jili"), "{e}");
    }

    #[test]
    fn a_broken_document_says_which_and_where_to_look() {
        let e = from_text::<Note>(r#"{"schema":2,"pages":1}"#).expect_err("no title");
        assert!(matches!(e, DocumentError::Unreadable { version: 2, .. }), "{e:?}");
        assert!(e.to_string().contains("jili audit verify"), "{e}");
        assert!(from_text::<Note>("not json").is_err());
    }
}
