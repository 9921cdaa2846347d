//! Evaluate measures from the store: build the data snapshot a plan reads, call the engine, record
//! the run with the hashes of its inputs and result.

use crate::error::{AppError, Result};
use crate::{App, PlanView, Work};
use jili_engine::{Options, RunResult, Snapshot, SnapshotUnit};
use jili_model::Decimal;
use jili_model::plan::Plan;
use jili_store::NewRun;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The default seed: runs are reproducible unless the user asks for another.
pub const DEFAULT_SEED: u64 = 20240529;

/// What to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunRequest {
    pub year: Option<i32>,
    /// `None`: the plan's `[method] samples`.
    pub samples: Option<u32>,
    pub seed: u64,
    /// Read the data as they stood after this batch (`None`: as they stand now). A stored
    /// run records its batch, so `--as-of` reproduces it after later imports and revisions.
    pub as_of: Option<i64>,
}

impl Default for RunRequest {
    fn default() -> RunRequest {
        RunRequest { year: None, samples: None, seed: DEFAULT_SEED, as_of: None }
    }
}

/// A recorded run.
#[derive(Debug, Clone)]
pub struct RunReport {
    pub id: i64,
    pub plan: PlanView,
    pub result: RunResult,
    pub data_sha256: String,
    pub result_sha256: String,
}

/// The data of one year's evaluations, built once for all measures.
#[derive(Debug)]
pub struct Data {
    pub snapshot: Snapshot,
    /// Per series: sha256 over its current values (series/unit/year/value lines, in key order).
    series_sha256: BTreeMap<String, String>,
    /// The last batch the data include.
    pub batch: i64,
}

impl Data {
    /// The fingerprint of what a plan reads: its series' fingerprints, in name order. A run
    /// alone and the same run inside `run_all` get the same one.
    pub fn sha256_for(&self, plan: &Plan) -> String {
        let mut h = Sha256::new();
        for s in plan.series_read() {
            h.update(s.as_bytes());
            h.update(b"=");
            h.update(self.series_sha256.get(s).map_or("", String::as_str).as_bytes());
            h.update(b"\n");
        }
        jili_store::hex(&h.finalize())
    }
}

impl App {
    /// The engine's input for `series` in `period` as it stands now, for timing the engine
    /// apart from the store (`jili bench`): every value, confidential ones too, so only a role
    /// that reads all stored data may have it.
    pub async fn evaluation_input(&self, period: i32, series: &BTreeSet<&str>) -> Result<Snapshot> {
        self.allow(crate::Action::ReadData)?;
        Ok(self.snapshot(period, series, None).await?.snapshot)
    }

    /// Every current value of the series in `series`, for the units valid in `period`, as they
    /// stood after batch `as_of` (`None`: now).
    pub(crate) async fn snapshot(&self, period: i32, series: &BTreeSet<&str>, as_of: Option<i64>) -> Result<Data> {
        let batch = match as_of {
            Some(b) => b,
            None => self.store.last_batch().await?,
        };
        let wanted: Vec<&str> = series.iter().copied().collect();
        let observations = self.store.observations_as_of(&wanted, batch).await?;
        let values = observations.into_iter().map(|o| o.observation);
        self.data_of(period, values, batch).await
    }

    /// A snapshot of given values (stored ones, or stored ones with an incoming batch laid over).
    pub(crate) async fn data_of(
        &self,
        period: i32,
        values: impl Iterator<Item = jili_model::Observation>,
        batch: i64,
    ) -> Result<Data> {
        let units: Vec<SnapshotUnit> = self
            .store
            .units()
            .await?
            .into_iter()
            .filter(|u| u.valid_in(period))
            .map(|u| SnapshotUnit { code: u.code, name: u.name, level: u.level, plate: u.plate, kind: u.kind })
            .collect();
        let mut snapshot = Snapshot::new(units);
        let mut hashers: BTreeMap<String, Sha256> = BTreeMap::new();
        for x in values {
            // Plans evaluate years; quarterly and monthly values are stored and published only.
            if x.period.is_annual() && snapshot.insert(&x.series, &x.unit, x.period.year, to_f64(x.value)) {
                let h = hashers.entry(x.series.to_string()).or_default();
                h.update(format!("{}/{}/{}\n", x.unit, x.period.year, x.value).as_bytes());
            }
        }
        let series_sha256 = hashers.into_iter().map(|(k, h)| (k, jili_store::hex(&h.finalize()))).collect();
        Ok(Data { snapshot, series_sha256, batch })
    }

    /// Evaluate one measure and record the run (heavy work: see [`crate::workers`]).
    pub async fn run(&self, measure: u32, request: &RunRequest) -> Result<RunReport> {
        self.allow(crate::Action::Run)?;
        let request = *request;
        self.heavy(Work::Run, move |app| async move {
            let year = app.programme(request.year).await?.year;
            let view = app.plan_in_force(year, measure).await?;
            let data = app.snapshot(view.plan.header.period, &view.plan.series_read(), request.as_of).await?;
            let done = evaluated(view, &data, &request)?;
            Ok(app.record_runs(vec![done], &data, &request).await?.remove(0))
        })
        .await
    }

    /// Evaluate a plan that is not stored (a draft being written) on the current data. Nothing
    /// is recorded: a trial is never a run.
    pub(crate) async fn trial(&self, plan: &Plan, request: &RunRequest) -> Result<RunResult> {
        let data = self.snapshot(plan.header.period, &plan.series_read(), request.as_of).await?;
        evaluate(plan, &data.snapshot, request)
    }

    /// Evaluate every measure of a year that has a plan, on one snapshot.
    pub async fn run_all(&self, request: &RunRequest) -> Result<Vec<RunReport>> {
        self.run_all_reporting(request, |_, _| {}).await
    }

    /// [`App::run_all`], telling `progress` (measures evaluated, measures in all) after each.
    /// The runs are recorded together in one transaction: all of them, or none.
    pub async fn run_all_reporting(
        &self,
        request: &RunRequest,
        progress: impl Fn(usize, usize) + Send + Sync + 'static,
    ) -> Result<Vec<RunReport>> {
        self.allow(crate::Action::Run)?;
        let request = *request;
        self.heavy(Work::Run, move |app| async move {
            let programme = app.programme(request.year).await?;
            let views = app.plan_views(Some(programme.year)).await?;
            let mut series: BTreeSet<&str> = BTreeSet::new();
            for v in &views {
                series.extend(v.plan.series_read());
            }
            let period = views.first().map_or(programme.year, |v| v.plan.header.period);
            let data = app.snapshot(period, &series, request.as_of).await?;
            let total = views.len();
            progress(0, total);
            let mut out = Vec::with_capacity(total);
            for (i, v) in views.into_iter().enumerate() {
                out.push(evaluated(v, &data, &request)?);
                progress(i + 1, total);
            }
            app.record_runs(out, &data, &request).await
        })
        .await
    }

    /// Store evaluated runs, with their audit events, in one transaction.
    async fn record_runs(&self, done: Vec<Evaluated>, data: &Data, request: &RunRequest) -> Result<Vec<RunReport>> {
        let runs: Vec<NewRun<'_>> = done
            .iter()
            .map(|e| NewRun {
                year: e.view.plan.header.year,
                measure: e.view.plan.header.measure,
                plan_version: e.view.stored.version,
                plan_sha256: &e.view.stored.sha256,
                data_sha256: &e.data_sha256,
                seed: request.seed,
                samples: e.result.robustness.as_ref().map_or(0, |r| r.samples),
                result: &e.json,
                data_batch: data.batch,
                engine: jili_engine::VERSION,
            })
            .collect();
        let ids = self.store.add_runs(&self.actor(), &runs).await?;
        Ok(done
            .into_iter()
            .zip(ids)
            .map(|(e, id)| RunReport {
                id,
                plan: e.view,
                result: e.result,
                data_sha256: e.data_sha256,
                result_sha256: e.result_sha256,
            })
            .collect())
    }
}

/// A run evaluated and serialised, not yet stored.
struct Evaluated {
    view: PlanView,
    result: RunResult,
    json: String,
    data_sha256: String,
    result_sha256: String,
}

/// Evaluate `view`'s plan on `data` and serialise the result (the CPU part of a run).
fn evaluated(view: PlanView, data: &Data, request: &RunRequest) -> Result<Evaluated> {
    let result = evaluate(&view.plan, &data.snapshot, request)?;
    let data_sha256 = data.sha256_for(&view.plan);
    let json = crate::document::to_text(&result).map_err(|e| AppError::Invalid(format!("结果无法序列化：{e}")))?;
    let result_sha256 = jili_store::hex(&Sha256::digest(json.as_bytes()));
    Ok(Evaluated { view, result, json, data_sha256, result_sha256 })
}

/// Which measures to run, as a person writes it (a form field, a JSON value, a command-line
/// argument): blank or `all` for every measure (`None`), or one measure's number. Anything else
/// is refused with the rule, so every caller reads the choice the same way.
pub fn parse_measure_choice(text: &str) -> Result<Option<u32>> {
    let text = text.trim();
    if text.is_empty() || text.eq_ignore_ascii_case("all") {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(n) if n > 0 => Ok(Some(n)),
        _ => Err(AppError::Invalid(format!("措施序号“{text}”应为 1–20 的数字，或 all 表示全部措施"))),
    }
}

/// The most Monte Carlo samples a run may ask for (as in a plan's `[method] samples`).
pub const MAX_SAMPLES: u32 = 100_000;

/// The engine call, with its error turned into the app's.
pub fn evaluate(plan: &Plan, snapshot: &Snapshot, request: &RunRequest) -> Result<RunResult> {
    if request.samples.is_some_and(|n| n > MAX_SAMPLES) {
        return Err(AppError::Invalid(format!(
            "--samples {} 过大：稳健性分析最多 {MAX_SAMPLES} 个样本（1000 个通常已足够稳定）",
            request.samples.unwrap_or(0)
        )));
    }
    let options = Options { samples: request.samples, parallel: true };
    jili_engine::evaluate_with(plan, snapshot, request.seed, &options)
        .map_err(|e| AppError::Invalid(format!("第 {} 条措施的方案无法计算：{e}", plan.header.measure)))
}

/// Scores are computed in floating point; money never is (see jili_engine::funds).
fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(f64::NAN)
}
