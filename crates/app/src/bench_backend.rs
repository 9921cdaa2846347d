//! The store-bound steps of `jili bench` on one backend, so the same work can be timed on
//! SQLite and on PostgreSQL and compared as a ratio: a 100,000-value batch stored in one
//! transaction, all 20 measures evaluated from the database (data read, scored, runs and their
//! audit events written), and the audit verification of the demo database.

use crate::bench::BenchRow;
use crate::bench_intake::{long_rows, observations};
use crate::error::{AppError, Result};
use crate::{App, RunRequest};
use jili_model::Batch;
use std::time::Instant;

/// Values in the batch stored by the insert step.
const BATCH: usize = 100_000;

/// Step names per backend (the table shows them side by side).
struct Names {
    insert: &'static str,
    run_all: &'static str,
    run_all_mc: &'static str,
    verify: &'static str,
}

const SQLITE: Names = Names {
    insert: "SQLite：10万值入库（单事务）store 100k values",
    run_all: "SQLite：20条措施评价（读库+计算+存结果）run all 20",
    run_all_mc: "SQLite：20条措施评价含200次稳健性样本 run all, 200 samples",
    verify: "SQLite：审计核验演示库 audit verify",
};

const POSTGRES: Names = Names {
    insert: "PostgreSQL：10万值入库（单事务，COPY）store 100k values",
    run_all: "PostgreSQL：20条措施评价（读库+计算+存结果）run all 20",
    run_all_mc: "PostgreSQL：20条措施评价含200次稳健性样本 run all, 200 samples",
    verify: "PostgreSQL：审计核验演示库 audit verify",
};

fn elapsed_ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Time the store-bound steps `runs` times on the backend of `fresh(i)`, an empty database
/// for each i (0 .. 2 × runs + 1 are asked for).
pub async fn backend_rows(postgres: bool, runs: usize, fresh: impl Fn(usize) -> String) -> Result<Vec<BenchRow>> {
    let names = if postgres { &POSTGRES } else { &SQLITE };
    let mut insert = BenchRow::new(names.insert, BATCH, "值 values");
    let mut run_all = BenchRow::new(names.run_all, 20, "条 measures");
    let mut run_all_mc = BenchRow::new(names.run_all_mc, 20, "条 measures");
    let mut verify = BenchRow::new(names.verify, 0, "值 values");

    let demo = App::open(&fresh(0), "bench").await?;
    demo.build_demo(&|_| {}).await?;
    verify.items = demo.store.observations().await?.len();
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

        let app = App::open(&fresh(i + 1), "bench").await?;
        app.init().await?;
        let catalogue = app.catalogue().await?;
        let observations = observations(&long_rows(&catalogue, BATCH), &catalogue);
        let batch = Batch { provider: "TJJ".into(), source: "bench".into(), demo: false, observations };
        let t = Instant::now();
        app.store.import_batch(&app.actor(), &batch).await?;
        insert.runs_ms.push(elapsed_ms(t));
        app.store.clone().close().await;
    }
    demo.store.clone().close().await;
    Ok(vec![insert, run_all, run_all_mc, verify])
}
