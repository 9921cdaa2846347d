//! Stored JSON parsed once per process. A run of all 20 measures stores megabytes of results
//! and a publication megabytes of body; pages and the API read them on every request, and
//! parsing was most of the cost. Neither ever changes once recorded. Each cache is keyed by
//! the sha256 of the text as read, so a text edited behind jili's back is parsed afresh and
//! shows as stored (until `jili audit verify` reports it), and it holds a bounded number.

use crate::document::{Document, DocumentError};
use crate::error::{AppError, Result};
use jili_engine::RunResult;
use jili_store::StoredRun;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Parsed texts by the sha256 of the text, at most `kept` of them.
pub(crate) struct ParseCache<T> {
    kept: usize,
    parsed: Mutex<Option<HashMap<Vec<u8>, Arc<T>>>>,
}

impl<T: Document> ParseCache<T> {
    /// The stored document read back as its type (see [`crate::document`]), from the cache
    /// when the same text was read before.
    pub(crate) fn get(&self, text: &str) -> Result<Arc<T>, DocumentError> {
        self.get_with(text, crate::document::from_text)
    }
}

impl<T> ParseCache<T> {
    pub(crate) const fn new(kept: usize) -> Self {
        Self { kept, parsed: Mutex::new(None) }
    }

    /// The text parsed by `parse`, from the cache when the same text was parsed before.
    fn get_with<E>(&self, text: &str, parse: impl FnOnce(&str) -> Result<T, E>) -> Result<Arc<T>, E> {
        let key = Sha256::digest(text.as_bytes()).to_vec();
        if let Some(v) = self.parsed.lock().ok().and_then(|c| c.as_ref()?.get(&key).cloned()) {
            return Ok(v);
        }
        let value = Arc::new(parse(text)?);
        if let Ok(mut c) = self.parsed.lock() {
            let c = c.get_or_insert_with(HashMap::new);
            // Forgetting them all at once is crude but bounded; the hot ones come back on next use.
            if c.len() >= self.kept {
                c.clear();
            }
            c.insert(key, Arc::clone(&value));
        }
        Ok(value)
    }
}

/// Two runs of all 20 measures and some.
static RUNS: ParseCache<RunResult> = ParseCache::new(48);

/// A run's result, read back as the engine's type: a result that does not read is an error
/// naming the run, never a silently empty field.
pub(crate) fn run_result(run: &StoredRun) -> Result<Arc<RunResult>> {
    RUNS.get(&run.result).map_err(|e| AppError::Invalid(format!("运行 {}：{e}", run.id)))
}

#[cfg(test)]
mod tests {
    use super::ParseCache;
    use serde_json::Value;
    use std::sync::Arc;

    #[test]
    fn the_same_text_is_parsed_once_and_a_changed_text_again() {
        let cache: ParseCache<Value> = ParseCache::new(8);
        let a = cache.get_with(r#"{"title":"甲"}"#, |t| serde_json::from_str(t)).expect("valid JSON");
        let again = cache.get_with(r#"{"title":"甲"}"#, |t| serde_json::from_str(t)).expect("valid JSON");
        assert!(Arc::ptr_eq(&a, &again));
        let edited = cache.get_with(r#"{"title":"乙"}"#, |t| serde_json::from_str(t)).expect("valid JSON");
        assert_eq!((a["title"].as_str(), edited["title"].as_str()), (Some("甲"), Some("乙")));
    }

    #[test]
    fn it_keeps_no_more_than_it_may() {
        let cache: ParseCache<Value> = ParseCache::new(2);
        let first = cache.get_with("1", |t| serde_json::from_str(t)).expect("a number");
        cache.get_with("2", |t| serde_json::from_str(t)).expect("a number");
        cache.get_with("3", |t| serde_json::from_str(t)).expect("a number");
        // The third forgot the first two: parsing "1" again gives a new value.
        assert!(!Arc::ptr_eq(&first, &cache.get_with("1", |t| serde_json::from_str(t)).expect("a number")));
        assert_eq!(cache.parsed.lock().expect("not poisoned").as_ref().map(|c| c.len()), Some(2));
    }

    #[test]
    fn an_unreadable_text_is_an_error_and_not_kept() {
        let cache: ParseCache<Value> = ParseCache::new(2);
        assert!(cache.get_with("{not json", |t| serde_json::from_str(t)).is_err());
        assert!(cache.parsed.lock().expect("not poisoned").is_none());
    }
}
