//! Choosing and opening the backend from a URL.

use crate::error::{Result, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::str::FromStr;

/// The backends a URL can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file (the default): `jili.db`, `sqlite://path`, `sqlite::memory:`.
    Sqlite(String),
}

/// Read a database URL. A bare path is a SQLite file.
pub fn parse_url(url: &str) -> Result<Backend> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Err(StoreError::Unsupported { url: url.into(), hint: "；PostgreSQL 后端将在后续版本提供" });
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        return Ok(Backend::Sqlite(if path.is_empty() { ":memory:".into() } else { path.into() }));
    }
    if url.is_empty() || url.contains("://") {
        return Err(StoreError::Unsupported { url: url.into(), hint: "" });
    }
    Ok(Backend::Sqlite(url.into()))
}

/// Open (creating when missing) a SQLite file with WAL and foreign keys on.
pub(crate) async fn open_sqlite(path: &str) -> Result<SqlitePool> {
    let open_err = |source| StoreError::Open { url: path.into(), source };
    let options = SqliteConnectOptions::from_str(&format!("sqlite:{path}"))
        .map_err(open_err)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .foreign_keys(true)
        // Writers wait for each other (a large import holds the lock for a second or two).
        .busy_timeout(std::time::Duration::from_secs(60))
        // 64 MiB of page cache: a 100,000-row batch's index pages stay in memory until commit.
        .pragma("cache_size", "-65536");
    // One connection for :memory: so every query sees the same database.
    let max = if path == ":memory:" { 1 } else { 4 };
    SqlitePoolOptions::new().max_connections(max).connect_with(options).await.map_err(open_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_backend() {
        assert_eq!(parse_url("jili.db").unwrap(), Backend::Sqlite("jili.db".into()));
        assert_eq!(parse_url("sqlite://data/j.db").unwrap(), Backend::Sqlite("data/j.db".into()));
        assert_eq!(parse_url("sqlite::memory:").unwrap(), Backend::Sqlite(":memory:".into()));
        let err = parse_url("postgres://u@h/db").unwrap_err().to_string();
        assert!(err.contains("PostgreSQL"), "{err}");
        assert!(parse_url("mysql://x").is_err());
    }
}
