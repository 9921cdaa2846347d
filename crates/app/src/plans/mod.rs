//! Implementation plans: the year's programme and its measures, the plans the lead departments
//! write for them (as TOML or through the form), their checks, and the office's review.

pub mod lint;
pub mod plan_form;
pub mod plan_text;
pub(crate) mod programme;
pub mod programme_import;
pub mod review;
