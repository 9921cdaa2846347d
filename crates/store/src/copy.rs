//! Copying a whole database to another, on either backend: `jili migrate` (SQLite to
//! PostgreSQL and back), backups of a PostgreSQL database (into a SQLite file, the one backup
//! format) and restores into PostgreSQL. Every table is copied verbatim, the audit chain
//! included, from one snapshot of the source, into an empty target in one transaction; the
//! caller then verifies the chain on the target.

use crate::Store;
use crate::bulk::copy_text;
use crate::db::{Db, Tx, on};
use crate::error::{Result, StoreError};
use crate::seal::{AUDIT_COLUMNS, Kind, TABLES, UNSEALED, kind};
use futures_util::TryStreamExt;
use sqlx::Row;

/// Every table with its columns, parents before children (foreign keys hold at every row).
fn tables() -> Vec<(&'static str, &'static [&'static str])> {
    let order = [
        "departments",
        "units",
        "series",
        "programmes",
        "measures",
        "plans",
        "plan_reviews",
        "batches",
        "observations",
        "flags",
        "flag_notes",
        "rechecks",
        "recheck_flags",
        "mappings",
        "settings",
        "runs",
        "overrides",
        "users",
        "sso_identities",
        "web_sessions",
        "login_failures",
        "access_log",
        "budgets",
        "publications",
        "commendations",
        "data_grants",
        "publication_requests",
        "data_releases",
        "cases",
        "case_flags",
        "case_steps",
        "calendar_dates",
        "fund_entries",
    ];
    let mut out: Vec<(&'static str, &'static [&'static str])> = order
        .iter()
        .filter_map(|name| {
            let sealed = TABLES.iter().find(|t| t.name == *name).map(|t| (t.name, t.columns));
            sealed.or_else(|| UNSEALED.iter().find(|(t, _)| t == name).copied())
        })
        .collect();
    out.push(("audit_events", AUDIT_COLUMNS));
    out
}

/// Rows per write to the target.
const CHUNK: usize = 20_000;

/// Rows copied, per table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyReport {
    pub tables: Vec<(&'static str, u64)>,
}

impl CopyReport {
    /// Rows copied in all.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

impl Store {
    /// Whether the database holds no records at all (a target for a copy must be empty).
    pub async fn is_empty(&self) -> Result<bool> {
        for (table, _) in tables() {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let n: i64 = on!(self.pool.get(), |p| sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(p).await?);
            if n > 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Copy every record, the audit chain included, into `target`, which must be empty.
    /// Verify the target afterwards (the app does).
    pub async fn copy_to(&self, target: &Store) -> Result<CopyReport> {
        if !target.is_empty().await? {
            return Err(StoreError::Conflict(
                "目标数据库不是空的：复制只能写入新建的空库（PostgreSQL 请新建一个库，SQLite 请指定一个新文件）".into(),
            ));
        }
        let mut from = self.pool.snapshot().await?;
        let mut to = target.write().await?;
        let mut report = CopyReport::default();
        for (table, columns) in tables() {
            let n = copy_table(&mut from, &mut to, table, columns).await?;
            report.tables.push((table, n));
        }
        if let Db::Postgres(c) = to.conn() {
            // Explicit ids were copied: the next id each table hands out follows them.
            for (table, columns) in tables() {
                if columns.first() == Some(&"id") {
                    let sql = format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}"
                    );
                    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *c).await?;
                }
            }
        }
        from.rollback().await?;
        to.commit().await?;
        Ok(report)
    }
}

/// Copy one table, streamed from the source in chunks.
async fn copy_table(from: &mut Tx, to: &mut Tx, table: &str, columns: &[&str]) -> Result<u64> {
    let postgres = from.is_postgres();
    // Each value as text (yes/no as 1/0, as SQLite stores it), NULL as NULL.
    let cols: Vec<String> = columns
        .iter()
        .map(|c| match (postgres, kind(table, c)) {
            (true, Kind::Boolean) => format!("CASE WHEN {c} IS NULL THEN NULL WHEN {c} THEN '1' ELSE '0' END"),
            _ => format!("CAST({c} AS TEXT)"),
        })
        .collect();
    let sql = format!("SELECT {} FROM {table}", cols.join(", "));
    let mut copied = 0;
    let mut chunk: Vec<Vec<Option<String>>> = Vec::with_capacity(CHUNK);
    on!(from.conn(), |c| {
        let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch(c);
        while let Some(r) = rows.try_next().await? {
            let mut row = Vec::with_capacity(columns.len());
            for i in 0..columns.len() {
                row.push(r.try_get::<Option<String>, _>(i)?);
            }
            chunk.push(row);
            if chunk.len() == CHUNK {
                copied += write_rows(to, table, columns, &chunk).await?;
                chunk.clear();
            }
        }
    });
    copied += write_rows(to, table, columns, &chunk).await?;
    Ok(copied)
}

/// Write rows of text values into the target: COPY on PostgreSQL (which reads each text as its
/// column's type), one JSON parameter on SQLite (cast back to integers where the column is).
async fn write_rows(to: &mut Tx, table: &str, columns: &[&str], rows: &[Vec<Option<String>>]) -> Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    match to.conn() {
        Db::Postgres(c) => {
            let mut buf = Vec::new();
            for row in rows {
                for (i, v) in row.iter().enumerate() {
                    if i > 0 {
                        buf.push(b'\t');
                    }
                    match v {
                        Some(v) => copy_text(&mut buf, v),
                        None => buf.extend_from_slice(b"\\N"),
                    }
                }
                buf.push(b'\n');
            }
            let sql = format!("COPY {table} ({}) FROM STDIN", columns.join(", "));
            let mut copy = c.copy_in_raw(&sql).await?;
            copy.send(buf).await?;
            copy.finish().await?;
        }
        Db::Sqlite(c) => {
            let cells: Vec<String> = columns
                .iter()
                .enumerate()
                .map(|(i, col)| match kind(table, col) {
                    Kind::Text => format!("value ->> {i}"),
                    Kind::Integer | Kind::Boolean => format!("CAST(value ->> {i} AS INTEGER)"),
                })
                .collect();
            let sql =
                format!("INSERT INTO {table} ({}) SELECT {} FROM json_each($1)", columns.join(", "), cells.join(", "));
            let json =
                serde_json::to_string(rows).map_err(|e| StoreError::Corrupt(format!("{table} 无法编码：{e}")))?;
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(json).execute(&mut *c).await?;
        }
    }
    Ok(rows.len() as u64)
}
