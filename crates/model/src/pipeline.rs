//! The steps `jili index` may run on the raw data before it normalises, each following the
//! COINr function of the same name: `Denominate`, `Impute`, `Screen`, `Treat`. They run in
//! COINr's worked-example order (denominate, impute, screen what is still missing, treat).

use serde::{Deserialize, Serialize};

/// What a build does to the data before normalising. The default does nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Pipeline {
    /// Divide each indicator by its iMeta `Denominator` column.
    pub denominate: bool,
    pub impute: Impute,
    /// Drop units with less than this share of indicator values (COINr's `dat_thresh`).
    pub screen: Option<f64>,
    pub treat: Treat,
}

/// How a missing indicator value is filled (COINr's `i_mean`, `i_median`, `i_mean_grp`,
/// `i_median_grp`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impute {
    #[default]
    None,
    Mean,
    Median,
    /// The mean of the unit's group in the named iData column.
    GroupMean(String),
    GroupMedian(String),
}

impl Impute {
    /// `none`, `mean`, `median`, `group-mean:COL`, `group-median:COL`.
    pub fn parse(s: &str) -> Result<Impute, String> {
        let s = s.trim();
        let group = |rest: &str| {
            let col = rest.trim();
            if col.is_empty() {
                Err(format!("“{s}”缺少分组列名：应写成 group-mean:EurAsia_group"))
            } else {
                Ok(col.to_string())
            }
        };
        match s.split_once(':') {
            Some(("group-mean", col)) => group(col).map(Impute::GroupMean),
            Some(("group-median", col)) => group(col).map(Impute::GroupMedian),
            _ => match s {
                "none" => Ok(Impute::None),
                "mean" => Ok(Impute::Mean),
                "median" => Ok(Impute::Median),
                _ => Err(format!("补齐方法“{s}”不认识：可用 none、mean、median、group-mean:列名、group-median:列名")),
            },
        }
    }

    /// The iData group column the rule reads, if any.
    pub fn group(&self) -> Option<&str> {
        match self {
            Impute::GroupMean(c) | Impute::GroupMedian(c) => Some(c),
            _ => None,
        }
    }
}

/// Outlier treatment (COINr's `Treat` with its default functions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Treat {
    #[default]
    None,
    /// Winsorise up to `max` points while |skewness| ≥ 2 and kurtosis ≥ 3.5; where that does not
    /// bring the column within both, the original column is log-transformed instead.
    Winsorise { max: usize },
}

/// COINr's default `winmax`.
pub const WINSORISE_DEFAULT_MAX: usize = 5;

impl Treat {
    /// `none`, `winsorise` or `winsorise:MAX`.
    pub fn parse(s: &str) -> Result<Treat, String> {
        match s.trim().split_once(':') {
            None if s.trim() == "none" => Ok(Treat::None),
            None if s.trim() == "winsorise" => Ok(Treat::Winsorise { max: WINSORISE_DEFAULT_MAX }),
            Some(("winsorise", n)) => match n.trim().parse::<usize>() {
                Ok(max) if (1..=1000).contains(&max) => Ok(Treat::Winsorise { max }),
                _ => Err(format!("“{s}”中的点数应为 1 到 1000 的整数，例如 winsorise:5")),
            },
            _ => Err(format!("处理方法“{s}”不认识：可用 none、winsorise、winsorise:点数")),
        }
    }
}

/// Which iData rows a build reads when `Time` has several values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Time {
    /// Each unit's latest row.
    #[default]
    Latest,
    /// The rows of one year.
    Year(f64),
    /// Every row: a panel, one build per year.
    All,
}

impl Time {
    /// `latest`, `all` or a year.
    pub fn parse(s: &str) -> Result<Time, String> {
        match s.trim() {
            "latest" => Ok(Time::Latest),
            "all" => Ok(Time::All),
            y => y
                .parse::<f64>()
                .ok()
                .filter(|y| y.is_finite())
                .map(Time::Year)
                .ok_or_else(|| format!("“{s}”应为年份（如 2020）、all 或 latest")),
        }
    }
}

/// Normalisation bounds of a panel: each year its own, or pooled over all years (COINr's
/// `Normalise(global = TRUE)`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bounds {
    #[default]
    Year,
    Pooled,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_as_typed_and_say_what_is_wrong() {
        assert_eq!(Impute::parse("group-mean:EurAsia_group"), Ok(Impute::GroupMean("EurAsia_group".into())));
        assert_eq!(Impute::parse("median"), Ok(Impute::Median));
        assert!(Impute::parse("group-mean:").unwrap_err().contains("分组列名"));
        assert!(Impute::parse("knn").unwrap_err().contains("knn"));
        assert_eq!(Treat::parse("winsorise:5"), Ok(Treat::Winsorise { max: 5 }));
        assert_eq!(Treat::parse("winsorise"), Ok(Treat::Winsorise { max: WINSORISE_DEFAULT_MAX }));
        assert!(Treat::parse("winsorise:0").is_err() && Treat::parse("trim").is_err());
    }
}
