//! Test support: a fresh SQLite database file per test, removed when the test ends, and a fresh
//! PostgreSQL schema per test when `JILI_TEST_PG_URL` names a test server ([`backends`] gives
//! one database per backend under test).
//!
//! ```
//! let db = jili_testkit::TestDb::new();
//! assert!(db.url().ends_with("test.db"));
//! ```

pub mod hostile;
mod postgres;
pub mod zip;

pub use postgres::{PG_URL_VAR, TestBackend, TestPg, backends};
use std::path::PathBuf;

/// A temporary directory holding one database file.
#[derive(Debug)]
pub struct TestDb {
    dir: tempfile::TempDir,
}

impl TestDb {
    /// A new empty location; the database is created on first open.
    pub fn new() -> Self {
        Self { dir: tempfile::tempdir().expect("a temporary directory") }
    }

    /// The database file's path.
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("test.db")
    }

    /// The URL to open it with.
    pub fn url(&self) -> String {
        self.path().display().to_string()
    }

    /// The temporary directory, for other files a test writes.
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// A new location holding a copy of this database (with its write-ahead log, if any), so a
    /// test can change a database built once for many tests. Nothing may be writing to it.
    ///
    /// ```
    /// let db = jili_testkit::TestDb::new();
    /// std::fs::write(db.path(), b"x").unwrap();
    /// let copy = db.duplicate();
    /// assert_ne!(copy.path(), db.path());
    /// assert_eq!(std::fs::read(copy.path()).unwrap(), b"x");
    /// ```
    pub fn duplicate(&self) -> TestDb {
        let copy = TestDb::new();
        std::fs::copy(self.path(), copy.path()).expect("the database file copies");
        let wal = |p: PathBuf| PathBuf::from(format!("{}-wal", p.display()));
        if wal(self.path()).exists() {
            std::fs::copy(wal(self.path()), wal(copy.path())).expect("the write-ahead log copies");
        }
        copy
    }
}

impl Default for TestDb {
    fn default() -> Self {
        Self::new()
    }
}
