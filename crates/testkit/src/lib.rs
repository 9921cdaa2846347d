//! Test support: a fresh SQLite database file per test, removed when the test ends, and a fresh
//! PostgreSQL schema per test when `JILI_TEST_PG_URL` names a test server ([`backends`] gives
//! one database per backend under test), and a database built once per test run and copied by
//! the tests that start from it ([`template`], [`TestDb::from_template`]).
//!
//! ```
//! let db = jili_testkit::TestDb::new();
//! assert!(db.url().ends_with("test.db"));
//! ```

pub mod filled;
pub mod hostile;
mod postgres;
mod template;
pub mod zip;

pub use postgres::{PG_URL_VAR, TestBackend, TestPg, backends};
use std::path::{Path, PathBuf};
pub use template::template;

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

    /// A new location holding a copy of a whole database file, such as a [`template`].
    ///
    /// ```
    /// let t = jili_testkit::template("doc-copy", &[], |p| std::fs::write(p, b"db").unwrap());
    /// let db = jili_testkit::TestDb::from_template(&t);
    /// assert_eq!(std::fs::read(db.path()).unwrap(), b"db");
    /// ```
    pub fn from_template(file: &Path) -> TestDb {
        let copy = TestDb::new();
        std::fs::copy(file, copy.path()).expect("the template copies");
        copy
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

/// Every file under `dir` (its path relative to `dir`, its length, its bytes), in a stable order: an
/// input of a [`template`] built from the repository's data files.
pub fn files_under(dir: &Path) -> Vec<u8> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() { walk(&path, out) } else { out.push(path) }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        out.extend_from_slice(file.strip_prefix(dir).unwrap_or(&file).to_string_lossy().as_bytes());
        out.push(0);
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend(bytes);
    }
    out
}
