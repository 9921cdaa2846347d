//! Evaluated units (评价对象): 市州, 县市区, 管理区, 园区, and the province above them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a measure can reward. A measure names levels; a unit has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// The province itself; never evaluated, the root of the tree.
    #[serde(rename = "省")]
    Province,
    #[serde(rename = "市州")]
    City,
    #[serde(rename = "县市区")]
    County,
    /// Statistical-only management zones (屈原、西洞庭 …), rewarded with counties where a plan says so.
    #[serde(rename = "管理区")]
    Zone,
    #[serde(rename = "园区")]
    Park,
}

impl Level {
    /// All levels, in display order.
    pub const ALL: [Level; 5] = [Level::Province, Level::City, Level::County, Level::Zone, Level::Park];

    /// The Chinese name used in files and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "省",
            Level::City => "市州",
            Level::County => "县市区",
            Level::Zone => "管理区",
            Level::Park => "园区",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Level::ALL
            .into_iter()
            .find(|l| l.as_str() == s.trim())
            .ok_or_else(|| format!("未知的单位层级“{s}”，应为 省、市州、县市区、管理区 或 园区"))
    }
}

/// The four regional plates (板块) of the notice; counties inherit their 市州's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Plate {
    #[serde(rename = "长株潭")]
    ChangZhuTan,
    #[serde(rename = "洞庭湖")]
    Dongting,
    #[serde(rename = "湘南")]
    Xiangnan,
    #[serde(rename = "大湘西")]
    Xiangxi,
}

impl Plate {
    /// All plates in the order the notice lists them.
    pub const ALL: [Plate; 4] = [Plate::ChangZhuTan, Plate::Dongting, Plate::Xiangnan, Plate::Xiangxi];

    /// The Chinese name used in files and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Plate::ChangZhuTan => "长株潭",
            Plate::Dongting => "洞庭湖",
            Plate::Xiangnan => "湘南",
            Plate::Xiangxi => "大湘西",
        }
    }
}

impl fmt::Display for Plate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Plate {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Plate::ALL
            .into_iter()
            .find(|p| p.as_str() == s.trim())
            .ok_or_else(|| format!("未知的板块“{s}”，应为 长株潭、洞庭湖、湘南 或 大湘西"))
    }
}

/// One evaluated unit (or the province). Codes are GB/T 2260 six digits for divisions and
/// jili's own `YQ…` codes for parks without a statistical code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub code: String,
    pub name: String,
    /// The name used when matching provider files (长沙市 → 长沙, 湘西土家族苗族自治州 → 湘西州).
    pub short_name: String,
    pub level: Level,
    /// 地级市 / 自治州 / 市辖区 / 县级市 / 县 / 自治县 / 管理区 / 园区, or a park's class (国家级经开区 …).
    pub kind: String,
    /// The parent's code: the province for 市州, the 市州 for counties, the host county for parks.
    pub parent: Option<String>,
    pub plate: Option<Plate>,
    /// First day (YYYY-MM-DD) the row is vouched for.
    pub valid_from: String,
    /// Last day a retired code was in force; `None` while in force.
    pub valid_to: Option<String>,
    /// Where the row comes from (file and version), shown wherever the unit is.
    pub source: String,
}

impl Unit {
    /// Whether the unit's code is in force at any time in `year`.
    pub fn valid_in(&self, year: i32) -> bool {
        let from_ok = year_of(&self.valid_from).is_none_or(|y| y <= year);
        let to_ok = self.valid_to.as_deref().and_then(year_of).is_none_or(|y| y >= year);
        from_ok && to_ok
    }
}

fn year_of(date: &str) -> Option<i32> {
    date.get(..4)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(from: &str, to: Option<&str>) -> Unit {
        Unit {
            code: "431121".into(),
            name: "祁阳县".into(),
            short_name: "祁阳县".into(),
            level: Level::County,
            kind: "县".into(),
            parent: Some("431100".into()),
            plate: Some(Plate::Xiangnan),
            valid_from: from.into(),
            valid_to: to.map(Into::into),
            source: "test".into(),
        }
    }

    #[test]
    fn validity_by_year() {
        let retired = unit("2010-01-01", Some("2020-12-31"));
        assert!(retired.valid_in(2020));
        assert!(!retired.valid_in(2021));
        assert!(!retired.valid_in(2024));
        let new = unit("2021-01-01", None);
        assert!(!new.valid_in(2020));
        assert!(new.valid_in(2024));
    }

    #[test]
    fn levels_and_plates_round_trip_their_chinese_names() {
        for l in Level::ALL {
            assert_eq!(l.as_str().parse::<Level>(), Ok(l));
        }
        for p in Plate::ALL {
            assert_eq!(p.as_str().parse::<Plate>(), Ok(p));
        }
        assert!("县区".parse::<Level>().unwrap_err().contains("县区"));
    }
}
