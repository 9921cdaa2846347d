//! Reporting periods: a year, a quarter, a month, or the months from January to month N
//! (累计, as 统计快报 publish: 2024年1-6月). Stored and exchanged in one canonical text form.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// Which part of the year a period covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Part {
    /// The whole year.
    #[default]
    Year,
    /// Quarter 1–4.
    Quarter(u8),
    /// One month, 1–12.
    Month(u8),
    /// January to this month, cumulated (1-6月 = `ToMonth(6)`).
    ToMonth(u8),
}

/// A reporting period. Annual periods are what plans evaluate; the others are stored and
/// published as they arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    pub part: Part,
}

impl Period {
    /// The calendar year `year`.
    pub fn year(year: i32) -> Self {
        Self { year, part: Part::Year }
    }

    /// Whether the period is a whole year (what an evaluation reads).
    pub fn is_annual(&self) -> bool {
        self.part == Part::Year
    }

    /// The period as a reader says it: 2024年, 2024年第1季度, 2024年6月, 2024年1-6月.
    pub fn label(&self) -> String {
        let y = self.year;
        match self.part {
            Part::Year => format!("{y}年"),
            Part::Quarter(q) => format!("{y}年第{q}季度"),
            Part::Month(m) => format!("{y}年{m}月"),
            Part::ToMonth(m) => format!("{y}年1-{m}月"),
        }
    }

    /// SDMX's TIME_PERIOD: 2024, 2024-Q1, 2024-06, and a cumulative period as a time range
    /// from 1 January (2024-01-01/P6M).
    pub fn sdmx(&self) -> String {
        let y = self.year;
        match self.part {
            Part::Year => format!("{y}"),
            Part::Quarter(q) => format!("{y}-Q{q}"),
            Part::Month(m) => format!("{y}-{m:02}"),
            Part::ToMonth(m) => format!("{y}-01-01/P{m}M"),
        }
    }
}

impl fmt::Display for Period {
    /// The canonical form stored in the database: 2024, 2024-Q1, 2024-M06, 2024-M01-06.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let y = self.year;
        match self.part {
            Part::Year => write!(f, "{y}"),
            Part::Quarter(q) => write!(f, "{y}-Q{q}"),
            Part::Month(m) => write!(f, "{y}-M{m:02}"),
            Part::ToMonth(m) => write!(f, "{y}-M01-{m:02}"),
        }
    }
}

/// Why a text is not a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodError(pub String);

impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "“{}”不是可识别的期别：请写成 2024、2024年、2024-Q1、2024年第一季度、2024M06、2024年6月 或 2024年1-6月",
            self.0
        )
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    /// Every form providers write: 2024, 2024年, 2024-Q1, 2024Q1, 2024年第一季度, 2024年一季度,
    /// 2024M06, 2024-06, 2024年6月, 2024年1-6月, 2024年1—6月, 2024年上半年, and the canonical
    /// forms this type prints. Full-width digits are accepted.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse(text).ok_or_else(|| PeriodError(text.trim().to_string()))
    }
}

fn parse(text: &str) -> Option<Period> {
    // SDMX's time range from 1 January: 2024-01-01/P6M is January to June.
    if let Some((start, length)) = text.trim().split_once("/P")
        && let Some(year) = start.strip_suffix("-01-01")
        && let Some(months) = length.strip_suffix('M')
    {
        let year: i32 = year.parse().ok()?;
        let months: u8 = months.parse().ok()?;
        return ((1949..=2200).contains(&year) && (1..=12).contains(&months))
            .then_some(Period { year, part: Part::ToMonth(months) });
    }
    let t: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            'Ｑ' | 'q' => 'Q',
            'Ｍ' | 'm' => 'M',
            '－' | '—' | '–' | '~' | '～' | '至' => '-',
            _ => c,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    let t = t.strip_suffix("年度").map_or(t.clone(), |s| format!("{s}年"));
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 4 {
        return None;
    }
    let year: i32 = t[..4].parse().ok()?;
    if !(1949..=2200).contains(&year) {
        return None;
    }
    let rest = t[4..].strip_prefix('年').unwrap_or(&t[4..]);
    let rest = rest.strip_prefix('-').unwrap_or(rest);
    let part = match rest {
        "" => Part::Year,
        "上半年" => Part::ToMonth(6),
        "前三季度" => Part::ToMonth(9),
        _ => part(rest)?,
    };
    let ok = match part {
        Part::Year => true,
        Part::Quarter(q) => (1..=4).contains(&q),
        Part::Month(m) | Part::ToMonth(m) => (1..=12).contains(&m),
    };
    ok.then_some(Period { year, part })
}

fn part(rest: &str) -> Option<Part> {
    if let Some(q) = rest.strip_prefix('Q') {
        return Some(Part::Quarter(q.parse().ok()?));
    }
    // 第一季度 / 一季度 / 第1季度
    if let Some(q) = rest.strip_suffix("季度") {
        let q = q.strip_prefix('第').unwrap_or(q);
        let n = match q {
            "一" | "1" => 1,
            "二" | "2" => 2,
            "三" | "3" => 3,
            "四" | "4" => 4,
            _ => return None,
        };
        return Some(Part::Quarter(n));
    }
    // M06, M01-06 (canonical)
    if let Some(m) = rest.strip_prefix('M') {
        return match m.split_once('-') {
            Some(("01", to)) => Some(Part::ToMonth(to.parse().ok()?)),
            Some(_) => None,
            None => Some(Part::Month(m.parse().ok()?)),
        };
    }
    // 6月, 1-6月, 06 (from 2024-06)
    let m = rest.strip_suffix('月').unwrap_or(rest);
    match m.split_once('-') {
        Some((from, to)) => {
            let from: u8 = from.parse().ok()?;
            (from == 1).then_some(())?;
            Some(Part::ToMonth(to.parse().ok()?))
        }
        None if m.bytes().all(|b| b.is_ascii_digit()) && !m.is_empty() && m.len() <= 2 => {
            Some(Part::Month(m.parse().ok()?))
        }
        None => None,
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_annual() {
            // Annual periods stay `{"year": 2024}`, as runs stored before sub-annual periods.
            #[derive(Serialize)]
            struct Annual {
                year: i32,
            }
            Annual { year: self.year }.serialize(s)
        } else {
            s.serialize_str(&self.to_string())
        }
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Annual { year: i32 },
            Text(String),
        }
        match Form::deserialize(d)? {
            Form::Annual { year } => Ok(Period::year(year)),
            Form::Text(t) => t.parse().map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> String {
        t.parse::<Period>().map_or_else(|e| format!("ERR {e}"), |p| p.to_string())
    }

    #[test]
    fn providers_forms() {
        for (text, canonical) in [
            ("2024", "2024"),
            ("2024年", "2024"),
            ("2024年度", "2024"),
            (" ２０２４年 ", "2024"),
            ("2024-Q1", "2024-Q1"),
            ("2024Q3", "2024-Q3"),
            ("2024年第一季度", "2024-Q1"),
            ("2024年四季度", "2024-Q4"),
            ("2024M06", "2024-M06"),
            ("2024-06", "2024-M06"),
            ("2024年6月", "2024-M06"),
            ("2024年1-6月", "2024-M01-06"),
            ("2024年1—6月", "2024-M01-06"),
            ("2024年上半年", "2024-M01-06"),
            ("2024-M01-06", "2024-M01-06"),
        ] {
            assert_eq!(p(text), canonical, "{text}");
        }
    }

    #[test]
    fn not_periods() {
        for text in ["", "24", "2024-Q5", "2024M13", "2024年3-6月", "二〇二四", "12345", "2024.5", "45292"] {
            assert!(p(text).starts_with("ERR"), "{text} → {}", p(text));
        }
    }

    #[test]
    fn canonical_text_round_trips_and_orders() {
        let all: Vec<Period> =
            ["2023", "2024-Q1", "2024-M01-06", "2024-M06", "2024"].iter().map(|t| t.parse().unwrap()).collect();
        for x in &all {
            assert_eq!(x.to_string().parse::<Period>().unwrap(), *x);
        }
        assert!(all[0] < all[1] && all[4] < all[1], "years sort before their parts");
    }

    #[test]
    fn json_keeps_annual_form() {
        assert_eq!(serde_json::to_string(&Period::year(2024)).unwrap(), r#"{"year":2024}"#);
        let q: Period = "2024-Q2".parse().unwrap();
        let json = serde_json::to_string(&q).unwrap();
        assert_eq!(json, r#""2024-Q2""#);
        assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), q);
        assert_eq!(serde_json::from_str::<Period>(r#"{"year":2023}"#).unwrap(), Period::year(2023));
    }

    #[test]
    fn labels_and_sdmx() {
        let q: Period = "2024年1-6月".parse().unwrap();
        assert_eq!((q.label(), q.sdmx()), ("2024年1-6月".to_string(), "2024-01-01/P6M".to_string()));
        assert_eq!(q.sdmx().parse::<Period>().unwrap(), q, "SDMX's own form reads back");
        assert_eq!(Period::year(2024).sdmx(), "2024");
    }
}
