//! The watch list (疑点关注清单): open anomaly flags ranked by materiality — what the flagged value
//! does to the results of the plans in force. For each flagged value (series, unit, period) every
//! plan in force (approved or published) that reads it is evaluated on the stored data and again
//! with the value replaced by the median of its peers (the same series and period, units of the
//! same level); the list says how far the unit's score moves and whether the unit, or anyone,
//! crosses a selection cut-off. A value that moves a winner comes first.
//!
//! Heavy work (one evaluation per plan, and one more per flagged value it reads): it runs on the
//! bounded pool (`Work::Run`), and at most [`WATCH_LIMIT`] flagged values are evaluated per
//! list — prominent flags and those in open cases first, then the newest; the rest are listed
//! as not evaluated. The list names units and unpublished ranks: the office's and the
//! auditor's only ([`Action::Watch`]). The publication guard uses the same evaluation.

use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use crate::runs::what_if;
use crate::{PlanView, Work};
use jili_model::{CaseStatus, Decimal, Period};
use jili_store::StoredFlag;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The most flagged values one watch list evaluates.
pub const WATCH_LIMIT: usize = 200;

/// The watch list.
#[derive(Debug, Clone, Serialize)]
pub struct WatchList {
    /// The programme year whose plans were evaluated (none when there is no programme).
    pub year: Option<i32>,
    /// Plans in force that year.
    pub plans: usize,
    /// Open flags in all, and the values they are about.
    pub flags: usize,
    /// Flagged values evaluated, and those left out by the limit.
    pub evaluated: usize,
    pub skipped: usize,
    pub limit: usize,
    /// Most material first.
    pub entries: Vec<WatchEntry>,
}

/// One flagged value.
#[derive(Debug, Clone, Serialize)]
pub struct WatchEntry {
    pub series: String,
    pub series_name: String,
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub flags: Vec<WatchFlag>,
    /// The open case the flags are in, if any.
    pub case: Option<CaseRef>,
    /// The value stored now, and its peers' median.
    pub value: Option<String>,
    pub median: Option<String>,
    pub peers: usize,
    pub evaluated: bool,
    /// Why there is no evaluation, when there is none.
    pub note: String,
    /// One per plan in force that reads the value.
    pub impacts: Vec<Impact>,
    /// The unit's own selection changes in some plan.
    pub crosses: bool,
    /// Some unit's selection changes in some plan.
    pub moves_winners: bool,
    /// The largest change of the unit's score.
    pub shift: f64,
}

/// A flag of a watched value.
#[derive(Debug, Clone, Serialize)]
pub struct WatchFlag {
    pub id: i64,
    pub batch_id: i64,
    pub code: String,
    pub message: String,
    pub prominent: bool,
}

/// A case, by id and status.
#[derive(Debug, Clone, Serialize)]
pub struct CaseRef {
    pub id: i64,
    pub status: CaseStatus,
    pub label: &'static str,
}

/// What replacing a value by its peers' median does in one plan.
#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    pub measure: u32,
    pub title: String,
    pub plan_version: i64,
    /// The plan is published (its results are what a publication publishes).
    pub published: bool,
    pub score: Option<f64>,
    pub score_if_median: Option<f64>,
    pub rank: String,
    pub rank_if_median: String,
    pub winner: bool,
    pub winner_if_median: bool,
    /// Other units whose selection changes (names), each with 入选 or 落选 as it would become.
    pub others: Vec<String>,
}

impl Impact {
    /// Whether some unit's selection changes.
    pub fn moves_winners(&self) -> bool {
        self.winner != self.winner_if_median || !self.others.is_empty()
    }

    fn shift(&self) -> f64 {
        match (self.score, self.score_if_median) {
            (Some(a), Some(b)) if a.is_finite() && b.is_finite() => (a - b).abs(),
            _ => 0.0,
        }
    }
}

/// A flagged value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Key {
    pub series: String,
    pub unit: String,
    pub period: String,
}

impl Key {
    fn of(f: &StoredFlag) -> Key {
        Key { series: f.series.clone(), unit: f.unit.clone(), period: f.period.clone() }
    }
}

/// What the evaluation found for one value.
#[derive(Debug, Clone, Default)]
pub(crate) struct Found {
    pub value: Option<Decimal>,
    pub median: Option<Decimal>,
    pub peers: usize,
    pub note: String,
    pub impacts: Vec<Impact>,
}

/// The median of some values (the mean of the middle two for an even count), exact.
fn median(mut values: Vec<Decimal>) -> Option<Decimal> {
    values.sort();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / Decimal::from(2)),
    }
}

fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(f64::NAN)
}

impl App {
    /// The watch list (heavy work: see the module's docs).
    pub async fn watch_list(&self) -> Result<WatchList> {
        self.allow(Action::Watch)?;
        self.heavy(Work::Run, |app| async move { app.watch_here().await }).await
    }

    async fn watch_here(&self) -> Result<WatchList> {
        let catalogue = self.catalogue().await?;
        let flags = self.store.flags(None).await?;
        let cases = self.store.cases().await?;
        let links = self.store.case_flag_links().await?;
        // A flag's open case, and whether a resolved case has settled it.
        let case_of = |flag: i64| -> (Option<CaseRef>, bool) {
            let mut open = None;
            let mut settled = false;
            for (case, _) in links.iter().filter(|(_, f)| *f == flag) {
                if let Some(c) = cases.iter().find(|c| c.id == *case) {
                    if c.status.resolved() {
                        settled = true;
                    } else {
                        open = Some(CaseRef { id: c.id, status: c.status, label: c.status.label() });
                    }
                }
            }
            (open.clone(), settled && open.is_none())
        };
        let mut grouped: BTreeMap<Key, (Vec<WatchFlag>, Option<CaseRef>, bool)> = BTreeMap::new();
        let mut open_flags = 0;
        for f in &flags {
            let (case, settled) = case_of(f.id);
            if settled {
                continue;
            }
            open_flags += 1;
            let entry = grouped.entry(Key::of(f)).or_default();
            entry.0.push(WatchFlag {
                id: f.id,
                batch_id: f.batch_id,
                code: f.code.clone(),
                message: f.message.clone(),
                prominent: f.prominent,
            });
            entry.1 = entry.1.take().or(case);
            entry.2 |= f.prominent;
        }
        // Which values to evaluate: in an open case or prominent first, then the newest flags.
        let mut order: Vec<(&Key, bool, i64)> = grouped
            .iter()
            .map(|(k, (fl, case, prominent))| {
                (k, case.is_some() || *prominent, fl.iter().map(|f| f.id).max().unwrap_or(0))
            })
            .collect();
        order.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)));
        let chosen: Vec<Key> = order.iter().take(WATCH_LIMIT).map(|(k, _, _)| (*k).clone()).collect();
        let (year, views) = match self.approved_plan_views(None).await {
            Ok(v) => (Some(self.programme(None).await?.year), v),
            Err(AppError::NotFound(_)) => (None, Vec::new()),
            Err(e) => return Err(e),
        };
        let found = self.materiality(&chosen, &views).await?;
        let mut entries: Vec<WatchEntry> = grouped
            .into_iter()
            .map(|(key, (flags, case, _))| {
                let f = found.get(&key);
                let impacts = f.map(|f| f.impacts.clone()).unwrap_or_default();
                WatchEntry {
                    series_name: catalogue.series(&key.series).map_or_else(String::new, |s| s.name.clone()),
                    unit_name: catalogue.unit(&key.unit).map_or_else(String::new, |u| u.name.clone()),
                    evaluated: f.is_some(),
                    note: f.map_or_else(
                        || {
                            format!(
                                "未评估：本清单每次最多评估 {WATCH_LIMIT} 个疑点数值（已在核查案件中的和醒目疑点优先）"
                            )
                        },
                        |f| f.note.clone(),
                    ),
                    value: f.and_then(|f| f.value).map(|v| v.to_string()),
                    median: f.and_then(|f| f.median).map(|v| v.to_string()),
                    peers: f.map_or(0, |f| f.peers),
                    crosses: impacts.iter().any(|i| i.winner != i.winner_if_median),
                    moves_winners: impacts.iter().any(Impact::moves_winners),
                    shift: impacts.iter().map(Impact::shift).fold(0.0, f64::max),
                    impacts,
                    series: key.series,
                    unit: key.unit,
                    period: key.period,
                    flags,
                    case,
                }
            })
            .collect();
        entries.sort_by(|a, b| {
            (b.crosses, b.moves_winners)
                .cmp(&(a.crosses, a.moves_winners))
                .then(b.shift.total_cmp(&a.shift))
                .then(b.evaluated.cmp(&a.evaluated))
                .then((&a.series, &a.unit, &a.period).cmp(&(&b.series, &b.unit, &b.period)))
        });
        let evaluated = entries.iter().filter(|e| e.evaluated).count();
        Ok(WatchList {
            year,
            plans: views.len(),
            flags: open_flags,
            evaluated,
            skipped: entries.len() - evaluated,
            limit: WATCH_LIMIT,
            entries,
        })
    }

    /// For each value of `keys`: its peers' median, and what replacing the value by it does in
    /// each plan of `views` that reads it. One evaluation per plan on the stored data, one more
    /// per value it reads.
    pub(crate) async fn materiality(&self, keys: &[Key], views: &[PlanView]) -> Result<BTreeMap<Key, Found>> {
        let catalogue = self.catalogue().await?;
        let series: BTreeSet<&str> = keys.iter().map(|k| k.series.as_str()).filter(|s| !s.is_empty()).collect();
        let wanted: Vec<&str> = series.iter().copied().collect();
        let stored = self.store.observations_as_of(&wanted, self.store.last_batch().await?).await?;
        let mut values: BTreeMap<(String, String), Vec<(String, Decimal)>> = BTreeMap::new();
        for o in stored {
            let o = o.observation;
            values.entry((o.series.to_string(), o.period.to_string())).or_default().push((o.unit.to_string(), o.value));
        }
        let mut out: BTreeMap<Key, Found> = BTreeMap::new();
        // The values each plan reads, with the median to lay over them.
        let mut per_plan: Vec<Vec<(Key, i32, f64)>> = vec![Vec::new(); views.len()];
        for key in keys {
            let mut found = Found::default();
            let period = key.period.parse::<Period>().ok();
            let level = catalogue.unit(&key.unit).map(|u| u.level);
            let all = values.get(&(key.series.clone(), key.period.clone()));
            found.value = all.and_then(|v| v.iter().find(|(u, _)| *u == key.unit)).map(|(_, v)| *v);
            let peers: Vec<Decimal> = all
                .map(|v| {
                    v.iter()
                        .filter(|(u, _)| *u != key.unit && catalogue.unit(u).map(|x| x.level) == level)
                        .map(|(_, v)| *v)
                        .collect()
                })
                .unwrap_or_default();
            found.peers = peers.len();
            found.median = median(peers);
            match (period, level, found.value, found.median) {
                _ if key.series.is_empty() || key.unit.is_empty() => {
                    found.note =
                        "该疑点不针对某一个数值（如本批次其他单位的修订使该单位越线、整批数据的检验），不单独评估影响"
                            .into();
                }
                (Some(p), Some(_), Some(_), Some(m)) if p.is_annual() => {
                    let mut read = false;
                    for (i, v) in views.iter().enumerate() {
                        let h = &v.plan.header;
                        if v.plan.series_read().contains(key.series.as_str()) && (h.base..=h.period).contains(&p.year) {
                            per_plan[i].push((key.clone(), p.year, to_f64(m)));
                            read = true;
                        }
                    }
                    if !read {
                        found.note = "没有现行方案读取这一数值（数据项或年份不在评价范围内）".into();
                    }
                }
                (Some(p), ..) if !p.is_annual() => found.note = "非年度数据，不参与评价".into(),
                (_, _, None, _) => found.note = "库中已没有这一数值".into(),
                (_, _, _, None) => found.note = "没有同级单位的可比数值，无法估计影响".into(),
                _ => found.note = "无法识别期别或单位".into(),
            }
            out.insert(key.clone(), found);
        }
        for (view, reads) in views.iter().zip(per_plan) {
            if reads.is_empty() {
                continue;
            }
            let plan = &view.plan;
            let base = what_if::stored_snapshot(self, plan).await?;
            let before = what_if::evaluate_on(plan, &base)?;
            for (key, year, m) in reads {
                let mut snapshot = base.clone();
                snapshot.insert(&key.series, &key.unit, year, m);
                let after = what_if::evaluate_on(plan, &snapshot)?;
                let crossings = what_if::crossings(&before, &after);
                let unit = |r: &jili_engine::RunResult| r.units.iter().find(|u| u.code == key.unit).cloned();
                let (was, now) = (unit(&before), unit(&after));
                if was.is_none() && crossings.is_empty() {
                    continue;
                }
                let won = |r: &jili_engine::RunResult| what_if::winners(r).contains(&key.unit);
                let others = crossings
                    .iter()
                    .filter(|(code, _)| *code != key.unit)
                    .map(|(code, w)| format!("{}{}", what_if::name_in(&after, code), if *w { "入选" } else { "落选" }))
                    .collect();
                let impact = Impact {
                    measure: plan.header.measure,
                    title: plan.header.title.clone(),
                    plan_version: view.stored.version,
                    published: view.stored.status == jili_model::PlanStatus::Published,
                    score: was.and_then(|u| u.score),
                    score_if_median: now.and_then(|u| u.score),
                    rank: what_if::rank_text(&before, &key.unit),
                    rank_if_median: what_if::rank_text(&after, &key.unit),
                    winner: won(&before),
                    winner_if_median: won(&after),
                    others,
                };
                if let Some(f) = out.get_mut(&key) {
                    f.impacts.push(impact);
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_exact_and_takes_the_middle_two_of_an_even_count() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![d("3"), d("1"), d("2")]), Some(d("2")));
        assert_eq!(median(vec![d("4"), d("1"), d("2"), d("10")]), Some(d("3")));
        assert_eq!(median(vec![d("0.1"), d("0.2")]), Some(d("0.15")));
    }
}
