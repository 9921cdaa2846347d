//! `jili bench`'s engine rows: the sizes and peers of issues 3 and 21, timed on this machine.
//! COINr's figures were measured on this machine with the same design (`scripts/peers/coinr`);
//! scikit-criteria's are those published with issue 3. Compare as ratios.

use crate::BenchRow;
use jili_app::Result;
use jili_app::{App, RunRequest};
use jili_engine::index::{BuildOptions, Variation, build};
use jili_engine::mcda::{McdaMethod, WeightSpec, mcda};
use jili_engine::pipeline::prepare;
use jili_engine::uncertain::{Inputs, Space, sensitivity, uncertainty};
use jili_engine::{Options, evaluate_with, synthetic};
use jili_intake::analyst::{read_idata_with, read_imeta};
use jili_model::pipeline::{Impute, Pipeline, Treat};
use jili_model::uncertainty::{NormaliseChoice, Uncertain, WeightNoise};
use jili_model::{Aggregation, Direction, WeightMethod};
use std::time::Instant;

/// COINr's ASEM example tables, where the user has them (they are not shipped).
#[derive(Debug, Clone)]
pub struct Asem {
    pub data: Vec<u8>,
    pub meta: Vec<u8>,
}

/// The synthetic 3000 × 200 decision matrix of the MCDA rows as the CSV a user would give
/// `jili mcda` (six decimals), for timing the command as a whole process.
pub fn mcda_matrix_csv(rows: usize, cols: usize) -> String {
    let m = synthetic::matrix(rows, cols, 1);
    let mut text = String::with_capacity(rows * cols * 11);
    text.push_str("alternative");
    for c in &m.criteria {
        text.push(',');
        text.push_str(c);
    }
    for (i, name) in m.alternatives.iter().enumerate() {
        text.push('\n');
        text.push_str(name);
        for column in &m.columns {
            text.push_str(&format!(",{:.6}", column[i]));
        }
    }
    text.push('\n');
    text
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

/// COINr's own times on this machine, from `scripts/peers/coinr/timings.R` (the designs are in
/// the file's comments): CPU milliseconds of the whole task named.
fn coinr_cpu_ms(task: &str) -> Option<f64> {
    const TIMINGS: &str = include_str!("../../engine/tests/fixtures/coinr/timings.csv");
    let mut lines = TIMINGS.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next()?.split(',').map(|h| h.trim_matches('"')).collect();
    let at = |name: &str| header.iter().position(|h| *h == name);
    let (task_at, cpu_at) = (at("task")?, at("median_cpu_s")?);
    let (builds_at, per_build_at) = (at("builds")?, at("cpu_ms_per_build")?);
    let row: Vec<&str> = lines
        .map(|l| l.split(',').collect::<Vec<_>>())
        .find(|r| r.get(task_at).map(|t| t.trim_matches('"')) == Some(task))?;
    // One build is timed as ten; its per-build figure is the one to compare.
    if row.get(builds_at)?.trim() == "1" {
        row.get(per_build_at)?.parse().ok()
    } else {
        row.get(cpu_at)?.parse::<f64>().ok().map(|s| s * 1000.0)
    }
}

/// The ASEM rows, each the same work as the COINr run it is compared with: COINr's worked
/// example (`build_example_coin()`: denominate, impute by group mean, screen, winsorise, min-max,
/// arithmetic mean), and its uncertainty analysis with weights ×U(0.75, 1.25) at every level and
/// the normalisation drawn from min-max / percentile rank / z-score, N = 1000.
fn asem_rows(a: &Asem, runs: usize, options: &BuildOptions) -> Result<Vec<BenchRow>> {
    let tree = read_imeta("asem_iMeta.csv", &a.meta)?;
    let groups = ["EurAsia_group".to_string()];
    let (raw, extra) =
        read_idata_with("asem_iData.csv", &a.data, &tree, &groups, true, &jili_model::pipeline::Time::Latest)?;
    let pipeline = Pipeline {
        denominate: true,
        impute: Impute::GroupMean("EurAsia_group".into()),
        screen: Some(0.9),
        treat: Treat::Winsorise { max: 5 },
    };
    let peer = "COINr 1.1.14（同机 CPU 时间，scripts/peers/coinr）";
    let mut rows = Vec::new();
    let cells = raw.codes.len() * raw.columns.len();
    let mut whole =
        BenchRow::new("ASEM 完整流程 build_example_coin（分母化→补齐→筛选→缩尾→极差→算术平均）", cells, "值 values");
    whole.runs_ms = time(runs, 200, || {
        if let Ok(p) = prepare(&tree, &raw, &extra, &pipeline) {
            let _ = build(&tree, &p.table, options, &Variation::default());
        }
    });
    whole.peer = coinr_cpu_ms("build").map(|ms| (peer, ms));
    whole.target_ms = Some(0.5);
    rows.push(whole);
    // COINr's three designs (scripts/peers/coinr/timings.R), each with the same choices varied.
    let weights = |levels: &[u32]| Some(WeightNoise { spread: 0.25, levels: levels.to_vec(), sets: None });
    let norm = |s: &str| NormaliseChoice::parse(s).map_err(jili_app::AppError::Invalid);
    let two_norms = vec![norm("minmax:1:100")?, norm("zscore:10:2")?];
    let designs = [
        (
            "ua",
            "ASEM 不确定性 N=1000（各层权重×U(0.75,1.25)，标准化三选一）",
            Uncertain {
                weights: weights(&[1, 2, 3]),
                normalise: vec![norm("minmax:0:100")?, norm("percentile")?, norm("zscore:0:1")?],
                ..Uncertain::default()
            },
        ),
        (
            "ua_agg",
            "ASEM 不确定性 N=1000（权重、标准化二选一、算术/几何平均）",
            Uncertain {
                weights: weights(&[1, 2, 3]),
                normalise: two_norms.clone(),
                aggregate: vec![Aggregation::Amean, Aggregation::Gmean],
                ..Uncertain::default()
            },
        ),
        (
            "sa",
            "ASEM Sobol 敏感性 N=100，四项选择，600 次构建，自助法 100 次",
            Uncertain {
                weights: weights(&[2, 3]),
                normalise: two_norms,
                aggregate: vec![Aggregation::Amean, Aggregation::Gmean],
                treat: (1..=5).map(|max| Treat::Winsorise { max }).collect(),
                ..Uncertain::default()
            },
        ),
    ];
    for (task, label, spec) in designs {
        let n = if task == "sa" { 100 } else { 1000 };
        let mut row = BenchRow::new(label, n as usize, "样本 samples");
        row.runs_ms = time(runs, 1, || {
            // The data preparation of every imputation × treatment is part of the work timed.
            if let Ok(space) = Space::new(
                Inputs { tree: &tree, raw: &raw, extra: &extra, base: &pipeline, options: *options },
                &spec,
                n,
                7,
            ) {
                let _ = if task == "sa" {
                    sensitivity(&space, n, 100, &[0.05, 0.95], false).map(|_| ())
                } else {
                    uncertainty(&space, n, &[0.05, 0.95], false).map(|_| ())
                };
            }
        });
        row.peer = coinr_cpu_ms(task).map(|ms| (peer, ms));
        row.target_ms = Some(500.0);
        rows.push(row);
    }
    Ok(rows)
}

/// The engine rows. `app` must hold the demo database (for the 20 example plans).
pub async fn engine_rows(app: &App, runs: usize, asem: Option<&Asem>) -> Result<Vec<BenchRow>> {
    let mut rows = Vec::new();
    let options = BuildOptions::default();
    match asem {
        Some(a) => rows.extend(asem_rows(a, runs, &options)?),
        None => {
            // No peer figure: COINr was measured on ASEM itself, and this is not ASEM.
            let (tree, data) = synthetic::asem_like(51, 1);
            let mut build_row = BenchRow::new("ASEM 规模指数构建 build (合成数据 synthetic)", 51 * 49, "值 values");
            build_row.runs_ms = time(runs, 200, || {
                let _ = build(&tree, &data, &options, &Variation::default());
            });
            build_row.target_ms = Some(0.5);
            rows.push(build_row);
        }
    }

    let (tree, raw, extra) = synthetic::wide(3000, 200, 1);
    let pipeline = Pipeline {
        denominate: true,
        impute: Impute::GroupMean("G".into()),
        screen: Some(0.9),
        treat: Treat::Winsorise { max: 5 },
    };
    rows.push(BenchRow {
        step: "3000×200 完整流程（分母化→补齐→筛选→缩尾→极差→算术平均，合成数据）",
        items: 600_000,
        unit: "值 values",
        runs_ms: time(runs, 1, || {
            if let Ok(p) = prepare(&tree, &raw, &extra, &pipeline) {
                let _ = build(&tree, &p.table, &options, &Variation::default());
            }
        }),
        peer: None,
        target_ms: Some(100.0),
    });

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The timed file is the engine's synthetic matrix to six decimals, read as a user's file.
    #[test]
    fn the_mcda_file_is_the_synthetic_matrix() {
        let read = jili_intake::analyst::read_matrix("m.csv", mcda_matrix_csv(40, 7).as_bytes()).unwrap();
        let m = synthetic::matrix(40, 7, 1);
        assert_eq!((read.alternatives, read.criteria), (m.alternatives, m.criteria));
        for (a, b) in read.columns.iter().flatten().zip(m.columns.iter().flatten()) {
            assert!((a - b).abs() <= 5e-7, "{a} vs {b}");
        }
        assert_eq!(read.columns.iter().flatten().count(), 280);
    }
}
