//! Import batches and observations. A batch is stored whole or not at all; a changed value is
//! stored as a new revision, never over the old one.

use crate::Store;
use crate::audit::{self, Actor, hex};
use crate::bulk::{self, ObservationCells};
use crate::db::on;
use crate::error::{Result, StoreError};
use crate::seal::{self, RowDigest};
use jili_model::{Batch, Decimal, Observation, Period, Status};
use sha2::{Digest, Sha256};
use sqlx::{FromRow, QueryBuilder};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::str::FromStr;

/// An anomaly flag to keep with its batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFlag {
    pub series: String,
    pub unit: String,
    pub period: String,
    pub code: String,
    pub message: String,
    pub prominent: bool,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub batch_id: i64,
    /// Values stored for the first time.
    pub new: usize,
    /// Values that replaced a different earlier value (kept as a revision).
    pub revised: usize,
    /// Values equal to what was already stored.
    pub unchanged: usize,
    /// 快报 values confirmed unchanged by a 年报: a new revision of their status.
    pub confirmed: usize,
}

/// A stored batch.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredBatch {
    pub id: i64,
    pub provider: String,
    pub source: String,
    pub demo: bool,
    pub rows: i64,
    pub sha256: String,
    pub imported_at: String,
    pub actor: String,
    pub reason: String,
    /// Values this batch revised.
    pub revised: i64,
}

/// A current observation with the batch it came from, so every number can be traced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObservation {
    pub observation: Observation,
    pub revision: i64,
    pub batch_id: i64,
}

#[derive(FromRow)]
pub(crate) struct ObservationRow {
    series: String,
    unit: String,
    period: String,
    revision: i64,
    value: String,
    status: String,
    batch_id: i64,
}

/// A key's newest revision as an import compares with it: its number, value and status.
type Current = (i64, String, Option<Status>);

const CURRENT: &str = "SELECT o.series, o.unit, o.period, o.revision, o.value, o.status, o.batch_id FROM observations o \
    JOIN (SELECT series, unit, period, MAX(revision) AS latest FROM observations GROUP BY series, unit, period) m \
    ON m.series = o.series AND m.unit = o.unit AND m.period = o.period AND m.latest = o.revision WHERE 1 = 1";

/// Codes per IN list.
const CHUNK: usize = 500;
/// Flags per INSERT statement: 8 parameters each, under SQLite's 32 766 bound parameters.
const ROWS: usize = 4000;

/// A batch with what the intake checks found, to store together.
#[derive(Debug, Clone, Copy)]
pub struct NewBatch<'a> {
    pub batch: &'a Batch,
    /// Why the batch revises earlier values (required by the app when it does).
    pub reason: &'a str,
    /// Anomaly flags for reviewers.
    pub flags: &'a [NewFlag],
    /// The column mapping used, saved for the provider's next file of this shape: (signature, TOML).
    pub mapping: Option<(&'a str, &'a str)>,
}

impl Store {
    /// Store a batch in one transaction, with its audit event.
    pub async fn import_batch(&self, who: &Actor, batch: &Batch) -> Result<ImportSummary> {
        self.import(who, NewBatch { batch, reason: "", flags: &[], mapping: None }).await
    }

    /// Store a batch, its flags and its mapping in one transaction, with its audit event:
    /// all or nothing.
    pub async fn import(&self, who: &Actor, new: NewBatch<'_>) -> Result<ImportSummary> {
        let batch = new.batch;
        let mut tx = self.write().await?;
        // Only the series this batch touches can have revisions.
        let codes: BTreeSet<&str> = batch.observations.iter().map(|o| o.series.as_str()).collect();
        // A stored status that is not one of the two words counts as neither (it confirms nothing).
        let mut existing: BTreeMap<(String, String, String), Current> = BTreeMap::new();
        for chunk in codes.into_iter().collect::<Vec<_>>().chunks(CHUNK) {
            let current: Vec<ObservationRow> = on!(tx.conn(), |c| {
                let mut q = QueryBuilder::new(CURRENT);
                q.push(" AND o.series IN (");
                let mut list = q.separated(", ");
                for code in chunk {
                    list.push_bind(*code);
                }
                q.push(")");
                q.build_query_as::<ObservationRow>().fetch_all(c).await?
            });
            for r in current {
                let status = Status::try_from(r.status.as_str()).ok();
                existing.insert((r.series, r.unit, r.period), (r.revision, r.value, status));
            }
        }
        // The next id is one past the largest, as SQLite hands out: a PostgreSQL sequence would
        // skip the ids of imports that failed and were rolled back. (Writers hold the write lock.)
        let batch_id: i64 = on!(tx.conn(), |c| {
            sqlx::query_scalar(
                "INSERT INTO batches (id, provider, source, demo, rows, sha256, imported_at, actor, reason) \
                 VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM batches), $1, $2, $3, $4, '', $5, $6, $7) RETURNING id",
            )
            .bind(&batch.provider)
            .bind(&batch.source)
            .bind(batch.demo)
            .bind(batch.observations.len() as i64)
            .bind(&who.at)
            .bind(&who.name)
            .bind(new.reason)
            .fetch_one(c)
            .await?
        });

        let (mut added, mut revised, mut unchanged, mut confirmed) = (0, 0, 0, 0);
        let mut rows = Vec::new();
        for o in &batch.observations {
            let key = (o.series.to_string(), o.unit.to_string(), o.period.to_string());
            let revision = match existing.get(&key) {
                None => {
                    added += 1;
                    1
                }
                // The same value is nothing new, unless a 年报 confirms a 快报 (a new revision
                // of its status): see `Status::confirms`.
                Some((rev, old, stored)) if Decimal::from_str(old).ok() == Some(o.value) => {
                    if stored.is_some_and(|s| o.status.confirms(s)) {
                        confirmed += 1;
                        rev + 1
                    } else {
                        unchanged += 1;
                        continue;
                    }
                }
                Some((rev, _, _)) => {
                    revised += 1;
                    rev + 1
                }
            };
            rows.push((o, key.2, revision));
        }
        // In key order, the primary-key index grows at its end instead of splitting pages.
        rows.sort_unstable_by(|a, b| (&a.0.series, &a.0.unit, &a.1).cmp(&(&b.0.series, &b.0.unit, &b.1)));
        let values: Vec<String> = rows.iter().map(|(o, _, _)| o.value.to_string()).collect();
        let cells: Vec<ObservationCells> = rows
            .iter()
            .zip(&values)
            .map(|((o, period, revision), value)| ObservationCells {
                series: &o.series,
                unit: &o.unit,
                period,
                revision: *revision,
                value,
                status: o.status.as_str(),
            })
            .collect();
        // The file's digest and the rows' seal are computed while PostgreSQL takes the rows in.
        let algorithm = seal::algorithm(&mut tx).await?;
        let (sha, rows_seal) = bulk::insert_observations(&mut tx, &cells, batch_id, || {
            (batch_sha256(batch), rows_seal(algorithm, &cells, batch_id))
        })
        .await?;
        on!(tx.conn(), |c| sqlx::query("UPDATE batches SET revised = $1, sha256 = $2 WHERE id = $3")
            .bind(revised as i64)
            .bind(&sha)
            .bind(batch_id)
            .execute(c)
            .await?
            .rows_affected());
        // Ids one past the largest, as for every table (see migrations/postgres).
        let first_flag: i64 =
            on!(tx.conn(), |c| sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM flags").fetch_one(c).await?);
        for (n, chunk) in new.flags.chunks(ROWS).enumerate() {
            let base = first_flag + (n * ROWS) as i64;
            on!(tx.conn(), |c| {
                let mut q = QueryBuilder::new(
                    "INSERT INTO flags (id, batch_id, series, unit, period, code, message, prominent) ",
                );
                q.push_values(chunk.iter().enumerate(), |mut b, (i, f)| {
                    b.push_bind(base + i as i64)
                        .push_bind(batch_id)
                        .push_bind(&f.series)
                        .push_bind(&f.unit)
                        .push_bind(&f.period)
                        .push_bind(&f.code)
                        .push_bind(&f.message)
                        .push_bind(f.prominent);
                });
                q.build().execute(c).await?.rows_affected()
            });
        }
        if let Some((signature, mapping)) = new.mapping {
            on!(tx.conn(), |c| {
                sqlx::query(
                "INSERT INTO mappings (provider, signature, mapping, saved_at, actor) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (provider, signature) DO UPDATE SET mapping = excluded.mapping, saved_at = excluded.saved_at, actor = excluded.actor",
            )
            .bind(&batch.provider)
            .bind(signature)
            .bind(mapping)
            .bind(&who.at)
            .bind(&who.name)
            .execute(c)
            .await?.rows_affected()
            });
        }
        let demo = if batch.demo { "（演示数据）" } else { "" };
        let why = if new.reason.is_empty() { String::new() } else { format!("，原因：{}", new.reason) };
        let detail = format!(
            "{}{demo}：新增 {new_count}，修订 {revised}，年报确认 {confirmed}，未变 {unchanged}，疑点 {}{why}，sha256={sha}",
            batch.source,
            new.flags.len(),
            new_count = added
        );
        let mut objects = vec![format!("batch/{batch_id}")];
        if let Some((signature, _)) = new.mapping {
            objects.push(format!("mapping/{}/{signature}", batch.provider));
        }
        let mut seals = seal::seal_except(&mut tx, algorithm, &objects, &["observations"]).await?;
        seals.entry(objects[0].clone()).or_default().extend(rows_seal);
        audit::append_sealed(&mut tx, algorithm, who, "data.import", &objects[0], &detail, &seals).await?;
        tx.commit().await?;
        Ok(ImportSummary { batch_id, new: added, revised, unchanged, confirmed })
    }

    /// Every batch, oldest first.
    pub async fn batches(&self) -> Result<Vec<StoredBatch>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, StoredBatch>("SELECT * FROM batches ORDER BY id")
            .fetch_all(p)
            .await?))
    }

    /// The current values of some series only (what an evaluation reads), ordered by key.
    pub async fn observations_of(&self, series: &[&str]) -> Result<Vec<StoredObservation>> {
        self.observations_as_of(series, i64::MAX).await
    }

    /// The current (latest-revision) value of every (series, unit, period), ordered by key.
    pub async fn observations(&self) -> Result<Vec<StoredObservation>> {
        let sql = format!("{CURRENT} ORDER BY o.series, o.unit, o.period");
        let rows = on!(self.pool.get(), |p| sqlx::query_as::<_, ObservationRow>(sqlx::AssertSqlSafe(sql))
            .fetch_all(p)
            .await?);
        rows.into_iter().map(observation).collect()
    }
}

/// The digest of the batch as read (every row, stored or unchanged), which identifies the file.
fn batch_sha256(batch: &Batch) -> String {
    let mut digest = Sha256::new();
    let mut line = String::new();
    for o in &batch.observations {
        line.clear();
        let _ = writeln!(line, "{}\t{}\t{}\t{}\t{}", o.series, o.unit, o.period, o.value, o.status.as_str());
        digest.update(line.as_bytes());
    }
    hex(&digest.finalize())
}

/// The stored rows' seal, as `audit verify` will read them back (see seal::RowDigest).
fn rows_seal(algorithm: seal::SealAlgorithm, cells: &[ObservationCells], batch_id: i64) -> seal::Seal {
    let mut digest = RowDigest::new(algorithm);
    let batch_text = batch_id.to_string();
    for c in cells {
        let revision_text = c.revision.to_string();
        digest.add(
            format!("observations:{}", c.series),
            &[
                ("text", c.series),
                ("text", c.unit),
                ("text", c.period),
                ("integer", &revision_text),
                ("text", c.value),
                ("text", c.status),
                ("integer", &batch_text),
            ],
        );
    }
    digest.finish()
}

pub(crate) fn observation(r: ObservationRow) -> Result<StoredObservation> {
    let bad = |what: &str| StoreError::Corrupt(format!("观测值 {}/{}/{} 的{what}", r.series, r.unit, r.period));
    let period: Period = r.period.parse().map_err(|_| bad("期别"))?;
    let value = Decimal::from_str(&r.value).map_err(|_| bad("数值"))?;
    let status = Status::try_from(r.status.as_str()).map_err(|_| bad("状态"))?;
    Ok(StoredObservation {
        observation: Observation { series: r.series.into(), unit: r.unit.into(), period, value, status },
        revision: r.revision,
        batch_id: r.batch_id,
    })
}
