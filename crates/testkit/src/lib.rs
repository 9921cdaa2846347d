//! Test support: a fresh SQLite database file per test, removed when the test ends.
//!
//! ```
//! let db = jili_testkit::TestDb::new();
//! assert!(db.url().ends_with("test.db"));
//! ```

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
}

impl Default for TestDb {
    fn default() -> Self {
        Self::new()
    }
}
