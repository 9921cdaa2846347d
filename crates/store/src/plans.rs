//! Plans as stored: the TOML as written, its version and status.

use crate::Store;
use crate::audit::{self, Actor};
use crate::error::Result;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

/// A stored plan version. The TOML is the source of truth; it is re-checked when read.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredPlan {
    pub year: i32,
    pub measure: i64,
    pub version: i64,
    /// draft / submitted / returned / approved / published.
    pub status: String,
    /// A 示例方案 written by jili.
    pub example: bool,
    /// The file it was loaded from.
    pub source_name: String,
    pub toml: String,
    pub sha256: String,
}

/// A plan version to add.
#[derive(Debug, Clone, Copy)]
pub struct NewPlan<'a> {
    pub year: i32,
    pub measure: u32,
    pub status: &'a str,
    pub example: bool,
    pub source_name: &'a str,
    pub toml: &'a str,
}

impl Store {
    /// Add a plan as the next version for its measure. Returns the version number.
    pub async fn add_plan(&self, who: &Actor, plan: NewPlan<'_>) -> Result<i64> {
        let NewPlan { year, measure, status, example, source_name, toml } = plan;
        let sha = crate::audit::hex(&Sha256::digest(toml.as_bytes()));
        let mut tx = self.pool.begin().await?;
        let version: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM plans WHERE year = $1 AND measure = $2")
                .bind(year)
                .bind(measure)
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query(
            "INSERT INTO plans (year, measure, version, status, example, source_name, toml, sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(year)
        .bind(measure)
        .bind(version)
        .bind(status)
        .bind(example)
        .bind(source_name)
        .bind(toml)
        .bind(&sha)
        .execute(&mut *tx)
        .await?;
        let subject = format!("plan/{year}/{measure}/v{version}");
        audit::append(&mut tx, who, "plan.add", &subject, &format!("{source_name} sha256={sha}")).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// The newest version of every plan of `year`, by measure.
    pub async fn plans(&self, year: i32) -> Result<Vec<StoredPlan>> {
        Ok(sqlx::query_as::<_, StoredPlan>(
            "SELECT year, measure, version, status, example, source_name, toml, sha256 FROM plans p \
             WHERE year = $1 AND version = (SELECT MAX(version) FROM plans q WHERE q.year = p.year AND q.measure = p.measure) \
             ORDER BY measure",
        )
        .bind(year)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The newest version of the plan for one measure.
    pub async fn plan(&self, year: i32, measure: u32) -> Result<Option<StoredPlan>> {
        Ok(sqlx::query_as::<_, StoredPlan>(
            "SELECT year, measure, version, status, example, source_name, toml, sha256 FROM plans \
             WHERE year = $1 AND measure = $2 ORDER BY version DESC LIMIT 1",
        )
        .bind(year)
        .bind(measure)
        .fetch_optional(&self.pool)
        .await?)
    }
}
