//! The office's calendar of a programme year (issue 18) and the progress board's words: what a
//! date is for ([`DueKind`]), and where a plan or a delivery stands against its date
//! ([`Progress`]). Pure: the app brings the dates, the deliveries and today.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a date of the calendar is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DueKind {
    /// 实施方案报送: a measure's plan submitted for review.
    Plan,
    /// 数据报送: a series' values for a period from its providing department.
    Data,
    /// 评价: the evaluation run.
    Evaluation,
    /// 结果公布.
    Publication,
}

impl DueKind {
    pub const ALL: [DueKind; 4] = [DueKind::Plan, DueKind::Data, DueKind::Evaluation, DueKind::Publication];

    /// The word stored and typed (`jili calendar set plan …`).
    pub fn as_str(self) -> &'static str {
        match self {
            DueKind::Plan => "plan",
            DueKind::Data => "data",
            DueKind::Evaluation => "evaluation",
            DueKind::Publication => "publication",
        }
    }

    /// In Chinese.
    pub fn label(self) -> &'static str {
        match self {
            DueKind::Plan => "实施方案报送",
            DueKind::Data => "数据报送",
            DueKind::Evaluation => "评价",
            DueKind::Publication => "结果公布",
        }
    }
}

impl fmt::Display for DueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DueKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        DueKind::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or_else(|| {
            format!("没有日程类别“{}”：可用 plan（实施方案报送）、data（数据报送）、evaluation（评价）、publication（结果公布）", s.trim())
        })
    }
}

/// Where an item stands against its date on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// 按时: done on or before its date.
    OnTime,
    /// 逾期报送: done, after its date.
    Late,
    /// 逾期未报: not done, and its date has passed.
    Missing,
    /// 未到期: not done, its date not yet passed.
    NotDue,
    /// 已报送（未定日期）: done, with no date set.
    DoneUndated,
    /// 未定日期: not done, with no date set.
    Undated,
}

impl Progress {
    /// Where an item stands on `today`: `done` is the day it was done (Beijing time), `due` its
    /// last day; a day counts as on time through its end.
    pub fn of(due: Option<Day>, done: Option<Day>, today: Day) -> Progress {
        match (due, done) {
            (Some(due), Some(done)) if done <= due => Progress::OnTime,
            (Some(_), Some(_)) => Progress::Late,
            (Some(due), None) if today > due => Progress::Missing,
            (Some(_), None) => Progress::NotDue,
            (None, Some(_)) => Progress::DoneUndated,
            (None, None) => Progress::Undated,
        }
    }

    /// The word used in JSON and in filters.
    pub fn as_str(self) -> &'static str {
        match self {
            Progress::OnTime => "on_time",
            Progress::Late => "late",
            Progress::Missing => "missing",
            Progress::NotDue => "not_due",
            Progress::DoneUndated => "done_undated",
            Progress::Undated => "undated",
        }
    }

    /// In Chinese.
    pub fn label(self) -> &'static str {
        match self {
            Progress::OnTime => "按时",
            Progress::Late => "逾期报送",
            Progress::Missing => "逾期未报",
            Progress::NotDue => "未到期",
            Progress::DoneUndated => "已报送（未定日期）",
            Progress::Undated => "未定日期",
        }
    }

    /// Whether the office has to chase it (its date passed and it is not done).
    pub fn overdue(self) -> bool {
        self == Progress::Missing
    }
}

/// A calendar day (Beijing time), ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Day(pub i32, pub u32, pub u32);

impl Day {
    /// A day written `YYYY-MM-DD`, checked to exist.
    pub fn parse(text: &str) -> Result<Day, String> {
        let t = text.trim();
        let bad = || format!("日期“{t}”无效：请写成 YYYY-MM-DD，如 2025-03-31");
        let b = t.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let y: i32 = t[0..4].parse().map_err(|_| bad())?;
        let m: u32 = t[5..7].parse().map_err(|_| bad())?;
        let d: u32 = t[8..10].parse().map_err(|_| bad())?;
        if !(1..=12).contains(&m) || d == 0 || crate::date::civil(crate::date::days((y, m, d))) != (y, m, d) {
            return Err(bad());
        }
        Ok(Day(y, m, d))
    }

    /// The day of a UTC timestamp (`2024-05-29T01:01:01Z`) in Beijing (UTC+8), from its
    /// seconds since the Unix epoch.
    pub fn beijing(unix_secs: i64) -> Day {
        let (y, m, d) = crate::date::civil((unix_secs + 8 * 3600).div_euclid(86_400));
        Day(y, m, d)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0, self.1, self.2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_against_a_date() {
        let due = Day::parse("2025-03-31").unwrap();
        let (before, on, after) = (Day(2025, 3, 1), Day(2025, 3, 31), Day(2025, 4, 1));
        assert_eq!(Progress::of(Some(due), Some(on), after), Progress::OnTime);
        assert_eq!(Progress::of(Some(due), Some(after), after), Progress::Late);
        assert_eq!(Progress::of(Some(due), None, after), Progress::Missing);
        assert_eq!(Progress::of(Some(due), None, on), Progress::NotDue);
        assert_eq!(Progress::of(None, Some(before), after), Progress::DoneUndated);
        assert_eq!(Progress::of(None, None, after), Progress::Undated);
        assert!(Day::parse("2025-02-29").is_err() && Day::parse("2025/03/01").is_err());
        assert_eq!(
            Day::beijing(1_716_940_800 - 3600).to_string(),
            "2024-05-29",
            "23:00 UTC is the next day in Beijing"
        );
        assert_eq!("data".parse::<DueKind>(), Ok(DueKind::Data));
        assert!("plans".parse::<DueKind>().unwrap_err().contains("plan"));
    }
}
