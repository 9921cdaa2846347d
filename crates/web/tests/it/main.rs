//! The web crate's integration tests in process, one module per subject, in one test binary
//! (one link, the demo built once). The browser tests (`tests/browser/`) and the load test
//! (`tests/load.rs`) are binaries of their own: each needs the machine to itself.
#![allow(clippy::unwrap_used)] // a test fails by panicking; helpers outside #[test] fns unwrap too

mod board;
mod cases;
mod common;
mod frame;
mod funds;
mod golden;
mod grants;
mod jobs;
mod openapi;
mod plans;
mod portal;
mod programme;
mod releases;
mod sdmx;
mod sessions;
mod time_rule;
mod two_servers;
mod work;
