//! The integration tests of `jili-model`, one module per subject, in one test binary: one
//! link instead of one per file, and shared set-up (the demo database) built once per run.

mod fuzz;
