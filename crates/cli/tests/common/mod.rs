//! Running the `jili` binary as a user does, shared by the CLI's test files.
#![allow(dead_code)]

use std::process::{Command, Output};

/// `jili --db DB ARGS…`, ignoring any JILI_DATABASE_URL of the caller.
pub fn jili(db: &jili_testkit::TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jili"))
        .args(["--db", &db.url()])
        .args(args)
        .env_remove("JILI_DATABASE_URL")
        .output()
        .expect("the jili binary runs")
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
