//! The integration tests of `jili-app`, one module per subject, in one test binary: one
//! link instead of one per file, and shared set-up (the demo database) built once per run.
#![allow(clippy::unwrap_used)] // a test fails by panicking; helpers outside #[test] fns unwrap too

mod access;
mod audit_tamper;
mod calendar;
mod cases;
mod common;
mod concurrency;
mod county_map;
mod demo;
mod documents;
mod funds;
mod golden;
mod import;
mod import_review;
mod inference;
mod jobs;
mod lint;
mod notice;
mod plans;
mod programme;
mod recheck;
mod reference;
mod releases;
mod run;
mod sessions;
mod shared_rules;
mod spreadsheet_writers;
mod story;
