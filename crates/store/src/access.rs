//! The access log: logins (and failed ones, with why), logouts, password changes and resets,
//! refused requests and dry-run imports — who, from where, when, what, and how it ended. It is
//! operational, not a record of the programme: rows are not sealed in the audit chain, written
//! without the audit lock, and never deleted (logs are kept at least six months; jili keeps
//! them all). The store takes the rows as given; bounding their text is the app's job.

use crate::Store;
use crate::db::{Db, on};
use crate::error::Result;
use serde::Serialize;
use sqlx::FromRow;

/// One row of the access log.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize)]
pub struct AccessEntry {
    pub id: i64,
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    /// The user; at a failed login, the name that was tried.
    pub user_name: String,
    /// `office`, `lead` …, empty when no user is known.
    pub role: String,
    pub scope: String,
    /// The client's address.
    pub client: String,
    pub event: String,
    /// What it was about: a session, a user, a request path, a file.
    pub target: String,
    /// `ok`, or why not.
    pub outcome: String,
    pub detail: String,
}

/// A row to add (the id is the store's).
#[derive(Debug, Clone, Copy)]
pub struct NewAccess<'a> {
    pub at: &'a str,
    pub user_name: &'a str,
    pub role: &'a str,
    pub scope: &'a str,
    pub client: &'a str,
    pub event: &'a str,
    pub target: &'a str,
    pub outcome: &'a str,
    pub detail: &'a str,
}

/// Which rows to read. Empty text matches everything; times are UTC in the stored form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessQuery {
    /// The user (or the name tried), exactly.
    pub user: String,
    pub event: String,
    pub outcome: String,
    /// The client address, exactly.
    pub client: String,
    /// The start of the client address (`10.0.` for a network).
    pub client_prefix: String,
    /// From this time on (inclusive).
    pub from: String,
    /// Before this time (exclusive).
    pub to: String,
    /// Rows at most (newest first); 0 reads none, only [`Store::access_log_count`] makes sense.
    pub limit: i64,
    /// Rows skipped from the newest.
    pub offset: i64,
}

/// The filter of [`AccessQuery`] as SQL, its parameters `$1`–`$7` in the order of [`bind`].
const WHERE: &str = "WHERE ($1 = '' OR user_name = $1) AND ($2 = '' OR event = $2) AND ($3 = '' OR outcome = $3) \
AND ($4 = '' OR client = $4) AND ($5 = '' OR substr(client, 1, length($5)) = $5) \
AND ($6 = '' OR at >= $6) AND ($7 = '' OR at < $7)";

/// Bind the filter's parameters to a query, in the order of [`WHERE`].
macro_rules! bind {
    ($query:expr, $q:expr) => {
        $query
            .bind(&$q.user)
            .bind(&$q.event)
            .bind(&$q.outcome)
            .bind(&$q.client)
            .bind(&$q.client_prefix)
            .bind(&$q.from)
            .bind(&$q.to)
    };
}

impl Store {
    /// Add a row to the access log; its id. Written in a transaction of its own, outside the
    /// audit lock (a login need not wait for an import).
    pub async fn record_access(&self, row: &NewAccess<'_>) -> Result<i64> {
        let mut tx = self.pool.write_unaudited().await?;
        let id = on!(tx.conn(), |c| sqlx::query_scalar(
            "INSERT INTO access_log (at, user_name, role, scope, client, event, target, outcome, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
        )
        .bind(row.at)
        .bind(row.user_name)
        .bind(row.role)
        .bind(row.scope)
        .bind(row.client)
        .bind(row.event)
        .bind(row.target)
        .bind(row.outcome)
        .bind(row.detail)
        .fetch_one(c)
        .await?);
        tx.commit().await?;
        Ok(id)
    }

    /// Add `row` unless the log has a row of the same client and outcome at or after `since`;
    /// whether it was added. For refusals that need recording once per window however often
    /// they come: the check and the insert are one step for concurrent callers (SQLite has one
    /// writer; on PostgreSQL the table is locked against other writers of it for the moment).
    pub async fn record_access_once(&self, row: &NewAccess<'_>, since: &str) -> Result<bool> {
        let mut tx = self.pool.write_unaudited().await?;
        if let Db::Postgres(c) = tx.conn() {
            sqlx::query("LOCK TABLE access_log IN SHARE ROW EXCLUSIVE MODE").execute(&mut *c).await?;
        }
        let seen: i64 = on!(tx.conn(), |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM access_log WHERE client = $1 AND outcome = $2 AND at >= $3"
        )
        .bind(row.client)
        .bind(row.outcome)
        .bind(since)
        .fetch_one(c)
        .await?);
        if seen > 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        on!(tx.conn(), |c| sqlx::query(
            "INSERT INTO access_log (at, user_name, role, scope, client, event, target, outcome, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        .bind(row.at)
        .bind(row.user_name)
        .bind(row.role)
        .bind(row.scope)
        .bind(row.client)
        .bind(row.event)
        .bind(row.target)
        .bind(row.outcome)
        .bind(row.detail)
        .execute(c)
        .await?
        .rows_affected());
        tx.commit().await?;
        Ok(true)
    }

    /// The rows matching `q`, newest first, at most `q.limit` of them after skipping `q.offset`.
    pub async fn access_log(&self, q: &AccessQuery) -> Result<Vec<AccessEntry>> {
        let sql = format!("SELECT * FROM access_log {WHERE} ORDER BY id DESC LIMIT $8 OFFSET $9");
        Ok(on!(self.pool.get(), |p| bind!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), q)
            .bind(q.limit.max(0))
            .bind(q.offset.max(0))
            .fetch_all(p)
            .await?))
    }

    /// How many rows match `q` (its limit and offset aside).
    pub async fn access_log_count(&self, q: &AccessQuery) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM access_log {WHERE}");
        Ok(on!(self.pool.get(), |p| bind!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), q).fetch_one(p).await?))
    }
}
