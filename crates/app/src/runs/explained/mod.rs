//! One unit's result explained the way a county that did not win asks for it: its outcome
//! (after any correction by the office), score and place, its gap to the cut-off, and which
//! indicators raised and lowered its score. Built once from a stored run, for a unit's own
//! results and for the lead department's view of its measures.

mod detail;

pub use detail::{Detail, IndicatorLine, PillarLine};
use jili_engine::{RunResult, UnitResult};
use serde::Serialize;

/// A unit's result with its explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explained {
    /// 获得激励 / 未入选 / 一票否决 / 不具备资格 / 未分组, with the office's correction if any.
    pub outcome: String,
    /// Whether the unit won (after any correction by the office): what counts, rather than the
    /// wording of `outcome`.
    pub winner: bool,
    pub group: Option<String>,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub award_wan: Option<u64>,
    /// Points short of the last winner of its group (for units that did not win).
    pub gap: Option<f64>,
    /// Indicators that raised / lowered its score most (names, with effect in points).
    pub raises: Vec<(String, f64)>,
    pub lowers: Vec<(String, f64)>,
    /// The reason it was ineligible or vetoed, where there is one.
    pub reason: String,
}

/// The office's correction of one unit's result: whether it now wins, and why.
#[derive(Debug, Clone, Copy)]
pub struct Correction<'a> {
    pub winner: bool,
    pub reason: &'a str,
}

impl Explained {
    /// Unit `u` of `result`, with the office's newest correction of it, if any.
    pub fn of(result: &RunResult, u: &UnitResult, correction: Option<Correction<'_>>) -> Explained {
        let drivers = |list: &[jili_engine::Driver]| -> Vec<(String, f64)> {
            list.iter().filter_map(|d| Some((result.indicators.get(d.indicator)?.name.clone(), d.effect))).collect()
        };
        let (outcome, winner) = match correction {
            Some(c) if c.winner => (format!("获得激励（经省政府办公厅更正：{}）", c.reason), true),
            Some(c) => (format!("未入选（经省政府办公厅更正：{}）", c.reason), false),
            None => (u.outcome.label().to_string(), u.outcome == jili_engine::Outcome::Winner),
        };
        Explained {
            outcome,
            winner,
            group: u.group.clone(),
            score: u.score,
            rank: u.rank,
            award_wan: u.award.as_ref().map(|a| a.amount_wan),
            gap: u.gap,
            raises: drivers(&u.raises),
            lowers: drivers(&u.lowers),
            reason: u.reason.clone().unwrap_or_default(),
        }
    }
}
