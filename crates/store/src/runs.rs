//! Evaluation runs as stored: inputs named by hash, the result as the engine wrote it.

use crate::Store;
use crate::audit::{self, Actor};
use crate::db::on;
use crate::error::Result;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

/// A run to record.
#[derive(Debug, Clone, Copy)]
pub struct NewRun<'a> {
    pub year: i32,
    pub measure: u32,
    pub plan_version: i64,
    pub plan_sha256: &'a str,
    pub data_sha256: &'a str,
    pub seed: u64,
    pub samples: u32,
    /// The engine's result, serialised.
    pub result: &'a str,
    /// The last batch the data included: rerunning "as of" it reads the same values.
    pub data_batch: i64,
    /// The engine's version (a rerun by another version may differ, and says so).
    pub engine: &'a str,
}

/// A stored run.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredRun {
    pub id: i64,
    #[sqlx(try_from = "i64")]
    pub year: i32,
    pub measure: i64,
    pub plan_version: i64,
    pub plan_sha256: String,
    pub data_sha256: String,
    pub seed: i64,
    pub samples: i64,
    pub result: String,
    pub result_sha256: String,
    pub run_at: String,
    pub actor: String,
    pub data_batch: Option<i64>,
    pub engine: String,
}

impl Store {
    /// Record a run with its audit event, in one transaction. Returns the run id.
    pub async fn add_run(&self, who: &Actor, run: NewRun<'_>) -> Result<i64> {
        Ok(self.add_runs(who, &[run]).await?.into_iter().next().unwrap_or_default())
    }

    /// Record several runs (all measures evaluated together) with their audit events, in one
    /// transaction: all of them are stored, or none. Returns the run ids in order.
    pub async fn add_runs(&self, who: &Actor, runs: &[NewRun<'_>]) -> Result<Vec<i64>> {
        let mut tx = self.write().await?;
        let mut ids = Vec::with_capacity(runs.len());
        for run in runs {
            ids.push(insert_run(&mut tx, who, run).await?);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// The newest run of a measure.
    pub async fn latest_run(&self, year: i32, measure: u32) -> Result<Option<StoredRun>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, StoredRun>(
            "SELECT * FROM runs WHERE year = $1 AND measure = $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(year)
        .bind(i64::from(measure))
        .fetch_optional(p)
        .await?))
    }
}

impl Store {
    /// One run by id.
    pub async fn run(&self, id: i64) -> Result<Option<StoredRun>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, StoredRun>("SELECT * FROM runs WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await?))
    }

    /// How many runs are recorded, without reading their results (each run of all 20 measures
    /// adds megabytes of them).
    pub async fn run_count(&self) -> Result<usize> {
        let n: i64 = on!(self.pool.get(), |p| sqlx::query_scalar("SELECT COUNT(*) FROM runs").fetch_one(p).await?);
        Ok(usize::try_from(n).unwrap_or_default())
    }

    /// The newest runs, newest first, at most `limit`.
    pub async fn newest_runs(&self, limit: usize) -> Result<Vec<StoredRun>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, StoredRun>("SELECT * FROM runs ORDER BY id DESC LIMIT $1")
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(p)
            .await?))
    }

    /// The runs of one measure of one year, newest first, at most `limit`.
    pub async fn runs_of(&self, year: i32, measure: u32, limit: usize) -> Result<Vec<StoredRun>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, StoredRun>(
            "SELECT * FROM runs WHERE year = $1 AND measure = $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(year)
        .bind(i64::from(measure))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(p)
        .await?))
    }

    /// Every run, oldest first.
    pub async fn runs(&self) -> Result<Vec<StoredRun>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, StoredRun>("SELECT * FROM runs ORDER BY id")
            .fetch_all(p)
            .await?))
    }
}

/// Insert one run and its audit event inside `tx`.
async fn insert_run(tx: &mut crate::db::Tx, who: &Actor, run: &NewRun<'_>) -> Result<i64> {
    let sha = audit::hex(&Sha256::digest(run.result.as_bytes()));
    let id: i64 = on!(tx.conn(), |c| {
        sqlx::query_scalar(
        "INSERT INTO runs (id, year, measure, plan_version, plan_sha256, data_sha256, seed, samples, result, result_sha256, run_at, actor, data_batch, engine) \
         VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM runs), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
    )
    .bind(run.year)
    .bind(i64::from(run.measure))
    .bind(run.plan_version)
    .bind(run.plan_sha256)
    .bind(run.data_sha256)
    // Seeds are stored as their two's-complement bit pattern: SQL integers are signed.
    .bind(run.seed as i64)
    .bind(i64::from(run.samples))
    .bind(run.result)
    .bind(&sha)
    .bind(&who.at)
    .bind(&who.name)
    .bind(run.data_batch)
    .bind(run.engine)
    .fetch_one(c)
    .await?
    });
    let subject = format!("run/{}/{}/{id}", run.year, run.measure);
    let detail = format!(
        "方案第 {} 版 sha256={}，数据 sha256={}，种子 {}，样本 {}，结果 sha256={sha}",
        run.plan_version, run.plan_sha256, run.data_sha256, run.seed, run.samples
    );
    audit::append(tx, who, "run", &subject, &detail, std::slice::from_ref(&subject)).await?;
    Ok(id)
}
