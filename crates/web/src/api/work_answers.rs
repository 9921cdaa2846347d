//! The schemas of the work API's answers (数据报送, 办公厅, 审计, 数据核查, 数据授权, 牵头单位,
//! 评价对象): see [`super::answers`] for what they promise.

use super::types::Object;
use utoipa::ToSchema;

/// `POST /api/imports`: the check (and, with `dry_run=false`, the storing) of a file.
#[derive(Debug, ToSchema)]
pub struct Imported {
    pub file: String,
    /// Not stored: the file has errors (see `findings`).
    pub rejected: bool,
    /// The batch stored, if any.
    pub batch: Option<i64>,
    pub rows: u64,
    pub values: u64,
    pub new: u64,
    pub revised: u64,
    pub unchanged: u64,
    pub confirmed: u64,
    pub errors: u64,
    pub flags: u64,
    pub notices: u64,
    /// `{label, value}` pairs in words.
    pub summary: Vec<Object>,
    pub findings: Vec<Object>,
    pub findings_total: u64,
    pub provider: String,
    pub dry_run: bool,
}

/// One data batch.
#[derive(Debug, ToSchema)]
pub struct Batch {
    pub id: i64,
    pub provider: String,
    pub source: String,
    pub demo: bool,
    pub rows: i64,
    pub sha256: String,
    pub imported_at: String,
    pub actor: String,
    pub reason: String,
    /// The batch this one revises.
    pub revised: Option<i64>,
}

/// `GET /api/batches`.
#[derive(Debug, ToSchema)]
pub struct Batches {
    pub batches: Vec<Batch>,
}

/// `GET /api/flags`: each flag with its notes.
#[derive(Debug, ToSchema)]
pub struct Flags {
    pub flags: Vec<Object>,
}

/// `POST /api/flags/{id}/notes`.
#[derive(Debug, ToSchema)]
pub struct Noted {
    pub flag: i64,
    pub note: i64,
}

/// A recorded run (`jili_app::runs::workbench::RunRow`).
#[derive(Debug, ToSchema)]
pub struct RunRow {
    pub id: i64,
    pub year: i32,
    pub measure: i64,
    pub title: String,
    pub plan_version: i64,
    pub run_at: String,
    pub actor: String,
    pub units: u64,
    pub winners: u64,
    pub vetoed: u64,
    pub total_wan: u64,
    pub seed: i64,
    pub samples: i64,
    pub data_batch: Option<i64>,
}

/// `GET /api/runs`.
#[derive(Debug, ToSchema)]
pub struct Runs {
    pub runs: Vec<RunRow>,
}

/// A run just made.
#[derive(Debug, ToSchema)]
pub struct RunMade {
    pub id: i64,
    pub measure: u32,
    pub title: String,
    /// The awards, 万元.
    pub total_wan: u64,
    pub data_sha256: String,
    pub result_sha256: String,
}

/// `POST /api/runs` (one measure).
#[derive(Debug, ToSchema)]
pub struct RunsMade {
    pub runs: Vec<RunMade>,
}

/// `POST /api/publications`.
#[derive(Debug, ToSchema)]
pub struct PublicationRequested {
    pub request: i64,
    /// `pending`.
    pub status: String,
    /// What to do next, in words.
    pub next: String,
}

/// `POST /api/publications/{id}/confirm`.
#[derive(Debug, ToSchema)]
pub struct Published {
    pub year: i32,
    pub version: i64,
    pub reason: String,
    pub published_at: String,
    pub sha256: String,
    /// Measures left out, with why.
    pub omitted: Vec<Object>,
    /// How many measures are published.
    pub measures: u64,
}

/// `POST /api/commendations`.
#[derive(Debug, ToSchema)]
pub struct Commended {
    pub id: i64,
    pub year: i32,
}

/// A new record's id.
#[derive(Debug, ToSchema)]
pub struct Made {
    pub id: i64,
}

/// A user (never with the password hash).
#[derive(Debug, ToSchema)]
pub struct User {
    pub name: String,
    pub display: String,
    pub role: String,
    pub scope: String,
    pub disabled: bool,
    pub created_at: String,
}

/// `GET /api/users`.
#[derive(Debug, ToSchema)]
pub struct Users {
    pub users: Vec<User>,
}

/// `POST /api/users`: the user added.
#[derive(Debug, ToSchema)]
pub struct UserAdded {
    pub name: String,
}

/// `GET /api/audit` (`jili_app::runs::workbench::AuditPage`).
#[derive(Debug, ToSchema)]
pub struct AuditPage {
    /// The events of this page, newest first.
    pub events: Vec<Object>,
    pub matching: u64,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// Every action name, for a filter.
    pub actions: Vec<String>,
}

/// `GET /api/audit/verify`.
#[derive(Debug, ToSchema)]
pub struct AuditReport {
    pub events: u64,
    pub objects: u64,
    /// The chain's last record: [sequence number, hash].
    pub head: Option<Vec<super::types::IntOrText>>,
    pub problems: Vec<Object>,
    /// No problem found.
    pub intact: bool,
}

/// `GET /api/access-log` (`jili_app::governance::access_export::AccessPage`).
#[derive(Debug, ToSchema)]
pub struct AccessPage {
    pub entries: Vec<Object>,
    pub matching: u64,
    pub page: u64,
    pub pages: u64,
    pub per_page: u64,
}

/// `GET /api/standing/{unit}`.
#[derive(Debug, ToSchema)]
pub struct UnitStanding {
    pub unit: String,
    /// Each measure's result with its explanation (`jili_app::Standing`).
    pub standing: Vec<Object>,
}

/// `GET /api/watch` (`jili_app::cases::watch::WatchList`).
#[derive(Debug, ToSchema)]
pub struct WatchList {
    pub year: Option<i32>,
    pub plans: u64,
    pub flags: u64,
    pub evaluated: u64,
    pub skipped: u64,
    pub limit: u64,
    pub entries: Vec<Object>,
}

/// `GET /api/cases`: each case with its department and number of flags.
#[derive(Debug, ToSchema)]
pub struct Cases {
    pub cases: Vec<Object>,
}

/// A verification case with its flags, steps and evidence.
#[derive(Debug, ToSchema)]
pub struct Case {
    pub id: i64,
    pub title: String,
    pub provider: String,
    pub provider_name: String,
    pub status: String,
    pub status_label: String,
    pub resolved: bool,
    pub opened_by: String,
    pub opened_at: String,
    pub closed_by: String,
    pub closed_at: String,
    pub flags: Vec<Object>,
    pub histories: Vec<Object>,
    pub steps: Vec<Object>,
    pub evidence: Option<Object>,
    /// Which steps the visitor may take.
    pub may: Object,
}

/// A data grant.
#[derive(Debug, ToSchema)]
pub struct Grant {
    pub id: i64,
    pub year: i32,
    pub measure: u32,
    pub measure_short: String,
    pub series: String,
    pub series_name: String,
    pub owner: String,
    pub owner_name: String,
    pub grantee: String,
    pub grantee_name: String,
    pub status: String,
    pub status_label: String,
    pub reason: String,
    pub basis: String,
    pub requested_by: String,
    pub requested_at: String,
    pub decided_by: String,
    pub decided_at: String,
    /// The decisions the visitor may make now (`grant`, `decline`, `revoke`).
    pub decisions: Vec<String>,
}

/// `GET /api/grants`.
#[derive(Debug, ToSchema)]
pub struct Grants {
    pub grants: Vec<Grant>,
}

/// `POST /api/grants`.
#[derive(Debug, ToSchema)]
pub struct GrantRequested {
    pub id: i64,
    pub year: i32,
    pub status: String,
}

/// `GET /api/measure-results`: the measures led, each with its latest and published run.
#[derive(Debug, ToSchema)]
pub struct LedMeasures {
    pub measures: Vec<Object>,
}

/// `GET /api/measure-results/{measure}` (`jili_app::MeasureResults`).
#[derive(Debug, ToSchema)]
pub struct MeasureResults {
    pub year: i32,
    pub measure: u32,
    pub short: String,
    pub lead: String,
    pub runs: Vec<RunRow>,
    pub published_run: Option<i64>,
    /// The run shown, with every unit's explanation.
    pub shown: Option<Object>,
    /// Confidential series read without a standing grant (details withheld).
    pub withheld: Vec<String>,
}
