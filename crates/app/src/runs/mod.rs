//! Evaluation runs: running the plans on the stored data, storing and reproducing the results,
//! and reading them back — a unit's standing, a lead's view of its measures, the office's list
//! of runs — with one explanation of each unit's result.

pub mod explained;
pub mod measure_results;
pub(crate) mod parsed;
pub(crate) mod reproduce;
pub mod run;
pub(crate) mod standing;
pub(crate) mod stored_result;
pub(crate) mod what_if;
pub mod workbench;
