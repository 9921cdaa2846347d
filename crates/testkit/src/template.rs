//! A database built once and copied by many tests: the demo database takes seconds to build in a
//! debug build, and dozens of tests in several test binaries start from it. [`template`] builds
//! it the first time it is asked for, under a lock file so that test binaries running at the
//! same time build it once, and hands back the finished file; [`crate::TestDb::from_template`]
//! copies it for one test.
//!
//! A template is found again by a key: its name, the inputs the caller names (the bundled data
//! it is built from, the version), and the run it belongs to — the `cargo test` that started
//! this test binary (every binary it starts shares the template), or, when the binary was started
//! some other way, the binary itself (its path, size and modification time). The run is part of
//! the key because code changes the demo as much as data does: a template is never reused by a
//! later build of the code. Templates of earlier runs are removed after [`KEEP`].

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How long a template (and a lock file) is kept; longer than any test run.
const KEEP: Duration = Duration::from_secs(2 * 3600);

/// How long a waiting test binary lets another build before it suspects a dead lock holder
/// (one that died without removing its lock: killed, or on a system without `/proc`).
const WAIT: Duration = Duration::from_secs(600);

/// The directory of the templates: shared by all test binaries on the machine.
fn dir() -> PathBuf {
    std::env::temp_dir().join("jili-test-templates")
}

/// The file of the template `name`, built by `build` (which must leave a whole database file,
/// its write-ahead log checkpointed, at the path it is given) when no test binary of this run
/// has built it yet. `inputs` are what the template is built from besides the code, e.g. the
/// bundled data files and the version: a change to them makes a new template.
///
/// ```
/// let inputs: &[&[u8]] = &[b"data", b"0.1.0"];
/// let path = jili_testkit::template("doc-example", inputs, |p| std::fs::write(p, b"db").unwrap());
/// let again = jili_testkit::template("doc-example", inputs, |_| panic!("built once"));
/// assert_eq!((path.clone(), std::fs::read(&path).unwrap()), (again, b"db".to_vec()));
/// ```
pub fn template(name: &str, inputs: &[&[u8]], build: impl FnOnce(&Path)) -> PathBuf {
    let dir = dir();
    std::fs::create_dir_all(&dir).expect("the template directory can be made");
    let mut h = std::hash::DefaultHasher::new();
    (name, inputs, run_identity()).hash(&mut h);
    let stem = format!("{name}-{:016x}", h.finish());
    let done = dir.join(format!("{stem}.db"));
    let lock = dir.join(format!("{stem}.lock"));
    let mut build = Some(build);
    let waited_from = SystemTime::now();
    loop {
        if done.exists() {
            return done;
        }
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&lock) {
            Ok(mut file) => {
                use std::io::Write;
                let _ = write!(file, "{}", std::process::id());
                let _held = Held(lock.clone());
                // Another binary may have finished between the check above and taking the lock.
                if done.exists() {
                    return done;
                }
                prune(&dir);
                let scratch = tempfile::tempdir_in(&dir).expect("a scratch directory for the template");
                let file = scratch.path().join("template.db");
                (build.take().expect("built once"))(&file);
                assert!(file.exists(), "the template {name} was not built at {}", file.display());
                let wal = scratch.path().join("template.db-wal");
                assert!(
                    std::fs::metadata(&wal).map_or(true, |m| m.len() == 0),
                    "the template {name} was left with an unfinished write-ahead log: close the app"
                );
                // Atomic: a waiting binary sees no file or the whole one.
                std::fs::rename(&file, &done).expect("the finished template moves into place");
                return done;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if holder_is_gone(&lock) || waited_from.elapsed().unwrap_or_default() > WAIT {
                    let _ = std::fs::remove_file(&lock);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => panic!("cannot make the lock file {}: {e}", lock.display()),
        }
    }
}

/// The lock file, removed when the builder is done or panics (then a waiting binary builds).
struct Held(PathBuf);

impl Drop for Held {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Whether the process named in a lock file has ended (known only where `/proc` is).
fn holder_is_gone(lock: &Path) -> bool {
    let Ok(pid) = std::fs::read_to_string(lock) else { return false };
    let pid = pid.trim();
    // An empty file: the holder has not written its id yet.
    !pid.is_empty() && Path::new("/proc/self").exists() && !Path::new("/proc").join(pid).exists()
}

/// The `cargo test` process that started this binary (its id and start time, from `/proc`), or
/// this binary's file when it was started otherwise.
fn run_identity() -> String {
    #[cfg(unix)]
    if let Some(cargo) = cargo_run() {
        return cargo;
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let meta = std::fs::metadata(&exe).expect("the test binary's metadata");
    format!("{} {} {:?}", exe.display(), meta.len(), meta.modified().ok())
}

/// The parent process, when it is `cargo`: its id and start time (which tell apart two runs
/// that happen to get the same id).
#[cfg(unix)]
fn cargo_run() -> Option<String> {
    let parent = std::os::unix::process::parent_id();
    let proc = Path::new("/proc").join(parent.to_string());
    let comm = std::fs::read_to_string(proc.join("comm")).unwrap_or_default();
    if comm.trim() == "cargo" {
        // The 22nd field of stat, after the parenthesised command name: when it started.
        let stat = std::fs::read_to_string(proc.join("stat")).unwrap_or_default();
        let started = stat.rsplit(')').next().and_then(|rest| rest.split_whitespace().nth(19));
        return started.map(|started| format!("cargo {parent} {started}"));
    }
    None
}

/// Remove the templates, lock files and scratch directories of runs that ended long ago.
fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let old = entry.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().unwrap_or_default() > KEEP);
        if old {
            let path = entry.path();
            let _ = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
        }
    }
}
