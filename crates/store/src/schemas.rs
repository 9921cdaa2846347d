//! Schemas of their own on a PostgreSQL server, for databases that must not meet: `jili bench`
//! times each run in a fresh one. jili's tables go in the schema named first on the search
//! path, which a URL can set: `postgres://…/db?options[search_path]=name`.

use crate::connect::redact;
use crate::error::{Result, StoreError};
use sqlx::Connection;

/// `base` with `schema` first on the search path.
pub fn schema_url(base: &str, schema: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options[search_path]={schema}")
}

fn valid(schema: &str) -> Result<()> {
    let ok = !schema.is_empty()
        && schema.len() <= 63
        && schema.starts_with(|c: char| c.is_ascii_lowercase())
        && schema.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(StoreError::Conflict(format!("schema 名“{schema}”不合规：只用小写字母、数字和下划线，以字母开头")))
    }
}

/// Create (or empty) `schema` on the server at `base`; returns the URL that opens it.
pub async fn create_schema(base: &str, schema: &str) -> Result<String> {
    valid(schema)?;
    let mut conn =
        sqlx::PgConnection::connect(base).await.map_err(|source| StoreError::Open { url: redact(base), source })?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))).execute(&mut conn).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}"))).execute(&mut conn).await?;
    conn.close().await?;
    Ok(schema_url(base, schema))
}

/// Drop `schema` and everything in it.
pub async fn drop_schema(base: &str, schema: &str) -> Result<()> {
    valid(schema)?;
    let mut conn =
        sqlx::PgConnection::connect(base).await.map_err(|source| StoreError::Open { url: redact(base), source })?;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))).execute(&mut conn).await?;
    conn.close().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_names_are_checked_and_urls_built() {
        assert!(valid("jili_bench_1").is_ok());
        assert!(valid("x; DROP TABLE users").is_err());
        assert!(valid("").is_err());
        assert_eq!(schema_url("postgres://h/db", "s"), "postgres://h/db?options[search_path]=s");
        assert_eq!(
            schema_url("postgres://h/db?sslmode=disable", "s"),
            "postgres://h/db?sslmode=disable&options[search_path]=s"
        );
    }
}
