//! A provider's upload: choose a file, see the validation report (every finding with the cell
//! it is about and how to fix it), then confirm or cancel. Nothing is kept on the server
//! between the check and the confirmation: the confirmation form carries the file back (base64,
//! with its sha256), and the file is checked again before it is stored.

use super::form::{self, BODY_LIMIT, Fields};
use crate::auth::Visitor;
use crate::carry::{base64_encode, carried_file};
use crate::error::{WebError, WebResult};
use crate::extract::LoggedIn;
use crate::render::Page;
use crate::state::AppState;
use axum::Router;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jili_app::intake::upload_sha256;
use jili_app::intake::{Finding, Severity};
use jili_app::{Action, AppError, ImportOutcome, ImportRequest, MappingSource};
use minijinja::context;
use serde::Serialize;

/// The upload pages, with a body limit large enough for the file carried back as base64.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/work/upload", get(upload_form).post(check))
        .route("/work/upload/confirm", post(confirm))
        .route("/work/upload/report", post(report))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// What the sender chose besides the file.
#[derive(Debug, Clone, Default, Serialize)]
pub(super) struct Choice {
    pub provider: String,
    /// 年报 or 快报.
    pub status: String,
    pub reason: String,
    pub partial: bool,
}

impl Choice {
    /// The choice from a form: the department picked (by code or name: TJJ, 省统计局), if the
    /// visitor may import for it (the office may for any); else the visitor's own (a provider
    /// imports as itself).
    pub(super) async fn from_fields(v: &Visitor, f: &Fields) -> WebResult<Choice> {
        let picked = f.get("provider").trim();
        let picked =
            if picked.is_empty() { String::new() } else { v.app.department_code(picked).await?.to_ascii_uppercase() };
        let provider = if picked.is_empty() {
            v.principal().role.scope().to_string()
        } else if v.app.may(&Action::Import { owner: &picked }) {
            picked
        } else {
            // Never import under another department than the one asked for.
            let shown: String = picked.chars().take(40).collect();
            return Err(WebError::invalid(format!(
                "报送部门“{shown}”不是你可以报送数据的部门：请填本部门的代码或名称（如 TJJ 或 省统计局），或不填"
            )));
        };
        let status = if f.get("status").is_empty() { "年报".to_string() } else { f.get("status").to_string() };
        Ok(Choice { provider, status, reason: f.get("reason").to_string(), partial: f.flag("partial") })
    }

    /// The import request for `bytes` named `file`.
    pub(super) fn request(&self, file: &str, bytes: Vec<u8>, dry_run: bool) -> Result<ImportRequest, AppError> {
        let status = jili_model::Status::parse(&self.status)
            .ok_or_else(|| AppError::Invalid(format!("数据状态应为“年报”或“快报”，收到“{}”", self.status)))?;
        let mut r = ImportRequest::new(file, bytes, self.provider.clone());
        r.status = status;
        r.reason = (!self.reason.is_empty()).then(|| self.reason.clone());
        r.partial = self.partial;
        r.dry_run = dry_run;
        Ok(r)
    }
}

/// One finding as the report table shows it.
#[derive(Debug, Serialize)]
pub(super) struct FindingRow {
    severity: &'static str,
    label: &'static str,
    code: &'static str,
    prominent: bool,
    sheet: String,
    line: Option<u32>,
    column: Option<u32>,
    /// The cell as a spreadsheet names it (D7).
    cell_ref: String,
    field: String,
    /// The cell as the file has it.
    cell: String,
    message: String,
    fix: String,
}

/// The findings as the report table (and the API) shows them.
pub(super) fn finding_rows(findings: &[Finding]) -> Vec<FindingRow> {
    findings
        .iter()
        .map(|f| FindingRow {
            severity: match f.severity {
                Severity::Error => "error",
                Severity::Flag => "flag",
                Severity::Notice => "notice",
            },
            label: f.severity.label(),
            code: f.code,
            prominent: f.prominent,
            sheet: f.at.sheet.clone().unwrap_or_default(),
            line: f.at.line,
            column: f.at.column,
            cell_ref: f.at.column.map_or(String::new(), |c| {
                format!(
                    "{}{}",
                    jili_model::column_letters(c as usize),
                    f.at.line.map_or(String::new(), |l| l.to_string())
                )
            }),
            field: f.at.field.clone().unwrap_or_default(),
            cell: f.cell.clone().unwrap_or_default(),
            message: f.message.clone(),
            fix: f.fix.clone(),
        })
        .collect()
}

/// Refuse, before any of the body is read, a visitor who may not import at all: only a
/// provider (for its own department) and the office may. The rest of the check (which
/// department's series) is the import's own.
pub(super) fn may_import(v: &Visitor) -> Result<(), AppError> {
    let owner = match v.principal().role.scope() {
        "" => "数据提供部门",
        own => own,
    };
    v.app.allow(Action::Import { owner })
}

/// The provider departments the form offers: the user's own, or every one for the office.
async fn providers(v: &Visitor) -> WebResult<Vec<(String, String)>> {
    may_import(v)?;
    let all = v.app.providers().await?;
    Ok(all.into_iter().filter(|(c, _)| v.app.may(&Action::Import { owner: c })).collect())
}

async fn form_page(v: &Visitor, choice: &Choice, message: &str) -> WebResult<Page> {
    let providers = providers(v).await?;
    let max_mb = form::MAX_UPLOAD / 1024 / 1024;
    v.page("work/upload.html", context! { providers, choice, message, max_mb })
}

/// `GET /work/upload`.
async fn upload_form(v: LoggedIn) -> WebResult<Page> {
    form_page(&v, &Choice { status: "年报".into(), ..Choice::default() }, "").await
}

/// Read the form: logged in and allowed to import before any of the body is read, then the
/// session's token (the form's first field) before the file.
async fn read_form(v: &Visitor, form: Result<Multipart, MultipartRejection>) -> WebResult<Fields> {
    may_import(v)?;
    form::read(form::multipart_or_refuse(form)?, Some(v)).await
}

/// Bad input shows the form again with the message; other errors their page.
async fn refuse(v: &Visitor, choice: &Choice, e: AppError) -> WebResult<Response> {
    match e {
        AppError::Invalid(m) => {
            Ok(form::with_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(v, choice, &m).await?))
        }
        e => Err(e.into()),
    }
}

/// `POST /work/upload`: check the file (dry run) and show the report.
async fn check(v: Visitor, form: Result<Multipart, MultipartRejection>) -> WebResult<Response> {
    let fields = read_form(&v, form).await?;
    let choice = Choice::from_fields(&v, &fields).await?;
    let Some((name, bytes)) = fields.file.filter(|(_, b)| !b.is_empty()) else {
        return refuse(&v, &choice, AppError::Invalid("请选择要上传的文件（.xlsx、.xls 或 .csv）".into())).await;
    };
    let name = file_name(&name);
    let request = match choice.request(&name, bytes, true) {
        Ok(r) => r,
        Err(e) => return refuse(&v, &choice, e).await,
    };
    let outcome = match v.app.import_file(&request, &|_| {}).await {
        Ok(o) => o,
        Err(e) => return refuse(&v, &choice, e).await,
    };
    let page = report_page(&v, &choice, &outcome, &request.bytes, "")?;
    let status = if outcome.rejected() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(form::with_status(status, page))
}

/// The base name of an uploaded file (browsers may send a path).
fn file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    if base.is_empty() { "上传的文件".to_string() } else { base.to_string() }
}

fn report_page(v: &Visitor, choice: &Choice, o: &ImportOutcome, bytes: &[u8], message: &str) -> WebResult<Page> {
    let findings = finding_rows(&o.findings);
    let summary = o.summary();
    let verdict = summary.first().map(|(_, v)| v.clone()).unwrap_or_default();
    let summary: Vec<(String, String)> = summary.into_iter().skip(1).collect();
    let kind = match (o.format, o.encoding) {
        (Some(f), Some(e)) => format!("{}，{e} 编码", f.label()),
        (Some(f), None) => f.label().to_string(),
        _ => "无法识别".to_string(),
    };
    let mapping = match &o.mapping_source {
        MappingSource::Detected => "自动识别".to_string(),
        MappingSource::Saved(at) => format!("沿用该部门 {at} 保存的同格式映射"),
        MappingSource::Given => "指定的映射".to_string(),
        MappingSource::Template => "jili 填报模板（按模板格式读取，无需映射）".to_string(),
    };
    let carry = context! {
        name => o.file.clone(),
        content => base64_encode(bytes),
        sha256 => upload_sha256(bytes),
    };
    let counts = context! {
        errors => o.count(Severity::Error),
        flags => o.count(Severity::Flag),
        notices => o.count(Severity::Notice),
    };
    let nothing_new = o.new + o.revised + o.confirmed == 0;
    v.page(
        "work/report.html",
        context! {
            file => o.file.clone(), kind, mapping, verdict, summary, findings, counts, carry, choice,
            rejected => o.rejected(), nothing_new, message,
        },
    )
}

/// `POST /work/upload/confirm`: the carried file, checked again, then stored.
async fn confirm(v: Visitor, form: Result<Multipart, MultipartRejection>) -> WebResult<Response> {
    let fields = read_form(&v, form).await?;
    let choice = Choice::from_fields(&v, &fields).await?;
    let bytes = carried_file(fields.get("content"), fields.get("sha256"))?;
    let name = file_name(fields.get("name"));
    let request = choice.request(&name, bytes, false)?;
    if request.bytes.len() > v.app.workers().limits().large_import {
        // A large file: a job, followed on its own page.
        let job = v.app.start_import(request, import_summary).await?;
        return Ok(super::jobs::redirect(&v, &job).await);
    }
    let outcome = v.app.import_file(&request, &|_| {}).await?;
    if outcome.rejected() {
        let message = "确认时重新校验未通过（校验之后库中数据或规则有变化）：整批未入库，请按下表修正后重新上传";
        let page = report_page(&v, &choice, &outcome, &request.bytes, message)?;
        return Ok(form::with_status(StatusCode::UNPROCESSABLE_ENTITY, page));
    }
    let findings = finding_rows(&outcome.findings);
    let verdict = outcome.summary().first().map(|(_, v)| v.clone()).unwrap_or_default();
    let page = v.page(
        "work/imported.html",
        context! {
            file => outcome.file.clone(), provider => choice.provider.clone(), batch => outcome.stored,
            rows => outcome.rows, values => outcome.values, new => outcome.new, revised => outcome.revised,
            confirmed => outcome.confirmed, unchanged => outcome.unchanged,
            flags => outcome.count(Severity::Flag), findings, verdict,
        },
    )?;
    Ok(page.into_response())
}

/// The findings a job keeps of an import (a hostile file can have hundreds of thousands).
const JOB_FINDINGS: usize = 500;

/// An import's outcome as the API answers it and a job keeps it: the counts, the summary and
/// the findings (at most [`JOB_FINDINGS`] of them, with the total).
pub(super) fn import_summary(o: &ImportOutcome) -> serde_json::Value {
    let summary: Vec<serde_json::Value> =
        o.summary().into_iter().map(|(k, x)| serde_json::json!({"label": k, "value": x})).collect();
    let shown = &o.findings[..o.findings.len().min(JOB_FINDINGS)];
    serde_json::json!({
        "file": o.file, "rejected": o.rejected(), "batch": o.stored,
        "rows": o.rows, "values": o.values, "new": o.new, "revised": o.revised, "unchanged": o.unchanged,
        "confirmed": o.confirmed, "errors": o.count(Severity::Error), "flags": o.count(Severity::Flag),
        "notices": o.count(Severity::Notice), "summary": summary, "findings": finding_rows(shown),
        "findings_total": o.findings.len(),
    })
}

/// `POST /work/upload/report`: the validation report as XLSX (the file's sheets with each bad
/// cell marked), to send back to whoever filled it in.
async fn report(v: Visitor, form: Result<Multipart, MultipartRejection>) -> WebResult<Response> {
    let fields = read_form(&v, form).await?;
    let choice = Choice::from_fields(&v, &fields).await?;
    let bytes = carried_file(fields.get("content"), fields.get("sha256"))?;
    let name = file_name(fields.get("name"));
    let request = choice.request(&name, bytes, true)?;
    let outcome = v.app.import_file(&request, &|_| {}).await?;
    let xlsx = outcome.report_xlsx()?;
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    Ok(form::attachment(xlsx, form::XLSX, "report.xlsx", &format!("{stem}-校验报告.xlsx")))
}
