//! What kind of numbers a series holds, and so which anomaly tests mean anything for it. A
//! debt-risk grade of 1–4 is not a quantity: a move from 1 to 2 is not "+100% 同比", and its
//! first digits say nothing about Benford's law. The kind is inferred from the catalogue (unit
//! and name) and can be set per series in the rules file (`[series.CODE] kind = "grade"`).

use jili_model::Series;
use serde::Deserialize;

/// The kind of a series' values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeriesKind {
    /// An amount or level measured on a continuous scale (亿元, 元, 万人, 公顷 …).
    Continuous,
    /// Whole counts (个, 家, 起, 人 …): often small, with many zeros.
    Count,
    /// A share or rate in % (比重, 增速, 覆盖率 …): compared in percentage points.
    Share,
    /// An ordered grade (风险等级 1–4): not a quantity.
    Grade,
    /// A yes/no indicator (0 or 1).
    Flag,
}

impl SeriesKind {
    /// The word used in the rules file.
    pub fn as_str(self) -> &'static str {
        match self {
            SeriesKind::Continuous => "continuous",
            SeriesKind::Count => "count",
            SeriesKind::Share => "share",
            SeriesKind::Grade => "grade",
            SeriesKind::Flag => "flag",
        }
    }

    /// In Chinese, for the rules page and `jili data checks`.
    pub fn label(self) -> &'static str {
        match self {
            SeriesKind::Continuous => "连续量",
            SeriesKind::Count => "计数",
            SeriesKind::Share => "比重/比率",
            SeriesKind::Grade => "等级",
            SeriesKind::Flag => "是否指标",
        }
    }

    /// What the catalogue implies: grades by their unit 级 or a name with 等级; yes/no by a
    /// name beginning 是否; counts by a whole unit of measure; shares by %.
    pub fn infer(series: &Series, whole: bool) -> SeriesKind {
        let (unit, name) = (series.unit.as_str(), series.name.as_str());
        if unit == "级" || name.contains("等级") {
            SeriesKind::Grade
        } else if name.starts_with("是否") || unit == "是/否" {
            SeriesKind::Flag
        } else if whole {
            SeriesKind::Count
        } else if unit == "%" || unit == "‰" {
            SeriesKind::Share
        } else {
            SeriesKind::Continuous
        }
    }
}

/// Which anomaly tests apply to one series, resolved from its kind and the rules file.
#[derive(Debug, Clone, PartialEq)]
pub struct Tests {
    pub kind: SeriesKind,
    /// The modified z-score among peers.
    pub outlier: bool,
    /// The year-on-year change against the series' usual changes.
    pub yoy: bool,
    /// Whether the series' values count in a Benford first-digit test.
    pub benford: bool,
    /// A plausible range: outside it the value is flagged (never rejected).
    pub expected: (Option<f64>, Option<f64>),
    /// Whether a 市州's value is checked against the sum of its counties.
    pub county_sum: bool,
}

impl Tests {
    /// The defaults of a kind. Counts are small integers with many zeros: a change from 1 to 3
    /// accidents is +200% and means nothing, so they get no year-on-year test, and they are
    /// compared with peers only when they add up (firms, projects — not accidents). Benford's
    /// law describes amounts spanning orders of magnitude: additive continuous series only.
    pub fn of_kind(kind: SeriesKind, additive: bool) -> Tests {
        let (outlier, yoy, benford) = match kind {
            SeriesKind::Continuous => (true, true, additive),
            SeriesKind::Count => (additive, false, false),
            SeriesKind::Share => (true, true, false),
            SeriesKind::Grade | SeriesKind::Flag => (false, false, false),
        };
        let county_sum = additive && matches!(kind, SeriesKind::Continuous | SeriesKind::Count);
        Tests { kind, outlier, yoy, benford, expected: (None, None), county_sum }
    }

    /// No test at all: for series the catalogue does not know.
    pub fn none() -> Tests {
        Tests {
            kind: SeriesKind::Continuous,
            outlier: false,
            yoy: false,
            benford: false,
            expected: (None, None),
            county_sum: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(name: &str, unit: &str, additive: bool) -> Series {
        Series {
            code: "X".into(),
            name: name.into(),
            unit: unit.into(),
            frequency: "年".into(),
            owner: "TJJ".into(),
            public: true,
            nature: jili_model::Nature::Outcome,
            additive,
            description: String::new(),
        }
    }

    #[test]
    fn grades_and_flags_get_no_continuous_test() {
        let grade = series("法定债务风险等级", "级", false);
        let kind = SeriesKind::infer(&grade, false);
        assert_eq!(kind, SeriesKind::Grade);
        let t = Tests::of_kind(kind, false);
        assert!(!t.outlier && !t.yoy && !t.benford && !t.county_sum);
        assert_eq!(SeriesKind::infer(&series("是否发生重大事故", "", false), false), SeriesKind::Flag);
    }

    #[test]
    fn amounts_counts_and_shares() {
        assert_eq!(SeriesKind::infer(&series("地区生产总值", "亿元", true), false), SeriesKind::Continuous);
        assert_eq!(SeriesKind::infer(&series("生产安全事故起数", "起", true), true), SeriesKind::Count);
        assert_eq!(SeriesKind::infer(&series("活跃企业占比", "%", false), false), SeriesKind::Share);
        assert!(Tests::of_kind(SeriesKind::Continuous, true).benford);
        assert!(!Tests::of_kind(SeriesKind::Continuous, false).benford, "per-capita amounts are not Benford");
        assert!(!Tests::of_kind(SeriesKind::Count, true).yoy, "1 → 3 accidents is not a jump");
    }
}
