//! A plan in plain Chinese, as `jili plan show` words it: what is measured, from which
//! department's data, with which weight and direction; the peer groups, the quota, the vetoes
//! and the rewards. A value, not text: the portal renders it, and any front end can.

use crate::PlanView;
use jili_model::Catalogue;
use jili_model::plan::{AppliesTo, Basis, Peer, Threshold};
use serde::Serialize;

/// The plan as the measure page states it.
#[derive(Debug, Serialize)]
pub struct PlanText {
    pub title: String,
    pub version: i64,
    pub example: bool,
    pub period: i32,
    pub base: i32,
    pub units: Vec<String>,
    pub missing: String,
    pub aggregate: String,
    pub weights: String,
    /// 分组内 / 全部评价对象.
    pub peer: String,
    pub scale: f64,
    pub samples: u32,
    pub weight_spread: f64,
    pub publish_ranking: bool,
    pub note: String,
    pub exclude: Vec<String>,
    pub pillars: Vec<PillarText>,
    pub indicators: Vec<IndicatorText>,
    pub groups: Vec<GroupText>,
    pub total_quota: Option<u32>,
    pub min_score: Option<f64>,
    pub tie_break: Vec<String>,
    pub vetoes: Vec<VetoText>,
    pub rewards: Vec<RewardText>,
    pub source_name: String,
    pub sha256: String,
}

/// A pillar (一级指标).
#[derive(Debug, Serialize)]
pub struct PillarText {
    pub name: String,
    pub weight: f64,
    pub aggregate: String,
}

/// One indicator.
#[derive(Debug, Serialize)]
pub struct IndicatorText {
    pub id: String,
    pub name: String,
    pub series: String,
    pub series_name: String,
    /// The department the data come from.
    pub source: String,
    /// 总量 / 增量 / 比率 …
    pub basis: String,
    pub direction: String,
    pub category: String,
    pub pillar: String,
    pub applies: String,
    pub weight: f64,
    pub normalise: String,
    pub note: String,
}

/// A peer group with its quota.
#[derive(Debug, Serialize)]
pub struct GroupText {
    pub id: String,
    pub levels: Vec<String>,
    pub plates: Vec<String>,
    pub quota: Option<u32>,
}

/// A veto rule.
#[derive(Debug, Serialize)]
pub struct VetoText {
    pub reason: String,
    pub condition: String,
    pub basis: String,
}

/// What a group's winners get.
#[derive(Debug, Serialize)]
pub struct RewardText {
    pub group: String,
    pub amount: String,
    pub channel: String,
    pub items: Vec<String>,
}

/// The plan of `view` in words, with names from `catalogue`.
pub fn plan_text(view: &PlanView, catalogue: &Catalogue) -> PlanText {
    let p = &view.plan;
    let h = &p.header;
    let series_name = |code: &str| catalogue.series(code).map_or_else(|| code.to_string(), |s| s.name.clone());
    let unit_name = |code: &String| catalogue.unit(code).map_or_else(|| code.clone(), |u| u.name.clone());
    let indicators = p
        .indicators
        .iter()
        .map(|i| {
            let series = catalogue.series(&i.series);
            let basis = match &i.basis {
                Basis::Ratio(r) => {
                    let factor =
                        if (r.factor - 1.0).abs() > f64::EPSILON { format!("×{}", r.factor) } else { String::new() };
                    format!("{}（÷{}{factor}）", i.basis.label(), series_name(&r.denominator))
                }
                b => b.label().to_string(),
            };
            IndicatorText {
                id: i.id.clone(),
                name: i.name.clone(),
                series: i.series.clone(),
                series_name: series.map_or_else(|| i.series.clone(), |s| s.name.clone()),
                source: series
                    .and_then(|s| catalogue.department(&s.owner))
                    .map_or_else(String::new, |d| d.name.clone()),
                basis,
                direction: i.polarity.label(),
                category: i.category.as_str().to_string(),
                pillar: p
                    .pillars
                    .iter()
                    .find(|pl| Some(&pl.id) == i.pillar.as_ref())
                    .map_or_else(String::new, |pl| pl.name.clone()),
                applies: match &i.applies_to {
                    AppliesTo::All => "全部".to_string(),
                    AppliesTo::Plates(ps) => ps.iter().map(|p| p.as_str()).collect::<Vec<_>>().join("、"),
                    AppliesTo::Units(us) => us.iter().map(unit_name).collect::<Vec<_>>().join("、"),
                },
                weight: i.weight,
                normalise: match (i.bounds, i.target) {
                    (Some([low, high]), _) => format!("{}［{low}，{high}］", i.normalise.label()),
                    (None, Some(t)) => format!("{}（目标 {t}）", i.normalise.label()),
                    _ => i.normalise.label().to_string(),
                },
                note: i.note.clone().unwrap_or_default(),
            }
        })
        .collect();
    let name_of =
        |id: &String| p.indicators.iter().find(|i| &i.id == id).map_or_else(|| id.clone(), |i| i.name.clone());
    PlanText {
        title: h.title.clone(),
        version: view.stored.version,
        example: h.example,
        period: h.period,
        base: h.base,
        units: h.units.iter().map(|l| l.as_str().to_string()).collect(),
        missing: h.missing.label().to_string(),
        aggregate: p.method.aggregate.label().to_string(),
        weights: p.method.weights.label().to_string(),
        peer: if p.method.peer == Peer::Group { "分组内" } else { "全部评价对象" }.to_string(),
        scale: p.method.scale,
        samples: p.method.samples,
        weight_spread: p.method.weight_spread,
        publish_ranking: h.publish_ranking,
        note: h.note.clone().unwrap_or_default(),
        exclude: h.exclude.iter().map(unit_name).collect(),
        pillars: p
            .pillars
            .iter()
            .map(|pl| PillarText {
                name: pl.name.clone(),
                weight: pl.weight,
                aggregate: pl.aggregate.label().to_string(),
            })
            .collect(),
        indicators,
        groups: p
            .groups
            .iter()
            .map(|g| GroupText {
                id: g.id.clone(),
                levels: g.levels.iter().map(|l| l.as_str().to_string()).collect(),
                plates: g.plates.iter().map(|p| p.as_str().to_string()).collect(),
                quota: p.selection.quota.iter().find(|(id, _)| *id == g.id).and_then(|(_, n)| *n),
            })
            .collect(),
        total_quota: p.selection.total,
        min_score: p.selection.min_score,
        tie_break: p.selection.tie_break.iter().map(name_of).collect(),
        vetoes: p
            .vetoes
            .iter()
            .map(|v| VetoText {
                reason: v.reason.clone(),
                condition: match v.threshold {
                    Threshold::Above(x) => format!("{} 大于 {x}", series_name(&v.series)),
                    Threshold::Below(x) => format!("{} 小于 {x}", series_name(&v.series)),
                },
                basis: v.basis.clone(),
            })
            .collect(),
        rewards: p
            .rewards
            .iter()
            .map(|r| RewardText {
                group: r.group.clone(),
                amount: r.amount.label(),
                channel: r.channel.clone(),
                items: r.items.clone(),
            })
            .collect(),
        source_name: view.stored.source_name.clone(),
        sha256: view.stored.sha256.clone(),
    }
}
