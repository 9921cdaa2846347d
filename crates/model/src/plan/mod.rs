//! Implementation plans (实施方案): the file format, and the checks that make a draft a plan.

pub mod bounds;
mod check;
mod diff;
mod draft;
mod grants;
mod lint;
mod payout;
mod status;
mod types;

pub use check::WEIGHT_TOLERANCE;
pub use diff::{PlanChange, diff_plans};
pub use draft::{IndicatorDraft, PlanDraft, RewardDraft, SelectionDraft, VetoDraft, VetoWhen};
pub use grants::{confidential_reads, granted, lint_grants, ungranted};
pub use lint::{Lint, LintLevel, PROCESS_WORDS, lint_plan};
pub use payout::max_payout_wan;
pub use status::{PlanStatus, UnknownStatus};
pub use types::*;
