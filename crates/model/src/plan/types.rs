//! The checked plan: what the engine may evaluate. See `docs/plan-format.md` for every field.

use crate::unit::{Level, Plate};
use serde::{Deserialize, Serialize};

/// A checked implementation plan (实施方案).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub header: Header,
    pub groups: Vec<Group>,
    pub indicators: Vec<Indicator>,
    pub vetoes: Vec<Veto>,
    pub selection: Selection,
    pub rewards: Vec<Reward>,
}

/// What the plan is for: `[plan]` in the file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub measure: u32,
    pub year: i32,
    pub title: String,
    pub lead: String,
    pub period: i32,
    pub base: i32,
    pub units: Vec<Level>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// A 示例方案 written by jili, not by the lead department.
    #[serde(default)]
    pub example: bool,
    #[serde(default)]
    pub missing: MissingRule,
    #[serde(default)]
    pub publish_ranking: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// What to do when a unit lacks a value for an indicator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingRule {
    /// Skip the indicator and re-weight over what the unit has.
    #[default]
    Reweight,
    GroupMean,
    GroupMedian,
    Zero,
    Ineligible,
}

impl MissingRule {
    /// The Chinese words shown to users.
    pub fn label(self) -> &'static str {
        match self {
            MissingRule::Reweight => "跳过该指标，按其余指标重新计权",
            MissingRule::GroupMean => "以同组平均值补齐",
            MissingRule::GroupMedian => "以同组中位数补齐",
            MissingRule::Zero => "按零分计",
            MissingRule::Ineligible => "不参加评选",
        }
    }
}

/// A peer group: units are normalised, ranked and selected inside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub levels: Vec<Level>,
    #[serde(default)]
    pub plates: Vec<Plate>,
}

impl Group {
    /// Whether a unit of this level and plate belongs to the group.
    pub fn admits(&self, level: Level, plate: Option<Plate>) -> bool {
        self.levels.contains(&level) && (self.plates.is_empty() || plate.is_some_and(|p| self.plates.contains(&p)))
    }
}

/// One indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub series: String,
    pub basis: Basis,
    pub polarity: Polarity,
    pub category: Category,
    pub applies_to: AppliesTo,
    pub weight: f64,
    pub normalise: Normalise,
    pub note: Option<String>,
}

/// The notice's 总量、增量、比率, and ratios of two series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// 总量: the value at the period.
    Total,
    /// 增量: value(period) − value(base).
    Increment,
    /// 比率: value(period) / value(base) − 1, in per cent.
    Rate,
    /// The value at the period of a series that is itself a rate or share.
    Level,
    /// series / denominator × factor at the period.
    Ratio(Ratio),
}

/// The denominator of a ratio indicator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ratio {
    pub denominator: String,
    #[serde(default = "one")]
    pub factor: f64,
}

fn one() -> f64 {
    1.0
}

impl Basis {
    /// The Chinese word shown to users.
    pub fn label(&self) -> &'static str {
        match self {
            Basis::Total => "总量",
            Basis::Increment => "增量",
            Basis::Rate => "比率（增速）",
            Basis::Level => "水平值",
            Basis::Ratio(_) => "比率（比值）",
        }
    }
}

/// Which direction is better.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    #[default]
    Higher,
    Lower,
    /// The closer to the target, the better.
    Target(f64),
}

impl Polarity {
    /// The Chinese words shown to users.
    pub fn label(&self) -> String {
        match self {
            Polarity::Higher => "越高越好".into(),
            Polarity::Lower => "越低越好".into(),
            Polarity::Target(t) => format!("越接近 {t} 越好"),
        }
    }
}

/// 共性 / 功能性 / 特色性, as the notice groups indicators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Category {
    #[serde(rename = "共性")]
    Common,
    #[serde(rename = "功能性")]
    Functional,
    #[serde(rename = "特色性")]
    Characteristic,
}

impl Category {
    /// The Chinese word used in files and on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Common => "共性",
            Category::Functional => "功能性",
            Category::Characteristic => "特色性",
        }
    }
}

/// Which units an indicator applies to; the others are re-weighted over the rest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppliesTo {
    #[default]
    All,
    Plates(Vec<Plate>),
    Units(Vec<String>),
}

/// How values are put on a common scale inside a peer group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalise {
    #[default]
    Minmax,
    Zscore,
    Rank,
    Percentile,
    FractionOfMax,
    Efficacy,
}

/// 一票否决: a condition on a series that makes a unit ineligible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Veto {
    pub series: String,
    pub threshold: Threshold,
    pub reason: String,
    pub basis: String,
}

/// The side of the threshold that triggers a veto.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    Above(f64),
    Below(f64),
}

/// Who wins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selection {
    /// Winners per group id, in group order.
    pub quota: Vec<(String, u32)>,
    pub min_score: Option<f64>,
    pub tie_break: Vec<String>,
}

/// What each winner of a group gets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reward {
    pub group: String,
    /// 万元, whole.
    pub amount_wan: u64,
    pub channel: String,
    #[serde(default)]
    pub items: Vec<String>,
}
