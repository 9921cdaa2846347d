//! What a lead department reads of its own measures: the runs the office made of them, which
//! one is published, and every unit's result with its explanation — the department must be
//! able to answer a county that asks why it did not win. The office and the auditor read any
//! measure's. A plan that reads another department's confidential series shows its details
//! only while the grants for them stand: after a grant is revoked, the lead sees which runs
//! exist and whom to ask, not the scores that would give the values away.

use crate::App;
use crate::access::{Action, Role};
use crate::error::{AppError, Result};
use crate::runs::explained::{Correction, Detail, Explained};
use crate::runs::workbench::{RunRow, run_row};
use jili_engine::{RunResult, UnitResult};
use serde::Serialize;

/// How many runs of one measure the list shows.
pub const RUNS_SHOWN: usize = 50;

/// One measure in the list of those a lead department leads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedMeasure {
    pub year: i32,
    pub measure: u32,
    pub short: String,
    pub lead: String,
    /// The newest run, if the office has run the measure.
    pub latest: Option<RunRow>,
    /// The run the newest publication cites for this measure.
    pub published_run: Option<i64>,
}

/// One measure's runs and one run's results in full.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureResults {
    pub year: i32,
    pub measure: u32,
    pub short: String,
    pub lead: String,
    /// Newest first, at most [`RUNS_SHOWN`].
    pub runs: Vec<RunRow>,
    pub published_run: Option<i64>,
    /// The run shown: the one asked for, else the published one, else the newest.
    pub shown: Option<RunDetail>,
    /// Confidential series the plan of the shown run reads without a standing grant (names,
    /// with their owner): the details are withheld until the grant is given again.
    pub withheld: Vec<String>,
}

/// One run's results, unit by unit, explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunDetail {
    pub run: RunRow,
    pub published: bool,
    pub indicators: Vec<String>,
    pub groups: Vec<GroupLine>,
    /// In group order, then by rank; empty when withheld.
    pub units: Vec<UnitLine>,
}

/// One peer group: its quota, its cut-off score and how many won.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupLine {
    pub id: String,
    pub quota: Option<u32>,
    pub cutoff: Option<f64>,
    pub units: usize,
    pub winners: usize,
}

/// One unit's result with everything behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitLine {
    pub code: String,
    pub name: String,
    #[serde(flatten)]
    pub result: Explained,
    #[serde(flatten)]
    pub detail: Detail,
}

impl App {
    /// The measures of `year` (the newest programme's when `None`) whose results this user
    /// may read: a lead's own, every measure for the office and the auditor.
    pub async fn led_measures(&self, year: Option<i32>) -> Result<Vec<LedMeasure>> {
        let programme = self.programme(year).await?;
        let catalogue = self.catalogue().await?;
        let published = self.published(Some(programme.year)).await?;
        let mut out = Vec::new();
        for m in &programme.measures {
            let lead = catalogue.lead_of(m);
            if !crate::access::allows(self.principal(), &Action::ReadMeasureResults { lead: &lead }) {
                continue;
            }
            let latest = self.store.runs_of(programme.year, m.no, 1).await?.first().map(run_row);
            out.push(LedMeasure {
                year: programme.year,
                measure: m.no,
                short: m.short.clone(),
                lead: m.lead.clone(),
                latest,
                published_run: published_run(published.as_ref(), m.no),
            });
        }
        if out.is_empty() {
            self.allow(Action::ReadMeasureResults { lead: "" })?;
        }
        Ok(out)
    }

    /// One measure's runs and the results of `run` (the published run, else the newest, when
    /// `None`), every unit explained.
    pub async fn measure_results(&self, year: Option<i32>, measure: u32, run: Option<i64>) -> Result<MeasureResults> {
        let programme = self.programme(year).await?;
        let m = crate::plans::programme::measure_in(&programme, measure)?;
        let lead = self.lead_of(programme.year, measure).await?;
        self.allow(Action::ReadMeasureResults { lead: &lead })?;
        let stored = self.store.runs_of(programme.year, measure, RUNS_SHOWN).await?;
        let published_run = published_run(self.published(Some(programme.year)).await?.as_ref(), measure);
        let chosen = match run {
            Some(id) => Some(self.run_of_measure(programme.year, measure, id).await?),
            None => match published_run {
                Some(id) => self.store.run(id).await?,
                None => stored.first().cloned(),
            },
        };
        let mut withheld = Vec::new();
        let shown = match chosen {
            None => None,
            Some(r) => {
                withheld = self.withheld_for(&r).await?;
                let result = crate::runs::parsed::run_result(&r)?;
                let corrections = self.store.overrides(r.id).await?;
                let correction = |code: &str| {
                    corrections
                        .iter()
                        .rev()
                        .find(|o| o.unit == code)
                        .map(|o| Correction { winner: o.outcome == "winner", reason: &o.reason })
                };
                let catalogue = self.catalogue().await?;
                let open = withheld.is_empty();
                let units = if open {
                    {
                        let raw = self.may(&Action::ReadData);
                        units_in_order(&result)
                            .map(|u| unit_line(&result, u, correction(&u.code), &catalogue, raw))
                            .collect()
                    }
                } else {
                    Vec::new()
                };
                Some(RunDetail {
                    published: published_run == Some(r.id),
                    run: run_row(&r),
                    indicators: result.indicators.iter().map(|i| i.name.clone()).collect(),
                    // A cut-off is a composite score: withheld with the units.
                    groups: groups(&result)
                        .into_iter()
                        .map(|g| GroupLine { cutoff: g.cutoff.filter(|_| open), ..g })
                        .collect(),
                    units,
                })
            }
        };
        Ok(MeasureResults {
            year: programme.year,
            measure,
            short: m.short.clone(),
            lead: m.lead.clone(),
            runs: stored.iter().map(run_row).collect(),
            published_run,
            shown,
            withheld,
        })
    }

    /// Run `id`, refused unless it is a run of this measure and year.
    async fn run_of_measure(&self, year: i32, measure: u32, id: i64) -> Result<jili_store::StoredRun> {
        self.store
            .run(id)
            .await?
            .filter(|r| r.year == year && r.measure == i64::from(measure))
            .ok_or_else(|| AppError::NotFound(format!("{year}年第 {measure} 条措施没有运行 {id}：请从运行列表中选择")))
    }

    /// For a lead: the confidential series the run's plan reads without a standing grant, by
    /// name and owner. Nothing for the office and the auditor, who read all data.
    async fn withheld_for(&self, run: &jili_store::StoredRun) -> Result<Vec<String>> {
        if !matches!(self.principal().role, Role::Lead(_)) {
            return Ok(Vec::new());
        }
        let measure = u32::try_from(run.measure).unwrap_or_default();
        let view = self.plan_version(run.year, measure, Some(run.plan_version)).await?;
        let catalogue = self.catalogue().await?;
        let codes = self.ungranted(&view.plan).await?;
        Ok(codes
            .iter()
            .map(|c| match catalogue.series(c) {
                Some(s) => {
                    let owner = catalogue.department(&s.owner).map_or(s.owner.as_str(), |d| d.name.as_str());
                    format!("{}（{c}，{owner}）", s.name)
                }
                None => c.clone(),
            })
            .collect())
    }
}

fn published_run(p: Option<&crate::Publication>, measure: u32) -> Option<i64> {
    p?.body.measures.iter().find(|m| m.measure == measure).map(|m| m.run)
}

fn groups(result: &RunResult) -> Vec<GroupLine> {
    result
        .groups
        .iter()
        .map(|g| GroupLine {
            id: g.id.clone(),
            quota: g.quota,
            cutoff: g.cutoff,
            units: g.ranking.len(),
            winners: g.winners.len(),
        })
        .collect()
}

/// Units by group in the run's group order, each group by rank; ungrouped units last.
fn units_in_order(result: &RunResult) -> impl Iterator<Item = &UnitResult> {
    let by_code = |c: &String| result.units.iter().find(|u| &u.code == c);
    let ranked: Vec<&UnitResult> = result.groups.iter().flat_map(|g| g.ranking.iter().filter_map(by_code)).collect();
    let rest = result.units.iter().filter(move |u| !result.groups.iter().any(|g| g.ranking.contains(&u.code)));
    ranked.into_iter().chain(rest)
}

fn unit_line(
    result: &RunResult,
    u: &UnitResult,
    correction: Option<Correction<'_>>,
    catalogue: &jili_model::Catalogue,
    raw: bool,
) -> UnitLine {
    let detail = Detail::of(result, u, catalogue);
    UnitLine {
        code: u.code.clone(),
        name: u.name.clone(),
        result: Explained::of(result, u, correction),
        detail: if raw { detail } else { detail.without_raw_values() },
    }
}
