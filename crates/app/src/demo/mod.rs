//! `jili demo`: build the demo database — reference data, the programme, the example plans and
//! generated demo data (labelled 演示数据) — through the same functions real data uses.

mod generator;
mod portal;
pub use portal::{DEMO_ACCOUNTS, DEMO_PASSWORD};
mod profile;
mod releases;

pub use generator::{DemoData, Scope, generate};
pub use profile::{Planted, PlantedKind, Profile};

use crate::App;
use crate::bundled;
use crate::error::Result;
use jili_engine::Outcome;
use jili_model::Level;
use std::collections::BTreeMap;

/// The second office user of the demo: approves the plans the demo office submitted and
/// confirms its publication (four eyes).
pub const DEMO_CHECKER: &str = "办公厅复核人（演示）";

/// The steps of a demo build, reported as they happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoStep {
    Reference,
    Programme,
    Plan {
        done: usize,
        total: usize,
    },
    Data {
        done: usize,
        total: usize,
    },
    /// Re-checking the stored data, so the planted problems are flagged from the start.
    Recheck,
    /// Evaluating every measure with its robustness analysis.
    Evaluate,
}

/// One measure's demo run, for the summary.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunSummary {
    pub measure: u32,
    pub title: String,
    pub run_id: i64,
    pub units: usize,
    pub winners: usize,
    pub vetoed: usize,
    pub total_wan: u64,
    pub stable_winners: u32,
}

/// What a demo build loaded.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DemoSummary {
    pub departments: usize,
    pub units_by_level: BTreeMap<String, usize>,
    pub series: usize,
    pub programme: String,
    pub measures: usize,
    pub plans: usize,
    /// (provider code, observations) per batch.
    pub batches: Vec<(String, usize)>,
    pub observations: usize,
    pub planted: Vec<Planted>,
    /// The re-check of the demo's data (the demo's batches are loaded, not imported through the
    /// checks, so this is where their problems are found).
    pub recheck: crate::RecheckSummary,
    pub runs: Vec<RunSummary>,
    pub content_hash: String,
    /// The hash of the audit chain, the seals and the content hash.
    pub seal_algorithm: jili_store::SealAlgorithm,
}

impl App {
    /// Rebuild the database as the demo: everything is cleared first, then loaded in order.
    /// Deterministic: two builds have the same [`App::content_hash`].
    /// Its audit chain and seals use SHA-256; [`App::build_demo_sealed`] chooses.
    pub async fn build_demo(&self, progress: &dyn Fn(DemoStep)) -> Result<DemoSummary> {
        self.build_demo_sealed(progress, jili_store::SealAlgorithm::Sha256).await
    }

    /// [`App::build_demo`] with the audit chain and seals in `algorithm`: the rebuilt database
    /// records it before anything else. The content hash is in the same algorithm, so an SM3
    /// demo's hash differs from a SHA-256 one's, and two SM3 builds agree.
    pub async fn build_demo_sealed(
        &self,
        progress: &dyn Fn(DemoStep),
        algorithm: jili_store::SealAlgorithm,
    ) -> Result<DemoSummary> {
        self.allow(crate::Action::Configure)?;
        // The demo rebuilds from scratch; never over data a department sent.
        let real = self.store.batches().await?.iter().filter(|b| !b.demo).count();
        if real > 0 {
            return Err(crate::AppError::Invalid(format!(
                "数据库中已有 {real} 个正式数据批次：jili demo 会清空整个数据库，已停止。请用 --db 指定另一个文件来建演示库"
            )));
        }
        // Nor over the office's own records: clearing would erase them and their audit trail.
        let kept = self.store.office_records().await?;
        if !kept.is_empty() {
            let what: Vec<String> = kept.iter().map(|(w, n)| format!("{w} {n} 条")).collect();
            return Err(crate::AppError::Invalid(format!(
                "数据库中已有{}：jili demo 会清空整个数据库（连同审计日志），已停止。请用 --db 指定另一个文件来建演示库",
                what.join("、")
            )));
        }
        self.store.clear().await?;
        self.store.choose_seal_algorithm(&self.actor(), algorithm).await?;
        progress(DemoStep::Reference);
        let reference = self.load_reference(&bundled::reference_files()).await?;

        progress(DemoStep::Programme);
        let mut programme = None;
        for (name, text) in bundled::PROGRAMMES {
            programme = Some(self.load_programme(name, text).await?);
        }
        let programme = programme.ok_or_else(|| crate::AppError::NotFound("没有内置的年度激励方案".into()))?;

        // Four eyes: another office user reviews what the demo office loaded and submitted.
        let checker = self.acting_as(crate::Principal::office(DEMO_CHECKER));
        let mut scope = Scope::new();
        for (i, (name, text)) in bundled::PLANS.iter().enumerate() {
            progress(DemoStep::Plan { done: i, total: bundled::PLANS.len() });
            let plan = self.load_plan(name, text).await?;
            // The demo office reviews its own example plans: submitted, approved, published,
            // each step recorded like any other.
            let (year, no) = (plan.header.year, plan.header.measure);
            // Plans reading another department's confidential series need its grant: the demo
            // office records one per series, as from that department's letter.
            for series in self.ungranted(&plan).await? {
                self.record_grant(year, no, &series, "演示：数据所有部门同意在本措施实施方案中使用的复函（演示）")
                    .await?;
            }
            let (version, _) = self.submit_plan(year, no).await?;
            checker.approve_plan(year, no, version, "演示：示例方案").await?;
            checker.publish_plan(year, no, version).await?;
            for level in &plan.header.units {
                scope.entry(*level).or_default().extend(plan.series_read().into_iter().map(String::from));
            }
        }

        let (profile_name, profile_text) = bundled::DEMO_PROFILE;
        let profile = Profile::from_toml(profile_name, profile_text)?;
        let data = generate(&profile, &reference.units, &reference.series, &scope);
        let mut batches = Vec::new();
        // Quarterly values for the regular data releases, from the cities' annual values.
        let quarterly = releases::quarterly_batches(&data.batches, &reference.units);
        let total = data.batches.len() + quarterly.len();
        for (i, batch) in data.batches.iter().chain(&quarterly).enumerate() {
            progress(DemoStep::Data { done: i, total });
            self.import_batch(batch).await?;
            batches.push((batch.provider.clone(), batch.observations.len()));
        }

        progress(DemoStep::Recheck);
        let recheck = self.recheck(&crate::RecheckRequest { all: true, ..Default::default() }).await?;

        progress(DemoStep::Evaluate);
        let runs = self
            .run_all(&crate::RunRequest::default())
            .await?
            .into_iter()
            .map(|r| {
                let res = &r.result;
                let count = |o: Outcome| res.units.iter().filter(|u| u.outcome == o).count();
                RunSummary {
                    measure: res.measure,
                    title: res.title.clone(),
                    run_id: r.id,
                    units: res.units.len(),
                    winners: count(Outcome::Winner),
                    vetoed: count(Outcome::Vetoed),
                    total_wan: res.total_wan,
                    stable_winners: res.robustness.as_ref().map_or(0, |x| x.stable_winners),
                }
            })
            .collect();

        let mut units_by_level = BTreeMap::new();
        for level in Level::ALL {
            let n = reference.units.iter().filter(|u| u.level == level && u.valid_to.is_none()).count();
            units_by_level.insert(level.as_str().to_string(), n);
        }
        Ok(DemoSummary {
            departments: reference.departments.len(),
            units_by_level,
            series: reference.series.len(),
            programme: format!("{}（{}）", programme.title, programme.doc_no),
            measures: programme.measures.len(),
            plans: bundled::PLANS.len(),
            observations: batches.iter().map(|(_, n)| n).sum(),
            batches,
            planted: data.planted,
            recheck,
            runs,
            content_hash: self.content_hash().await?,
            seal_algorithm: algorithm,
        })
    }
}
