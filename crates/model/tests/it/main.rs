//! The integration tests of `jili-model`, one module per subject, in one test binary: one
//! link instead of one per file, and shared set-up (the demo database) built once per run.
#![allow(clippy::unwrap_used)] // a test fails by panicking; helpers outside #[test] fns unwrap too

mod fuzz;
