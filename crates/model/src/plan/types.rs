//! The checked plan: what the engine may evaluate. See `docs/plan-format.md` for every field.

pub use crate::method::{Aggregation, Normalise, Outlier, WeightMethod};
use crate::unit::{Level, Plate};
use serde::{Deserialize, Serialize};

/// A checked implementation plan (实施方案).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub header: Header,
    pub groups: Vec<Group>,
    /// Optional middle level: indicators grouped into pillars (e.g. 共性/功能性/特色性).
    pub pillars: Vec<Pillar>,
    pub indicators: Vec<Indicator>,
    pub vetoes: Vec<Veto>,
    pub selection: Selection,
    pub rewards: Vec<Reward>,
    pub method: Method,
}

/// How scores are formed: `[method]` in the file; every field has a default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Method {
    /// How indicator scores are combined into the composite score.
    pub aggregate: Aggregation,
    /// Where the weights come from; `fixed` uses each indicator's `weight`.
    pub weights: WeightMethod,
    /// The top of bounded scales (min-max, goalposts, percentile, fraction of max) and the
    /// factor of TOPSIS and VIKOR composites. Efficacy is 60–100 and distance to target a
    /// fraction by definition.
    pub scale: f64,
    /// The bottom of the min-max scale (default 0: min-max maps onto [floor, scale]).
    pub floor: f64,
    /// Normalise within each peer group (the default) or across all units in scope.
    pub peer: Peer,
    /// Monte Carlo robustness: samples, and how far each weight may move (0.25 = ±25%).
    pub samples: u32,
    pub weight_spread: f64,
}

impl Default for Method {
    fn default() -> Method {
        Method {
            aggregate: Aggregation::Amean,
            weights: WeightMethod::Fixed,
            scale: 100.0,
            floor: 0.0,
            peer: Peer::Group,
            samples: 1000,
            weight_spread: 0.25,
        }
    }
}

/// The population an indicator is normalised over.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Peer {
    #[default]
    Group,
    All,
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
    /// Tightens the programme's `[publication] vetoes` for this measure (`"count"`); a looser
    /// setting than the programme's has no effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publish_vetoes: Option<crate::programme::VetoDisclosure>,
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
    /// Only units of these kinds (`Unit.kind`: 市辖区, 县, 县级市, 国家级经开区 …); empty: any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<String>,
    /// Only these units, by code; empty: any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    /// A size class: the unit's value of a series at the base period decides membership.
    #[serde(default)]
    pub size: Option<SizeClass>,
}

/// `size = { series = "GDP", at_least = 1000 }`: a peer group by size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeClass {
    pub series: String,
    pub at_least: Option<f64>,
    pub below: Option<f64>,
}

impl SizeClass {
    /// Whether a value falls in the class.
    pub fn admits(&self, value: f64) -> bool {
        self.at_least.is_none_or(|a| value >= a) && self.below.is_none_or(|b| value < b)
    }
}

impl Group {
    /// Whether a unit belongs to the group by what the catalogue says of it (its size class, if
    /// any, is decided by the data).
    pub fn admits(&self, unit: Member<'_>) -> bool {
        self.levels.contains(&unit.level)
            && (self.plates.is_empty() || unit.plate.is_some_and(|p| self.plates.contains(&p)))
            && (self.kinds.is_empty() || self.kinds.iter().any(|k| k == unit.kind))
            && (self.units.is_empty() || self.units.iter().any(|c| c == unit.code))
    }
}

/// What a peer group looks at of a unit.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    pub code: &'a str,
    pub level: Level,
    pub plate: Option<Plate>,
    pub kind: &'a str,
}

/// A pillar: a weighted group of indicators, combined first, then combined with the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pillar {
    pub id: String,
    pub name: String,
    /// Weight among the pillars; the pillars' weights sum to 1.
    pub weight: f64,
    #[serde(default)]
    pub aggregate: Aggregation,
    #[serde(default)]
    pub weights: WeightMethod,
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
    /// The pillar it belongs to, when the plan has pillars.
    pub pillar: Option<String>,
    /// Weight within its pillar (or within the plan when there are no pillars).
    pub weight: f64,
    pub normalise: Normalise,
    /// Goalposts' fixed bounds, or efficacy's 不允许值 and 满意值, as [low, high].
    pub bounds: Option<[f64; 2]>,
    /// The target of `normalise = "target"` (progress from the worst value towards it).
    pub target: Option<f64>,
    pub outlier: Option<Outlier>,
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
    /// The mean of the values from the base period to the period.
    Average,
    /// Compound annual growth from base to period, in per cent.
    Cagr,
    /// 提升幅度: the value at the period minus the value a year before.
    Improvement,
    /// 提升幅度 of the score: this year's normalised score minus last year's, within the group.
    ScoreImprovement,
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
            Basis::Average => "多年平均值",
            Basis::Cagr => "年均增速",
            Basis::Improvement => "提升幅度（与上年比）",
            Basis::ScoreImprovement => "得分提升幅度（与上年比）",
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
    /// Winners per group id, in group order; `None` where only the total quota limits.
    pub quota: Vec<(String, Option<u32>)>,
    /// At most this many winners in all, the best scores first.
    pub total: Option<u32>,
    pub min_score: Option<f64>,
    pub tie_break: Vec<String>,
}

/// What the winners of a group get.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reward {
    pub group: String,
    pub amount: Amount,
    pub channel: String,
    pub items: Vec<String>,
}

/// Money, in whole 万元.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Amount {
    /// The same amount for every winner.
    Each(u64),
    /// By rank among the group's winners: the first gets tiers[0] …; winners beyond get the last.
    Tiers(Vec<u64>),
    /// A pool shared in proportion to score by largest remainder; never more than the pool.
    Pool(u64),
    /// Items only (项目、试点安排、用地指标 …).
    None,
}

impl Amount {
    /// In Chinese, as shown to users: 每个 500 万元, 按名次 500/300/200 万元 …
    pub fn label(&self) -> String {
        match self {
            Amount::Each(a) => format!("每个 {a} 万元"),
            Amount::Tiers(t) => {
                let t: Vec<String> = t.iter().map(u64::to_string).collect();
                format!("按名次 {} 万元", t.join("/"))
            }
            Amount::Pool(p) => format!("共 {p} 万元，按得分比例分配"),
            Amount::None => "不涉及资金".into(),
        }
    }

    /// The most this reward can pay to `winners` units.
    pub fn ceiling(&self, winners: u32) -> u64 {
        match self {
            Amount::Each(a) => a * u64::from(winners),
            Amount::Tiers(t) => (0..winners as usize).map(|i| t.get(i).or(t.last()).copied().unwrap_or(0)).sum(),
            Amount::Pool(p) => *p,
            Amount::None => 0,
        }
    }
}
