//! The integration tests of `jili-intake`, one module per subject, in one test binary: one
//! link instead of one per file, and shared set-up (the demo database) built once per run.
//! `hostile.rs` stays a binary of its own: it moves a process-wide allocation cap per test.
#![allow(clippy::unwrap_used)] // a test fails by panicking; helpers outside #[test] fns unwrap too

/// An allocation bomb is a failure here, not a pass: the whole test binary may hold at most
/// 1 GiB at once, and an allocation beyond it aborts the run (the fuzz tests rely on it).
#[global_allocator]
static ALLOCATOR: cap::Cap<std::alloc::System> = cap::Cap::new(std::alloc::System, 1 << 30);

mod analyst_fuzz;
mod anomaly;
mod common;
mod data_fuzz;
mod data_read;
mod fuzz;
mod intake_fixtures;
mod report_xlsx;
mod watch;
