//! Everything behind one unit's result, from each reading to its contribution: what the office,
//! the auditor and the lead of the measure read to explain a place to a county (`jili run N
//! --explain UNIT` prints it; the lead's page shows it). Only for readers who may read every value
//! the result rests on: it quotes the readings, vetoed values included.

use jili_engine::{Outcome, RunResult, UnitResult, UnitRobustness};
use jili_model::Catalogue;
use serde::Serialize;

/// A unit's result in full.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detail {
    /// Per indicator, in the plan's order.
    pub indicators: Vec<IndicatorLine>,
    /// The vetoes that applied: reason, the value read, the condition it met, and the basis.
    pub vetoes: Vec<String>,
    /// Each pillar's name, weight and score, where the plan has pillars.
    pub pillars: Vec<PillarLine>,
    /// Units ranked above it that could not win (vetoed or ineligible): its rank counts them.
    pub excluded_above: Vec<String>,
    /// The award in words, with how a pool was shared.
    pub award: Option<String>,
    pub robustness: Option<UnitRobustness>,
}

/// One indicator of one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorLine {
    pub name: String,
    /// Each value read, with its year, series name and unit (`2024年地区生产总值 1262.99亿元`).
    pub readings: Vec<String>,
    pub basis: String,
    pub value: Option<f64>,
    /// The lowest and highest value in its group (scores are normalised within the group).
    pub range: Option<[f64; 2]>,
    pub normalise: String,
    pub score: Option<f64>,
    /// The weight it actually had (re-weighted over the indicators that apply and have data).
    pub weight: f64,
    pub contribution: f64,
    /// What was done to it (missing, winsorised …).
    pub flag: Option<String>,
}

/// One pillar's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PillarLine {
    pub name: String,
    pub weight: f64,
    pub score: Option<f64>,
}

impl Detail {
    /// Unit `u` of `result`; `catalogue` names the series read.
    pub fn of(result: &RunResult, u: &UnitResult, catalogue: &Catalogue) -> Detail {
        let series = |code: &str| catalogue.series(code);
        let group = result.groups.iter().find(|g| Some(&g.id) == u.group.as_ref());
        let indicators = u
            .indicators
            .iter()
            .zip(&result.indicators)
            .enumerate()
            .map(|(j, (s, info))| IndicatorLine {
                name: info.name.clone(),
                readings: s
                    .readings
                    .iter()
                    .map(|r| {
                        let (name, unit) = series(&r.series)
                            .map_or((r.series.to_string(), String::new()), |x| (x.name.clone(), x.unit.clone()));
                        let value = r.value.map_or("缺".into(), |v| format!("{v}{unit}"));
                        format!("{}年{name} {value}", r.year)
                    })
                    .collect(),
                basis: info.basis.clone(),
                value: s.value,
                range: group.and_then(|g| g.ranges.get(j).copied().flatten()),
                normalise: info.normalise.clone(),
                score: s.score,
                weight: s.weight,
                contribution: s.contribution,
                flag: s.flag.clone(),
            })
            .collect();
        let vetoes = u
            .vetoes
            .iter()
            .map(|v| {
                let name = series(&v.series).map_or(v.series.clone(), |s| s.name.clone());
                format!(
                    "{}：{}年{name}（{}）= {}，条件 {}；依据：{}",
                    v.reason, v.period, v.series, v.value, v.condition, v.basis
                )
            })
            .collect();
        let pillars = result
            .pillars
            .iter()
            .zip(&u.pillars)
            .map(|(p, s)| PillarLine { name: p.name.clone(), weight: p.weight, score: *s })
            .collect();
        Detail {
            indicators,
            vetoes,
            pillars,
            excluded_above: excluded_above(result, u),
            award: award(u),
            robustness: u.robustness.clone(),
        }
    }
}

impl Detail {
    /// The same explanation without the values read and the group's ranges: for a lead
    /// department, which sees scores, weights and contributions of its measure but never the
    /// stored values behind them (a grant allows the scores, not the raw data; see
    /// docs/governance.md).
    pub fn without_raw_values(mut self) -> Detail {
        for i in &mut self.indicators {
            i.readings.clear();
            i.range = None;
        }
        self
    }
}

/// The units ranked above `u` in its group that could not win.
fn excluded_above(result: &RunResult, u: &UnitResult) -> Vec<String> {
    let (Some(rank), Some(g)) = (u.rank, result.groups.iter().find(|g| Some(&g.id) == u.group.as_ref())) else {
        return Vec::new();
    };
    g.ranking
        .iter()
        .take(rank.saturating_sub(1) as usize)
        .filter_map(|c| result.units.iter().find(|x| &x.code == c))
        .filter(|x| matches!(x.outcome, Outcome::Vetoed | Outcome::Ineligible))
        .map(|x| x.name.clone())
        .collect()
}

/// The award in words; a pool share with its sum.
fn award(u: &UnitResult) -> Option<String> {
    let a = u.award.as_ref()?;
    let mut text = format!("{} 万元（{}）{}", a.amount_wan, a.channel, a.items.join("、"));
    if let Some(p) = &a.pool {
        text.push_str(&format!(
            "（资金池 {} 万元按入选单位得分比例分配：{:.2} ÷ {:.2} × {} ≈ {:.2}，按最大余数法取整为 {} 万元）",
            p.pool_wan,
            p.score,
            p.total_score,
            p.pool_wan,
            p.score / p.total_score * p.pool_wan as f64,
            a.amount_wan
        ));
    }
    Some(text)
}
