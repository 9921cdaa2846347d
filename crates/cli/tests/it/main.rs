//! The integration tests of `jili-cli`, one module per subject, in one test binary: one
//! link instead of one per file, and shared set-up (the demo database) built once per run.
#![allow(clippy::unwrap_used)] // a test fails by panicking; helpers outside #[test] fns unwrap too

mod analyst;
mod analyst_choices;
mod backup;
mod calendar;
mod cli;
mod common;
mod crash;
mod crash_support;
mod funds;
mod governance;
mod hostile;
mod import;
mod import_kill;
mod migrate;
mod ops;
mod programme;
mod releases;
mod run;
mod serve;
mod sessions;
mod sm3;
