//! What an evaluation returns: serialisable, in a fixed order, so that the same inputs always give
//! the same bytes.

use crate::transform::Reading;
use serde::{Deserialize, Deserializer, Serialize};

/// The result of evaluating one plan on one snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    pub measure: u32,
    pub year: i32,
    pub title: String,
    pub period: i32,
    pub base: i32,
    pub seed: u64,
    pub indicators: Vec<IndicatorInfo>,
    /// The plan's pillars (一级指标), empty when indicators are combined directly.
    pub pillars: Vec<PillarInfo>,
    pub groups: Vec<GroupResult>,
    /// Every unit in scope, by code.
    pub units: Vec<UnitResult>,
    /// Sum of all money awarded, 万元.
    pub total_wan: u64,
    pub robustness: Option<Robustness>,
    /// Things the plan's author should know (a series without any data …), in Chinese.
    pub warnings: Vec<String>,
}

/// An indicator as evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorInfo {
    pub id: String,
    pub name: String,
    pub series: String,
    pub basis: String,
    pub normalise: String,
    /// Weight within its pillar, or within the plan.
    #[serde(deserialize_with = "nan_if_null")]
    pub weight: f64,
    pub pillar: Option<String>,
}

/// A pillar as evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PillarInfo {
    pub id: String,
    pub name: String,
    #[serde(deserialize_with = "nan_if_null")]
    pub weight: f64,
}

/// One peer group's ranking and selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    pub id: String,
    pub quota: Option<u32>,
    /// Unit codes in rank order (units without a score last).
    pub ranking: Vec<String>,
    pub winners: Vec<String>,
    /// The score a unit of this group must beat to win: the group's last winner when its quota
    /// is filled, or the last winner overall when the total quota is, whichever is higher;
    /// `None` when no quota was filled.
    pub cutoff: Option<f64>,
    /// The overall weight of each indicator in plan order (pillar weight × weight within the
    /// pillar), summing to 1.
    #[serde(deserialize_with = "nans_if_null")]
    pub weights: Vec<f64>,
    /// Per indicator: the lowest and highest value in the population it was normalised over
    /// (the group, or all units with `peer = "all"`), so a unit can recompute its score.
    pub ranges: Vec<Option<[f64; 2]>>,
}

/// Why a unit won or did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Winner,
    NotSelected,
    /// 一票否决.
    Vetoed,
    /// Missing data under the rule "ineligible", no score, or below the minimum score.
    Ineligible,
    /// In scope but in no peer group.
    Ungrouped,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Winner => "获得激励",
            Outcome::NotSelected => "未入选",
            Outcome::Vetoed => "一票否决",
            Outcome::Ineligible => "不具备资格",
            Outcome::Ungrouped => "未分组",
        }
    }
}

/// One unit's result and the explanation of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitResult {
    pub code: String,
    pub name: String,
    pub group: Option<String>,
    pub score: Option<f64>,
    /// Rank within the group, 1 = best.
    pub rank: Option<u32>,
    pub outcome: Outcome,
    /// Why, in Chinese, when the outcome is not a win.
    pub reason: Option<String>,
    pub award: Option<Award>,
    pub vetoes: Vec<VetoHit>,
    /// Pillar scores, in the order of `RunResult::pillars`.
    pub pillars: Vec<Option<f64>>,
    pub indicators: Vec<IndicatorScore>,
    /// Score needed to reach the cut-off (positive) or margin above the best non-winner (negative).
    pub gap: Option<f64>,
    /// Indicators that most raise (first) and lower the unit against its group's median.
    pub raises: Vec<Driver>,
    pub lowers: Vec<Driver>,
    pub robustness: Option<UnitRobustness>,
}

/// The money and items a winner gets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Award {
    pub amount_wan: u64,
    pub channel: String,
    pub items: Vec<String>,
    /// For a pool shared by score: how this amount was reached.
    pub pool: Option<PoolShare>,
}

/// A share of a pool: `pool_wan × score ÷ total_score`, rounded by largest remainder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PoolShare {
    pub pool_wan: u64,
    #[serde(deserialize_with = "nan_if_null")]
    pub score: f64,
    /// The sum of the group's winners' scores.
    #[serde(deserialize_with = "nan_if_null")]
    pub total_score: f64,
}

/// A veto that applied, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VetoHit {
    pub reason: String,
    pub basis: String,
    pub series: String,
    pub period: i32,
    #[serde(deserialize_with = "nan_if_null")]
    pub value: f64,
    pub condition: String,
}

/// One indicator for one unit: from the data to the contribution. In the order of
/// `RunResult::indicators`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScore {
    pub readings: Vec<Reading>,
    /// The value after 总量/增量/比率 …; `None` where missing or not applicable.
    pub value: Option<f64>,
    pub score: Option<f64>,
    /// The overall weight after re-weighting over what the unit has (at both levels).
    #[serde(deserialize_with = "nan_if_null")]
    pub weight: f64,
    #[serde(deserialize_with = "nan_if_null")]
    pub contribution: f64,
    /// What was done: 不适用, 缺失（跳过并重新计权）, 以同组平均值补齐, 缩尾 …
    pub flag: Option<String>,
}

/// An indicator's pull on the composite against the group median: (score − median) × weight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Driver {
    /// Index into `RunResult::indicators`.
    pub indicator: usize,
    #[serde(deserialize_with = "nan_if_null")]
    pub effect: f64,
}

/// Monte Carlo summary for one measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Robustness {
    pub samples: u32,
    #[serde(deserialize_with = "nan_if_null")]
    pub weight_spread: f64,
    pub normalisations: Vec<String>,
    pub missing_rules: Vec<String>,
    pub winners: u32,
    /// Winners selected in at least 90% of samples.
    pub stable_winners: u32,
    pub sensitivity: Vec<Sensitivity>,
}

/// Sobol indices of the mean absolute rank shift, per uncertain choice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sensitivity {
    pub choice: String,
    #[serde(deserialize_with = "nan_if_null")]
    pub first_order: f64,
    #[serde(deserialize_with = "nan_if_null")]
    pub total: f64,
}

/// Monte Carlo summary for one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitRobustness {
    pub nominal_rank: u32,
    #[serde(deserialize_with = "nan_if_null")]
    pub median_rank: f64,
    #[serde(deserialize_with = "nan_if_null")]
    pub rank_q05: f64,
    #[serde(deserialize_with = "nan_if_null")]
    pub rank_q95: f64,
    #[serde(deserialize_with = "nan_if_null")]
    pub p_selected: f64,
}

impl UnitRobustness {
    /// The 5–95% interval as whole ranks (`3–6`): a quantile of integer ranks can fall between
    /// two, so the interval is widened to the ranks around it, never narrowed by rounding.
    pub fn rank_interval(&self) -> (u32, u32) {
        whole_rank_interval(self.rank_q05, self.rank_q95)
    }
}

/// `(floor(low), ceil(high))` as ranks, with a little tolerance for arithmetic noise
/// (5.0000000001 is rank 5); undefined quantiles give `(0, 0)`.
pub fn whole_rank_interval(low: f64, high: f64) -> (u32, u32) {
    if !(low.is_finite() && high.is_finite()) {
        return (0, 0);
    }
    let from = (low + 1e-9).floor().max(0.0) as u32;
    let to = (high - 1e-9).ceil().max(0.0) as u32;
    (from, to.max(from))
}

/// A number as stored: JSON has no NaN, so serde_json writes a NaN (an undefined Sobol index, a
/// weight over nothing) as `null`; reading it back gives the NaN again rather than an error.
fn nan_if_null<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// [`nan_if_null`] for each number of a list.
fn nans_if_null<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    Ok(Vec::<Option<f64>>::deserialize(d)?.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
}

#[cfg(test)]
mod tests {
    use super::whole_rank_interval;

    #[test]
    fn a_rank_interval_is_whole_ranks_widened_never_narrowed() {
        assert_eq!(whole_rank_interval(3.0, 5.95), (3, 6), "not 3–6.0");
        assert_eq!(whole_rank_interval(2.6, 6.0), (2, 6));
        assert_eq!(whole_rank_interval(5.000_000_000_1, 5.0), (5, 5), "noise is not a rank");
        assert_eq!(whole_rank_interval(f64::NAN, 4.0), (0, 0));
    }
}
