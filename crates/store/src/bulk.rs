//! Bulk loads of observations, the one write large enough for the backends' own fast paths:
//! SQLite unpacks one JSON parameter per chunk itself (binding seven parameters per row costs
//! more than the insert); PostgreSQL takes the rows with `COPY … FROM STDIN`, which its
//! derivatives also speak. Both check the rows' series and units once for the batch first.

use crate::db::{Db, Tx, on};
use crate::error::{Result, StoreError};
use sqlx::QueryBuilder;
use std::collections::BTreeSet;

/// One observation row to insert (the batch id is the same for all).
#[derive(Debug)]
pub(crate) struct ObservationCells<'a> {
    pub series: &'a str,
    pub unit: &'a str,
    pub period: &'a str,
    pub revision: i64,
    pub value: &'a str,
    pub status: &'a str,
}

/// Rows per SQLite statement.
const CHUNK: usize = 40_000;
/// Bytes per message of a COPY.
const COPY_BUFFER: usize = 1 << 20;

/// Codes per lookup of the reference check.
const CODES: usize = 500;

/// Refuse rows naming a series or unit the reference data lack, before anything is written,
/// with the same message on both backends (SQLite's foreign keys would refuse them too, with a
/// bare "FOREIGN KEY constraint failed"; PostgreSQL's schema has no per-row foreign keys on
/// observations, see migrations/postgres).
async fn check_references(tx: &mut Tx, rows: &[ObservationCells<'_>]) -> Result<()> {
    for (table, codes) in [
        ("series", rows.iter().map(|r| r.series).collect::<BTreeSet<&str>>()),
        ("units", rows.iter().map(|r| r.unit).collect::<BTreeSet<&str>>()),
    ] {
        let codes: Vec<&str> = codes.into_iter().collect();
        for chunk in codes.chunks(CODES) {
            let known: Vec<String> = on!(tx.conn(), |c| {
                let mut q = QueryBuilder::new(format!("SELECT code FROM {table} WHERE code IN ("));
                let mut list = q.separated(", ");
                for code in chunk {
                    list.push_bind(*code);
                }
                q.push(")");
                q.build_query_scalar().fetch_all(c).await?
            });
            if let Some(missing) = chunk.iter().find(|code| !known.iter().any(|k| k == *code)) {
                let what = if table == "series" { "数据项" } else { "单位" };
                return Err(StoreError::Conflict(format!(
                    "观测值引用了参考数据中没有的{what}代码“{missing}”：整批未入库。\
                     请改正文件中的代码，或先在参考数据中补上该{what}"
                )));
            }
        }
    }
    Ok(())
}

/// Insert the rows, in the caller's transaction, after checking their references, and return
/// what `meanwhile` computes. PostgreSQL works through a COPY after the last byte is sent, so
/// `meanwhile` runs then, on the client's side of the wait; on SQLite it runs before the insert.
pub(crate) async fn insert_observations<T>(
    tx: &mut Tx,
    rows: &[ObservationCells<'_>],
    batch_id: i64,
    meanwhile: impl FnOnce() -> T,
) -> Result<T> {
    check_references(tx, rows).await?;
    let done = match tx.conn() {
        Db::Sqlite(c) => {
            let done = meanwhile();
            for chunk in rows.chunks(CHUNK) {
                let json: Vec<_> =
                    chunk.iter().map(|r| (r.series, r.unit, r.period, r.revision, r.value, r.status)).collect();
                let json =
                    serde_json::to_string(&json).map_err(|e| StoreError::Corrupt(format!("观测值无法编码：{e}")))?;
                sqlx::query(
                    "INSERT INTO observations (series, unit, period, revision, value, status, batch_id) \
                     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, $2 FROM json_each($1)",
                )
                .bind(json)
                .bind(batch_id)
                .execute(&mut *c)
                .await?;
            }
            done
        }
        Db::Postgres(c) => {
            let mut copy = c
                .copy_in_raw("COPY observations (series, unit, period, revision, value, status, batch_id) FROM STDIN")
                .await?;
            let batch = batch_id.to_string();
            let mut buf = Vec::with_capacity(COPY_BUFFER + 4096);
            for r in rows {
                for (i, cell) in [r.series, r.unit, r.period, &r.revision.to_string(), r.value, r.status, &batch]
                    .into_iter()
                    .enumerate()
                {
                    if i > 0 {
                        buf.push(b'\t');
                    }
                    copy_text(&mut buf, cell);
                }
                buf.push(b'\n');
                if buf.len() >= COPY_BUFFER {
                    copy.send(std::mem::take(&mut buf)).await?;
                    buf.reserve(COPY_BUFFER + 4096);
                }
            }
            copy.send(buf).await?;
            let done = meanwhile();
            copy.finish().await?;
            done
        }
    };
    Ok(done)
}

/// A value in COPY's text format: backslash, tab, newline and carriage return escaped.
pub(crate) fn copy_text(buf: &mut Vec<u8>, cell: &str) {
    for b in cell.bytes() {
        match b {
            b'\\' => buf.extend_from_slice(b"\\\\"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            _ => buf.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::copy_text;

    #[test]
    fn copy_text_escapes_what_copy_would_read_as_structure() {
        let mut buf = Vec::new();
        copy_text(&mut buf, "a\tb\nc\\d\re");
        assert_eq!(buf, b"a\\tb\\nc\\\\d\\re");
    }
}
