//! The funds ledger (资金台账) at `/work/funds`: budget to balance per measure and the year,
//! each award, and the journal behind them, for the office, the auditor and the finance
//! department (read-only for the auditor); a form to record a disbursement or a use report for
//! those who may; `/work/funds/ledger.xlsx` exports what is shown. The same use-cases as
//! `jili funds`, as the logged-in user: the app decides who sees and does what. Recovery
//! corrects a publication and is recorded with `jili funds recover`.

use super::form;
use crate::error::WebResult;
use crate::extract::{CheckedForm, LoggedIn};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jili_app::funds::ledger::{Amounts, Ledger, LedgerQuery};
use jili_app::funds::record::FundInput;
use jili_app::{AppError, StoreError};
use minijinja::context;
use serde::Deserialize;
use serde_json::{Value, json};

/// The words of these pages (key, 中文, English).
pub const WORDS: &[(&str, &str, &str)] = &[
    ("work_funds", "资金台账", "Funds ledger"),
    (
        "work_funds_desc",
        "预算 → 奖励 → 已下达 → 已使用 → 应追回 → 已追回 → 结余，单位万元，精确到所填小数位。每条措施和全年：预算 = 结余 + 已下达 − 已追回。",
        "Budget → awarded → disbursed → used → to recover → recovered → balance, in 万元, exact. For each measure and the year: budget = balance + disbursed − recovered.",
    ),
    ("funds_measure", "措施", "Measure"),
    ("funds_unit", "单位", "Unit"),
    ("funds_state", "状态", "State"),
    ("funds_budget", "预算", "Budget"),
    ("funds_awarded", "奖励", "Awarded"),
    ("funds_disbursed", "已下达", "Disbursed"),
    ("funds_used", "已使用", "Used"),
    ("funds_to_recover", "应追回", "To recover"),
    ("funds_recovered", "已追回", "Recovered"),
    ("funds_undisbursed", "待下达", "To disburse"),
    ("funds_outstanding", "待追回", "Outstanding"),
    ("funds_balance", "结余", "Balance"),
    ("funds_total", "合计", "Total"),
    ("funds_awards", "各单位奖励", "Awards"),
    ("funds_entries", "台账明细", "Journal"),
    (
        "funds_none",
        "还没有奖励或资金记录：结果发布后，入选单位的奖励列在这里。",
        "No awards yet: they appear once results are published.",
    ),
    ("funds_export", "导出 XLSX", "Export XLSX"),
    ("funds_record", "登记资金下达或使用情况", "Record a disbursement or use"),
    ("funds_kind", "类别", "Kind"),
    ("funds_amount", "金额（万元）", "Amount (万元)"),
    ("funds_doc", "文号", "Document no."),
    ("funds_date", "日期", "Date"),
    ("funds_channel", "资金渠道（下达时；不填为措施的奖励渠道）", "Channel (disbursement; the measure's by default)"),
    ("funds_note", "说明", "Note"),
    ("funds_recorded", "已登记，已记入审计日志。", "Recorded, with its audit event."),
    ("funds_revoked", "已追回", "Recovered"),
    ("funds_refilled", "递补", "Moved up"),
    ("funds_won", "入选", "Awarded"),
    (
        "funds_recover_note",
        "追回（已发布结果被推翻）由办公厅用命令行 jili funds recover 登记：同时更正发布结果并申请更正发布。",
        "Recovery (a published result overturned) is recorded by the office with jili funds recover, which corrects the publication.",
    ),
];

/// The ledger's filters, from the query string.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Filter {
    #[serde(default)]
    year: String,
    #[serde(default)]
    measure: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    done: String,
}

impl Filter {
    fn query(&self) -> LedgerQuery {
        let unit = self.unit.trim();
        LedgerQuery {
            year: self.year.trim().parse().ok(),
            measure: self.measure.trim().parse().ok(),
            unit: (!unit.is_empty()).then(|| unit.chars().take(32).collect()),
        }
    }
}

/// A disbursement or use report posted from the page.
#[derive(Debug, Default, Deserialize)]
pub(super) struct EntryForm {
    /// `disburse` or `use`.
    #[serde(default)]
    kind: String,
    #[serde(default)]
    measure: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    doc_no: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    note: String,
}

fn amounts(a: &Amounts) -> Value {
    let s = |d: jili_model::Decimal| d.normalize().to_string();
    json!({
        "awarded": s(a.awarded), "disbursed": s(a.disbursed), "used": s(a.used),
        "to_recover": s(a.to_recover), "recovered": s(a.recovered),
        "undisbursed": s(a.undisbursed), "outstanding": s(a.outstanding),
    })
}

fn rows(ledger: &Ledger) -> (Vec<Value>, Vec<Value>, Vec<Value>) {
    let s = |d: jili_model::Decimal| d.normalize().to_string();
    let measures = ledger
        .measures
        .iter()
        .chain(std::iter::once(&ledger.total))
        .map(|m| {
            json!({ "measure": m.measure, "short": m.short, "budget": s(m.budget),
                    "amounts": amounts(&m.amounts), "balance": s(m.balance) })
        })
        .collect();
    let units = ledger
        .units
        .iter()
        .map(|u| {
            json!({ "measure": u.measure, "unit": u.unit, "name": u.name, "revoked": u.revoked,
                    "refilled_for": u.refilled_for, "amounts": amounts(&u.amounts) })
        })
        .collect();
    let entries = ledger
        .entries
        .iter()
        .rev()
        .map(|e| {
            json!({ "id": e.id, "measure": e.measure, "unit": e.unit, "kind": e.kind.label(),
                    "amount": e.amount_wan, "doc_no": e.doc_no, "date": e.date, "channel": e.channel,
                    "note": e.note, "case_id": e.case_id, "actor": e.actor, "at": e.at })
        })
        .collect();
    (measures, units, entries)
}

async fn page(v: &LoggedIn, f: &Filter, message: &str) -> WebResult<crate::render::Page> {
    let ledger = v.app.funds_ledger(&f.query()).await?;
    let can_record = v.app.may_record_funds().await?;
    let (measures, units, entries) = rows(&ledger);
    let done = f.done == "1";
    let export = format!(
        "/work/funds/ledger.xlsx?year={}&measure={}&unit={}",
        ledger.year,
        f.measure.trim(),
        // Unit codes are ASCII letters and digits: anything else is dropped from the link.
        f.unit.chars().filter(char::is_ascii_alphanumeric).take(32).collect::<String>()
    );
    v.page(
        "work/funds.html",
        context! { year => ledger.year, measures, units, entries, can_record, message, done, export },
    )
}

/// `GET /work/funds?year=&measure=&unit=`.
pub(super) async fn ledger(v: LoggedIn, Query(f): Query<Filter>) -> WebResult<Response> {
    Ok(page(&v, &f, "").await?.into_response())
}

/// `POST /work/funds`: record a disbursement or a use report; a refusal is shown on the page,
/// with nothing stored.
pub(super) async fn record(v: LoggedIn, CheckedForm(f): CheckedForm<EntryForm>) -> WebResult<Response> {
    let input = FundInput {
        year: None,
        measure: f.measure.trim().parse().unwrap_or(0),
        unit: f.unit,
        amount: f.amount,
        doc_no: f.doc_no,
        date: f.date,
        channel: f.channel,
        note: f.note,
    };
    let r = match f.kind.as_str() {
        "use" => v.app.report_fund_use(&input).await,
        _ => v.app.disburse(&input).await,
    };
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/work/funds?measure={}&done=1", input.measure)).into_response()),
        Err(AppError::Invalid(m) | AppError::NotFound(m) | AppError::Store(StoreError::Conflict(m))) => {
            Ok(form::with_status(StatusCode::UNPROCESSABLE_ENTITY, page(&v, &Filter::default(), &m).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /work/funds/ledger.xlsx?…`: the ledger shown, as a workbook (amounts as numbers).
pub(super) async fn export_xlsx(v: LoggedIn, Query(f): Query<Filter>) -> WebResult<Response> {
    let ledger = v.app.funds_ledger(&f.query()).await?;
    let bytes = jili_app::funds::export::ledger_workbook(&ledger)?;
    Ok(form::attachment(bytes, form::XLSX, "funds-ledger.xlsx", "资金台账.xlsx"))
}
