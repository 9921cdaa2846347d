//! Running the `jili` binary as a user does, shared by the CLI's test files.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::OnceLock;

/// A private copy of the demo database exactly as `jili demo --no-serve` builds it, for the
/// tests whose subject is what comes after the demo (a backup, a run, a review…). The binary
/// builds it once per `cargo test` ([`jili_testkit::template`]) instead of once per test: a
/// debug build takes seconds. The tests of `jili demo` itself still run the command.
pub fn demo_db() -> jili_testkit::TestDb {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let data = jili_testkit::files_under(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data"));
        // The binary's size and time too: it can be rebuilt without this test binary.
        let bin = std::fs::metadata(env!("CARGO_BIN_EXE_jili")).expect("the jili binary");
        let bin = format!("{} {:?}", bin.len(), bin.modified().ok());
        let inputs: &[&[u8]] = &[&data, env!("CARGO_PKG_VERSION").as_bytes(), bin.as_bytes()];
        jili_testkit::template("cli-demo", inputs, |path| {
            let out = jili_at(&path.display().to_string(), &["demo", "--no-serve"]);
            assert!(out.status.success(), "jili demo --no-serve: {}", text_of(&out));
        })
    });
    jili_testkit::TestDb::from_template(template)
}

/// `jili --db DB ARGS…`, ignoring any JILI_DATABASE_URL of the caller.
pub fn jili(db: &jili_testkit::TestDb, args: &[&str]) -> Output {
    jili_at(&db.url(), args)
}

/// `jili --db URL ARGS…` for any database URL (a PostgreSQL schema too).
pub fn jili_at(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jili"))
        .args(["--db", url])
        .args(args)
        .env_remove("JILI_DATABASE_URL")
        .output()
        .expect("the jili binary runs")
}

/// `jili --db DB ARGS…` with `input` on its standard input (a password for `jili user add`).
pub fn jili_with_stdin(db: &jili_testkit::TestDb, args: &[&str], input: &str) -> Output {
    jili_at_with_stdin(&db.url(), args, input)
}

/// [`jili_with_stdin`] for any database URL.
pub fn jili_at_with_stdin(url: &str, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_jili"))
        .args(["--db", url])
        .args(args)
        .env_remove("JILI_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the jili binary runs");
    // The binary may exit before reading (a bad role): a closed pipe is not the test's failure.
    let _ = child.stdin.take().expect("stdin is piped").write_all(input.as_bytes());
    child.wait_with_output().expect("the jili binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Both streams, for messages that may go to either.
pub fn text_of(o: &Output) -> String {
    format!("{}{}", stdout(o), stderr(o))
}

/// Write a file in the test's directory (next to its database) and return its path as text.
pub fn write_file(db: &jili_testkit::TestDb, name: &str, bytes: &[u8]) -> String {
    let path = db.dir().join(name);
    std::fs::write(&path, bytes).expect("the test directory is writable");
    path.display().to_string()
}

/// `jili status --json`, parsed; panics (failing the test) when the command fails.
pub fn status_json(db: &jili_testkit::TestDb) -> serde_json::Value {
    let out = jili(db, &["status", "--json"]);
    assert!(out.status.success(), "jili status: {}", text_of(&out));
    serde_json::from_slice(&out.stdout).expect("jili status --json prints JSON")
}

/// The 14 市州 (name, code), in the order of data/divisions/hunan.csv.
pub const CITIES: [(&str, &str); 14] = [
    ("长沙市", "430100"),
    ("株洲市", "430200"),
    ("湘潭市", "430300"),
    ("衡阳市", "430400"),
    ("邵阳市", "430500"),
    ("岳阳市", "430600"),
    ("常德市", "430700"),
    ("张家界市", "430800"),
    ("益阳市", "430900"),
    ("郴州市", "431000"),
    ("永州市", "431100"),
    ("怀化市", "431200"),
    ("娄底市", "431300"),
    ("湘西土家族苗族自治州", "433100"),
];
