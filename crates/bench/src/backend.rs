//! The store-bound steps of `jili bench` on one backend, so the same work can be timed on
//! SQLite and on PostgreSQL and compared as a ratio: a 100,000-value batch stored in one
//! transaction, the same values imported end to end from a provider's CSV (read, mapped, checked,
//! stored), all 20 measures evaluated from the database (data read, scored, runs and their
//! audit events written), and the audit verification of the demo database.

use crate::BenchRow;
use crate::intake::{long_csv, long_rows, observations};
use crate::store::{initialised_store, store_batch};
use jili_app::{App, ImportRequest, RunRequest};
use jili_app::{AppError, Result};
use jili_model::{Batch, Catalogue};
use jili_store::Store;
use std::time::Instant;

/// Values in the batch stored by the insert step.
pub const BATCH: usize = 100_000;

/// Issue 7's floor for importing into PostgreSQL, values per second.
pub const POSTGRES_IMPORT_FLOOR_PER_S: usize = 200_000;

/// Issue 7's ceiling for evaluating all 20 measures from PostgreSQL, as a multiple of the same
/// from SQLite.
pub const POSTGRES_RUN_ALL_CEILING: f64 = 2.0;

/// The ceiling on PostgreSQL's time over SQLite's for a step, where the issue sets one.
pub fn ratio_ceiling(postgres_row: &BenchRow) -> Option<f64> {
    (postgres_row.step == POSTGRES.run_all).then_some(POSTGRES_RUN_ALL_CEILING)
}

/// A batch of `rows` plausible values of the bundled catalogue, as the insert step stores it.
pub fn batch(catalogue: &Catalogue, rows: usize) -> Batch {
    Batch {
        provider: "TJJ".into(),
        source: "bench".into(),
        demo: false,
        observations: observations(&long_rows(catalogue, rows), catalogue),
    }
}

/// Step names per backend (the table shows them side by side).
struct Names {
    insert: &'static str,
    import: &'static str,
    run_all: &'static str,
    run_all_mc: &'static str,
    verify: &'static str,
}

const SQLITE: Names = Names {
    insert: "SQLite：10万值入库（单事务）store 100k values",
    import: "SQLite：10万行 CSV 导入（端到端）CSV import end to end",
    run_all: "SQLite：20条措施评价（读库+计算+存结果）run all 20",
    run_all_mc: "SQLite：20条措施评价含200次稳健性样本 run all, 200 samples",
    verify: "SQLite：审计核验演示库 audit verify",
};

const POSTGRES: Names = Names {
    insert: "PostgreSQL：10万值入库（单事务，COPY）store 100k values",
    import: "PostgreSQL：10万行 CSV 导入（端到端）CSV import end to end",
    run_all: "PostgreSQL：20条措施评价（读库+计算+存结果）run all 20",
    run_all_mc: "PostgreSQL：20条措施评价含200次稳健性样本 run all, 200 samples",
    verify: "PostgreSQL：审计核验演示库 audit verify",
};

fn elapsed_ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Time the store-bound steps `runs` times on the backend of `fresh(i)`, an empty database
/// for each i (0 ..= 2 × max(runs, 1) are asked for).
pub async fn backend_rows(postgres: bool, runs: usize, fresh: impl Fn(usize) -> String) -> Result<Vec<BenchRow>> {
    let names = if postgres { &POSTGRES } else { &SQLITE };
    let mut insert = BenchRow::new(names.insert, BATCH, "值 values");
    // The floor is the store's: the checks before it are the same work on either backend
    // (issue 4 sets their own ceilings), so the end-to-end row has none.
    let mut import = BenchRow::new(names.import, BATCH, "值 values");
    if postgres {
        insert.target_ms = Some(BATCH as f64 * 1000.0 / POSTGRES_IMPORT_FLOOR_PER_S as f64);
    }
    let mut run_all = BenchRow::new(names.run_all, 20, "条 measures");
    let mut run_all_mc = BenchRow::new(names.run_all_mc, 20, "条 measures");
    let mut verify = BenchRow::new(names.verify, 0, "值 values");

    let demo = App::open(&fresh(0), "bench").await?;
    demo.build_demo(&|_| {}).await?;
    verify.items = Store::open(&fresh(0)).await?.observations().await?.len();
    let quick = RunRequest { samples: Some(0), ..RunRequest::default() };
    let full = RunRequest { samples: Some(200), ..RunRequest::default() };
    for i in 0..runs.max(1) {
        let t = Instant::now();
        let reports = demo.run_all(&quick).await?;
        run_all.runs_ms.push(elapsed_ms(t));
        if reports.len() != 20 {
            return Err(AppError::Invalid(format!("基准评价只得到 {} 条措施的结果", reports.len())));
        }
        let t = Instant::now();
        demo.run_all(&full).await?;
        run_all_mc.runs_ms.push(elapsed_ms(t));
        let t = Instant::now();
        let report = demo.verify_audit(None).await?;
        verify.runs_ms.push(elapsed_ms(t));
        if !report.is_intact() {
            return Err(AppError::Invalid(format!("基准库审计核验未通过：{:?}", report.problems)));
        }

        let (store, catalogue) = initialised_store(&fresh(i + 1)).await?;
        let batch = batch(&catalogue, BATCH);
        let t = Instant::now();
        store_batch(&store, &batch).await?;
        insert.runs_ms.push(elapsed_ms(t));
        store.close().await;

        // The same values as a provider's CSV: read, mapped, checked against the catalogue and
        // the stored data, and stored.
        let app = App::open(&fresh(runs.max(1) + i + 1), "bench").await?;
        app.init().await?;
        let request = ImportRequest::new("bench.csv", long_csv(&long_rows(&catalogue, BATCH)), "TJJ");
        let t = Instant::now();
        let outcome = app.import_file(&request, &|_| {}).await?;
        import.runs_ms.push(elapsed_ms(t));
        match outcome.stored {
            Some(_) if outcome.new == BATCH => {}
            _ => {
                let first = outcome.findings.first().map(|f| f.line()).unwrap_or_default();
                return Err(AppError::Invalid(format!("基准 CSV 未能全部入库：{first}")));
            }
        }
        app.close().await;
    }
    demo.close().await;
    Ok(vec![insert, import, run_all, run_all_mc, verify])
}
