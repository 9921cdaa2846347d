//! jili's storage. [`Store`] hides the backend, chosen from the URL: SQLite, embedded, is the
//! default (a bare path is a SQLite file); `postgres://…` is a PostgreSQL server (or a
//! PostgreSQL-derived one: the SQL is plain, no extensions). Both have the same methods and the
//! same behaviour; a conformance suite (`tests/`) runs on both.
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

mod access;
mod audit;
mod backup;
mod bulk;
mod calendar;
mod cases;
mod connect;
mod copy;
mod db;
mod error;
mod funds;
mod grants;
mod health;
mod intake;
mod jobs;
mod observations;
mod plans;
mod programme;
mod publication;
mod publication_requests;
mod rechecks;
mod reference;
mod releases;
mod runs;
pub mod schemas;
mod seal;
mod sessions;
mod sso;
mod users;

pub use access::{AccessEntry, AccessQuery, NewAccess};
pub use audit::{Actor, AuditEvent, AuditProblem, AuditReport, EventFields, GENESIS, event_hash, hex};
pub use calendar::{CalendarDate, Delivery};
pub use cases::{CaseRecord, NewCaseStep, StoredCase, StoredCaseStep};
pub use connect::{Backend, parse_url, redact};
pub use copy::CopyReport;
pub use error::{Result, StoreError};
pub use funds::{NewFundEntry, NewOverride, StoredFundEntry};
pub use grants::NewGrant;
pub use health::{PoolStats, Readiness};
pub use intake::{NewFlag, Revision, StoredFlag};
pub use jobs::{NewJob, StoredJob};
pub use observations::{ImportSummary, NewBatch, StoredBatch, StoredObservation};
pub use plans::{NewPlan, PlanReview, PlanStep, StoredPlan};
pub use publication::{StoredCommendation, StoredOverride, StoredPublication};
pub use publication_requests::PublicationRequest;
pub use rechecks::{FoundFlag, NewRecheck, StoredRecheck};
pub use releases::{NewRelease, ReleaseHead, StoredRelease};
pub use runs::{NewRun, StoredRun};
pub use seal::{Hasher, SEAL_KEY, SealAlgorithm};
pub use sessions::{FlagNote, SessionUser};
pub use sso::{PendingSso, SsoUserChange};
pub use users::StoredUser;

use db::{Db, Pool, Tx};

/// The database behind jili.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
}

impl Store {
    /// A transaction that writes, holding the write lock from its start (see [`Pool::write`]).
    async fn write(&self) -> Result<Tx> {
        self.pool.write().await
    }

    /// Open the database at `url`, creating it (SQLite) and bringing its schema up to date.
    pub async fn open(url: &str) -> Result<Store> {
        let pool = match parse_url(url)? {
            Backend::Sqlite(path) => {
                let pool = connect::open_sqlite(&path).await?;
                sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
                Db::Sqlite(pool)
            }
            Backend::Postgres(url) => {
                let pool = connect::open_postgres(&url).await?;
                sqlx::migrate!("./migrations/postgres").run(&pool).await?;
                Db::Postgres(pool)
            }
        };
        Ok(Store { pool })
    }

    /// Which backend this store is on: `sqlite` or `postgres`.
    pub fn backend(&self) -> &'static str {
        match self.pool {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    /// Delete all content (not the schema), for rebuilding the demo database. One transaction.
    pub async fn clear(&self) -> Result<()> {
        let mut tx = self.write().await?;
        let tables = [
            "jobs",
            "access_log",
            "web_sessions",
            "login_failures",
            "sso_logins",
            "sso_identities",
            "calendar_dates",
            "fund_entries",
            "case_steps",
            "case_flags",
            "cases",
            "flag_notes",
            "recheck_flags",
            "rechecks",
            "overrides",
            "commendations",
            "data_grants",
            "publication_requests",
            "data_releases",
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
        ];
        match tx.conn() {
            Db::Sqlite(c) => {
                for table in tables {
                    sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut *c).await?;
                }
            }
            // Identities restart too, as SQLite's do once a table is empty.
            Db::Postgres(c) => {
                let sql = format!("TRUNCATE {} RESTART IDENTITY", tables.join(", "));
                sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *c).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Close the pool, flushing WAL.
    pub async fn close(self) {
        self.pool.close().await;
    }
}
