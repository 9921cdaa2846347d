//! A fresh PostgreSQL schema per test, on the server named by `JILI_TEST_PG_URL`
//! (`.ci/run` sets it when 127.0.0.1:5432 answers). Without the variable the PostgreSQL half
//! of a test is skipped, and the test binary says so once, on the terminal.

use sqlx::Connection;
use std::io::Write;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// The variable naming the test server.
pub const PG_URL_VAR: &str = "JILI_TEST_PG_URL";

/// Schemas older than this (left by a run that was killed) are dropped by the next run.
const STALE_SECONDS: u64 = 3 * 3600;

/// One schema of its own on the test server, dropped when the value is dropped.
#[derive(Debug)]
pub struct TestPg {
    base: String,
    schema: String,
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Say once per test binary that the PostgreSQL half is skipped, and how to run it. Written to
/// the terminal directly: the test harness captures `eprintln!` of passing tests.
fn say_skipped() {
    static SAID: OnceLock<()> = OnceLock::new();
    SAID.get_or_init(|| {
        let _ = writeln!(
            std::io::stderr(),
            "注意：未设置 {PG_URL_VAR}，PostgreSQL 部分的测试已跳过，只测了 SQLite。要一并测试 PostgreSQL：\n  \
             {PG_URL_VAR}=postgres://postgres@127.0.0.1:5432/postgres cargo test --workspace\n\
             (note: {PG_URL_VAR} is not set; the PostgreSQL half of these tests was skipped)"
        );
    });
}

impl TestPg {
    /// A new empty schema, or `None` (and a note) when no test server is configured.
    /// Panics when the variable is set but the server cannot be reached: CI asked for both.
    pub async fn new() -> Option<TestPg> {
        let Ok(base) = std::env::var(PG_URL_VAR) else {
            say_skipped();
            return None;
        };
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let schema = format!("jili_t_{}_{}_{}", now(), std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
        let mut conn = sqlx::PgConnection::connect(&base)
            .await
            .unwrap_or_else(|e| panic!("{PG_URL_VAR}={base} is set but the server does not answer: {e}"));
        drop_stale(&mut conn).await;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("cannot create schema {schema}: {e}"));
        let _ = conn.close().await;
        Some(TestPg { base, schema })
    }

    /// The URL jili opens: the test server with this schema first on the search path.
    pub fn url(&self) -> String {
        let sep = if self.base.contains('?') { '&' } else { '?' };
        format!("{}{sep}options[search_path]={}", self.base, self.schema)
    }

    /// The schema's name.
    pub fn schema(&self) -> &str {
        &self.schema
    }
}

/// Drop schemas left by test runs that were killed before they could clean up.
async fn drop_stale(conn: &mut sqlx::PgConnection) {
    static DONE: OnceLock<()> = OnceLock::new();
    if DONE.set(()).is_err() {
        return;
    }
    let names: Vec<String> =
        sqlx::query_scalar("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'jili\\_t\\_%'")
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_default();
    for name in names {
        let made: u64 = name.split('_').nth(2).and_then(|t| t.parse().ok()).unwrap_or(0);
        if now().saturating_sub(made) > STALE_SECONDS {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA IF EXISTS {name} CASCADE")))
                .execute(&mut *conn)
                .await;
        }
    }
}

impl Drop for TestPg {
    fn drop(&mut self) {
        // Drop cannot wait on the test's runtime; a thread with its own small runtime does it.
        let (base, schema) = (self.base.clone(), self.schema.clone());
        let done = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
            rt.block_on(async move {
                if let Ok(mut conn) = sqlx::PgConnection::connect(&base).await {
                    // A test that panicked may leave a connection holding locks in the schema;
                    // rather than wait for it forever, leave the schema to the stale sweep.
                    let _ = sqlx::query("SET lock_timeout = '5s'").execute(&mut conn).await;
                    let sql = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await;
                    let _ = conn.close().await;
                }
            });
        });
        let _ = done.join();
    }
}

/// A database for one test on one backend.
#[derive(Debug)]
pub enum TestBackend {
    Sqlite(crate::TestDb),
    Postgres(TestPg),
}

impl TestBackend {
    /// The URL to open it with.
    pub fn url(&self) -> String {
        match self {
            TestBackend::Sqlite(db) => db.url(),
            TestBackend::Postgres(pg) => pg.url(),
        }
    }

    /// `sqlite` or `postgres`, for assertion messages.
    pub fn name(&self) -> &'static str {
        match self {
            TestBackend::Sqlite(_) => "sqlite",
            TestBackend::Postgres(_) => "postgres",
        }
    }
}

/// A fresh database on each backend this run tests: SQLite always, PostgreSQL when
/// `JILI_TEST_PG_URL` is set.
pub async fn backends() -> Vec<TestBackend> {
    let mut out = vec![TestBackend::Sqlite(crate::TestDb::new())];
    if let Some(pg) = TestPg::new().await {
        out.push(TestBackend::Postgres(pg));
    }
    out
}
