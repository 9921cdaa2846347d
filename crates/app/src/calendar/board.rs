//! The progress board (进度看板): per measure, its plan's submission against the plan date; per
//! provider, each series and period it owes (from the plans in force) against the data date —
//! delivered on time or late (by the import time of the batch that brought the last owed
//! unit's first value), missing once the date has passed, or not yet due — with the values
//! revised since and the verification cases still open (a correction may be coming). The office
//! and the auditor see everything; a lead its own measures' plans; a provider its own rows.

use super::owed::Owed;
use crate::App;
use crate::access::Role;
use crate::error::Result;
use jili_model::PlanStatus;
use jili_model::calendar::{Day, DueKind, Progress};
use jili_store::CalendarDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The board of a programme year on a day.
#[derive(Debug, Clone, Serialize)]
pub struct Board {
    pub year: i32,
    /// The day states are computed for (YYYY-MM-DD, Beijing).
    pub today: String,
    /// Evaluation and publication dates, if set.
    pub evaluation: Option<String>,
    pub publication: Option<String>,
    pub plans: Vec<PlanRow>,
    pub data: Vec<DataRow>,
}

/// A measure's plan against its date.
#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    pub measure: u32,
    pub title: String,
    /// The lead department's code.
    pub lead: String,
    pub due: Option<String>,
    /// When its first version was first submitted for review (UTC).
    pub submitted_at: Option<String>,
    /// The newest version's status, in Chinese ('' when there is no plan).
    pub status: String,
    pub progress: Progress,
    pub progress_label: String,
}

/// A series and period a provider owes, against its date.
#[derive(Debug, Clone, Serialize)]
pub struct DataRow {
    pub provider: String,
    pub provider_name: String,
    pub series: String,
    pub series_name: String,
    pub period: String,
    /// The measures whose plans read it.
    pub measures: Vec<u32>,
    pub units_owed: usize,
    pub units_delivered: usize,
    pub due: Option<String>,
    /// When the last owed unit's first value arrived (UTC), once all have.
    pub delivered_at: Option<String>,
    /// Owed values revised since they first arrived.
    pub revised: usize,
    /// Verification cases about this series and period still open.
    pub open_cases: i64,
    pub progress: Progress,
    pub progress_label: String,
}

impl Board {
    /// The rows the office chases: plans and data whose date passed undone.
    pub fn overdue(&self) -> Board {
        Board {
            plans: self.plans.iter().filter(|r| r.progress.overdue()).cloned().collect(),
            data: self.data.iter().filter(|r| r.progress.overdue()).cloned().collect(),
            ..self.clone()
        }
    }

    /// The rows as one table (what, who, due, state, detail), for the printable list and the
    /// CSV/XLSX export.
    pub fn table(&self) -> Vec<[String; 6]> {
        let mut out = Vec::new();
        for p in &self.plans {
            out.push([
                "实施方案".to_string(),
                format!("第 {} 条措施 {}", p.measure, p.title),
                p.lead.clone(),
                p.due.clone().unwrap_or_default(),
                p.progress_label.clone(),
                p.submitted_at
                    .as_deref()
                    .map_or_else(String::new, |t| format!("提交于 {}", crate::clock::beijing_time(t))),
            ]);
        }
        for d in &self.data {
            let mut detail = format!("已报 {}/{} 个单位", d.units_delivered, d.units_owed);
            if let Some(t) = &d.delivered_at {
                detail.push_str(&format!("，报齐于 {}", crate::clock::beijing_time(t)));
            }
            if d.revised > 0 {
                detail.push_str(&format!("，修订 {} 个", d.revised));
            }
            if d.open_cases > 0 {
                detail.push_str(&format!("，核查中 {} 件（待更正）", d.open_cases));
            }
            out.push([
                "数据".to_string(),
                format!("{} {} {}", d.series, d.series_name, d.period),
                format!("{} {}", d.provider, d.provider_name),
                d.due.clone().unwrap_or_default(),
                d.progress_label.clone(),
                detail,
            ]);
        }
        out
    }
}

impl Board {
    /// [`Board::table`] as CSV (UTF-8 with a byte-order mark) or, with `xlsx`, as a workbook
    /// with a sheet 说明 saying which year, which day and how many rows.
    pub fn export(&self, xlsx: bool) -> Result<Vec<u8>> {
        let rows = self.table();
        let bad = |e: jili_report::ReportError| crate::AppError::Invalid(e.0);
        if !xlsx {
            return jili_report::table::csv_file(&TABLE_HEADERS, &rows).map_err(bad);
        }
        let about = vec![
            format!("{} 年度激励工作进度（截至 {}，北京时间）", self.year, self.today),
            format!("实施方案 {} 项，数据 {} 项", self.plans.len(), self.data.len()),
            "状态：按时、逾期报送、逾期未报、未到期、未定日期；数据以最后一个应报单位的数值首次入库的时间为报齐时间。"
                .into(),
        ];
        jili_report::table::xlsx_sheet("工作进度", &TABLE_HEADERS, &rows, &[10, 40, 22, 12, 12, 48], &about)
            .map_err(bad)
    }
}

/// The headings of [`Board::table`].
pub const TABLE_HEADERS: [&str; 6] = ["类别", "事项", "责任单位", "截止日期", "状态", "情况"];

impl App {
    /// The board of a programme year (newest when absent) on `today` (the clock's Beijing day
    /// when absent), with the rows the actor may see.
    pub async fn board(&self, year: Option<i32>, today: Option<Day>) -> Result<Board> {
        self.allow(crate::Action::ReadBoard)?;
        let programme = self.programme(year).await?;
        let today = today.unwrap_or_else(crate::clock::today);
        let catalogue = self.catalogue().await?;
        let dates = self.store.calendar_dates(programme.year).await?;
        let role = self.principal().role.clone();
        let (all, lead, provider) = match &role {
            Role::Office | Role::Auditor => (true, None, None),
            Role::Lead(d) => (false, Some(d.as_str()), None),
            Role::Provider(d) => (false, None, Some(d.as_str())),
            _ => (false, None, None),
        };
        let single = |kind: DueKind| dates.iter().find(|d| d.kind == kind.as_str()).map(|d| d.due.clone());

        let mut plans = Vec::new();
        if all || lead.is_some() {
            for m in &programme.measures {
                let lead_code = catalogue.lead_of(m);
                if lead.is_some_and(|l| l != lead_code) {
                    continue;
                }
                let due = due_for(&dates, DueKind::Plan, &[&m.no.to_string(), "*"], "");
                let versions = self.store.plan_versions(programme.year, m.no).await?;
                let submitted_at = self
                    .store
                    .plan_reviews(programme.year, m.no)
                    .await?
                    .into_iter()
                    .find(|r| r.step == PlanStatus::Submitted)
                    .map(|r| r.at);
                let done = submitted_at.as_deref().and_then(crate::clock::beijing_day);
                let progress = Progress::of(due.as_deref().and_then(|d| Day::parse(d).ok()), done, today);
                plans.push(PlanRow {
                    measure: m.no,
                    title: m.short.clone(),
                    lead: lead_code,
                    due,
                    submitted_at,
                    status: versions.last().map_or_else(String::new, |v| v.status.label().to_string()),
                    progress,
                    progress_label: progress.label().to_string(),
                });
            }
        }

        let mut data = Vec::new();
        if all || provider.is_some() {
            let owed: Vec<Owed> = self
                .owed(programme.year, &catalogue)
                .await?
                .into_iter()
                .filter(|o| provider.is_none_or(|p| p == o.provider))
                .collect();
            let cases: BTreeMap<(String, String), i64> =
                self.store.open_case_counts().await?.into_iter().map(|(s, p, n)| ((s, p), n)).collect();
            for o in owed {
                let period = o.period.to_string();
                let delivered = self.store.deliveries(&[o.series.as_str()], &period).await?;
                let owed_now: Vec<_> = delivered.iter().filter(|d| o.units.contains(&d.unit)).collect();
                let complete = owed_now.len() == o.units.len();
                let delivered_at = if complete { owed_now.iter().map(|d| d.first_at.clone()).max() } else { None };
                let due = due_for(&dates, DueKind::Data, &[&o.series, &o.provider, "*"], &period);
                let done = delivered_at.as_deref().and_then(crate::clock::beijing_day);
                let progress = Progress::of(due.as_deref().and_then(|d| Day::parse(d).ok()), done, today);
                let (series_name, provider_name) = (
                    catalogue.series(&o.series).map_or_else(String::new, |s| s.name.clone()),
                    catalogue.department(&o.provider).map_or_else(String::new, |d| d.name.clone()),
                );
                data.push(DataRow {
                    open_cases: cases.get(&(o.series.clone(), period.clone())).copied().unwrap_or(0),
                    provider: o.provider,
                    provider_name,
                    series: o.series,
                    series_name,
                    period,
                    measures: o.measures.into_iter().collect(),
                    units_owed: o.units.len(),
                    units_delivered: owed_now.len(),
                    due,
                    delivered_at,
                    revised: owed_now.iter().filter(|d| d.revisions > 1).count(),
                    progress,
                    progress_label: progress.label().to_string(),
                });
            }
        }
        Ok(Board {
            year: programme.year,
            today: today.to_string(),
            evaluation: single(DueKind::Evaluation),
            publication: single(DueKind::Publication),
            plans,
            data,
        })
    }
}

/// The date for an item: the first subject (most specific first) with a date of `kind` and
/// `period`.
fn due_for(dates: &[CalendarDate], kind: DueKind, subjects: &[&str], period: &str) -> Option<String> {
    subjects.iter().find_map(|s| {
        dates.iter().find(|d| d.kind == kind.as_str() && d.subject == *s && d.period == period).map(|d| d.due.clone())
    })
}
