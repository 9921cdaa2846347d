//! The progress board (`/work/board`): per measure, its plan against the plan date; per
//! provider, each series and period it owes against the data date — the same use-case as
//! `jili calendar board`, as the logged-in user (the app keeps the rows the role may see). The
//! office sets the year's dates on the same page (`POST /work/calendar`), prints the overdue
//! list (`?overdue=1`) and exports it (`/work/board/overdue.xlsx`, `.csv`). A provider
//! downloads its 填报模板 from its rows (`/work/template?provider=&period=`).

use super::form;
use crate::auth::Visitor;
use crate::error::WebResult;
use crate::extract::{CheckedForm, LoggedIn};
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jili_app::calendar::SetDate;
use jili_app::{Action, AppError, StoreError};
use jili_model::calendar::DueKind;
use minijinja::context;
use serde::{Deserialize, Serialize};

/// The words of the page (key, 中文, English).
pub const WORDS: &[(&str, &str, &str)] = &[
    ("work_board", "工作进度", "Progress board"),
    (
        "work_board_desc",
        "对照年度日程：各措施实施方案是否按时报送，各部门应报的数据（按现行实施方案所读的数据项、期别和单位）是否按时报齐。",
        "Against the year's calendar: whether each measure's plan was submitted on time, and whether each department delivered the data it owes (the series, periods and units the plans in force read).",
    ),
    (
        "work_board_rule",
        "实施方案以首次提交审核的时间为准；数据以最后一个应报单位的数值首次入库的时间为报齐时间。截止日期当天（北京时间）为止。",
        "A plan counts from its first submission for review; data count as delivered when the last owed unit's first value was stored. A due date lasts to its end (Beijing time).",
    ),
    ("work_board_today", "截至", "As of"),
    ("work_board_plans", "实施方案", "Plans"),
    ("work_board_lead", "牵头单位", "Lead department"),
    ("work_board_data", "数据报送", "Data"),
    ("work_board_due", "截止日期", "Due"),
    ("work_board_state", "状态", "State"),
    ("work_board_submitted", "首次提交", "First submitted"),
    ("work_board_units", "已报单位", "Units delivered"),
    ("work_board_delivered", "报齐时间", "Delivered"),
    ("work_board_revised", "修订", "Revised"),
    ("work_board_cases", "核查中（待更正）", "Open cases (correction pending)"),
    ("work_board_overdue", "逾期未报清单", "Overdue list"),
    ("work_board_all", "全部进度", "Whole board"),
    ("work_board_print", "打印", "Print"),
    ("work_board_none", "（无）", "(none)"),
    ("work_board_evaluation", "评价", "Evaluation"),
    ("work_board_publication", "结果公布", "Publication"),
    ("work_board_template", "填报模板", "Template"),
    ("work_calendar", "年度日程", "Calendar"),
    ("work_calendar_set", "设定日期", "Set a date"),
    (
        "work_calendar_help",
        "实施方案：写措施编号，或留空表示全部措施。数据：写期别（如 2024），数据项代码或部门代码二选一，都留空表示全部。同一事项再设即替换，记入审计日志。",
        "Plans: a measure number, or empty for all. Data: a period (2024) and a series code or a department code, or neither for all. Setting the same item again replaces it; recorded in the audit log.",
    ),
    ("work_calendar_kind", "类别", "Kind"),
    ("work_calendar_subject", "事项", "Item"),
    ("work_calendar_note", "说明", "Note"),
    ("work_calendar_measure", "措施编号", "Measure"),
    ("work_calendar_series", "数据项代码", "Series code"),
    ("work_calendar_provider", "提供部门代码", "Department code"),
    ("work_calendar_period", "期别", "Period"),
];

/// The page's query.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Shown {
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    overdue: Option<String>,
    #[serde(default)]
    done: String,
}

/// The office's calendar form; shown again with what was typed when refused.
#[derive(Debug, Default, Deserialize, Serialize)]
pub(super) struct DateForm {
    #[serde(default)]
    year: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    measure: String,
    #[serde(default)]
    series: String,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    note: String,
}

fn some(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

async fn page(
    v: &Visitor,
    year: Option<i32>,
    overdue: bool,
    ok: &str,
    error: &str,
    draft: &DateForm,
) -> WebResult<Response> {
    let mut board = v.app.board(year, None).await?;
    if overdue {
        board = board.overdue();
    }
    let calendar = v.app.calendar(Some(board.year)).await?;
    let can_set = v.app.may(&Action::Configure);
    let kinds: Vec<(&str, &str)> = DueKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect();
    // The template link on the rows the user may import for (a provider its own; the office all).
    let templates: Vec<bool> = board.data.iter().map(|d| v.app.may(&Action::Import { owner: &d.provider })).collect();
    let page =
        v.page("work/board.html", context! { board, calendar, can_set, kinds, templates, overdue, ok, error, draft })?;
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(form::with_status(status, page))
}

/// `GET /work/board` (`?year=`, `?overdue=1`).
pub(super) async fn show(v: LoggedIn, Query(q): Query<Shown>) -> WebResult<Response> {
    let ok = if q.done == "set" { "已设定日期（已记入审计日志）" } else { "" };
    page(&v, q.year, q.overdue.is_some(), ok, "", &DateForm::default()).await
}

/// `POST /work/calendar`: the office sets one date.
pub(super) async fn set(v: LoggedIn, CheckedForm(f): CheckedForm<DateForm>) -> WebResult<Response> {
    let year = f.year.trim().parse().ok();
    let measure = match some(&f.measure).map(|m| m.parse::<u32>()) {
        Some(Err(_)) => Err(AppError::Invalid(format!("措施编号“{}”应是数字", f.measure.trim()))),
        Some(Ok(n)) => Ok(Some(n)),
        None => Ok(None),
    };
    let r = match measure {
        Ok(measure) => {
            let set = SetDate {
                year,
                kind: f.kind.clone(),
                measure,
                series: some(&f.series),
                provider: some(&f.provider).map(|p| p.to_ascii_uppercase()),
                period: some(&f.period),
                due: f.due.clone(),
                note: f.note.clone(),
            };
            v.app.set_calendar_date(&set).await
        }
        Err(e) => Err(e),
    };
    match r {
        Ok(_) => {
            let y = year.map_or_else(String::new, |y| format!("year={y}&"));
            Ok(Redirect::to(&format!("/work/board?{y}done=set")).into_response())
        }
        Err(AppError::Invalid(m) | AppError::NotFound(m) | AppError::Store(StoreError::Conflict(m))) => {
            page(&v, year, false, "", &m, &f).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /work/board/overdue.xlsx`.
pub(super) async fn overdue_xlsx(v: LoggedIn, Query(q): Query<Shown>) -> WebResult<Response> {
    let board = v.app.board(q.year, None).await?.overdue();
    let bytes = board.export(true)?;
    Ok(form::attachment(
        bytes,
        form::XLSX,
        &format!("overdue-{}.xlsx", board.today),
        &format!("逾期未报清单-{}.xlsx", board.today),
    ))
}

/// `GET /work/board/overdue.csv`.
pub(super) async fn overdue_csv(v: LoggedIn, Query(q): Query<Shown>) -> WebResult<Response> {
    let board = v.app.board(q.year, None).await?.overdue();
    let bytes = board.export(false)?;
    Ok(form::attachment(
        bytes,
        "text/csv; charset=utf-8",
        &format!("overdue-{}.csv", board.today),
        &format!("逾期未报清单-{}.csv", board.today),
    ))
}

/// The template's query.
#[derive(Debug, Default, Deserialize)]
pub(super) struct TemplateQuery {
    #[serde(default)]
    provider: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    year: Option<i32>,
}

/// `GET /work/template?provider=&period=`: the 填报模板 (the provider itself or the office).
pub(super) async fn template(v: LoggedIn, Query(q): Query<TemplateQuery>) -> WebResult<Response> {
    let provider = match q.provider.trim() {
        "" => v.principal().role.scope().to_string(),
        p => p.to_ascii_uppercase(),
    };
    let t = v.app.data_template(&provider, &q.period, q.year).await?;
    let ascii = format!("template-{provider}-{}.xlsx", q.period.trim());
    Ok(form::attachment(t.bytes, form::XLSX, &ascii, &t.file_name))
}
