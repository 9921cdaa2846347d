//! Seals: what an audit event records of the records it changed, so that `audit verify` can
//! re-read those records and say what was edited behind the application's back.
//!
//! Every stored row belongs to one *object* (`batch/7`, `plan/2024/3/v2`, `user/zhang` …). A
//! seal of an object is a map from *section* to a short text: for a table with one row per
//! object, each column's value (or the digest of a long one); for a table with many rows per
//! object (observations, flags, review steps), the row count and a digest over the rows. Every
//! column of every table is covered — a test compares [`TABLES`] with the schema.

use crate::audit::hex;
use crate::error::Result;
use futures_util::TryStreamExt;
use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection};
use std::collections::BTreeMap;

/// The seal of one object: section → value or digest.
pub type Seal = BTreeMap<String, String>;

/// The seals an event carries: object → seal.
pub type Seals = BTreeMap<String, Seal>;

mod tables;

pub(crate) use tables::{Section, TABLES, Table, UNSEALED};

/// Values longer than this are sealed by their digest.
const VERBATIM: usize = 64;

/// One table's rows, each column cast to text, in digest order; `filter` narrows to an object.
fn select(table: &Table, filter: &str) -> String {
    // Each value with its storage type: a number stored as text, or text stored as a blob,
    // reads the same once cast but is not the same record.
    let cols: Vec<String> =
        table.columns.iter().map(|c| format!("typeof({c}) || ':' || COALESCE(CAST({c} AS TEXT), '')")).collect();
    format!("SELECT {} FROM {} {filter} ORDER BY {}", cols.join(", "), table.name, table.order)
}

/// Accumulates the seals of many objects from rows.
#[derive(Default)]
pub(crate) struct Sealer {
    fields: Seals,
    rows: BTreeMap<(String, String), (u64, Sha256)>,
}

impl Sealer {
    /// Add one row of a many-row section: its whole text (all columns with their types).
    fn add_row(&mut self, object: String, section: String, text: &str) {
        let (n, h) = self.rows.entry((object, section)).or_default();
        *n += 1;
        h.update(text.as_bytes());
        h.update([0x1e]);
    }

    /// Add the row of a one-row-per-object table, its columns as `type:text`.
    pub fn add(&mut self, table: &Table, row: &[Option<String>]) {
        // The value without its type, for naming the object and section.
        let value = |col: &str| -> &str {
            let i = table.columns.iter().position(|c| *c == col).unwrap_or(0);
            let v = row.get(i).and_then(|v| v.as_deref()).unwrap_or("null:");
            v.split_once(':').map_or(v, |(_, s)| s)
        };
        let mut object = table.kind.to_string();
        for (prefix, col) in table.keys {
            object.push('/');
            object.push_str(prefix);
            object.push_str(value(col));
        }
        let seal = self.fields.entry(object).or_default();
        for (col, v) in table.columns.iter().zip(row) {
            seal.insert(format!("{}.{col}", table.name), field_text(v.as_deref()));
        }
    }

    /// The seals, by object.
    pub fn finish(self) -> Seals {
        let mut out = self.fields;
        for ((object, section), (n, h)) in self.rows {
            out.entry(object).or_default().insert(section, rows_text(n, h));
        }
        out
    }
}

/// How a many-row section is sealed: its row count and the digest of its rows.
pub(crate) fn rows_text(n: u64, h: Sha256) -> String {
    format!("{n} 行 sha256:{}", hex(&h.finalize()))
}

/// Digests many-row sections from rows the writer already holds, in the text and order SQLite
/// would give them back (`type:value` per column, `\x1f` between columns, rows in key order),
/// so a large batch is not read back to be sealed. `audit verify` re-reads them from the
/// database all the same: a difference is reported like any other.
#[derive(Default)]
pub(crate) struct RowDigest {
    sections: BTreeMap<String, (u64, Sha256)>,
}

impl RowDigest {
    /// Add a row to `section`; `cells` are (type, text) in column order.
    pub fn add(&mut self, section: String, cells: &[(&str, &str)]) {
        let (n, h) = self.sections.entry(section).or_default();
        *n += 1;
        for (i, (kind, text)) in cells.iter().enumerate() {
            if i > 0 {
                h.update([0x1f]);
            }
            h.update(kind.as_bytes());
            h.update(b":");
            h.update(text.as_bytes());
        }
        h.update([0x1e]);
    }

    /// The sections' seals.
    pub fn finish(self) -> Seal {
        self.sections.into_iter().map(|(s, (n, h))| (s, rows_text(n, h))).collect()
    }
}

/// A column's value as sealed (`type:text` as selected): text in quotes, numbers bare, other
/// types named; long values by their length and digest.
fn field_text(v: Option<&str>) -> String {
    let v = v.unwrap_or("null:");
    let (kind, s) = v.split_once(':').unwrap_or(("", v));
    let shown = if s.chars().count() <= VERBATIM {
        s.to_string()
    } else {
        format!("{} 字节 sha256:{}", s.len(), hex(&Sha256::digest(s.as_bytes())))
    };
    match kind {
        "null" => "NULL".into(),
        "text" => format!("“{shown}”"),
        "integer" => shown,
        other => format!("（{other}）{shown}"),
    }
}

/// Feed the rows of a query to the sealer — streamed, so verifying a database of millions of
/// observations holds one row at a time. Rows of many-row tables come as one text each (built
/// by SQLite), which is several times cheaper to fetch than column by column.
async fn feed(
    conn: &mut SqliteConnection,
    sealer: &mut Sealer,
    table: &Table,
    filter: &str,
    binds: &[&str],
) -> Result<()> {
    if !matches!(table.section, Section::Fields) {
        return feed_rows(conn, sealer, table, filter, binds).await;
    }
    let mut rows = bound(select(table, filter), binds).fetch(&mut *conn);
    let mut row = Vec::with_capacity(table.columns.len());
    while let Some(r) = rows.try_next().await? {
        row.clear();
        for i in 0..r.len() {
            row.push(r.try_get::<Option<String>, _>(i)?);
        }
        sealer.add(table, &row);
    }
    Ok(())
}

/// A query built here from the table list, with the object's key values bound in order.
fn bound<'q>(sql: String, binds: &[&'q str]) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    binds.iter().fold(sqlx::query(sqlx::AssertSqlSafe(sql)), |q, b| q.bind(*b))
}

/// [`feed`] for a many-row table: the object's key columns, the section's column, the row text.
async fn feed_rows(
    conn: &mut SqliteConnection,
    sealer: &mut Sealer,
    table: &Table,
    filter: &str,
    binds: &[&str],
) -> Result<()> {
    let keys: Vec<String> = table.keys.iter().map(|(_, c)| format!("CAST({c} AS TEXT)")).collect();
    let section = match table.section {
        Section::RowsBy(c) => format!("CAST({c} AS TEXT)"),
        _ => "''".to_string(),
    };
    let text: Vec<String> =
        table.columns.iter().map(|c| format!("typeof({c}) || ':' || COALESCE(CAST({c} AS TEXT), '')")).collect();
    let mut cols = keys;
    cols.push(section);
    cols.push(text.join(" || char(31) || "));
    let sql = format!("SELECT {} FROM {} {filter} ORDER BY {}", cols.join(", "), table.name, table.order);
    let mut rows = bound(sql, binds).fetch(&mut *conn);
    let n = table.keys.len();
    while let Some(r) = rows.try_next().await? {
        let mut object = table.kind.to_string();
        for (i, (prefix, _)) in table.keys.iter().enumerate() {
            object.push('/');
            object.push_str(prefix);
            object.push_str(r.try_get::<Option<&str>, _>(i)?.unwrap_or("NULL"));
        }
        let section = match table.section {
            Section::RowsBy(_) => format!("{}:{}", table.name, r.try_get::<Option<&str>, _>(n)?.unwrap_or("NULL")),
            _ => table.name.to_string(),
        };
        sealer.add_row(object, section, r.try_get::<&str, _>(n + 1)?);
    }
    Ok(())
}

/// Seal the named objects as they now stand (inside the writer's transaction).
pub(crate) async fn seal(conn: &mut SqliteConnection, objects: &[String]) -> Result<Seals> {
    seal_except(conn, objects, &[]).await
}

/// [`seal`], leaving out the tables in `skip` (the writer seals those rows itself).
pub(crate) async fn seal_except(conn: &mut SqliteConnection, objects: &[String], skip: &[&str]) -> Result<Seals> {
    let mut sealer = Sealer::default();
    let mut out = Seals::new();
    for object in objects {
        let mut parts = object.split('/');
        let kind = parts.next().unwrap_or_default();
        let args: Vec<&str> = parts.collect();
        for table in TABLES.iter().filter(|t| t.kind == kind && t.keys.len() == args.len() && !skip.contains(&t.name)) {
            let mut binds = Vec::new();
            let mut conds = Vec::new();
            for (i, ((prefix, col), arg)) in table.keys.iter().zip(&args).enumerate() {
                conds.push(format!("{col} = ${}", i + 1));
                binds.push(arg.strip_prefix(prefix).unwrap_or(arg));
            }
            let filter = if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) };
            feed(conn, &mut sealer, table, &filter, &binds).await?;
        }
        // An object with no rows (deleted) is sealed as empty.
        out.insert(object.clone(), Seal::new());
    }
    for (k, v) in sealer.finish() {
        out.insert(k, v);
    }
    Ok(out)
}

/// Seal every object in the database (for verification).
pub(crate) async fn seal_all(conn: &mut SqliteConnection) -> Result<Seals> {
    let mut sealer = Sealer::default();
    for table in TABLES {
        feed(conn, &mut sealer, table, "", &[]).await?;
    }
    Ok(sealer.finish())
}

/// What in the schema could change records without the application: a trigger, a view, a
/// table or column jili does not know. jili creates none of these, so any is reported.
pub(crate) async fn schema_problems(conn: &mut SqliteConnection) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let objects: Vec<(String, String)> = sqlx::query_as(
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (kind, name) in objects {
        match kind.as_str() {
            "trigger" => {
                out.push(format!("数据库中有触发器“{name}”：本系统从不创建触发器，它可能在写入时暗中改动记录"))
            }
            "view" => out.push(format!("数据库中有视图“{name}”：本系统从不创建视图")),
            _ if name == "audit_events" || name == "_sqlx_migrations" => {}
            _ => {
                let known = TABLES.iter().find(|t| t.name == name).map(|t| t.columns);
                let known = known.or_else(|| UNSEALED.iter().find(|(t, _)| *t == name).map(|(_, c)| *c));
                match known {
                    None => out.push(format!("数据库中有本系统不认识的表“{name}”")),
                    Some(columns) => {
                        let cols: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                            "SELECT name FROM pragma_table_info('{name}') ORDER BY cid"
                        )))
                        .fetch_all(&mut *conn)
                        .await?;
                        if cols != columns {
                            out.push(format!("表“{name}”的列被改动：现为 {}", cols.join("、")));
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The canonical text of seals and its digest ("" when there is nothing sealed).
pub(crate) fn encode(seals: &Seals) -> (String, String) {
    if seals.is_empty() {
        return (String::new(), String::new());
    }
    let text = serde_json::to_string(seals).unwrap_or_default();
    let digest = hex(&Sha256::digest(text.as_bytes()));
    (text, digest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    /// Every column of every table is sealed: a column added by a migration must be added here,
    /// or edits to it would go unnoticed.
    #[tokio::test]
    async fn every_table_and_column_is_sealed() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let mut conn = store.pool.acquire().await.unwrap();
        let tables: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' ORDER BY name",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        for name in tables.iter().filter(|t| *t != "audit_events" && !UNSEALED.iter().any(|(u, _)| u == t)) {
            let table = TABLES.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("table {name} is not sealed"));
            let cols: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT name FROM pragma_table_info('{name}') ORDER BY cid"
            )))
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            assert_eq!(cols, table.columns, "columns of {name}");
        }
        assert_eq!(tables.len() - 1, TABLES.len() + UNSEALED.len(), "{tables:?}");
    }

    #[test]
    fn long_values_are_sealed_by_digest() {
        assert_eq!(field_text(Some("text:draft")), "“draft”");
        assert_eq!(field_text(Some("integer:5")), "5");
        assert_ne!(field_text(Some("text:5")), field_text(Some("integer:5")));
        assert_eq!(field_text(Some("blob:abc")), "（blob）abc");
        assert_eq!(field_text(Some("null:")), "NULL");
        let long = format!("text:{}", "x".repeat(100));
        assert!(field_text(Some(&long)).starts_with("“100 字节 sha256:"));
        assert_ne!(field_text(Some(&long)), field_text(Some(&format!("text:{}", "x".repeat(101)))));
    }
}
