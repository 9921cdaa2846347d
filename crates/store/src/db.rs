//! The two backends behind one [`Store`](crate::Store): a pool and a transaction of either, and
//! the [`on!`] macro that runs the same query code on whichever one is open. Queries are written
//! once, in SQL both accept (`$1` parameters, `ON CONFLICT`, `RETURNING`, `TRUE`/`FALSE`);
//! where the dialects differ (bulk loads, sealing, the schema catalogue) the code matches on
//! the backend and says why.

use crate::error::Result;
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

/// One of the two backends' versions of a thing.
#[derive(Debug, Clone)]
pub(crate) enum Db<S, P> {
    Sqlite(S),
    Postgres(P),
}

/// The connection pool.
pub(crate) type Pool = Db<SqlitePool, PgPool>;

/// An open transaction.
pub(crate) type Tx = Db<Transaction<'static, Sqlite>, Transaction<'static, Postgres>>;

/// `on!(db, |x| body)`: run `body` with `x` bound to whichever backend's value `$db` holds. The body is compiled
/// once per backend, so it must type-check on both.
macro_rules! on {
    ($db:expr, |$x:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($x) => $body,
            $crate::db::Db::Postgres($x) => $body,
        }
    };
}
pub(crate) use on;

impl Pool {
    /// The pool, borrowed, for [`on!`].
    pub fn get(&self) -> Db<&SqlitePool, &PgPool> {
        match self {
            Db::Sqlite(p) => Db::Sqlite(p),
            Db::Postgres(p) => Db::Postgres(p),
        }
    }

    /// A transaction that writes, holding the write lock from its start, so that concurrent
    /// writers run one after the other and the audit chain grows one event at a time.
    ///
    /// SQLite: `BEGIN IMMEDIATE` (a deferred transaction that read, then wrote, would fail at
    /// once with "database is locked" if another connection wrote in between; taken up front,
    /// the lock is waited for, up to the busy timeout). PostgreSQL: every write appends to the
    /// audit log, so writers take the audit table in EXCLUSIVE mode — plain readers go on, the
    /// next writer waits — and under READ COMMITTED each later statement sees what the previous
    /// writer committed.
    pub async fn write(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Db::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => {
                let mut tx = p.begin().await?;
                sqlx::query("LOCK TABLE audit_events IN EXCLUSIVE MODE").execute(&mut *tx).await?;
                Db::Postgres(tx)
            }
        })
    }

    /// A transaction that writes operational state outside the audit log (web sessions, failed
    /// logins): on PostgreSQL it need not wait for the audit writers (an import may hold the
    /// audit lock for a second; logins should not queue behind it). SQLite has one writer at
    /// a time whatever is written.
    pub async fn write_unaudited(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Db::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Db::Postgres(p.begin().await?),
        })
    }

    /// A read-only transaction on one snapshot of the database (for verifying and copying).
    pub async fn snapshot(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Db::Sqlite(p.begin().await?),
            Db::Postgres(p) => Db::Postgres(p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?),
        })
    }

    /// Close every connection.
    pub async fn close(&self) {
        on!(self, |p| p.close().await)
    }
}

impl Tx {
    /// The transaction's connection, for [`on!`].
    pub fn conn(&mut self) -> Db<&mut SqliteConnection, &mut PgConnection> {
        match self {
            Db::Sqlite(t) => Db::Sqlite(&mut **t),
            Db::Postgres(t) => Db::Postgres(&mut **t),
        }
    }

    /// Make the transaction's changes permanent.
    pub async fn commit(self) -> Result<()> {
        on!(self, |t| t.commit().await?);
        Ok(())
    }

    /// Drop the transaction's changes (a read-only one has none).
    pub async fn rollback(self) -> Result<()> {
        on!(self, |t| t.rollback().await?);
        Ok(())
    }

    /// Whether this is PostgreSQL (for the few statements whose SQL differs).
    pub fn is_postgres(&self) -> bool {
        matches!(self, Db::Postgres(_))
    }
}
