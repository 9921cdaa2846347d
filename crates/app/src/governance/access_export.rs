//! Searching and exporting the access log: for 纪检监察 and the office (the same permission as
//! the audit log). Filters are checked and bounded before anything is read; dates are Beijing
//! calendar days, as the pages show times; a page holds at most [`MAX_PAGE`] rows and an export
//! at most [`EXPORT_MAX`].

use crate::App;
use crate::access::Action;
use crate::clock;
use crate::error::{AppError, Result};
use crate::governance::access_log::{AccessEvent, AccessOutcome, AccessRow, MAX_USER};
use jili_report::logs;
use jili_store::AccessQuery;
use serde::Serialize;

/// Rows per page when the caller does not say.
pub const DEFAULT_PAGE: usize = 50;
/// Rows per page at most.
pub const MAX_PAGE: usize = 500;
/// Rows in one export at most: a longer period is exported in parts (an XLSX sheet holds about
/// a million rows; a hundred thousand is already more than one reads).
pub const EXPORT_MAX: usize = 100_000;

/// What to look for, as a user typed it (a form, a query string, command-line options); empty
/// fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessFilter {
    /// The user, or the name tried at a failed login, exactly.
    pub user: String,
    /// An event code (`login`, `refused` …).
    pub event: String,
    /// An outcome code (`ok`, `wrong_password` …).
    pub outcome: String,
    /// The client address, or its start (`10.0.`).
    pub client: String,
    /// The first day, `YYYY-MM-DD` in Beijing time.
    pub from: String,
    /// The last day (included), `YYYY-MM-DD` in Beijing time.
    pub to: String,
    /// 1-based page.
    pub page: usize,
    /// Rows per page; 0 for [`DEFAULT_PAGE`].
    pub per_page: usize,
}

/// One page of the access log, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessPage {
    pub entries: Vec<AccessRow>,
    /// Rows matching the filter.
    pub matching: usize,
    pub page: usize,
    pub pages: usize,
    pub per_page: usize,
}

/// A Beijing calendar day as the UTC instant it starts at.
fn day_start_utc(day: &str, field: &str) -> Result<u64> {
    let bad = || AppError::Invalid(format!("{field}“{day}”不是有效日期：请写成 2024-05-01（北京时间的日期）"));
    if day.len() != 10 {
        return Err(bad());
    }
    let midnight = clock::parse_utc(&format!("{day}T00:00:00Z")).ok_or_else(bad)?;
    // The text must be the date it parses as (2024-02-31 is not a day).
    if !clock::format_utc(midnight).starts_with(day) {
        return Err(bad());
    }
    midnight.checked_sub(8 * 3600).ok_or_else(bad)
}

impl AccessFilter {
    /// The store's query for this filter, every field checked; `limit` and `offset` left 0.
    pub fn query(&self) -> Result<AccessQuery> {
        let (user, client) = (self.user.trim(), self.client.trim());
        if user.chars().count() > MAX_USER {
            return Err(AppError::Invalid(format!("用户名最长 {MAX_USER} 个字符")));
        }
        if client.chars().count() > 64 || !client.chars().all(|c| c.is_ascii_hexdigit() || ".:".contains(c)) {
            return Err(AppError::Invalid(format!(
                "客户端地址“{}”无效：写 IP 地址或其开头（如 10.0.0.5、10.0.、2001:db8:）",
                client.chars().take(64).collect::<String>()
            )));
        }
        let event = match self.event.trim() {
            "" => "",
            code => AccessEvent::parse(code).map(AccessEvent::code).ok_or_else(|| {
                let known: Vec<String> =
                    AccessEvent::ALL.iter().map(|e| format!("{}（{}）", e.code(), e.label())).collect();
                AppError::Invalid(format!("没有事件“{}”：可选 {}", bounded_echo(code), known.join("、")))
            })?,
        };
        let outcome = match self.outcome.trim() {
            "" => "",
            code => AccessOutcome::parse(code).map(AccessOutcome::code).ok_or_else(|| {
                let known: Vec<String> =
                    AccessOutcome::ALL.iter().map(|o| format!("{}（{}）", o.code(), o.label())).collect();
                AppError::Invalid(format!("没有结果“{}”：可选 {}", bounded_echo(code), known.join("、")))
            })?,
        };
        let from = match self.from.trim() {
            "" => None,
            d => Some(day_start_utc(d, "起始日期")?),
        };
        let to = match self.to.trim() {
            "" => None,
            d => Some(day_start_utc(d, "截止日期")? + 86_400),
        };
        if let (Some(f), Some(t)) = (from, to)
            && f >= t
        {
            return Err(AppError::Invalid("起始日期晚于截止日期：请对调两个日期".into()));
        }
        Ok(AccessQuery {
            user: user.to_string(),
            event: event.to_string(),
            outcome: outcome.to_string(),
            client: String::new(),
            client_prefix: client.to_string(),
            from: from.map(clock::format_utc).unwrap_or_default(),
            to: to.map(clock::format_utc).unwrap_or_default(),
            limit: 0,
            offset: 0,
        })
    }
}

/// A refused value, short enough to repeat in a message.
fn bounded_echo(text: &str) -> String {
    crate::governance::access_log::bounded(text, 40)
}

impl App {
    /// One page of the access log matching `filter`, newest first.
    pub async fn search_access(&self, filter: &AccessFilter) -> Result<AccessPage> {
        self.allow(Action::Audit)?;
        let mut q = filter.query()?;
        let per_page = if filter.per_page == 0 { DEFAULT_PAGE } else { filter.per_page.min(MAX_PAGE) };
        let matching = usize::try_from(self.store.access_log_count(&q).await?).unwrap_or(0);
        let pages = matching.div_ceil(per_page).max(1);
        let page = filter.page.clamp(1, pages);
        (q.limit, q.offset) = (per_page as i64, ((page - 1) * per_page) as i64);
        let entries = self.store.access_log(&q).await?.into_iter().map(AccessRow::from).collect();
        Ok(AccessPage { entries, matching, page, pages, per_page })
    }

    /// Every row matching `filter`, oldest first, for an export; refused when there are more
    /// than [`EXPORT_MAX`].
    async fn access_rows(&self, filter: &AccessFilter) -> Result<Vec<AccessRow>> {
        self.allow(Action::Audit)?;
        let mut q = filter.query()?;
        let matching = usize::try_from(self.store.access_log_count(&q).await?).unwrap_or(0);
        if matching > EXPORT_MAX {
            return Err(AppError::Invalid(format!(
                "符合条件的访问日志有 {matching} 条，超过一次导出的上限 {EXPORT_MAX} 条：请缩小日期范围，分几次导出"
            )));
        }
        q.limit = EXPORT_MAX as i64;
        let mut rows: Vec<AccessRow> = self.store.access_log(&q).await?.into_iter().map(AccessRow::from).collect();
        rows.reverse();
        Ok(rows)
    }

    /// The rows matching `filter` as CSV (UTF-8 with a BOM, so Excel and WPS open it as
    /// Chinese), oldest first; text a spreadsheet would take as a formula is neutralised.
    pub async fn access_csv(&self, filter: &AccessFilter) -> Result<Vec<u8>> {
        let rows: Vec<[String; 12]> = self.access_rows(filter).await?.iter().map(cells).collect();
        Ok(logs::access_csv(&rows)?)
    }

    /// The rows matching `filter` as an XLSX workbook, oldest first, with the filter on a
    /// second sheet. Built off the async workers (a hundred thousand rows take a second).
    pub async fn access_xlsx(&self, filter: &AccessFilter) -> Result<Vec<u8>> {
        let rows: Vec<[String; 12]> = self.access_rows(filter).await?.iter().map(cells).collect();
        let about = describe(filter, rows.len());
        tokio::task::spawn_blocking(move || logs::access_xlsx(&rows, &about))
            .await
            .map_err(|e| AppError::Invalid(format!("访问日志无法写成 XLSX：{e}")))?
            .map_err(AppError::from)
    }
}

/// One exported row, in the columns of [`logs::ACCESS_HEADERS`].
fn cells(r: &AccessRow) -> [String; 12] {
    let e = &r.entry;
    [
        e.id.to_string(),
        e.at.clone(),
        r.beijing.clone(),
        e.user_name.clone(),
        r.role_label.clone(),
        e.scope.clone(),
        e.client.clone(),
        r.event_label.clone(),
        e.target.clone(),
        r.outcome_label.clone(),
        e.detail.clone(),
        format!("{}/{}", e.event, e.outcome),
    ]
}

/// What an export holds, in words, for its second sheet.
fn describe(f: &AccessFilter, rows: usize) -> Vec<String> {
    let or_all = |s: &str| if s.trim().is_empty() { "全部".to_string() } else { s.trim().to_string() };
    vec![
        format!("访问日志导出：{rows} 条，按时间先后排列"),
        format!("用户：{}", or_all(&f.user)),
        format!("事件：{}", or_all(&f.event)),
        format!("结果：{}", or_all(&f.outcome)),
        format!("客户端地址：{}", or_all(&f.client)),
        format!("日期（北京时间）：{} 至 {}", or_all(&f.from), or_all(&f.to)),
        format!("导出时间：{}", clock::beijing_labelled(&clock::now_utc())),
        "以 = + - @ 开头的文字前加了撇号 '，以免表格软件把它当作公式执行。".to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(f: impl FnOnce(&mut AccessFilter)) -> AccessFilter {
        let mut x = AccessFilter::default();
        f(&mut x);
        x
    }

    #[test]
    fn beijing_days_become_utc_bounds() {
        let q = filter(|f| (f.from, f.to) = ("2024-05-01".into(), "2024-05-01".into())).query().unwrap_or_default();
        assert_eq!((q.from.as_str(), q.to.as_str()), ("2024-04-30T16:00:00Z", "2024-05-01T16:00:00Z"));
        let q = filter(|f| f.to = "2024-12-31".into()).query().unwrap_or_default();
        assert_eq!((q.from.as_str(), q.to.as_str()), ("", "2024-12-31T16:00:00Z"));
    }

    #[test]
    fn bad_filters_are_refused_with_what_to_write() {
        let message = |f: AccessFilter| f.query().err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message(filter(|f| f.from = "2024-02-31".into())).contains("2024-05-01"));
        assert!(message(filter(|f| f.from = "昨天".into())).contains("不是有效日期"));
        assert!(message(filter(|f| (f.from, f.to) = ("2024-06-01".into(), "2024-05-01".into()))).contains("对调"));
        assert!(message(filter(|f| f.event = "hack".into())).contains("login（登录）"));
        assert!(message(filter(|f| f.outcome = "x".into())).contains("wrong_password（密码错误）"));
        assert!(message(filter(|f| f.client = "10.0.0.1; DROP".into())).contains("IP 地址"));
        assert!(message(filter(|f| f.user = "x".repeat(65))).contains("64"));
        let ok = filter(|f| (f.event, f.outcome, f.client) = ("login".into(), "ok".into(), "2001:db8:".into()));
        assert_eq!(ok.query().map(|q| q.client_prefix).unwrap_or_default(), "2001:db8:");
    }
}
