//! Data grants (see [`jili_model::Grant`]): requested by a lead department, decided by the
//! owning department (or recorded by the office from its letter), revocable. Each change is
//! one transaction with its audit event.

use crate::Store;
use crate::audit::{self, Actor};
use crate::db::on;
use crate::error::{Result, StoreError};
use jili_model::{Grant, GrantStatus};
use sqlx::FromRow;

/// A grant to add: a request, or one the office records as given.
#[derive(Debug, Clone, Copy)]
pub struct NewGrant<'a> {
    pub year: i32,
    pub measure: u32,
    pub series: &'a str,
    pub owner: &'a str,
    pub grantee: &'a str,
    pub status: GrantStatus,
    pub reason: &'a str,
    /// For a grant recorded as given: the owner's letter.
    pub basis: &'a str,
}

#[derive(FromRow)]
struct Row {
    id: i64,
    year: i64,
    measure: i64,
    series: String,
    owner: String,
    grantee: String,
    status: String,
    reason: String,
    basis: String,
    requested_by: String,
    requested_at: String,
    decided_by: String,
    decided_at: String,
}

impl Row {
    fn grant(self) -> Result<Grant> {
        let status = GrantStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("数据授权 {} 的状态“{}”无法识别", self.id, self.status)))?;
        Ok(Grant {
            id: self.id,
            year: i32::try_from(self.year).map_err(|_| StoreError::Corrupt(format!("数据授权 {} 的年份", self.id)))?,
            measure: u32::try_from(self.measure)
                .map_err(|_| StoreError::Corrupt(format!("数据授权 {} 的措施编号", self.id)))?,
            series: self.series,
            owner: self.owner,
            grantee: self.grantee,
            status,
            reason: self.reason,
            basis: self.basis,
            requested_by: self.requested_by,
            requested_at: self.requested_at,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
        })
    }
}

impl Store {
    /// Add a grant (a request, or one recorded as given). Returns its id.
    pub async fn add_grant(&self, who: &Actor, g: NewGrant<'_>) -> Result<i64> {
        let decided = g.status != GrantStatus::Requested;
        let (decided_by, decided_at) = if decided { (who.name.as_str(), who.at.as_str()) } else { ("", "") };
        let mut tx = self.write().await?;
        let id: i64 = on!(tx.conn(), |c| {
            sqlx::query_scalar(
                "INSERT INTO data_grants (id, year, measure, series, owner, grantee, status, reason, basis, requested_by, requested_at, decided_by, decided_at) \
                 VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM data_grants), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
            )
            .bind(g.year)
            .bind(i64::from(g.measure))
            .bind(g.series)
            .bind(g.owner)
            .bind(g.grantee)
            .bind(g.status.as_str())
            .bind(g.reason)
            .bind(g.basis)
            .bind(&who.name)
            .bind(&who.at)
            .bind(decided_by)
            .bind(decided_at)
            .fetch_one(c)
            .await?
        });
        let object = format!("grant/{id}");
        let action = if decided { "grant.record" } else { "grant.request" };
        let detail = format!(
            "{}年第 {} 条措施：{} 的 {} 供 {} 使用（{}）：{}{}",
            g.year,
            g.measure,
            g.owner,
            g.series,
            g.grantee,
            g.status.label(),
            g.reason,
            if g.basis.is_empty() { String::new() } else { format!("；依据：{}", g.basis) }
        );
        audit::append(&mut tx, who, action, &object, &detail, std::slice::from_ref(&object)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Move grant `id` to `to` with the decider's basis, if its status allows (see
    /// [`GrantStatus::next`]).
    pub async fn decide_grant(&self, who: &Actor, id: i64, to: GrantStatus, basis: &str) -> Result<Grant> {
        let mut tx = self.write().await?;
        let row: Option<Row> = on!(tx.conn(), |c| sqlx::query_as("SELECT * FROM data_grants WHERE id = $1")
            .bind(id)
            .fetch_optional(c)
            .await?);
        let Some(grant) = row.map(Row::grant).transpose()? else {
            return Err(StoreError::Conflict(format!("没有编号为 {id} 的数据授权：编号见 jili grant list")));
        };
        if !grant.status.next().contains(&to) {
            return Err(StoreError::Conflict(format!(
                "数据授权 {id} 现为“{}”，不能改为“{}”",
                grant.status.label(),
                to.label()
            )));
        }
        on!(tx.conn(), |c| sqlx::query(
            "UPDATE data_grants SET status = $1, basis = $2, decided_by = $3, decided_at = $4 WHERE id = $5"
        )
        .bind(to.as_str())
        .bind(basis)
        .bind(&who.name)
        .bind(&who.at)
        .bind(id)
        .execute(c)
        .await?
        .rows_affected());
        let object = format!("grant/{id}");
        let detail = format!(
            "{}年第 {} 条措施：{} 的 {} 供 {} 使用：{} → {}；{basis}",
            grant.year,
            grant.measure,
            grant.owner,
            grant.series,
            grant.grantee,
            grant.status.label(),
            to.label()
        );
        audit::append(&mut tx, who, &format!("grant.{}", to.as_str()), &object, &detail, std::slice::from_ref(&object))
            .await?;
        tx.commit().await?;
        Ok(Grant {
            status: to,
            basis: basis.to_string(),
            decided_by: who.name.clone(),
            decided_at: who.at.clone(),
            ..grant
        })
    }

    /// The grants of a year (every year when `None`), oldest first.
    pub async fn grants(&self, year: Option<i32>) -> Result<Vec<Grant>> {
        let rows: Vec<Row> = match year {
            Some(y) => {
                on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM data_grants WHERE year = $1 ORDER BY id")
                    .bind(y)
                    .fetch_all(p)
                    .await?)
            }
            None => {
                on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM data_grants ORDER BY id").fetch_all(p).await?)
            }
        };
        rows.into_iter().map(Row::grant).collect()
    }
}
