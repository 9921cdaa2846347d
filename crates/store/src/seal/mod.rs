//! Seals: what an audit event records of the records it changed, so that `audit verify` can
//! re-read those records and say what was edited behind the application's back.
//!
//! Every stored row belongs to one *object* (`batch/7`, `plan/2024/3/v2`, `user/zhang` …). A
//! seal of an object is a map from *section* to a short text: for a table with one row per
//! object, each column's value (or the digest of a long one); for a table with many rows per
//! object (observations, flags, review steps), the row count and a digest over the rows. Every
//! column of every table is covered — a test compares [`TABLES`] with the schema.

use crate::db::{Tx, on};
use crate::error::Result;
use futures_util::TryStreamExt;
use sqlx::Row;
use std::collections::BTreeMap;

/// The seal of one object: section → value or digest.
pub type Seal = BTreeMap<String, String>;

/// The seals an event carries: object → seal.
pub type Seals = BTreeMap<String, Seal>;

mod algorithm;
mod schema;
mod tables;

pub(crate) use algorithm::of as algorithm;
pub use algorithm::{Hasher, SEAL_KEY, SealAlgorithm};
#[cfg(test)]
use schema::catalogue;
pub(crate) use schema::schema_problems;

pub(crate) use tables::{AUDIT_COLUMNS, Kind, Section, TABLES, Table, UNSEALED, kind};

/// Values longer than this are sealed by their digest.
const VERBATIM: usize = 64;

/// A column's value with its storage type, as text: `integer:5`, `text:draft`, `null:`. On
/// SQLite the type is the value's own (`typeof`): a number stored as text, or text stored as a
/// blob, reads the same once cast but is not the same record. PostgreSQL's columns hold only
/// their declared type, so the type is the column's, spelled as SQLite spells it (a boolean as
/// `integer:0/1`, as SQLite stores it) — a record reads the same on both backends, and a chain
/// sealed on one verifies on the other.
pub(crate) fn typed(table: &str, column: &str, postgres: bool) -> String {
    let c = column;
    if !postgres {
        return format!("typeof({c}) || ':' || COALESCE(CAST({c} AS TEXT), '')");
    }
    match kind(table, column) {
        Kind::Text => format!("CASE WHEN {c} IS NULL THEN 'null:' ELSE 'text:' || {c} END"),
        Kind::Integer => format!("CASE WHEN {c} IS NULL THEN 'null:' ELSE 'integer:' || CAST({c} AS TEXT) END"),
        Kind::Boolean => format!("CASE WHEN {c} IS NULL THEN 'null:' WHEN {c} THEN 'integer:1' ELSE 'integer:0' END"),
    }
}

/// One table's rows, each column typed as text, in digest order; `filter` narrows to an object.
fn select(table: &Table, filter: &str, postgres: bool) -> String {
    let cols: Vec<String> = table.columns.iter().map(|c| typed(table.name, c, postgres)).collect();
    format!("SELECT {} FROM {} {filter} ORDER BY {}", cols.join(", "), table.name, table.order)
}

/// Accumulates the seals of many objects from rows.
pub(crate) struct Sealer {
    algorithm: SealAlgorithm,
    fields: Seals,
    rows: BTreeMap<(String, String), (u64, Hasher)>,
}

impl Sealer {
    /// A sealer digesting with the database's algorithm.
    pub fn new(algorithm: SealAlgorithm) -> Sealer {
        Sealer { algorithm, fields: Seals::new(), rows: BTreeMap::new() }
    }

    /// Add one row of a many-row section: its whole text (all columns with their types).
    fn add_row(&mut self, object: String, section: String, text: &str) {
        let (n, h) = self.rows.entry((object, section)).or_insert_with(|| (0, self.algorithm.hasher()));
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
            seal.insert(format!("{}.{col}", table.name), field_text(self.algorithm, v.as_deref()));
        }
    }

    /// The seals, by object.
    pub fn finish(self) -> Seals {
        let mut out = self.fields;
        for ((object, section), (n, h)) in self.rows {
            out.entry(object).or_default().insert(section, rows_text(self.algorithm, n, h));
        }
        out
    }
}

/// How a many-row section is sealed: its row count and the digest of its rows, named by its
/// algorithm.
pub(crate) fn rows_text(algorithm: SealAlgorithm, n: u64, h: Hasher) -> String {
    format!("{n} 行 {algorithm}:{}", h.finish_hex())
}

/// Digests many-row sections from rows the writer already holds, in the text and order SQLite
/// would give them back (`type:value` per column, `\x1f` between columns, rows in key order),
/// so a large batch is not read back to be sealed. `audit verify` re-reads them from the
/// database all the same: a difference is reported like any other.
pub(crate) struct RowDigest {
    algorithm: SealAlgorithm,
    sections: BTreeMap<String, (u64, Hasher)>,
}

impl RowDigest {
    /// A digest with the database's algorithm.
    pub fn new(algorithm: SealAlgorithm) -> RowDigest {
        RowDigest { algorithm, sections: BTreeMap::new() }
    }

    /// Add a row to `section`; `cells` are (type, text) in column order.
    pub fn add(&mut self, section: String, cells: &[(&str, &str)]) {
        let (n, h) = self.sections.entry(section).or_insert_with(|| (0, self.algorithm.hasher()));
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
        let algorithm = self.algorithm;
        self.sections.into_iter().map(|(s, (n, h))| (s, rows_text(algorithm, n, h))).collect()
    }
}

/// A column's value as sealed (`type:text` as selected): text in quotes, numbers bare, other
/// types named; long values by their length and digest.
fn field_text(algorithm: SealAlgorithm, v: Option<&str>) -> String {
    let v = v.unwrap_or("null:");
    let (kind, s) = v.split_once(':').unwrap_or(("", v));
    let shown = if s.chars().count() <= VERBATIM {
        s.to_string()
    } else {
        format!("{} 字节 {algorithm}:{}", s.len(), algorithm.hex_digest(s.as_bytes()))
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
/// by the database), which is several times cheaper to fetch than column by column.
async fn feed(tx: &mut Tx, sealer: &mut Sealer, table: &Table, filter: &str, binds: &[&str]) -> Result<()> {
    if !matches!(table.section, Section::Fields) {
        return feed_rows(tx, sealer, table, filter, binds).await;
    }
    let sql = select(table, filter, tx.is_postgres());
    on!(tx.conn(), |c| {
        let query = binds.iter().fold(sqlx::query(sqlx::AssertSqlSafe(sql)), |q, b| q.bind(*b));
        let mut rows = query.fetch(c);
        let mut row = Vec::with_capacity(table.columns.len());
        while let Some(r) = rows.try_next().await? {
            row.clear();
            for i in 0..r.len() {
                row.push(r.try_get::<Option<String>, _>(i)?);
            }
            sealer.add(table, &row);
        }
    });
    Ok(())
}

/// [`feed`] for a many-row table: the object's key columns, the section's column, the row text.
async fn feed_rows(tx: &mut Tx, sealer: &mut Sealer, table: &Table, filter: &str, binds: &[&str]) -> Result<()> {
    let keys: Vec<String> = table.keys.iter().map(|(_, c)| format!("CAST({c} AS TEXT)")).collect();
    let section = match table.section {
        Section::RowsBy(c) => format!("CAST({c} AS TEXT)"),
        _ => "''".to_string(),
    };
    let postgres = tx.is_postgres();
    let text: Vec<String> = table.columns.iter().map(|c| typed(table.name, c, postgres)).collect();
    let mut cols = keys;
    cols.push(section);
    cols.push(text.join(if postgres { " || chr(31) || " } else { " || char(31) || " }));
    let sql = format!("SELECT {} FROM {} {filter} ORDER BY {}", cols.join(", "), table.name, table.order);
    let n = table.keys.len();
    on!(tx.conn(), |c| {
        let query = binds.iter().fold(sqlx::query(sqlx::AssertSqlSafe(sql)), |q, b| q.bind(*b));
        let mut rows = query.fetch(c);
        while let Some(r) = rows.try_next().await? {
            let mut object = table.kind.to_string();
            for (i, (prefix, _)) in table.keys.iter().enumerate() {
                object.push('/');
                object.push_str(prefix);
                object.push_str(r.try_get::<Option<&str>, _>(i)?.unwrap_or("NULL"));
            }
            let section = match table.section {
                Section::RowsBy(_) => {
                    format!("{}:{}", table.name, r.try_get::<Option<&str>, _>(n)?.unwrap_or("NULL"))
                }
                _ => table.name.to_string(),
            };
            sealer.add_row(object, section, r.try_get::<&str, _>(n + 1)?);
        }
    });
    Ok(())
}

/// Seal the named objects as they now stand (inside the writer's transaction), leaving out the
/// tables in `skip` (the writer seals those rows itself).
pub(crate) async fn seal_except(
    tx: &mut Tx,
    algorithm: SealAlgorithm,
    objects: &[String],
    skip: &[&str],
) -> Result<Seals> {
    let mut sealer = Sealer::new(algorithm);
    let mut out = Seals::new();
    for object in objects {
        let mut parts = object.split('/');
        let kind = parts.next().unwrap_or_default();
        let args: Vec<&str> = parts.collect();
        for table in TABLES.iter().filter(|t| t.kind == kind && t.keys.len() == args.len() && !skip.contains(&t.name)) {
            let mut binds = Vec::new();
            let mut conds = Vec::new();
            for (i, ((prefix, col), arg)) in table.keys.iter().zip(&args).enumerate() {
                // Keys travel as text; PostgreSQL compares a number only with a number.
                match (tx.is_postgres(), self::kind(table.name, col)) {
                    (true, Kind::Integer) => conds.push(format!("{col} = CAST(${} AS BIGINT)", i + 1)),
                    _ => conds.push(format!("{col} = ${}", i + 1)),
                }
                binds.push(arg.strip_prefix(prefix).unwrap_or(arg));
            }
            let filter = if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) };
            feed(tx, &mut sealer, table, &filter, &binds).await?;
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
pub(crate) async fn seal_all(tx: &mut Tx, algorithm: SealAlgorithm) -> Result<Seals> {
    let mut sealer = Sealer::new(algorithm);
    for table in TABLES {
        feed(tx, &mut sealer, table, "", &[]).await?;
    }
    Ok(sealer.finish())
}

/// The canonical text of seals and its digest ("" when there is nothing sealed).
pub(crate) fn encode(algorithm: SealAlgorithm, seals: &Seals) -> (String, String) {
    if seals.is_empty() {
        return (String::new(), String::new());
    }
    let text = serde_json::to_string(seals).unwrap_or_default();
    let digest = algorithm.hex_digest(text.as_bytes());
    (text, digest)
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;
    use crate::db::Db;

    /// Every column of every table is sealed, with the kind the schema gives it: a column added
    /// by a migration must be added to the lists, or edits to it would go unnoticed. (The
    /// conformance suite checks the same on PostgreSQL: a fresh database verifies intact.)
    #[tokio::test]
    async fn every_table_and_column_is_sealed() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let mut tx = store.pool.snapshot().await.unwrap();
        assert_eq!(schema_problems(&mut tx).await.unwrap(), Vec::<String>::new());
        let tables = catalogue(&mut tx).await.unwrap();
        assert_eq!(tables.len(), TABLES.len() + UNSEALED.len() + 2, "{tables:?}");
        sqlx::query("ALTER TABLE users ADD COLUMN note TEXT")
            .execute(&mut *match tx.conn() {
                Db::Sqlite(c) => c,
                Db::Postgres(_) => unreachable!(),
            })
            .await
            .unwrap();
        let problems = schema_problems(&mut tx).await.unwrap();
        assert!(problems.iter().any(|p| p.contains("users") && p.contains("note")), "{problems:?}");
    }

    #[test]
    fn long_values_are_sealed_by_digest() {
        let sha = SealAlgorithm::Sha256;
        assert_eq!(field_text(sha, Some("text:draft")), "“draft”");
        assert_eq!(field_text(sha, Some("integer:5")), "5");
        assert_ne!(field_text(sha, Some("text:5")), field_text(sha, Some("integer:5")));
        assert_eq!(field_text(sha, Some("blob:abc")), "（blob）abc");
        assert_eq!(field_text(sha, Some("null:")), "NULL");
        let long = format!("text:{}", "x".repeat(100));
        assert!(field_text(sha, Some(&long)).starts_with("“100 字节 sha256:"));
        assert_ne!(field_text(sha, Some(&long)), field_text(sha, Some(&format!("text:{}", "x".repeat(101)))));
        // An SM3 database names its digests so.
        let sm3 = field_text(SealAlgorithm::Sm3, Some(&long));
        assert!(sm3.starts_with("“100 字节 sm3:"), "{sm3}");
        assert_ne!(sm3.split_once(':').map(|x| x.1), field_text(sha, Some(&long)).split_once(':').map(|x| x.1));
    }
}
