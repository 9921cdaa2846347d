//! Types several endpoints share: the error, a decimal number, a job, a plain acknowledgement.
//! Their schemas are derived (or, for [`Decimal`], written once) and referenced by name in the
//! OpenAPI document.

use serde::Serialize;
use std::borrow::Cow;
use utoipa::openapi::schema::{ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

/// Every refusal and failure: a stable code and what to do, in Chinese.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error, example = json!({"code": "denied", "message": "无权限：u.430100（评价对象，430100）不能管理用户。如需此权限，请联系省政府办公厅的系统管理员"}))]
pub struct ApiError {
    /// `not_found`, `denied`, `login_required`, `invalid`, `unsupported_media_type`, `csrf`,
    /// `conflict`, `rate_limited`, `busy`, `too_large`, `store`, …
    pub code: String,
    /// What happened and what to do.
    pub message: String,
    /// A server failure's id, also written to the server's log.
    #[schema(nullable = false)]
    pub error_id: Option<String>,
}

/// A decimal number as a JSON string (`"1262.99"`): the figure exactly as the providing
/// department gave it, never rounded through a binary float, so published figures and their
/// hashes stay byte for byte what was imported. Parse it with a decimal type.
#[derive(Debug)]
pub struct Decimal;

impl PartialSchema for Decimal {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::Custom("decimal".into())))
            .pattern(Some(r"^-?[0-9]+(\.[0-9]+)?$"))
            .description(Some("十进制数，以字符串传递以免经二进制浮点数舍入 / a decimal number as a string"))
            .examples([serde_json::json!("1262.99")])
            .into()
    }
}

impl ToSchema for Decimal {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Decimal")
    }
}

/// Any JSON object: a use-case's own structure (a plan, a run's explanation, a case's
/// evidence), documented with that use-case.
#[derive(Debug)]
pub struct Object;

impl PartialSchema for Object {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::Object).into()
    }
}

impl ToSchema for Object {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Object")
    }
}

/// An integer or a text (the two halves of an audit chain's head, `[sequence, hash]`).
#[derive(Debug)]
pub struct IntOrText;

impl PartialSchema for IntOrText {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::SchemaType::from_iter([Type::Integer, Type::String]))
            .into()
    }
}

impl ToSchema for IntOrText {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("IntOrText")
    }
}

/// A background job (`jili_app::jobs::Job`) with its page and resource.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobDoc {
    pub id: i64,
    /// `run_all`, `verify` or `import`.
    pub kind: String,
    pub title: String,
    pub started_by: String,
    #[schema(value_type = String, example = "done")]
    pub status: jili_model::JobStatus,
    pub status_label: String,
    pub done_steps: i64,
    pub total_steps: i64,
    /// The stage, the outcome, or why it failed.
    pub message: String,
    /// Where the result is shown, once done.
    pub link: String,
    /// The outcome in detail, once finished (its shape depends on `kind`).
    pub result: serde_json::Value,
    pub created_at: String,
    pub started_at: String,
    pub finished_at: String,
    /// The job's page, `/work/jobs/{id}`.
    pub page: String,
    /// The job's resource, `/api/jobs/{id}`.
    pub href: String,
}

impl JobDoc {
    /// The job as the API gives it.
    pub fn of(job: &jili_app::jobs::Job) -> JobDoc {
        JobDoc {
            id: job.id,
            kind: job.kind.clone(),
            title: job.title.clone(),
            started_by: job.started_by.clone(),
            status: job.status,
            status_label: job.status_label.to_string(),
            done_steps: job.done_steps,
            total_steps: job.total_steps,
            message: job.message.clone(),
            link: job.link.clone(),
            result: job.result.clone(),
            created_at: job.created_at.clone(),
            started_at: job.started_at.clone(),
            finished_at: job.finished_at.clone(),
            page: format!("/work/jobs/{}", job.id),
            href: format!("/api/jobs/{}", job.id),
        }
    }
}

/// The list of jobs.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobList {
    pub jobs: Vec<JobDoc>,
}

/// Done; where sessions were ended, how many.
#[derive(Debug, Serialize, ToSchema)]
pub struct Done {
    #[schema(example = true)]
    pub ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub sessions_ended: Option<u64>,
    /// The user concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub name: Option<String>,
}
