//! Plans as stored: the TOML as written, its version and status.

use crate::Store;
use crate::audit::{self, Actor};
use crate::db::on;
use crate::error::{Result, StoreError};
use jili_model::PlanStatus;
use sha2::{Digest, Sha256};
use sqlx::FromRow;

/// A stored plan version. The TOML is the source of truth; it is re-checked when read.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct StoredPlan {
    #[sqlx(try_from = "i64")]
    pub year: i32,
    pub measure: i64,
    pub version: i64,
    #[sqlx(try_from = "String")]
    pub status: PlanStatus,
    /// A 示例方案 written by jili.
    pub example: bool,
    /// The file it was loaded from.
    pub source_name: String,
    pub toml: String,
    pub sha256: String,
}

/// A change of a plan version's status.
#[derive(Debug, Clone, Copy)]
pub struct PlanStep<'a> {
    pub year: i32,
    pub measure: u32,
    pub version: i64,
    /// The status it moves to (from one of [`PlanStatus::reached_from`]).
    pub to: PlanStatus,
    /// The office's comment (required when returning).
    pub comment: &'a str,
    /// The content the caller checked: the step is refused if the version changed since (a
    /// draft edited in another window between lint and submission).
    pub checked_sha256: Option<&'a str>,
}

/// One step in a plan's review.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PlanReview {
    pub version: i64,
    #[sqlx(try_from = "String")]
    pub step: PlanStatus,
    pub comment: String,
    pub actor: String,
    pub at: String,
}

/// A plan version to add.
#[derive(Debug, Clone, Copy)]
pub struct NewPlan<'a> {
    pub year: i32,
    pub measure: u32,
    pub status: PlanStatus,
    pub example: bool,
    pub source_name: &'a str,
    pub toml: &'a str,
}

impl Store {
    /// Add a plan as the next version for its measure. Returns the version number.
    pub async fn add_plan(&self, who: &Actor, plan: NewPlan<'_>) -> Result<i64> {
        let NewPlan { year, measure, status, example, source_name, toml } = plan;
        let sha = crate::audit::hex(&Sha256::digest(toml.as_bytes()));
        let mut tx = self.write().await?;
        let version: i64 = on!(tx.conn(), |c| sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM plans WHERE year = $1 AND measure = $2"
        )
        .bind(year)
        .bind(i64::from(measure))
        .fetch_one(c)
        .await?);
        on!(tx.conn(), |c| {
            sqlx::query(
            "INSERT INTO plans (id, year, measure, version, status, example, source_name, toml, sha256) VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM plans), $1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(year)
        .bind(i64::from(measure))
        .bind(version)
        .bind(status.as_str())
        .bind(example)
        .bind(source_name)
        .bind(toml)
        .bind(&sha)
        .execute(c)
        .await?.rows_affected()
        });
        let subject = format!("plan/{year}/{measure}/v{version}");
        audit::append(
            &mut tx,
            who,
            "plan.add",
            &subject,
            &format!("{source_name} sha256={sha}"),
            std::slice::from_ref(&subject),
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Replace the text of a draft version. Anything but a draft is immutable.
    pub async fn update_draft(
        &self,
        who: &Actor,
        year: i32,
        measure: u32,
        version: i64,
        source_name: &str,
        toml: &str,
    ) -> Result<()> {
        let sha = crate::audit::hex(&Sha256::digest(toml.as_bytes()));
        let mut tx = self.write().await?;
        let done = on!(tx.conn(), |c| {
            sqlx::query(
            "UPDATE plans SET toml = $1, sha256 = $2, source_name = $3 WHERE year = $4 AND measure = $5 AND version = $6 AND status = $7",
        )
        .bind(toml)
        .bind(&sha)
        .bind(source_name)
        .bind(year)
        .bind(i64::from(measure))
        .bind(version)
        .bind(PlanStatus::Draft.as_str())
        .execute(c)
        .await?.rows_affected()
        });
        if done == 0 {
            return Err(StoreError::Conflict(format!(
                "{year}年第 {measure} 条措施方案第 {version} 版不是草稿，不能修改：已提交或已批准的版本不可更改，修改会生成新的草稿版本"
            )));
        }
        let subject = format!("plan/{year}/{measure}/v{version}");
        audit::append(
            &mut tx,
            who,
            "plan.edit",
            &subject,
            &format!("{source_name} sha256={sha}"),
            std::slice::from_ref(&subject),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Move a plan version from one of `from` to `to`, recording the step and its comment.
    pub async fn plan_step(&self, who: &Actor, step: PlanStep<'_>) -> Result<()> {
        let PlanStep { year, measure, version, to, comment, checked_sha256 } = step;
        let from = to.reached_from();
        let mut tx = self.write().await?;
        let row: Option<(String, String)> = on!(tx.conn(), |c| sqlx::query_as(
            "SELECT status, sha256 FROM plans WHERE year = $1 AND measure = $2 AND version = $3"
        )
        .bind(year)
        .bind(i64::from(measure))
        .bind(version)
        .fetch_optional(c)
        .await?);
        let Some((status, sha256)) = row else {
            return Err(StoreError::Conflict(format!("{year}年第 {measure} 条措施没有第 {version} 版方案")));
        };
        if checked_sha256.is_some_and(|c| c != sha256) {
            return Err(StoreError::Conflict(format!(
                "{year}年第 {measure} 条措施方案第 {version} 版在检查之后又被修改：请重新检查后再提交"
            )));
        }
        let status = PlanStatus::try_from(status).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if status == to {
            return Err(StoreError::Conflict(format!(
                "{year}年第 {measure} 条措施方案第 {version} 版已经是“{}”状态",
                status.label()
            )));
        }
        if !from.contains(&status) {
            return Err(StoreError::Conflict(format!(
                "{year}年第 {measure} 条措施方案第 {version} 版的状态是“{}”，不能改为“{}”（只能从“{}”改为该状态）",
                status.label(),
                to.label(),
                from.iter().map(|s| s.label()).collect::<Vec<_>>().join("”或“")
            )));
        }
        on!(tx.conn(), |c| sqlx::query(
            "UPDATE plans SET status = $1 WHERE year = $2 AND measure = $3 AND version = $4"
        )
        .bind(to.as_str())
        .bind(year)
        .bind(i64::from(measure))
        .bind(version)
        .execute(c)
        .await?
        .rows_affected());
        on!(tx.conn(), |c| {
            sqlx::query(
            "INSERT INTO plan_reviews (id, year, measure, version, step, comment, actor, at) VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM plan_reviews), $1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(year)
        .bind(i64::from(measure))
        .bind(version)
        .bind(to.as_str())
        .bind(comment)
        .bind(&who.name)
        .bind(&who.at)
        .execute(c)
        .await?.rows_affected()
        });
        let subject = format!("plan/{year}/{measure}/v{version}");
        let change = format!("{} → {}", status.label(), to.label());
        let detail = if comment.is_empty() { change } else { format!("{change}：{comment}") };
        audit::append(&mut tx, who, &format!("plan.{to}"), &subject, &detail, std::slice::from_ref(&subject)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every version of one measure's plan, oldest first.
    pub async fn plan_versions(&self, year: i32, measure: u32) -> Result<Vec<StoredPlan>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, StoredPlan>(
            "SELECT year, measure, version, status, example, source_name, toml, sha256 FROM plans \
             WHERE year = $1 AND measure = $2 ORDER BY version",
        )
        .bind(year)
        .bind(i64::from(measure))
        .fetch_all(p)
        .await?))
    }

    /// The review steps of one measure's plans, oldest first.
    pub async fn plan_reviews(&self, year: i32, measure: u32) -> Result<Vec<PlanReview>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, PlanReview>(
            "SELECT version, step, comment, actor, at FROM plan_reviews WHERE year = $1 AND measure = $2 ORDER BY id",
        )
        .bind(year)
        .bind(i64::from(measure))
        .fetch_all(p)
        .await?))
    }

    /// The newest version of every plan of `year`, by measure.
    pub async fn plans(&self, year: i32) -> Result<Vec<StoredPlan>> {
        Ok(on!(self.pool.get(), |p| {
            sqlx::query_as::<_, StoredPlan>(
            "SELECT year, measure, version, status, example, source_name, toml, sha256 FROM plans p \
             WHERE year = $1 AND version = (SELECT MAX(version) FROM plans q WHERE q.year = p.year AND q.measure = p.measure) \
             ORDER BY measure",
        )
        .bind(year)
        .fetch_all(p)
        .await?
        }))
    }

    /// The newest version of the plan for one measure.
    pub async fn plan(&self, year: i32, measure: u32) -> Result<Option<StoredPlan>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, StoredPlan>(
            "SELECT year, measure, version, status, example, source_name, toml, sha256 FROM plans \
             WHERE year = $1 AND measure = $2 ORDER BY version DESC LIMIT 1",
        )
        .bind(year)
        .bind(i64::from(measure))
        .fetch_optional(p)
        .await?))
    }
}
