//! jili's storage. [`Store`] hides the backend: SQLite, embedded, is the default, chosen from
//! the URL (a bare path is a SQLite file); PostgreSQL joins behind the same methods later.
//! Every write runs in one transaction together with its audit event, so a failure leaves
//! nothing half-stored. Takes and returns model types.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use jili_store::{Actor, Store};
//!
//! let store = Store::open("sqlite::memory:").await.unwrap();
//! assert!(store.units().await.unwrap().is_empty());
//! assert!(store.verify_audit().await.unwrap().is_intact());
//! # });
//! ```

mod audit;
mod backup;
mod connect;
mod error;
mod intake;
mod observations;
mod plans;
mod programme;
mod publication;
mod reference;
mod runs;
mod seal;
mod sessions;
mod users;

pub use audit::{Actor, AuditEvent, AuditProblem, AuditReport, EventFields, GENESIS, event_hash, hex};
pub use connect::{Backend, parse_url};
pub use error::{Result, StoreError};
pub use intake::{NewFlag, Revision, StoredFlag};
pub use observations::{ImportSummary, NewBatch, StoredBatch, StoredObservation};
pub use plans::{NewPlan, PlanReview, PlanStep, StoredPlan, status_label};
pub use publication::{StoredCommendation, StoredOverride, StoredPublication};
pub use runs::{NewRun, StoredRun};
pub use sessions::{FlagNote, SessionUser};
pub use users::StoredUser;

use sqlx::SqlitePool;

/// The database behind jili.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// A transaction that writes. It takes the write lock at once (`BEGIN IMMEDIATE`): a
    /// transaction that read first and wrote later could find that another connection wrote in
    /// between and fail at once with "database is locked"; taken up front, the lock is waited
    /// for (the busy timeout) and concurrent writers run one after the other.
    async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Open the database at `url`, creating it and bringing its schema up to date.
    pub async fn open(url: &str) -> Result<Store> {
        let Backend::Sqlite(path) = parse_url(url)?;
        let pool = connect::open_sqlite(&path).await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Store { pool })
    }

    /// Delete all content (not the schema), for rebuilding the demo database. One transaction.
    pub async fn clear(&self) -> Result<()> {
        let mut tx = self.write().await?;
        for table in [
            "web_sessions",
            "login_failures",
            "flag_notes",
            "overrides",
            "commendations",
            "publications",
            "budgets",
            "users",
            "plan_reviews",
            "runs",
            "flags",
            "mappings",
            "settings",
            "observations",
            "batches",
            "plans",
            "measures",
            "programmes",
            "series",
            "units",
            "departments",
            "audit_events",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Close the pool, flushing WAL.
    pub async fn close(self) {
        self.pool.close().await;
    }
}
