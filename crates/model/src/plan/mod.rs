//! Implementation plans (实施方案): the file format, and the checks that make a draft a plan.

mod check;
mod check_scoring;
mod draft;
mod lint;
mod types;

pub use check::WEIGHT_TOLERANCE;
pub use draft::{IndicatorDraft, PlanDraft, RewardDraft, SelectionDraft, VetoDraft, VetoWhen};
pub use lint::{Lint, LintLevel, PROCESS_WORDS, lint_plan};
pub use types::*;
