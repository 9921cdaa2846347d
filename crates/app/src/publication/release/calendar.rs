//! The release calendar: stored in the database once the office loads its own, otherwise the
//! bundled `data/releases/calendar.toml`; and the schedule it gives — each cut-off of the recent
//! years with its due date, whether it was released and whether it is overdue.

use super::ReleaseSummary;
use crate::App;
use crate::access::Action;
use crate::bundled::RELEASE_CALENDAR;
use crate::error::{AppError, Result};
use jili_model::Period;
use jili_model::release::{ReleaseCalendar, ReleaseSchedule, days, period_end};
use serde::Serialize;

/// The settings key of the calendar file.
pub const CALENDAR_KEY: &str = "release_calendar";

/// The calendar with its schedule, as the portal and `jili release calendar` show it.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarView {
    /// Where it is from: 数据库 (the office's own) or the bundled file.
    pub source: String,
    pub releases: Vec<ScheduleView>,
}

/// One regular release of the calendar, with the series it holds and its recent cut-offs.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleView {
    #[serde(flatten)]
    pub schedule: ReleaseSchedule,
    /// `code name` of each series it holds (public only).
    pub series_names: Vec<String>,
    pub cutoffs: Vec<ScheduledRelease>,
}

/// One cut-off of a regular release.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduledRelease {
    pub cutoff: String,
    pub cutoff_label: String,
    /// Due by (YYYY-MM-DD).
    pub due: String,
    /// 已通报, 逾期未通报, 待通报 (the period has ended, not yet due) or 未到期 (not ended).
    pub state: String,
    /// The newest version made, if any.
    pub made: Option<ReleaseSummary>,
}

/// Today's date in Beijing (the office's calendar day).
pub(crate) fn today() -> (i32, u32, u32) {
    jili_model::release::civil((crate::clock::unix_now() + 8 * 3600).div_euclid(86_400))
}

/// A date as YYYY-MM-DD.
pub(crate) fn ymd((y, m, d): (i32, u32, u32)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

impl App {
    /// The calendar in force, and where it is from.
    pub async fn release_calendar(&self) -> Result<(String, ReleaseCalendar)> {
        self.allow(Action::ReadPublished)?;
        let (file, source, text) = match self.store.setting(CALENDAR_KEY).await? {
            Some(text) => ("数据库中的通报日程".to_string(), "数据库（办公厅载入）".to_string(), text),
            None => (RELEASE_CALENDAR.0.to_string(), RELEASE_CALENDAR.0.to_string(), RELEASE_CALENDAR.1.to_string()),
        };
        let calendar = ReleaseCalendar::from_toml(&file, &text, &self.catalogue().await?).map_err(AppError::Invalid)?;
        Ok((source, calendar))
    }

    /// Replace the calendar with the office's own file, after checking it against the catalogue.
    /// Loading the same file again changes nothing and records nothing.
    pub async fn load_release_calendar(&self, file: &str, text: &str) -> Result<ReleaseCalendar> {
        self.allow(Action::Release)?;
        let limits = self.limits().await?;
        if text.len() as u64 > limits.plan_bytes {
            return Err(AppError::Invalid(format!(
                "通报日程文件“{file}”超过上限 {}（plan_bytes）：请检查是否选错了文件",
                jili_model::show_amount(limits.plan_bytes, true)
            )));
        }
        let calendar = ReleaseCalendar::from_toml(file, text, &self.catalogue().await?).map_err(AppError::Invalid)?;
        self.store.put_setting(&self.actor(), CALENDAR_KEY, text).await?;
        Ok(calendar)
    }

    /// The calendar with every cut-off of `years` (when `None`: the year of the newest
    /// programme and the current year): due date and state, and the release made for it.
    pub async fn release_schedule(&self, years: Option<&[i32]>) -> Result<CalendarView> {
        let (source, calendar) = self.release_calendar().await?;
        let catalogue = self.catalogue().await?;
        let made = self.data_releases().await?;
        let today = today();
        let mut default = vec![today.0];
        if let Ok(p) = self.programme(None).await {
            default.insert(0, p.year);
        }
        default.dedup();
        let years = years.unwrap_or(&default);
        let releases = calendar
            .releases
            .into_iter()
            .map(|schedule| {
                let series_names =
                    schedule.series_in(&catalogue).iter().map(|s| format!("{} {}", s.code, s.name)).collect();
                let cutoffs = years
                    .iter()
                    .flat_map(|y| schedule.frequency.periods_in(*y))
                    .map(|p| scheduled(&schedule, p, today, &made))
                    .collect();
                ScheduleView { schedule, series_names, cutoffs }
            })
            .collect();
        Ok(CalendarView { source, releases })
    }
}

/// The state of one cut-off on `today`.
fn scheduled(
    schedule: &ReleaseSchedule,
    p: Period,
    today: (i32, u32, u32),
    made: &[ReleaseSummary],
) -> ScheduledRelease {
    let cutoff = p.to_string();
    let due = schedule.due(p);
    let made = made.iter().find(|r| r.calendar == schedule.id && r.cutoff == cutoff && !r.superseded).cloned();
    let state = if made.is_some() {
        "已通报"
    } else if days(period_end(p)) >= days(today) {
        "未到期"
    } else if days(due) < days(today) {
        "逾期未通报"
    } else {
        "待通报"
    };
    ScheduledRelease { cutoff, cutoff_label: p.label(), due: ymd(due), state: state.to_string(), made }
}
