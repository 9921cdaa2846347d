//! The work pages' JSON API: imports, batches and flags (数据报送), runs, publication and users
//! (办公厅), the audit log (审计), a unit's own results (评价对象). The same use-cases as the
//! pages, as the bearer token's or session's user; writes from a browser session carry
//! `X-CSRF-Token`.

use super::api_office;
use super::auditor::Search;
use super::form;
use super::provider::{flag_rows, provider_of};
use super::upload::{Choice, finding_rows, import_summary, may_import};
use crate::api::types::{JobDoc, JobList};
use crate::api::work_answers::{
    AuditPage, AuditReport, Batches, Commended, Flags, Imported, Made, Noted, PublicationRequested, Published, Runs,
    RunsMade, UnitStanding, UserAdded, Users,
};
use crate::endpoint::{Route, endpoint};
use crate::error::{ApiResult, WebError, WebResult};
use crate::extract::{JsonBody, LoggedIn, Writer};
use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jili_app::Action;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

/// The work API's endpoints, documented in /api/openapi.json.
pub(super) fn routes() -> Vec<Route> {
    vec![
        (
            endpoint(
                "post",
                "/api/imports",
                "数据报送",
                "上传数据文件（multipart：file、provider、status、reason、partial、dry_run；dry_run 默认 true 只校验，false 才入库；大于 1 MiB 的文件入库时作为后台任务，答 202 并在 Location 给出 /api/jobs/{id}）",
                true,
            )
            .gate(|p| Action::Import { owner: p.role.scope() })
            .body::<ImportForm>(&["multipart/form-data"])
            .ok::<Imported>()
            .job(),
            post(import).layer(DefaultBodyLimit::max(form::BODY_LIMIT)),
        ),
        (
            endpoint("get", "/api/batches", "数据报送", "数据批次及修订（提供部门看本部门；?provider= 筛选）", true)
                .query::<ProviderQuery>()
                .ok::<Batches>(),
            get(batches),
        ),
        (
            endpoint("get", "/api/flags", "数据报送", "异常提示及其说明（?provider= 筛选）", true)
                .query::<ProviderQuery>()
                .ok::<Flags>(),
            get(flags),
        ),
        (
            endpoint("post", "/api/flags/{id}/notes", "数据报送", "为异常提示添加说明（JSON {note}）", true)
                .json::<Note>()
                .ok::<Noted>(),
            post(annotate),
        ),
        (
            endpoint("get", "/api/runs", "办公厅", "最近的评价运行（最新的在前）", true)
                .gate(|_| Action::ReadResults)
                .ok::<Runs>(),
            get(api_office::runs),
        ),
        (
            endpoint(
                "post",
                "/api/runs",
                "办公厅",
                "运行评价：JSON {measure}，一条措施即时运行；省略或 \"all\" 为全部措施，作为后台任务，答 202 并在 Location 给出 /api/jobs/{id}",
                true,
            )
            .gate(|_| Action::Run)
            .json_optional::<api_office::RunBody>()
            .ok::<RunsMade>()
            .job(),
            post(api_office::run),
        ),
        (
            endpoint(
                "post",
                "/api/publications",
                "办公厅",
                "申请发布本年度评价结果：JSON {reason}，再次发布（更正）须写明原因；须由另一位办公厅用户确认",
                true,
            )
            .gate(|_| Action::Publish)
            .json_optional::<api_office::Reason>()
            .ok::<PublicationRequested>(),
            post(api_office::publish),
        ),
        (
            endpoint(
                "post",
                "/api/publications/{id}/confirm",
                "办公厅",
                "确认发布申请并发布（须为申请人以外的办公厅用户，双人把关）",
                true,
            )
            .gate(|_| Action::Publish)
            .ok::<Published>(),
            post(api_office::confirm),
        ),
        (
            endpoint("post", "/api/commendations", "办公厅", "登记通报表扬：JSON {unit, inspection, practice}", true)
                .gate(|_| Action::Publish)
                .json::<api_office::Commend>()
                .ok::<Commended>(),
            post(api_office::commend),
        ),
        (
            endpoint(
                "post",
                "/api/overrides",
                "办公厅",
                "更正一个单位的评价结果：JSON {run, unit, winner, reason}（原因将公开）",
                true,
            )
            .gate(|_| Action::Publish)
            .json::<api_office::Override>()
            .ok::<Made>(),
            post(api_office::override_result),
        ),
        (
            endpoint("get", "/api/users", "办公厅", "用户列表（不含密码）", true)
                .gate(|_| Action::ManageUsers)
                .ok::<Users>(),
            get(api_office::users),
        ),
        (
            endpoint("post", "/api/users", "办公厅", "添加用户：JSON {name, display, role, scope, password}", true)
                .gate(|_| Action::ManageUsers)
                .json::<api_office::AddUser>()
                .ok::<UserAdded>(),
            post(api_office::add_user),
        ),
        (
            endpoint("get", "/api/audit", "审计", "审计日志，最新的在前（?q=&action=&actor=&object=&page=）", true)
                .gate(|_| Action::Audit)
                .query::<Search>()
                .ok::<AuditPage>(),
            get(audit),
        ),
        (
            endpoint(
                "get",
                "/api/audit/verify",
                "审计",
                "核验审计哈希链与各记录（?head=序号:哈希 核对此前记下的链尾）",
                true,
            )
            .gate(|_| Action::Audit)
            .query::<Head>()
            .ok::<AuditReport>(),
            get(verify),
        ),
        (
            endpoint(
                "post",
                "/api/audit/verify",
                "审计",
                "核验审计哈希链与各记录，作为后台任务：答 202，Location 给出 /api/jobs/{id}",
                true,
            )
            .gate(|_| Action::Audit)
            .job(),
            post(start_verify),
        ),
        (
            endpoint(
                "get",
                "/api/jobs",
                "后台任务",
                "后台任务（本人提交的；办公厅、纪检监察看全部），最新的在前",
                true,
            )
            .ok::<JobList>(),
            get(super::jobs::api_list),
        ),
        (
            endpoint("get", "/api/jobs/{id}", "后台任务", "一个后台任务：状态、进度、说明、结果及其链接", true)
                .ok::<JobDoc>(),
            get(super::jobs::api_one),
        ),
        (
            endpoint(
                "get",
                "/api/standing/{unit}",
                "评价对象",
                "一个单位在各条措施中的结果与说明（本单位、办公厅、纪检监察可看）",
                true,
            )
            .ok::<UnitStanding>(),
            get(standing),
        ),
    ]
}

/// `POST /api/imports`: the multipart form's fields.
#[derive(Debug, ToSchema)]
#[allow(dead_code, reason = "the form's schema only: the handler reads the fields one by one")]
struct ImportForm {
    /// The data file (xlsx, xls, csv, SDMX-CSV).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// The providing department's code; a provider's own by default.
    provider: Option<String>,
    /// `preliminary` (初步数) or `final`.
    status: Option<String>,
    /// Why (required for a revision).
    reason: Option<String>,
    /// `true`: a partial upload.
    partial: Option<String>,
    /// `false` stores the batch; anything else only checks it.
    dry_run: Option<String>,
}

async fn import(v: LoggedIn, headers: HeaderMap, form: Result<Multipart, MultipartRejection>) -> WebResult<Response> {
    may_import(&v)?;
    // A browser session's token: the header, checked before the body is read, or else the
    // form's first field (`csrf`).
    let header = headers.get("x-csrf-token").and_then(|h| h.to_str().ok());
    if let Some(sent) = header {
        v.check_csrf(sent)?;
    }
    let form = form::multipart_or_refuse(form)?;
    let mut fields = form::read(form, header.is_none().then_some(&v)).await?;
    let choice = Choice::from_fields(&v, &fields).await.map_err(WebError::as_json)?;
    let Some((name, bytes)) = fields.file.take().filter(|(_, b)| !b.is_empty()) else {
        return Err(WebError::invalid("缺少文件：multipart 字段 file").as_json());
    };
    let dry_run = !matches!(fields.get("dry_run"), "false" | "0" | "no");
    let request = choice.request(&name, bytes, dry_run)?;
    if !dry_run && request.bytes.len() > v.app.workers().limits().large_import {
        // A large file to store: a job (202, Location: /api/jobs/{id}).
        let job = v.app.start_import(request, import_summary).await?;
        return Ok(super::jobs::accepted(&job));
    }
    let o = v.app.import_file(&request, &|_| {}).await?;
    let mut out = import_summary(&o);
    out["provider"] = json!(choice.provider);
    out["dry_run"] = json!(dry_run);
    out["findings"] = json!(finding_rows(&o.findings));
    Ok(Json(out).into_response())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
struct ProviderQuery {
    /// A providing department's code (e.g. TJJ); empty for every one the visitor may see.
    #[serde(default)]
    provider: String,
}

async fn batches(v: LoggedIn, Query(q): Query<ProviderQuery>) -> ApiResult {
    let list = match provider_of(&v, &q.provider) {
        Some(p) => v.app.batches_of(&p).await,
        None => v.app.batches().await,
    }?;
    let list: Vec<Value> = list
        .iter()
        .rev()
        .map(|b| {
            json!({"id": b.id, "provider": b.provider, "source": b.source, "demo": b.demo, "rows": b.rows,
            "sha256": b.sha256, "imported_at": b.imported_at, "actor": b.actor, "reason": b.reason, "revised": b.revised})
        })
        .collect();
    Ok(Json(json!({ "batches": list })))
}

async fn flags(v: LoggedIn, Query(q): Query<ProviderQuery>) -> ApiResult {
    let rows = flag_rows(&v, provider_of(&v, &q.provider).as_deref()).await?;
    Ok(Json(json!({ "flags": rows })))
}

/// `POST /api/flags/{id}/notes`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"note": "已与统计局核实：为口径调整"}))]
struct Note {
    #[serde(default)]
    note: String,
}

async fn annotate(v: Writer, Path(id): Path<String>, JsonBody(note): JsonBody<Note>) -> ApiResult {
    let id: i64 = id.parse().map_err(|_| WebError::not_found(format!("没有编号为“{id}”的异常提示")).as_json())?;
    let note_id = v.app.annotate_flag(id, &note.note).await?;
    Ok(Json(json!({ "flag": id, "note": note_id })))
}

async fn audit(v: LoggedIn, Query(s): Query<Search>) -> ApiResult {
    let page = v.app.search_audit(&s.filter()).await?;
    Ok(Json(serde_json::to_value(&page).unwrap_or(Value::Null)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
struct Head {
    /// The chain's head written down earlier, `序号:哈希`, to check the log still ends there.
    #[serde(default)]
    head: String,
}

async fn verify(v: LoggedIn, Query(q): Query<Head>) -> ApiResult {
    let head = match q.head.trim() {
        "" => None,
        h => {
            let bad = || WebError::invalid("head 应写成 序号:哈希，如 162:3fa…").as_json();
            let (seq, hash) = h.split_once(':').ok_or_else(bad)?;
            Some((seq.trim().parse::<i64>().map_err(|_| bad())?, hash.trim().to_string()))
        }
    };
    let report = v.app.verify_audit(head.as_ref().map(|(s, h)| (*s, h.as_str()))).await?;
    let mut out = serde_json::to_value(&report).unwrap_or(Value::Null);
    out["intact"] = Value::Bool(report.is_intact());
    Ok(Json(out))
}

async fn start_verify(v: Writer, _headers: HeaderMap) -> WebResult<Response> {
    let job = v.app.start_verify(None).await?;
    Ok(super::jobs::accepted(&job))
}

async fn standing(v: LoggedIn, Path(unit): Path<String>) -> ApiResult {
    let list = v.app.standing(unit.trim(), None).await?;
    Ok(Json(json!({ "unit": unit.trim(), "standing": list })))
}
