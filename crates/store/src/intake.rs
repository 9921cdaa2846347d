//! What intake keeps besides observations: anomaly flags per batch, saved column mappings,
//! the rules file, revision histories and "as of" reads.

use crate::Store;
use crate::StoredObservation;
use crate::audit::{self, Actor};
use crate::db::on;
use crate::error::{Result, StoreError};
pub use crate::observations::NewFlag;
use crate::observations::{ObservationRow, observation};
use jili_model::Status;
use sqlx::{FromRow, QueryBuilder};

/// A stored flag.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredFlag {
    pub id: i64,
    pub batch_id: i64,
    pub series: String,
    pub unit: String,
    pub period: String,
    pub code: String,
    pub message: String,
    pub prominent: bool,
    /// The re-check that raised it; `None` when its batch's import did.
    pub recheck: Option<i64>,
    /// Seen by the office and the auditor only (cross-source comparisons quote two departments).
    pub office_only: bool,
}

/// The flags with where they came from.
pub(crate) const FLAGS: &str = "SELECT f.id, f.batch_id, f.series, f.unit, f.period, f.code, f.message, f.prominent, \
     r.recheck_id AS recheck, COALESCE(r.office_only, FALSE) AS office_only \
     FROM flags f LEFT JOIN recheck_flags r ON r.flag_id = f.id";

/// One revision of a value, with who sent it, when and why.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Revision {
    pub revision: i64,
    pub value: String,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub batch_id: i64,
    pub provider: String,
    pub source: String,
    pub imported_at: String,
    pub actor: String,
    pub reason: String,
}

impl Store {
    /// Flags of a batch, or of every batch.
    pub async fn flags(&self, batch: Option<i64>) -> Result<Vec<StoredFlag>> {
        let rows = match batch {
            Some(b) => {
                let sql = format!("{FLAGS} WHERE f.batch_id = $1 ORDER BY f.id");
                on!(self.pool.get(), |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(b).fetch_all(p).await?)
            }
            None => {
                let sql = format!("{FLAGS} ORDER BY f.id");
                on!(self.pool.get(), |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).fetch_all(p).await?)
            }
        };
        Ok(rows)
    }

    /// The mapping saved for a provider's files of this shape.
    pub async fn mapping(&self, provider: &str, signature: &str) -> Result<Option<(String, String)>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as(
            "SELECT mapping, saved_at FROM mappings WHERE provider = $1 AND signature = $2"
        )
        .bind(provider)
        .bind(signature)
        .fetch_optional(p)
        .await?))
    }

    /// Every saved mapping: (provider, signature, mapping, saved_at), by provider and time saved;
    /// the signature orders those saved at the same moment, so both backends give one order.
    pub async fn mappings(&self) -> Result<Vec<(String, String, String, String)>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as(
            "SELECT provider, signature, mapping, saved_at FROM mappings ORDER BY provider, saved_at, signature"
        )
        .fetch_all(p)
        .await?))
    }

    /// A stored setting (the rules file is `checks`).
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(p)
            .await?))
    }

    /// Store a setting with its audit event.
    /// Storing the same value again changes nothing and records nothing.
    pub async fn put_setting(&self, who: &Actor, key: &str, value: &str) -> Result<()> {
        if key == crate::seal::SEAL_KEY {
            return Err(StoreError::Conflict(format!(
                "设置 {key} 只在建库时选定（jili init --seal、jili demo --seal），之后不能更改"
            )));
        }
        let mut tx = self.write().await?;
        let now: Option<String> = on!(tx.conn(), |c| sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(c)
            .await?);
        if now.as_deref() == Some(value) {
            return Ok(());
        }
        on!(tx.conn(), |c| sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(c)
        .await?
        .rows_affected());
        let algorithm = crate::seal::algorithm(&mut tx).await?;
        let digest = algorithm.hex_digest(value.as_bytes());
        let object = format!("setting/{key}");
        let detail = format!("{algorithm}={digest}");
        audit::append(&mut tx, who, "setting.put", &object, &detail, std::slice::from_ref(&object)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every revision of one value, oldest first.
    pub async fn revisions(&self, series: &str, unit: &str, period: &str) -> Result<Vec<Revision>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as(
            "SELECT o.revision, o.value, o.status, o.batch_id, b.provider, b.source, b.imported_at, b.actor, b.reason \
             FROM observations o JOIN batches b ON b.id = o.batch_id \
             WHERE o.series = $1 AND o.unit = $2 AND o.period = $3 ORDER BY o.revision",
        )
        .bind(series)
        .bind(unit)
        .bind(period)
        .fetch_all(p)
        .await?))
    }

    /// The newest batch id, or 0 when there is none: a run's data are "as of" this batch.
    pub async fn last_batch(&self) -> Result<i64> {
        Ok(on!(self.pool.get(), |p| sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM batches")
            .fetch_one(p)
            .await?)
        .unwrap_or(0))
    }

    /// The last batch imported at or before `at` (RFC 3339, or a date meaning the end of that day).
    pub async fn batch_as_of(&self, at: &str) -> Result<i64> {
        let at = if at.len() == 10 { format!("{at}T23:59:59Z") } else { at.to_string() };
        Ok(on!(self.pool.get(), |p| sqlx::query_scalar::<_, Option<i64>>(
            "SELECT MAX(id) FROM batches WHERE imported_at <= $1"
        )
        .bind(at)
        .fetch_one(p)
        .await?)
        .unwrap_or(0))
    }

    /// The values of some series as they stood after batch `as_of` (each key's latest revision
    /// from a batch not newer than it), ordered by key.
    pub async fn observations_as_of(&self, series: &[&str], as_of: i64) -> Result<Vec<StoredObservation>> {
        if series.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<ObservationRow> = on!(self.pool.get(), |p| {
            let mut q = QueryBuilder::new(
                "SELECT o.series, o.unit, o.period, o.revision, o.value, o.status, o.batch_id FROM observations o \
             JOIN (SELECT series, unit, period, MAX(revision) AS latest FROM observations WHERE batch_id <= ",
            );
            q.push_bind(as_of);
            q.push(" AND series IN (");
            let mut list = q.separated(", ");
            for s in series {
                list.push_bind(*s);
            }
            q.push(") GROUP BY series, unit, period) m ON m.series = o.series AND m.unit = o.unit AND m.period = o.period AND m.latest = o.revision ORDER BY o.series, o.unit, o.period");
            q.build_query_as::<ObservationRow>().fetch_all(p).await?
        });
        rows.into_iter().map(observation).collect()
    }
}
