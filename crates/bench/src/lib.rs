//! jili's benchmarks: the steps `jili bench` times on this machine (reading reference data,
//! building the demo, hashing and verifying it, the engine against COINr's figures, reading
//! providers' files, the store on each backend) and the inputs `cargo bench` measures. They
//! live apart from `jili-app` so the use-cases hold no timing code. Benchmarks, not tests: the
//! figures vary with the machine; compare them as ratios.
//!
//! ```
//! let row = jili_bench::BenchRow { runs_ms: vec![3.0, 1.0, 2.0], ..jili_bench::BenchRow::new("步骤 step", 10, "值 values") };
//! assert_eq!(row.median_ms(), 2.0);
//! assert_eq!(row.per_second(), 5000.0);
//! ```

pub mod backend;
pub mod engine;
pub mod intake;
pub mod store;

use crate::engine::engine_rows;
pub use crate::engine::{Asem, mcda_matrix_csv, peak_memory_mib};
use jili_app::Result;
use jili_app::demo::{Profile, Scope, generate};
use jili_app::{App, bundled};
use jili_intake::read_reference;
use jili_model::{Catalogue, Plan, Programme};
use std::time::{Duration, Instant};

/// One benchmarked step: its timings over the runs and how many items one run handles.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchRow {
    pub step: &'static str,
    pub items: usize,
    pub unit: &'static str,
    pub runs_ms: Vec<f64>,
    /// A peer's published time for the same work (name, ms), to report a ratio.
    pub peer: Option<(&'static str, f64)>,
    /// The issue's ceiling for this step, ms.
    pub target_ms: Option<f64>,
}

impl BenchRow {
    /// A step with no runs yet, no peer and no ceiling.
    pub fn new(step: &'static str, items: usize, unit: &'static str) -> BenchRow {
        BenchRow { step, items, unit, runs_ms: Vec::new(), peer: None, target_ms: None }
    }

    /// The median run in milliseconds.
    pub fn median_ms(&self) -> f64 {
        let mut v = self.runs_ms.clone();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    }

    /// Items per second at the median.
    pub fn per_second(&self) -> f64 {
        let ms = self.median_ms();
        if ms > 0.0 { self.items as f64 * 1000.0 / ms } else { 0.0 }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Run every step `runs` times. `url_for(i)` gives a fresh database URL for run i. The engine's
/// rows run on the last demo database.
pub async fn run(runs: usize, url_for: impl Fn(usize) -> String, asem: Option<&Asem>) -> Result<Vec<BenchRow>> {
    let files = bundled::reference_files();
    let mut rows = vec![
        BenchRow::new("读取参考数据 read reference CSV", 0, "行 rows"),
        BenchRow::new("检查20份方案 check 20 plans", bundled::PLANS.len(), "份 plans"),
        BenchRow::new("生成演示数据 generate demo data", 0, "值 values"),
        BenchRow::new("构建演示库 build demo database", 0, "值 values"),
        BenchRow::new("内容指纹 content hash", 0, "值 values"),
        BenchRow::new("审计核验 audit verify (chain + every record)", 0, "值 values"),
        BenchRow {
            target_ms: Some(1000.0),
            ..BenchRow::new("复查全部库中数据 re-check all stored data", 0, "值 values")
        },
    ];
    for i in 0..runs.max(1) {
        let t = Instant::now();
        let reference = read_reference(&files)?;
        rows[0].runs_ms.push(ms(t.elapsed()));
        rows[0].items = reference.units.len() + reference.series.len() + reference.departments.len();

        let (name, text) = bundled::PROGRAMMES[0];
        let programme = Programme::from_toml(name, text)?;
        let catalogue =
            Catalogue::new(reference.departments.clone(), reference.units.clone(), reference.series.clone());
        let t = Instant::now();
        let mut scope = Scope::new();
        for (name, text) in bundled::PLANS {
            let plan = Plan::from_toml(name, text, &programme, &catalogue)?;
            for level in &plan.header.units {
                scope.entry(*level).or_default().extend(plan.series_read().into_iter().map(String::from));
            }
        }
        rows[1].runs_ms.push(ms(t.elapsed()));

        let profile = Profile::from_toml(bundled::DEMO_PROFILE.0, bundled::DEMO_PROFILE.1)?;
        let t = Instant::now();
        let data = generate(&profile, &reference.units, &reference.series, &scope);
        rows[2].runs_ms.push(ms(t.elapsed()));
        let values: usize = data.batches.iter().map(|b| b.observations.len()).sum();
        rows[2].items = values;

        let app = App::open(&url_for(i), "bench").await?;
        let t = Instant::now();
        app.build_demo(&|_| {}).await?;
        rows[3].runs_ms.push(ms(t.elapsed()));
        rows[3].items = values;

        let t = Instant::now();
        app.content_hash().await?;
        rows[4].runs_ms.push(ms(t.elapsed()));
        rows[4].items = values;

        let t = Instant::now();
        let report = app.verify_audit(None).await?;
        rows[5].runs_ms.push(ms(t.elapsed()));
        rows[5].items = values;
        if !report.is_intact() {
            return Err(jili_app::AppError::Invalid(format!("基准库审计核验未通过：{:?}", report.problems)));
        }

        // Every check over every stored value (the demo was re-checked when built, so this
        // one reads everything and adds nothing: the cost of a full re-check).
        let t = Instant::now();
        let recheck = app.recheck(&jili_app::RecheckRequest { all: true, ..Default::default() }).await?;
        rows[6].runs_ms.push(ms(t.elapsed()));
        rows[6].items = recheck.checked;
        app.close().await;
    }
    let app = App::open(&url_for(runs.max(1) - 1), "bench").await?;
    rows.extend(engine_rows(&app, runs, asem).await?);
    app.close().await;
    rows.extend(crate::intake::intake_rows(runs, |i| url_for(i.wrapping_add(10_000))).await?);
    Ok(rows)
}
