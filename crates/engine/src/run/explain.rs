//! Per-unit explanations: from each reading to its contribution, the rank, the gap to the cut-off
//! and the indicators that most raise and lower the unit against its group — what a county that
//! did not win needs to understand why.

use super::prepare::Prepared;
use super::result::{Award, Driver, IndicatorScore, Outcome, UnitResult};
use super::score::{Flag, Scored};
use super::select::Selected;
use crate::stats;
use crate::transform::transform;

/// How many drivers each way.
const DRIVERS: usize = 3;

fn flag_text(f: Flag) -> String {
    match f {
        Flag::NotApplicable => "不适用（特色指标），按其余指标重新计权".into(),
        Flag::Skipped => "缺失，跳过并按其余指标重新计权".into(),
        Flag::Imputed(v) => format!("缺失，以同组数值 {v:.4} 补齐"),
        Flag::Zero => "缺失，按零分计".into(),
        Flag::Winsorised(v) => format!("异常值缩尾（原值 {v}）"),
    }
}

fn finite(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

/// What every unit's explanation compares against, computed once per run.
#[derive(Debug)]
pub(crate) struct Context {
    /// Per group, per indicator: the median score.
    medians: Vec<Vec<f64>>,
    /// Per scope unit: its population.
    population: Vec<Option<usize>>,
    /// Per indicator: its pillar's index.
    pillar_of: Vec<Option<usize>>,
}

impl Context {
    pub fn new(p: &Prepared, s: &Scored) -> Context {
        let medians = p
            .members
            .iter()
            .map(|members| {
                s.scores
                    .iter()
                    .map(|col| stats::median(&members.iter().map(|&m| col[m]).collect::<Vec<f64>>()))
                    .collect()
            })
            .collect();
        let mut population = vec![None; p.units.len()];
        for (i, pop) in p.populations.iter().enumerate() {
            for &u in pop {
                population[u] = Some(i);
            }
        }
        let plan = p.plan;
        let pillar_of = plan
            .indicators
            .iter()
            .map(|ind| plan.pillars.iter().position(|pl| Some(&pl.id) == ind.pillar.as_ref()))
            .collect();
        Context { medians, population, pillar_of }
    }
}

/// The result for scope unit `u`.
pub(crate) fn unit(
    p: &Prepared,
    s: &Scored,
    sel: &Selected,
    cx: &Context,
    award: Option<Award>,
    u: usize,
) -> UnitResult {
    let plan = p.plan;
    let group = p.group_of[u];
    let pop = cx.population[u];
    let w: &[f64] = pop.map_or(&[], |i| &s.weights[i]);
    let wp: &[f64] = pop.map_or(&[], |i| &s.pillar_weights[i]);
    // Weights renormalised over what this unit has (COINr's rule; see docs/method.md): within
    // each pillar over its indicators with a score, then over the pillars with a score.
    let has = |j: usize| !s.scores[j][u].is_nan();
    let pillar_of = &cx.pillar_of;
    let within = |j: usize| {
        let total: f64 = (0..plan.indicators.len())
            .filter(|&i| has(i) && pillar_of[i] == pillar_of[j])
            .map(|i| w.get(i).copied().unwrap_or(0.0))
            .sum();
        if has(j) && total > 0.0 { w.get(j).copied().unwrap_or(0.0) / total } else { 0.0 }
    };
    let pillar_total: f64 = (0..plan.pillars.len())
        .filter(|&q| !s.pillar_scores[q][u].is_nan())
        .map(|q| wp.get(q).copied().unwrap_or(0.0))
        .sum();
    let effective = |j: usize| match pillar_of[j] {
        Some(q) if pillar_total > 0.0 && !s.pillar_scores[q][u].is_nan() => {
            within(j) * wp.get(q).copied().unwrap_or(0.0) / pillar_total
        }
        Some(_) => 0.0,
        None => within(j),
    };
    let effective: Vec<f64> = (0..plan.indicators.len()).map(effective).collect();
    let effective = |j: usize| effective[j];
    let indicators = plan
        .indicators
        .iter()
        .enumerate()
        .map(|(j, _)| IndicatorScore {
            readings: if p.applies[j][u] {
                let mut r = Vec::new();
                transform(&p.inputs[j], p.units[u], plan.header.period, plan.header.base, Some(&mut r));
                r
            } else {
                Vec::new()
            },
            value: finite(s.values[j][u]),
            score: finite(s.scores[j][u]),
            weight: effective(j),
            contribution: if has(j) { effective(j) * s.scores[j][u] } else { 0.0 },
            flag: s.flags[j][u].map(flag_text),
        })
        .collect();

    let mut drivers: Vec<Driver> = Vec::new();
    if let Some(g) = group {
        for j in (0..plan.indicators.len()).filter(|&j| has(j)) {
            let median = cx.medians[g][j];
            if !median.is_nan() {
                drivers.push(Driver { indicator: j, effect: (s.scores[j][u] - median) * effective(j) });
            }
        }
    }
    drivers.sort_by(|a, b| b.effect.total_cmp(&a.effect).then_with(|| a.indicator.cmp(&b.indicator)));
    let raises: Vec<Driver> = drivers.iter().filter(|d| d.effect > 0.0).take(DRIVERS).cloned().collect();
    let lowers: Vec<Driver> = drivers.iter().rev().filter(|d| d.effect < 0.0).take(DRIVERS).cloned().collect();

    let score = finite(s.composite[u]);
    let (outcome, reason) = if group.is_none() {
        (Outcome::Ungrouped, Some("不属于方案的任何分组".to_string()))
    } else if !p.vetoes[u].is_empty() {
        let why: Vec<&str> = p.vetoes[u].iter().map(|v| v.reason.as_str()).collect();
        (Outcome::Vetoed, Some(why.join("；")))
    } else if s.missing_ineligible[u] {
        (Outcome::Ineligible, Some("有指标缺少数据，按方案规定不参加评选".into()))
    } else if score.is_none() {
        (Outcome::Ineligible, Some("没有可用的指标数据，无法计算得分".into()))
    } else if !sel.eligible[u] {
        let min = plan.selection.min_score.unwrap_or(0.0);
        (Outcome::Ineligible, Some(format!("综合得分低于最低分 {min}")))
    } else if sel.winner[u] {
        (Outcome::Winner, None)
    } else {
        (Outcome::NotSelected, Some("综合得分未进入名额".into()))
    };

    // Only units that could win have a gap; a vetoed or ineligible unit's is not a matter of score.
    let gap = group.filter(|_| sel.eligible[u]).and_then(|g| {
        let score = score?;
        if sel.winner[u] {
            // The margin over the best unit left out, in the group or (under a total quota) overall.
            let in_group = sel.order[g].iter().copied().find(|&m| sel.eligible[m] && !sel.winner[m]);
            let best = [in_group, sel.best_loser_overall]
                .into_iter()
                .flatten()
                .map(|m| s.composite[m])
                .fold(f64::NAN, f64::max);
            (!best.is_nan()).then(|| -(score - best))
        } else {
            sel.cutoff[g].map(|c| c - score)
        }
    });

    UnitResult {
        code: p.code(u).to_string(),
        name: p.name(u).to_string(),
        group: group.map(|g| plan.groups[g].id.clone()),
        score,
        rank: (sel.rank[u] > 0).then_some(sel.rank[u]),
        outcome,
        reason,
        award,
        vetoes: p.vetoes[u].clone(),
        pillars: s.pillar_scores.iter().map(|col| finite(col[u])).collect(),
        indicators,
        gap,
        raises,
        lowers,
        robustness: None,
    }
}
