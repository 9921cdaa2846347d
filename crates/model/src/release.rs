//! The release calendar of the main indicator data (定期通报主要指标数据): which regular data
//! releases the office makes, of which public series, for which periods, and how soon after a
//! period ends. The calendar is data — a TOML file the office edits and loads — never code.
//!
//! ```
//! use jili_model::release::{Frequency, ReleaseCalendar};
//! use jili_model::{Catalogue, Period};
//!
//! let text = r#"
//! [[releases]]
//! id = "quarterly"
//! name = "主要指标数据季度通报"
//! frequency = "季"
//! years = 2
//! due_days = 45
//! "#;
//! let calendar = ReleaseCalendar::from_toml("calendar.toml", text, &Catalogue::default()).unwrap();
//! let q = calendar.entry("quarterly").unwrap();
//! assert_eq!(q.frequency, Frequency::Quarter);
//! let cutoff: Period = "2024-Q3".parse().unwrap();
//! assert!(q.covers(cutoff, "2023-Q4".parse().unwrap()));
//! assert!(!q.covers(cutoff, "2024-Q4".parse().unwrap()), "after the cut-off");
//! assert!(!q.covers(cutoff, "2022-Q4".parse().unwrap()), "before the years it covers");
//! assert_eq!(q.due(cutoff), (2024, 11, 14));
//! ```

use crate::catalogue::Catalogue;
pub use crate::date::{civil, days};
use crate::period::{Part, Period};
use crate::series::Series;
use serde::{Deserialize, Serialize};

/// How often a release comes out, which is also the kind of period it publishes and the
/// catalogue frequency (`年`, `季`, `月`) of the series it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Frequency {
    #[serde(rename = "年")]
    Year,
    #[serde(rename = "季")]
    Quarter,
    #[serde(rename = "月")]
    Month,
}

impl Frequency {
    /// The word the catalogue and the calendar use: 年, 季, 月.
    pub fn word(self) -> &'static str {
        match self {
            Frequency::Year => "年",
            Frequency::Quarter => "季",
            Frequency::Month => "月",
        }
    }

    /// The frequency a period is of (a cumulative 1-N月 period counts as monthly).
    pub fn of(p: Period) -> Frequency {
        match p.part {
            Part::Year => Frequency::Year,
            Part::Quarter(_) => Frequency::Quarter,
            Part::Month(_) | Part::ToMonth(_) => Frequency::Month,
        }
    }

    /// The periods of this frequency that end in `year`, in time order (the possible cut-offs).
    pub fn periods_in(self, year: i32) -> Vec<Period> {
        match self {
            Frequency::Year => vec![Period::year(year)],
            Frequency::Quarter => (1..=4).map(|q| Period { year, part: Part::Quarter(q) }).collect(),
            Frequency::Month => (1..=12).map(|m| Period { year, part: Part::Month(m) }).collect(),
        }
    }
}

/// One regular release of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseSchedule {
    /// Short ASCII code, used in addresses and at the command line (`quarterly`).
    pub id: String,
    /// Its title (主要指标数据季度通报).
    pub name: String,
    pub frequency: Frequency,
    /// The series it holds; empty: every public series of its frequency in the catalogue.
    #[serde(default)]
    pub series: Vec<String>,
    /// How many calendar years it covers, ending with the cut-off's year.
    pub years: u32,
    /// It is due this many days after its cut-off period ends.
    pub due_days: u32,
}

/// The office's release calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseCalendar {
    #[serde(default)]
    pub releases: Vec<ReleaseSchedule>,
}

impl ReleaseCalendar {
    /// Read and check a calendar file against the catalogue; every problem is reported at once,
    /// each saying what to change.
    pub fn from_toml(file: &str, text: &str, catalogue: &Catalogue) -> Result<ReleaseCalendar, String> {
        let calendar: ReleaseCalendar =
            toml::from_str(text).map_err(|e| format!("通报日程文件“{file}”无法读取：{}", e.message().trim()))?;
        let mut problems = Vec::new();
        if calendar.releases.is_empty() {
            problems.push("没有任何通报：请至少写一个 [[releases]]".to_string());
        }
        for (i, r) in calendar.releases.iter().enumerate() {
            let at = format!("第 {} 个通报（{}）", i + 1, r.id);
            if r.id.is_empty() || r.id.len() > 32 || !r.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                problems.push(format!("{at}：id 只能用英文字母、数字和连字符，1–32 个字符"));
            }
            if calendar.releases[..i].iter().any(|o| o.id == r.id) {
                problems.push(format!("{at}：id 与前面的通报重复"));
            }
            if r.name.trim().is_empty() || r.name.chars().count() > 100 {
                problems.push(format!("{at}：name 须写通报名称（不超过 100 个字）"));
            }
            if !(1..=10).contains(&r.years) {
                problems.push(format!("{at}：years 须在 1–10 之间（收录截止期所在年份及之前几年）"));
            }
            if r.due_days > 366 {
                problems.push(format!("{at}：due_days 不能超过 366 天"));
            }
            for code in &r.series {
                match catalogue.series(code) {
                    None => problems.push(format!("{at}：数据项目录中没有“{code}”")),
                    Some(s) if !s.public => {
                        problems.push(format!("{at}：“{code} {}”原则上不向社会公布，不能列入通报", s.name))
                    }
                    Some(s) if s.frequency != r.frequency.word() => problems.push(format!(
                        "{at}：“{code} {}”是{}度数据，不能列入{}度通报",
                        s.name,
                        s.frequency,
                        r.frequency.word()
                    )),
                    Some(_) => {}
                }
            }
        }
        if problems.is_empty() {
            Ok(calendar)
        } else {
            Err(format!("通报日程文件“{file}”有 {} 处问题：\n{}", problems.len(), problems.join("\n")))
        }
    }

    /// The release with this id.
    pub fn entry(&self, id: &str) -> Option<&ReleaseSchedule> {
        self.releases.iter().find(|r| r.id == id)
    }
}

impl ReleaseSchedule {
    /// The series it holds, in code order: those listed, or every public series of its
    /// frequency. Never a series the catalogue does not mark public.
    pub fn series_in<'a>(&self, catalogue: &'a Catalogue) -> Vec<&'a Series> {
        let wanted = |s: &&Series| {
            s.public
                && if self.series.is_empty() {
                    s.frequency == self.frequency.word()
                } else {
                    self.series.contains(&s.code)
                }
        };
        catalogue.all_series().filter(wanted).collect()
    }

    /// Why `cutoff` cannot be this release's cut-off, if it cannot.
    pub fn check_cutoff(&self, cutoff: Period) -> Result<(), String> {
        if Frequency::of(cutoff) != self.frequency || matches!(cutoff.part, Part::ToMonth(_)) {
            let example = self.frequency.periods_in(cutoff.year).last().map(Period::to_string).unwrap_or_default();
            return Err(format!(
                "“{}”是{}度通报，截止期应是一个{}，如 {example}；收到的是“{}”",
                self.name,
                self.frequency.word(),
                match self.frequency {
                    Frequency::Year => "年份",
                    Frequency::Quarter => "季度",
                    Frequency::Month => "月份",
                },
                cutoff.label()
            ));
        }
        Ok(())
    }

    /// Whether a value of period `p` belongs in the release cut off at `cutoff`: a period of its
    /// frequency, not after the cut-off, in the years it covers.
    pub fn covers(&self, cutoff: Period, p: Period) -> bool {
        let first = cutoff.year - i32::try_from(self.years).unwrap_or(1) + 1;
        Frequency::of(p) == self.frequency
            && !matches!(p.part, Part::ToMonth(_))
            && p.year >= first
            && p.year <= cutoff.year
            && (p.year < cutoff.year || p.part <= cutoff.part)
    }

    /// The date (year, month, day) by which the release cut off at `cutoff` is due.
    pub fn due(&self, cutoff: Period) -> (i32, u32, u32) {
        civil(days(period_end(cutoff)) + i64::from(self.due_days))
    }
}

/// The last day (year, month, day) of a period.
pub fn period_end(p: Period) -> (i32, u32, u32) {
    let month = match p.part {
        Part::Year => 12,
        Part::Quarter(q) => u32::from(q) * 3,
        Part::Month(m) | Part::ToMonth(m) => u32::from(m),
    };
    // The day before the first of the next month.
    let next = if month == 12 { (p.year + 1, 1, 1) } else { (p.year, month + 1, 1) };
    civil(days(next) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::Nature;

    fn series(code: &str, frequency: &str, public: bool) -> Series {
        Series {
            code: code.into(),
            name: format!("{code}名称"),
            unit: "亿元".into(),
            frequency: frequency.into(),
            owner: "TJJ".into(),
            public,
            nature: Nature::Outcome,
            additive: true,
            description: String::new(),
        }
    }

    fn catalogue() -> Catalogue {
        Catalogue::new(
            vec![],
            vec![],
            vec![series("GDP", "年", true), series("GDP_Q", "季", true), series("SECRET_Q", "季", false)],
        )
    }

    #[test]
    fn an_empty_series_list_means_every_public_series_of_the_frequency() {
        let text = "[[releases]]\nid = \"q\"\nname = \"季度通报\"\nfrequency = \"季\"\nyears = 1\ndue_days = 45\n";
        let catalogue = catalogue();
        let c = ReleaseCalendar::from_toml("c.toml", text, &catalogue).unwrap_or_default();
        let codes: Vec<&str> = c.releases[0].series_in(&catalogue).iter().map(|s| s.code.as_str()).collect();
        assert_eq!(codes, ["GDP_Q"], "the confidential quarterly series and the annual one are left out");
    }

    #[test]
    fn confidential_unknown_and_wrong_frequency_series_are_refused_together() {
        let text = "[[releases]]\nid = \"q 1\"\nname = \"季度通报\"\nfrequency = \"季\"\nseries = [\"SECRET_Q\", \"GDP\", \"NOPE\"]\nyears = 0\ndue_days = 45\n";
        let err = ReleaseCalendar::from_toml("c.toml", text, &catalogue()).unwrap_err();
        for part in ["5 处问题", "不向社会公布", "年度数据", "没有“NOPE”", "years", "id 只能"] {
            assert!(err.contains(part), "{part}: {err}");
        }
        let bad = ReleaseCalendar::from_toml("c.toml", "[[releases]]\nid = \"x\"\nfrequency = \"周\"\n", &catalogue());
        assert!(bad.unwrap_err().contains("无法读取"));
    }

    #[test]
    fn cutoffs_match_the_frequency_and_due_dates_count_from_the_period_end() {
        let annual = ReleaseSchedule {
            id: "a".into(),
            name: "年度通报".into(),
            frequency: Frequency::Year,
            series: vec![],
            years: 3,
            due_days: 90,
        };
        assert!(annual.check_cutoff(Period::year(2024)).is_ok());
        let q3: Period = "2024-Q3".parse().unwrap_or(Period::year(0));
        assert!(annual.check_cutoff(q3).unwrap_err().contains("如 2024"));
        assert_eq!(annual.due(Period::year(2024)), (2025, 3, 31));
        assert!(annual.covers(Period::year(2024), Period::year(2022)));
        assert!(!annual.covers(Period::year(2024), Period::year(2021)));
        assert!(!annual.covers(Period::year(2024), q3));
        assert_eq!(period_end("2024-Q1".parse().unwrap_or(q3)), (2024, 3, 31));
        assert_eq!(period_end("2024-M02".parse().unwrap_or(q3)), (2024, 2, 29));
        assert_eq!(civil(days((2024, 12, 31)) + 1), (2025, 1, 1));
    }
}
