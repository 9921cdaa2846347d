//! Everything about an evaluation that does not depend on the uncertain choices: scope, peer
//! groups, vetoes and the indicators' values. Monte Carlo samples share one `Prepared`.

use super::result::VetoHit;
use crate::snapshot::Snapshot;
use crate::transform::{Inputs, transform};
use jili_model::plan::{AppliesTo, Basis, Member, Peer, Plan, Threshold};

/// The fixed part of an evaluation.
#[derive(Debug)]
pub(crate) struct Prepared<'a> {
    pub plan: &'a Plan,
    pub snap: &'a Snapshot,
    /// Snapshot positions of the units in scope, in code order.
    pub units: Vec<usize>,
    /// Group index per scope unit.
    pub group_of: Vec<Option<usize>>,
    /// Scope units per group, in code order.
    pub members: Vec<Vec<usize>>,
    /// The populations indicators are normalised over (per group, or one for all).
    pub populations: Vec<Vec<usize>>,
    pub vetoes: Vec<Vec<VetoHit>>,
    /// Per indicator, per scope unit: does the indicator apply?
    pub applies: Vec<Vec<bool>>,
    /// Per indicator, per scope unit: the transformed value (NaN = missing or not applicable).
    pub values: Vec<Vec<f64>>,
    /// Per indicator (得分提升幅度 only): last year's value per scope unit.
    pub previous: Vec<Option<Vec<f64>>>,
    /// Per indicator: its series, looked up once.
    pub inputs: Vec<Inputs<'a>>,
    pub warnings: Vec<String>,
}

impl<'a> Prepared<'a> {
    pub fn new(plan: &'a Plan, snap: &'a Snapshot) -> Prepared<'a> {
        let h = &plan.header;
        let mut units: Vec<usize> = (0..snap.units().len())
            .filter(|&u| {
                let unit = &snap.units()[u];
                h.units.contains(&unit.level) && !h.exclude.contains(&unit.code)
            })
            .collect();
        units.sort_by(|a, b| snap.units()[*a].code.cmp(&snap.units()[*b].code));

        let group_of: Vec<Option<usize>> = units
            .iter()
            .map(|&u| {
                let unit = &snap.units()[u];
                plan.groups.iter().position(|g| {
                    let member = Member { code: &unit.code, level: unit.level, plate: unit.plate, kind: &unit.kind };
                    g.admits(member)
                        && g.size.as_ref().is_none_or(|s| {
                            let v = snap.value(&s.series, u, h.base);
                            !v.is_nan() && s.admits(v)
                        })
                })
            })
            .collect();
        let mut members = vec![Vec::new(); plan.groups.len()];
        for (i, g) in group_of.iter().enumerate() {
            if let Some(g) = g {
                members[*g].push(i);
            }
        }
        let populations = match plan.method.peer {
            Peer::Group => members.clone(),
            Peer::All => vec![(0..units.len()).filter(|&i| group_of[i].is_some()).collect()],
        };

        let vetoes = units
            .iter()
            .map(|&u| {
                plan.vetoes
                    .iter()
                    .filter_map(|v| {
                        let value = snap.value(&v.series, u, h.period);
                        let (hit, condition) = match v.threshold {
                            Threshold::Above(t) => (value > t, format!("{} > {t}", v.series)),
                            Threshold::Below(t) => (value < t, format!("{} < {t}", v.series)),
                        };
                        hit.then(|| VetoHit {
                            reason: v.reason.clone(),
                            basis: v.basis.clone(),
                            series: v.series.clone(),
                            period: h.period,
                            value,
                            condition,
                        })
                    })
                    .collect()
            })
            .collect();

        let mut applies = Vec::new();
        let mut values = Vec::new();
        let mut previous_values = Vec::new();
        let inputs: Vec<Inputs> = plan.indicators.iter().map(|i| Inputs::new(i, snap)).collect();
        for (ind, input) in plan.indicators.iter().zip(&inputs) {
            let mut a = Vec::with_capacity(units.len());
            let mut v = Vec::with_capacity(units.len());
            for &u in &units {
                let unit = &snap.units()[u];
                let applies_here = match &ind.applies_to {
                    AppliesTo::All => true,
                    AppliesTo::Plates(p) => unit.plate.is_some_and(|x| p.contains(&x)),
                    AppliesTo::Units(codes) => codes.contains(&unit.code),
                };
                a.push(applies_here);
                v.push(if applies_here { transform(input, u, h.period, h.base, None) } else { f64::NAN });
            }
            previous_values.push((ind.basis == Basis::ScoreImprovement).then(|| {
                units
                    .iter()
                    .zip(&a)
                    .map(|(&u, ok)| if *ok { input.series.value(u, h.period - 1) } else { f64::NAN })
                    .collect()
            }));
            applies.push(a);
            values.push(v);
        }

        let mut warnings = Vec::new();
        for s in plan.series_read() {
            if !snap.has_series(s) {
                warnings.push(format!("数据项 {s} 没有任何数据：请先导入，否则相关指标全部按缺失处理"));
            }
        }
        let ungrouped = group_of.iter().filter(|g| g.is_none()).count();
        if ungrouped > 0 {
            warnings.push(format!("{ungrouped} 个评价对象不属于任何分组（可能缺少规模分组所需的数据），未参加评选"));
        }
        for (ind, v) in plan.indicators.iter().zip(&values) {
            let applicable = applies_count(&applies, plan, &ind.id);
            let missing = v.iter().filter(|x| x.is_nan()).count() - (units.len() - applicable);
            if missing > 0 && applicable > 0 {
                warnings.push(format!("指标“{}”有 {missing} 个评价对象缺少数据，按方案的缺失值规则处理", ind.name));
            }
        }
        Prepared {
            plan,
            snap,
            units,
            group_of,
            members,
            populations,
            vetoes,
            applies,
            values,
            previous: previous_values,
            inputs,
            warnings,
        }
    }

    pub fn code(&self, i: usize) -> &str {
        &self.snap.units()[self.units[i]].code
    }

    pub fn name(&self, i: usize) -> &str {
        &self.snap.units()[self.units[i]].name
    }
}

fn applies_count(applies: &[Vec<bool>], plan: &Plan, id: &str) -> usize {
    plan.indicators.iter().position(|i| i.id == id).map_or(0, |k| applies[k].iter().filter(|a| **a).count())
}
