//! The office's calendar of a programme year (issue 18): when plans are due (per measure or for
//! all), when data are due (per series, per providing department or for all, and period), when
//! the evaluation and the publication are planned. Setting a date is the office's
//! ([`crate::Action::Configure`]) and audited; the progress board ([`board`]) compares the
//! plans' submissions and the providers' deliveries with it; the 填报模板 ([`template`]) asks
//! each provider for what it owes.

pub mod board;
mod owed;
pub mod template;

use crate::App;
use crate::error::{AppError, Result};
use jili_model::Period;
use jili_model::calendar::{Day, DueKind};
pub use jili_store::CalendarDate;
use serde::Serialize;

/// A date to set.
#[derive(Debug, Clone, Default)]
pub struct SetDate {
    /// The programme year (newest when absent).
    pub year: Option<i32>,
    /// `plan`, `data`, `evaluation`, `publication`.
    pub kind: String,
    /// Plans: the measure (all measures when absent).
    pub measure: Option<u32>,
    /// Data: the series code, or …
    pub series: Option<String>,
    /// … the providing department's code (all its series); all providers when neither.
    pub provider: Option<String>,
    /// Data: the period owed (`2024`).
    pub period: Option<String>,
    /// The last day, YYYY-MM-DD.
    pub due: String,
    pub note: String,
}

/// A year's calendar, for people.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarView {
    pub year: i32,
    pub dates: Vec<DateView>,
}

/// One date with its words.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    #[serde(flatten)]
    pub date: CalendarDate,
    /// 实施方案报送 …
    pub kind_label: String,
    /// What it is for: 第 3 条措施, 全部措施, GDP 地区生产总值, 省统计局的全部数据项 …
    pub subject_label: String,
}

impl App {
    /// Set one date of a year's calendar (replacing the same kind, subject and period), checked
    /// against the programme and the catalogue; recorded in the audit log. Returns whether
    /// anything changed.
    pub async fn set_calendar_date(&self, set: &SetDate) -> Result<bool> {
        self.allow(crate::Action::Configure)?;
        let programme = self.programme(set.year).await?;
        let kind: DueKind = set.kind.parse().map_err(AppError::Invalid)?;
        let due = Day::parse(&set.due).map_err(AppError::Invalid)?;
        let limits = self.limits().await?;
        crate::limits::check_text("说明", &set.note, &limits)?;
        let catalogue = self.catalogue().await?;
        let not_for = |what: &str| AppError::Invalid(format!("{}日期不分{what}：请去掉该选项", kind.label()));
        let (subject, period) = match kind {
            DueKind::Plan => {
                if set.series.is_some() || set.provider.is_some() || set.period.is_some() {
                    return Err(not_for("数据项、提供部门和期别"));
                }
                match set.measure {
                    Some(no) => {
                        crate::plans::programme::measure_in(&programme, no)?;
                        (no.to_string(), String::new())
                    }
                    None => ("*".to_string(), String::new()),
                }
            }
            DueKind::Data => {
                if set.measure.is_some() {
                    return Err(not_for("措施"));
                }
                let period = set
                    .period
                    .as_deref()
                    .ok_or_else(|| AppError::Invalid("数据报送日期要写明期别（--period，如 2024）".into()))?;
                let period: Period = period
                    .trim()
                    .parse()
                    .map_err(|e| AppError::Invalid(format!("期别“{}”无效：{e}", period.trim())))?;
                let subject = match (&set.series, &set.provider) {
                    (Some(_), Some(_)) => {
                        return Err(AppError::Invalid(
                            "数据项和提供部门只写一个：按数据项定日期，或按提供部门（其全部数据项）定日期".into(),
                        ));
                    }
                    (Some(s), None) => catalogue.series(s.trim()).map(|s| s.code.clone()).ok_or_else(|| {
                        AppError::Invalid(format!("数据项“{}”不在目录中（见 jili data series）", s.trim()))
                    })?,
                    (None, Some(p)) => match catalogue.find_department(p) {
                        Some(d) if d.provider => d.code.clone(),
                        _ => return Err(AppError::Invalid(format!("“{}”不是数据提供部门的代码（如 TJJ）", p.trim()))),
                    },
                    (None, None) => "*".to_string(),
                };
                (subject, period.to_string())
            }
            DueKind::Evaluation | DueKind::Publication => {
                if set.measure.is_some() || set.series.is_some() || set.provider.is_some() || set.period.is_some() {
                    return Err(not_for("措施、数据项、提供部门和期别"));
                }
                (String::new(), String::new())
            }
        };
        let actor = self.actor();
        let date = CalendarDate {
            year: programme.year,
            kind: kind.as_str().to_string(),
            subject,
            period,
            due: due.to_string(),
            note: set.note.trim().to_string(),
            actor: actor.name.clone(),
            at: actor.at.clone(),
        };
        Ok(self.store.set_calendar_date(&actor, &date).await?)
    }

    /// A year's calendar (newest programme year when absent): every role that reads the board.
    pub async fn calendar(&self, year: Option<i32>) -> Result<CalendarView> {
        self.allow(crate::Action::ReadBoard)?;
        let programme = self.programme(year).await?;
        let catalogue = self.catalogue().await?;
        let dates = self.store.calendar_dates(programme.year).await?;
        let rank = |kind: &str| DueKind::ALL.iter().position(|k| k.as_str() == kind).unwrap_or(DueKind::ALL.len());
        let mut dates = dates;
        dates.sort_by(|a, b| (rank(&a.kind), &a.subject, &a.period).cmp(&(rank(&b.kind), &b.subject, &b.period)));
        let dates = dates
            .into_iter()
            .map(|date| {
                let kind: Option<DueKind> = date.kind.parse().ok();
                let subject_label = subject_label(&date, &catalogue);
                DateView {
                    kind_label: kind.map_or_else(|| date.kind.clone(), |k| k.label().to_string()),
                    subject_label,
                    date,
                }
            })
            .collect();
        Ok(CalendarView { year: programme.year, dates })
    }
}

/// What a date is for, in words.
fn subject_label(date: &CalendarDate, catalogue: &jili_model::Catalogue) -> String {
    match (date.kind.as_str(), date.subject.as_str()) {
        ("plan", "*") => "全部措施".into(),
        ("plan", no) => format!("第 {no} 条措施"),
        ("data", "*") => format!("全部数据项 {}", date.period),
        ("data", code) => match (catalogue.series(code), catalogue.department(code)) {
            (Some(s), _) => format!("{} {} {}", s.code, s.name, date.period),
            (None, Some(d)) => format!("{}的全部数据项 {}", d.name, date.period),
            _ => format!("{code} {}", date.period),
        },
        _ => String::new(),
    }
}
