//! The integration tests of `jili-engine`, one module per subject, in one test binary: one
//! link instead of one per file, and shared set-up (the demo database) built once per run.
#![allow(clippy::unwrap_used)] // a test fails by panicking; helpers outside #[test] fns unwrap too

mod evaluate;
mod properties;
mod published;
mod weights_in_plans;
