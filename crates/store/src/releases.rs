//! Data releases (定期通报主要指标数据): immutable, versioned releases of the public series'
//! values as of a cut-off, made on the office's calendar. Each is one transaction with its
//! audit event; nothing here changes or deletes a stored release.

use crate::Store;
use crate::audit::{self, Actor, hex};
use crate::db::on;
use crate::error::Result;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

/// A data release to store.
#[derive(Debug, Clone, Copy)]
pub struct NewRelease<'a> {
    /// The calendar's release id (`quarterly`).
    pub calendar: &'a str,
    /// The cut-off period, canonical (`2024-Q3`).
    pub cutoff: &'a str,
    /// The release's name as the calendar gave it.
    pub title: &'a str,
    /// It holds demo data.
    pub demo: bool,
    /// 首次通报, or what a correction corrected.
    pub reason: &'a str,
    /// JSON written by the app.
    pub body: &'a str,
}

/// A stored data release (one version): its head and its body.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredRelease {
    #[sqlx(flatten)]
    pub head: ReleaseHead,
    /// JSON written by the app.
    pub body: String,
}

/// A release without its body, for lists.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ReleaseHead {
    pub id: i64,
    /// The calendar's release id (`quarterly`).
    pub calendar: String,
    /// The cut-off period, canonical (`2024-Q3`).
    pub cutoff: String,
    pub version: i64,
    /// The release's name as the calendar gave it when made.
    pub title: String,
    /// It holds demo data.
    pub demo: bool,
    /// Why this version exists (for a correction, what was corrected).
    pub reason: String,
    pub sha256: String,
    pub released_at: String,
    pub actor: String,
}

const HEAD: &str =
    "SELECT id, calendar, cutoff, version, title, demo, reason, sha256, released_at, actor FROM data_releases";

impl Store {
    /// Store a release as the next version of its (calendar, cutoff): 1 for a first release.
    /// Returns (id, version). The body's sha256 is computed here, from the text stored.
    pub async fn add_release(&self, who: &Actor, new: NewRelease<'_>) -> Result<(i64, i64)> {
        let NewRelease { calendar, cutoff, title, demo, reason, body } = new;
        let sha = hex(&Sha256::digest(body.as_bytes()));
        let mut tx = self.write().await?;
        let version: i64 = on!(tx.conn(), |c| sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM data_releases WHERE calendar = $1 AND cutoff = $2"
        )
        .bind(calendar)
        .bind(cutoff)
        .fetch_one(c)
        .await?);
        let id: i64 = on!(tx.conn(), |c| {
            sqlx::query_scalar(
            "INSERT INTO data_releases (id, calendar, cutoff, version, title, demo, reason, body, sha256, released_at, actor) \
             VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM data_releases), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(calendar)
        .bind(cutoff)
        .bind(version)
        .bind(title)
        .bind(demo)
        .bind(reason)
        .bind(body)
        .bind(&sha)
        .bind(&who.at)
        .bind(&who.name)
        .fetch_one(c)
        .await?
        });
        let object = format!("release/{calendar}/{cutoff}/v{version}");
        let (action, what) = if version == 1 { ("release", "首次通报") } else { ("release.correct", "更正") };
        let detail = format!("{calendar} 截止 {cutoff} 第 {version} 版（{what}），sha256={sha}，{reason}");
        audit::append(&mut tx, who, action, &object, &detail, std::slice::from_ref(&object)).await?;
        tx.commit().await?;
        Ok((id, version))
    }

    /// Every release version without bodies, oldest first.
    pub async fn release_heads(&self) -> Result<Vec<ReleaseHead>> {
        let sql = format!("{HEAD} ORDER BY id");
        Ok(on!(self.pool.get(), |p| sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await?))
    }

    /// One release version with its body.
    pub async fn release(&self, id: i64) -> Result<Option<StoredRelease>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM data_releases WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await?))
    }

    /// The versions of one release (calendar, cutoff) without bodies, oldest first.
    pub async fn release_versions(&self, calendar: &str, cutoff: &str) -> Result<Vec<ReleaseHead>> {
        let sql = format!("{HEAD} WHERE calendar = $1 AND cutoff = $2 ORDER BY version");
        Ok(on!(self.pool.get(), |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(calendar)
            .bind(cutoff)
            .fetch_all(p)
            .await?))
    }

    /// The release made last (the largest id), with its body: what a results publication made
    /// now rests on.
    pub async fn newest_release(&self) -> Result<Option<StoredRelease>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM data_releases ORDER BY id DESC LIMIT 1")
            .fetch_optional(p)
            .await?))
    }

    /// How many releases hold no demo data (office records a demo rebuild must not erase).
    pub(crate) async fn real_release_count(&self) -> Result<i64> {
        Ok(on!(self.pool.get(), |p| sqlx::query_scalar("SELECT COUNT(*) FROM data_releases WHERE demo = FALSE")
            .fetch_one(p)
            .await?))
    }
}
