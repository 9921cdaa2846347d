//! Choosing and opening the backend from a URL.

use crate::error::{Result, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use std::str::FromStr;

/// The backends a URL can name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file (the default): `jili.db`, `sqlite://path`, `sqlite::memory:`.
    Sqlite(String),
    /// A PostgreSQL server (or a PostgreSQL-derived one): `postgres://user@host:5432/db`.
    /// `?options[search_path]=schema` keeps jili's tables in a schema of their own.
    Postgres(String),
}

/// Read a database URL. A bare path is a SQLite file.
pub fn parse_url(url: &str) -> Result<Backend> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Backend::Postgres(url.into()));
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        return Ok(Backend::Sqlite(if path.is_empty() { ":memory:".into() } else { path.into() }));
    }
    if url.is_empty() || url.contains("://") {
        return Err(StoreError::Unsupported { url: url.into() });
    }
    Ok(Backend::Sqlite(url.into()))
}

/// Connect to a PostgreSQL server. The database must exist (the server's administrator makes
/// it); jili creates its tables.
pub(crate) async fn open_postgres(url: &str) -> Result<PgPool> {
    let open_err = |source| StoreError::Open { url: redact(url), source };
    let options = PgConnectOptions::from_str(url).map_err(open_err)?.application_name("jili");
    PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(std::time::Duration::from_secs(60))
        .connect_with(options)
        .await
        .map_err(open_err)
}

/// A URL fit to print: any password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (authority, tail) = rest.split_once('/').map_or((rest, ""), |(a, t)| (a, t));
    let Some((user, host)) = authority.rsplit_once('@') else { return url.to_string() };
    let user = user.split_once(':').map_or(user, |(u, _)| u);
    let masked = if user.len() < authority.len() - host.len() - 1 { format!("{user}:***") } else { user.to_string() };
    let slash = if rest.contains('/') { "/" } else { "" };
    format!("{scheme}://{masked}@{host}{slash}{tail}")
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
        assert_eq!(parse_url("postgres://u@h/db").unwrap(), Backend::Postgres("postgres://u@h/db".into()));
        assert_eq!(parse_url("postgresql://h/db").unwrap(), Backend::Postgres("postgresql://h/db".into()));
        assert!(parse_url("mysql://x").is_err());
    }

    #[test]
    fn passwords_are_not_printed() {
        assert_eq!(redact("postgres://jili:s3cret@db:5432/jili"), "postgres://jili:***@db:5432/jili");
        assert_eq!(redact("postgres://jili@db/jili"), "postgres://jili@db/jili");
        assert_eq!(redact("postgres://db/jili"), "postgres://db/jili");
        assert_eq!(redact("jili.db"), "jili.db");
    }
}
