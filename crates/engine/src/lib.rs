//! jili's evaluation engine. Everything here is a pure function of its inputs — no IO, no clock,
//! no global state — so the same plan, data and seed always give byte-identical results, and
//! every number can be recomputed by an auditor.
//!
//! - [`evaluate`]: an implementation plan on a data [`Snapshot`] → [`RunResult`] with scores,
//!   ranks, winners, awards, vetoes, explanations and Monte Carlo robustness.
//! - [`index::build`]: a composite indicator over a tree of any depth (COINr's model).
//! - [`mcda::mcda`]: objective weights and TOPSIS / VIKOR / weighted sum / product on a matrix.
//!
//! ```
//! use jili_engine::mcda::{DecisionMatrix, McdaMethod, WeightSpec, mcda};
//! use jili_model::{Direction, WeightMethod};
//!
//! // Tzeng & Huang (2011): three benefit criteria, TOPSIS.
//! let m = DecisionMatrix {
//!     alternatives: vec!["A1".into(), "A2".into(), "A3".into(), "A4".into()],
//!     criteria: vec!["C1".into(), "C2".into(), "C3".into()],
//!     columns: vec![vec![5.0, 7.0, 8.0, 7.0], vec![8.0, 6.0, 8.0, 4.0], vec![4.0, 8.0, 6.0, 6.0]],
//! };
//! let r = mcda(&m, &[Direction::Higher; 3], &WeightSpec::Given(vec![0.3, 0.4, 0.3]), McdaMethod::Topsis, None).unwrap();
//! assert_eq!(r.ranking, [3, 2, 1, 4]);
//! # let _ = WeightMethod::Entropy;
//! ```

// Exact float comparisons are deliberate here: they detect degenerate columns (every value equal)
// and ties, and a tolerance would make results depend on an arbitrary threshold.
#![allow(clippy::float_cmp)]

pub mod aggregate;
pub mod analyse;
mod error;
pub mod index;
pub mod mcda;
pub mod normalise;
pub mod outlier;
pub mod pca;
pub mod pipeline;
mod rng;
mod run;
mod snapshot;
pub mod stats;
pub mod synthetic;
pub mod transform;
pub mod uncertain;
pub mod weights;

pub use error::EngineError;

/// The engine's version, recorded with every run: a rerun by another version may differ.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub use run::funds;
pub use run::result::*;
pub use run::{Options, STABLE, evaluate, evaluate_with};
pub use snapshot::{Snapshot, SnapshotUnit};
