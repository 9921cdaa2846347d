//! The schemas of answers the handlers build as JSON or take whole from a use-case: each
//! names the fields the answer always has, with their types. A nested value that is a
//! use-case's own structure (a plan, a run's explanation, a case's evidence) is described as
//! an object; `scripts/api/schemathesis.sh` checks every answer against these in CI.

use super::types::{Decimal, Object};
use utoipa::ToSchema;

/// `POST /api/login`.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"token": "3q2+7w…", "csrf": "b1c9…", "user": {"name": "admin", "role": "office", "scope": ""}, "expires_in": 28800}))]
pub struct LoginAnswer {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    /// For a cookie session's writes (`X-CSRF-Token`); a bearer token needs none.
    pub csrf: String,
    pub user: UserRef,
    /// Seconds until the session ends.
    pub expires_in: u64,
}

/// A user as a login names them.
#[derive(Debug, ToSchema)]
pub struct UserRef {
    pub name: String,
    /// `office`, `lead`, `provider`, `auditor`, `unit`.
    pub role: String,
    /// The department or unit code of a scoped role, else empty.
    pub scope: String,
}

/// `GET /api/me`.
#[derive(Debug, ToSchema)]
#[schema(example = json!({"name": "公众", "role": "public", "role_label": "公众", "scope": "", "demo": true}))]
pub struct Me {
    pub name: String,
    /// `public` when not logged in.
    pub role: String,
    pub role_label: String,
    pub scope: String,
    /// The database holds demo data.
    pub demo: bool,
}

/// A plan as listed.
#[derive(Debug, ToSchema)]
pub struct PlanRow {
    pub year: i32,
    pub measure: u32,
    pub version: i64,
    /// `draft`, `submitted`, `returned`, `approved`, `published`.
    pub status: String,
    pub status_label: String,
    pub example: bool,
    pub sha256: String,
}

/// `GET /api/plans`.
#[derive(Debug, ToSchema)]
pub struct PlanList {
    pub year: i32,
    pub plans: Vec<PlanRow>,
}

/// `GET /api/plans/{measure}`: the plan as JSON and its file.
#[derive(Debug, ToSchema)]
pub struct PlanAnswer {
    pub year: i32,
    pub measure: u32,
    pub version: i64,
    pub status: String,
    pub status_label: String,
    pub example: bool,
    pub sha256: String,
    /// The checked plan (`jili_model::Plan`, see docs/plan-format.md).
    pub plan: Object,
    /// The plan file (TOML).
    pub toml: String,
}

/// `POST /api/plans/{measure}/lint`: the check of a plan.
#[derive(Debug, ToSchema)]
pub struct PlanCheck {
    /// No finding is an error.
    pub passes: bool,
    /// Each finding: where, what, how to fix (`jili_app::plans::plan_form::Finding`).
    pub findings: Vec<Object>,
    /// The plan as a file, when it reads as one.
    pub toml: Option<String>,
}

/// `POST /api/plans/{measure}/draft`.
#[derive(Debug, ToSchema)]
pub struct Drafted {
    pub version: i64,
    /// A new version was made (not the same text as the last).
    pub new_version: bool,
    pub findings: Vec<Object>,
}

/// `POST /api/plans/{measure}/trial`: the plan evaluated on the current data (not saved).
#[derive(Debug, ToSchema)]
pub struct Trial {
    pub measure: u32,
    pub year: i32,
    /// The period evaluated: a year (2024) or a text such as `2024-Q3`.
    pub period: super::types::IntOrText,
    pub title: String,
    /// The awards, 万元.
    pub total_wan: Decimal,
    /// Each group: `{id, quota, winners, ranking}`.
    pub groups: Vec<Object>,
    /// Units and winners by plate: `{plate, units, winners}`.
    pub spread: Vec<Object>,
    pub warnings: Vec<String>,
    pub findings: Vec<Object>,
}

/// `POST /api/plans/{measure}/submit`.
#[derive(Debug, ToSchema)]
pub struct Submitted {
    pub version: i64,
    pub status: String,
    /// Lint warnings that did not stop the submission.
    pub warnings: u64,
}

/// The office's decision on a plan version.
#[derive(Debug, ToSchema)]
pub struct Decided {
    pub measure: u32,
    pub version: i64,
    pub status: String,
    pub status_label: String,
}

/// `GET /api/plans/{measure}/diff`.
#[derive(Debug, ToSchema)]
pub struct PlanDiff {
    pub measure: u32,
    pub a: i64,
    pub b: i64,
    pub changes: Vec<PlanChange>,
}

/// One change between two plan versions (`jili_model::PlanChange`).
#[derive(Debug, ToSchema)]
pub struct PlanChange {
    pub part: String,
    pub field: String,
    pub before: String,
    pub after: String,
}

/// `GET /api/publication`: the newest publication whole (`jili_app::Publication`), `null`
/// before anything is published.
#[derive(Debug, ToSchema)]
pub struct Publication {
    pub year: i32,
    pub version: i64,
    pub reason: String,
    pub published_at: String,
    pub sha256: String,
    /// What is published: measures, winners, vetoes, corrections, data, commendations.
    pub body: Object,
}
