//! `jili bench`'s engine rows: the sizes and peers of issue 3, timed on this machine. The peers'
//! figures are those published with the issue (same kind of machine); compare as ratios.

use crate::BenchRow;
use jili_app::Result;
use jili_app::{App, RunRequest};
use jili_engine::index::{BuildOptions, Variation, build, default_alternatives, uncertainty};
use jili_engine::mcda::{McdaMethod, WeightSpec, mcda};
use jili_engine::{Options, evaluate_with, synthetic};
use jili_intake::analyst::{read_idata, read_imeta};
use jili_model::{Direction, Normalise, WeightMethod};
use std::time::Instant;

/// COINr's ASEM example tables, where the user has them (they are not shipped).
#[derive(Debug, Clone)]
pub struct Asem {
    pub data: Vec<u8>,
    pub meta: Vec<u8>,
}

/// Time `f` over `runs` runs of `inner` repetitions each; milliseconds per repetition.
fn time(runs: usize, inner: usize, mut f: impl FnMut()) -> Vec<f64> {
    (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            for _ in 0..inner {
                f();
            }
            t.elapsed().as_secs_f64() * 1000.0 / inner as f64
        })
        .collect()
}

fn row(
    step: &'static str,
    items: usize,
    unit: &'static str,
    runs_ms: Vec<f64>,
    peer: &'static str,
    peer_ms: f64,
    target_ms: f64,
) -> BenchRow {
    BenchRow { step, items, unit, runs_ms, peer: Some((peer, peer_ms)), target_ms: Some(target_ms) }
}

/// The engine rows. `app` must hold the demo database (for the 20 example plans).
pub async fn engine_rows(app: &App, runs: usize, asem: Option<&Asem>) -> Result<Vec<BenchRow>> {
    let mut rows = Vec::new();
    let (tree, data, label) = match asem {
        Some(a) => {
            let tree = read_imeta("asem_iMeta.csv", &a.meta)?;
            let data = read_idata("asem_iData.csv", &a.data, &tree)?;
            (tree, data, "ASEM 指数构建 build (COINr 真实数据)")
        }
        None => {
            let (t, d) = synthetic::asem_like(51, 1);
            (t, d, "ASEM 规模指数构建 build (合成数据 synthetic)")
        }
    };
    let options = BuildOptions::default();
    let cells = data.codes.len() * data.columns.len();
    rows.push(row(
        label,
        cells,
        "值 values",
        time(runs, 200, || {
            let _ = build(&tree, &data, &options, &Variation::default());
        }),
        "COINr 1.1.14",
        24.6,
        0.25,
    ));
    let alts = default_alternatives(&tree, Normalise::Minmax);
    rows.push(row(
        "ASEM 不确定性分析 N=1000",
        1000,
        "样本 samples",
        time(runs, 1, || {
            let _ = uncertainty(&tree, &data, &options, 1000, 7, 0.25, &alts);
        }),
        "COINr 1.1.14",
        144_600.0,
        500.0,
    ));

    let m = synthetic::matrix(3000, 200, 1);
    let types = vec![Direction::Higher; 200];
    rows.push(row(
        "熵权 + TOPSIS 3000×200",
        600_000,
        "值 values",
        time(runs, 1, || {
            let _ = mcda(&m, &types, &WeightSpec::Method(WeightMethod::Entropy), McdaMethod::Topsis, None);
        }),
        "scikit-criteria 0.10（pymcdm 1.4.0 72 ms）",
        51.0,
        5.0,
    ));

    let request = RunRequest::default();
    let mut plans = Vec::new();
    for stored in app.plans(2024).await? {
        plans.push(app.plan(Some(2024), stored.measure as u32).await?.plan);
    }
    let mut series = std::collections::BTreeSet::new();
    for p in &plans {
        series.extend(p.series_read());
    }
    let snapshot = app.evaluation_input(2024, &series).await?;
    let none = Options { samples: Some(0), parallel: true };
    rows.push(BenchRow {
        step: "20份示例方案评价 evaluate 20 plans",
        items: plans.len(),
        unit: "份 plans",
        runs_ms: time(runs, 5, || {
            for p in &plans {
                let _ = evaluate_with(p, &snapshot, request.seed, &none);
            }
        }),
        peer: None,
        target_ms: Some(10.0),
    });
    let mc = Options { samples: Some(1000), parallel: true };
    rows.push(BenchRow {
        step: "20份方案 × 1000 稳健性样本",
        items: plans.len() * 1000,
        unit: "样本 samples",
        runs_ms: time(runs.min(3), 1, || {
            for p in &plans {
                let _ = evaluate_with(p, &snapshot, request.seed, &mc);
            }
        }),
        peer: None,
        target_ms: Some(2000.0),
    });

    let (snap, plan) = synthetic::national(2844, 200, 5, 2024, 1);
    rows.push(BenchRow {
        step: "全国规模 2844×200×5 单方案 (合成数据)",
        items: 2844,
        unit: "单位 units",
        runs_ms: time(runs, 1, || {
            let _ = evaluate_with(&plan, &snap, 1, &none);
        }),
        peer: None,
        target_ms: Some(100.0),
    });
    Ok(rows)
}

/// The process's peak resident memory in MiB (Linux), for the national-scale row.
pub fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
