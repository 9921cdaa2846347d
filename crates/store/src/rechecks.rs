//! Re-checks of stored data: each one recorded with what it read and the flags it added, in one
//! transaction with its audit event. A flag goes to the batch that brought the value it is
//! about, so the batch's record shows every question raised about it; the audit event seals
//! the re-check and every batch it added flags to.

use crate::Store;
use crate::audit::{self, Actor};
use crate::db::on;
use crate::error::Result;
use crate::intake::NewFlag;
use sqlx::{FromRow, QueryBuilder};
use std::collections::BTreeSet;

/// Rows per INSERT (well under both backends' bind limits: 9 binds a row).
const ROWS: usize = 500;

/// A flag a re-check found, with the batch it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFlag {
    pub batch_id: i64,
    pub flag: NewFlag,
    /// Seen by the office and the auditor only (a cross-source flag quotes two departments).
    pub office_only: bool,
}

/// What a re-check did, to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRecheck<'a> {
    /// What was re-checked, in words (全部数据 / 数据项 … / 期别 …).
    pub scope: &'a str,
    /// '' for current data, else the date read as of.
    pub as_of: &'a str,
    pub last_batch: i64,
    pub checked: i64,
    /// New flags only: the caller leaves out what is flagged already.
    pub flags: &'a [FoundFlag],
}

/// A recorded re-check.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct StoredRecheck {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub scope: String,
    pub as_of: String,
    pub last_batch: i64,
    pub checked: i64,
    pub added: i64,
}

impl Store {
    /// Record a re-check and its new flags, all or nothing, with its audit event. Returns its id.
    pub async fn record_recheck(&self, who: &Actor, r: &NewRecheck<'_>) -> Result<i64> {
        let mut tx = self.write().await?;
        let id: i64 = on!(tx.conn(), |c| {
            sqlx::query_scalar(
                "INSERT INTO rechecks (id, at, actor, scope, as_of, last_batch, checked, added) \
                 VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM rechecks), $1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(&who.at)
            .bind(&who.name)
            .bind(r.scope)
            .bind(r.as_of)
            .bind(r.last_batch)
            .bind(r.checked)
            .bind(r.flags.len() as i64)
            .fetch_one(c)
            .await?
        });
        let first: i64 =
            on!(tx.conn(), |c| sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM flags").fetch_one(c).await?);
        for (n, chunk) in r.flags.chunks(ROWS).enumerate() {
            let base = first + (n * ROWS) as i64;
            on!(tx.conn(), |c| {
                let mut q = QueryBuilder::new(
                    "INSERT INTO flags (id, batch_id, series, unit, period, code, message, prominent) ",
                );
                q.push_values(chunk.iter().enumerate(), |mut b, (i, f)| {
                    b.push_bind(base + i as i64)
                        .push_bind(f.batch_id)
                        .push_bind(&f.flag.series)
                        .push_bind(&f.flag.unit)
                        .push_bind(&f.flag.period)
                        .push_bind(&f.flag.code)
                        .push_bind(&f.flag.message)
                        .push_bind(f.flag.prominent);
                });
                q.build().execute(c).await?.rows_affected()
            });
            on!(tx.conn(), |c| {
                let mut q = QueryBuilder::new("INSERT INTO recheck_flags (flag_id, recheck_id, office_only) ");
                q.push_values(chunk.iter().enumerate(), |mut b, (i, f)| {
                    b.push_bind(base + i as i64).push_bind(id).push_bind(f.office_only);
                });
                q.build().execute(c).await?.rows_affected()
            });
        }
        let mut objects = vec![format!("recheck/{id}")];
        let batches: BTreeSet<i64> = r.flags.iter().map(|f| f.batch_id).collect();
        objects.extend(batches.iter().map(|b| format!("batch/{b}")));
        let detail = format!("复查库中数据（{}）：检查 {} 个数值，新增 {} 条提示", r.scope, r.checked, r.flags.len());
        audit::append(&mut tx, who, "data.recheck", &format!("recheck/{id}"), &detail, &objects).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every re-check, oldest first.
    pub async fn rechecks(&self) -> Result<Vec<StoredRecheck>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM rechecks ORDER BY id").fetch_all(p).await?))
    }

    /// The series with values in batches after `batch` (what an incremental re-check reads).
    pub async fn series_since(&self, batch: i64) -> Result<Vec<String>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_scalar(
            "SELECT DISTINCT series FROM observations WHERE batch_id > $1 ORDER BY series"
        )
        .bind(batch)
        .fetch_all(p)
        .await?))
    }
}
