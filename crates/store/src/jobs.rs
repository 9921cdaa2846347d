//! Jobs: long work the web started, where it stands. Operational state (like web sessions):
//! written outside the audit log, not sealed, not copied table by table (`jili migrate`). The app decides what a
//! job is and who may see it; the store keeps the rows and makes each change one statement.

use crate::Store;
use crate::db::on;
use crate::error::Result;
use sqlx::FromRow;

/// A job to record, queued.
#[derive(Debug, Clone, Copy)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub title: &'a str,
    pub started_by: &'a str,
    /// The process that will run it.
    pub runner: &'a str,
    pub total_steps: i64,
    pub message: &'a str,
    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: &'a str,
    /// Unix seconds, the first heartbeat.
    pub now: i64,
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredJob {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub started_by: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    pub done_steps: i64,
    pub total_steps: i64,
    pub message: String,
    pub link: String,
    pub result: String,
    pub runner: String,
    pub created_at: String,
    pub started_at: String,
    pub finished_at: String,
    pub heartbeat: i64,
}

impl Store {
    /// Record a queued job; returns its id.
    pub async fn add_job(&self, job: NewJob<'_>) -> Result<i64> {
        let mut tx = self.pool.write_unaudited().await?;
        let id: i64 = on!(tx.conn(), |c| sqlx::query_scalar(
            "INSERT INTO jobs (kind, title, started_by, status, done_steps, total_steps, message, link, result, \
             runner, created_at, started_at, finished_at, heartbeat) \
             VALUES ($1, $2, $3, 'queued', 0, $4, $5, '', '', $6, $7, '', '', $8) RETURNING id"
        )
        .bind(job.kind)
        .bind(job.title)
        .bind(job.started_by)
        .bind(job.total_steps)
        .bind(job.message)
        .bind(job.runner)
        .bind(job.at)
        .bind(job.now)
        .fetch_one(c)
        .await?);
        tx.commit().await?;
        Ok(id)
    }

    /// One job.
    pub async fn job(&self, id: i64) -> Result<Option<StoredJob>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, StoredJob>("SELECT * FROM jobs WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await?))
    }

    /// The newest jobs, newest first, at most `limit`: everyone's, or those `started_by` started.
    pub async fn jobs(&self, started_by: Option<&str>, limit: usize) -> Result<Vec<StoredJob>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        Ok(match started_by {
            Some(who) => on!(self.pool.get(), |p| sqlx::query_as::<_, StoredJob>(
                "SELECT * FROM jobs WHERE started_by = $1 ORDER BY id DESC LIMIT $2"
            )
            .bind(who)
            .bind(limit)
            .fetch_all(p)
            .await?),
            None => {
                on!(self.pool.get(), |p| sqlx::query_as::<_, StoredJob>("SELECT * FROM jobs ORDER BY id DESC LIMIT $1")
                    .bind(limit)
                    .fetch_all(p)
                    .await?)
            }
        })
    }

    /// A queued job has started. False when it was no longer queued (failed meanwhile).
    pub async fn start_job(&self, id: i64, message: &str, at: &str, now: i64) -> Result<bool> {
        self.job_update(
            "UPDATE jobs SET status = 'running', message = $2, started_at = $3, heartbeat = $4 \
             WHERE id = $1 AND status = 'queued'",
            id,
            &[message, at],
            now,
        )
        .await
    }

    /// A running job's progress. False when it is no longer running.
    pub async fn job_progress(&self, id: i64, done: i64, total: i64, message: &str, now: i64) -> Result<bool> {
        let mut tx = self.pool.write_unaudited().await?;
        let n = on!(tx.conn(), |c| sqlx::query(
            "UPDATE jobs SET done_steps = $2, total_steps = $3, message = $4, heartbeat = $5 \
             WHERE id = $1 AND status = 'running'"
        )
        .bind(id)
        .bind(done)
        .bind(total)
        .bind(message)
        .bind(now)
        .execute(c)
        .await?
        .rows_affected());
        tx.commit().await?;
        Ok(n > 0)
    }

    /// A job ended: `done` (with where its result is shown) or `failed` (the message says why).
    /// Only an unfinished job can end. False when it had already ended.
    pub async fn finish_job(
        &self,
        id: i64,
        status: &str,
        message: &str,
        link: &str,
        result: &str,
        at: &str,
    ) -> Result<bool> {
        let mut tx = self.pool.write_unaudited().await?;
        let n = on!(tx.conn(), |c| sqlx::query(
            "UPDATE jobs SET status = $2, message = $3, link = $4, result = $5, finished_at = $6, \
             done_steps = CASE WHEN $2 = 'done' THEN total_steps ELSE done_steps END \
             WHERE id = $1 AND status IN ('queued', 'running')"
        )
        .bind(id)
        .bind(status)
        .bind(message)
        .bind(link)
        .bind(result)
        .bind(at)
        .execute(c)
        .await?
        .rows_affected());
        tx.commit().await?;
        Ok(n > 0)
    }

    /// `runner` is alive: its unfinished jobs' heartbeat is now.
    pub async fn job_heartbeat(&self, runner: &str, now: i64) -> Result<u64> {
        let mut tx = self.pool.write_unaudited().await?;
        let n = on!(tx.conn(), |c| sqlx::query(
            "UPDATE jobs SET heartbeat = $2 WHERE runner = $1 AND status IN ('queued', 'running')"
        )
        .bind(runner)
        .bind(now)
        .execute(c)
        .await?
        .rows_affected());
        tx.commit().await?;
        Ok(n)
    }

    /// Fail every unfinished job whose process has not said it was alive since `before` (unix
    /// seconds): that process stopped. Returns how many.
    pub async fn fail_stale_jobs(&self, before: i64, message: &str, at: &str) -> Result<u64> {
        let mut tx = self.pool.write_unaudited().await?;
        let n = on!(tx.conn(), |c| sqlx::query(
            "UPDATE jobs SET status = 'failed', message = $2, finished_at = $3 \
             WHERE status IN ('queued', 'running') AND heartbeat < $1"
        )
        .bind(before)
        .bind(message)
        .bind(at)
        .execute(c)
        .await?
        .rows_affected());
        tx.commit().await?;
        Ok(n)
    }

    async fn job_update(&self, sql: &'static str, id: i64, texts: &[&str], now: i64) -> Result<bool> {
        let mut tx = self.pool.write_unaudited().await?;
        let n = on!(tx.conn(), |c| {
            let mut q = sqlx::query(sql).bind(id);
            for t in texts {
                q = q.bind(*t);
            }
            q.bind(now).execute(c).await?.rows_affected()
        });
        tx.commit().await?;
        Ok(n > 0)
    }
}
