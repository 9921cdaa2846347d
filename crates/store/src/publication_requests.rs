//! Publication requests: the maker–checker step before results are published. One office user
//! asks, another confirms; each change is one transaction with its audit event.

use crate::Store;
use crate::audit::{self, Actor};
use crate::db::{Tx, on};
use crate::error::{Result, StoreError};
use jili_model::RequestStatus;
use sqlx::FromRow;

/// A request to publish a year's results.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize)]
pub struct PublicationRequest {
    pub id: i64,
    #[sqlx(try_from = "i64")]
    pub year: i32,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    #[sqlx(try_from = "String")]
    pub status: RequestStatus,
    pub decided_by: String,
    pub decided_at: String,
}

impl Store {
    /// Record a request to publish `year`'s results. Returns its id.
    pub async fn add_publication_request(&self, who: &Actor, year: i32, reason: &str) -> Result<i64> {
        let mut tx = self.write().await?;
        let id = insert_request(&mut tx, who, year, reason).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Close pending request `id` as `to` (confirmed or withdrawn).
    pub async fn close_publication_request(&self, who: &Actor, id: i64, to: RequestStatus) -> Result<()> {
        if to.is_open() {
            return Err(StoreError::Conflict(format!("发布申请 {id} 只能确认或撤回")));
        }
        let mut tx = self.write().await?;
        let done = on!(tx.conn(), |c| {
            sqlx::query(
            "UPDATE publication_requests SET status = $1, decided_by = $2, decided_at = $3 WHERE id = $4 AND status = $5"
        )
        .bind(to.as_str())
        .bind(&who.name)
        .bind(&who.at)
        .bind(id)
        .bind(RequestStatus::Pending.as_str())
        .execute(c)
        .await?
        .rows_affected()
        });
        if done == 0 {
            return Err(StoreError::Conflict(format!("发布申请 {id} 不存在或已处理：见 jili publish requests")));
        }
        let object = format!("publication_request/{id}");
        let action = if to == RequestStatus::Confirmed { "publish.confirm" } else { "publish.withdraw" };
        audit::append(&mut tx, who, action, &object, &format!("发布申请 {id}：{to}"), std::slice::from_ref(&object))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every publication request, oldest first.
    pub async fn publication_requests(&self) -> Result<Vec<PublicationRequest>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM publication_requests ORDER BY id")
            .fetch_all(p)
            .await?))
    }
}

/// Insert a publication request with its audit event, inside the caller's transaction.
pub(crate) async fn insert_request(tx: &mut Tx, who: &Actor, year: i32, reason: &str) -> Result<i64> {
    let id: i64 = on!(tx.conn(), |c| {
        sqlx::query_scalar(
            "INSERT INTO publication_requests (id, year, reason, requested_by, requested_at, status, decided_by, decided_at) \
             VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM publication_requests), $1, $2, $3, $4, $5, '', '') RETURNING id",
        )
        .bind(year)
        .bind(reason)
        .bind(&who.name)
        .bind(&who.at)
        .bind(RequestStatus::Pending.as_str())
        .fetch_one(c)
        .await?
    });
    let object = format!("publication_request/{id}");
    let detail = format!("申请发布 {year} 年评价结果：{}", if reason.is_empty() { "首次发布" } else { reason });
    audit::append(tx, who, "publish.request", &object, &detail, std::slice::from_ref(&object)).await?;
    Ok(id)
}
