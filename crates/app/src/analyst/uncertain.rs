//! `jili index --uncertainty N` and `--sensitivity N`: what varies, the checks on the request, and
//! the tables the analyses give.

use super::{Cell, IndexRequest, Table, engine};
use crate::error::{AppError, Result};
use jili_engine::index::BuildOptions;
use jili_engine::uncertain::{Inputs, RankStats, Sample, Space, default_spec, sensitivity as sobol, uncertainty as ua};
use jili_model::composite::{Composite, UnitColumns, UnitTable};

/// Most Monte Carlo samples of an uncertainty analysis.
pub const MAX_SAMPLES: u32 = 100_000;
/// Most base points of a sensitivity analysis (each costs d + 2 builds).
pub const MAX_BASE: u32 = 20_000;
/// Most bootstrap resamples.
pub const MAX_BOOT: u32 = 10_000;
/// Most rows of a samples file (samples × units).
pub const MAX_SAMPLE_ROWS: u64 = 1_000_000;

/// Refuse what cannot run, before any data is read.
pub(super) fn check(r: &IndexRequest) -> Result<()> {
    let bad = |m: String| Err(AppError::Invalid(m));
    if r.uncertainty.is_some() && r.sensitivity.is_some() {
        return bad(
            "--uncertainty 与 --sensitivity 只能选一个：敏感性分析的输出已含名次的统计（写入 --samples-out）".into()
        );
    }
    if let Some(n) = r.uncertainty
        && !(1..=MAX_SAMPLES).contains(&n)
    {
        return bad(format!("--uncertainty 应为 1 到 {MAX_SAMPLES} 的样本数，例如 1000"));
    }
    if let Some(n) = r.sensitivity
        && !(2..=MAX_BASE).contains(&n)
    {
        return bad(format!("--sensitivity 应为 2 到 {MAX_BASE} 的基点数 N（共构建 N×(变动项数+2) 次），例如 100"));
    }
    if r.bootstrap > MAX_BOOT {
        return bad(format!("--bootstrap 最多 {MAX_BOOT} 次"));
    }
    let analysing = r.uncertainty.is_some() || r.sensitivity.is_some();
    if !analysing && (r.vary.is_some() || r.keep_samples) {
        return bad("--vary-… 和 --samples-out 只在 --uncertainty N 或 --sensitivity N 时有用：请加上其中一个".into());
    }
    if r.analyse && analysing {
        return bad("--analyse 输出各指标的检验，不与 --uncertainty、--sensitivity 同用：请分两次运行".into());
    }
    Ok(())
}

/// The space of the request: its `--vary-…` choices, or the default.
fn space<'a>(
    r: &IndexRequest,
    tree: &'a Composite,
    raw: &UnitTable,
    extra: &UnitColumns,
    options: BuildOptions,
    n: u32,
) -> Result<Space<'a>> {
    let spec = r.vary.clone().unwrap_or_else(|| default_spec(tree, r.normalise));
    if spec.impute.iter().any(|i| i.group().is_some_and(|g| !extra.groups.contains_key(g))) {
        return Err(AppError::Invalid(
            "--vary-impute 中的分组列不在 iData 中：请写 iMeta 中 Type 为 Group 的列名".into(),
        ));
    }
    let space =
        Space::new(Inputs { tree, raw, extra, base: &r.pipeline, options }, &spec, n, r.seed).map_err(engine)?;
    if space.factors.is_empty() {
        return Err(AppError::Invalid(
            "没有要变动的选择：--vary-weights 给扰动幅度，其余 --vary-… 至少列两个备选".into(),
        ));
    }
    Ok(space)
}

fn too_many_rows(samples: u64, units: usize) -> Result<()> {
    if samples * units as u64 > MAX_SAMPLE_ROWS {
        return Err(AppError::Invalid(format!(
            "--samples-out 将写 {} 行，超过 {MAX_SAMPLE_ROWS} 行：请减少样本数",
            samples * units as u64
        )));
    }
    Ok(())
}

/// Monte Carlo rank statistics per nominal unit, every sample when asked, and notes.
pub(super) fn uncertainty(
    r: &IndexRequest,
    tree: &Composite,
    raw: &UnitTable,
    extra: &UnitColumns,
    options: BuildOptions,
    n: u32,
) -> Result<(RankStats, Option<Table>, Vec<String>)> {
    let space = space(r, tree, raw, extra, options, n)?;
    if r.keep_samples {
        too_many_rows(u64::from(n), space.codes.len())?;
    }
    let mut stats = ua(&space, n, &r.quantiles, r.keep_samples).map_err(engine)?;
    let mut notes = vec![format!("不确定性分析：{n} 次构建，变动 {}", varied(&space))];
    for (point, why) in stats.failed.iter().take(5) {
        notes.push(format!("构建失败（{}）：{why}", choices(&space, point)));
    }
    if !stats.failed.is_empty() {
        notes.push(format!("共 {} 次构建失败，未计入名次统计", stats.failed.len()));
    }
    let samples = stats.samples.take().map(|s| samples_table(&space, &s, None));
    Ok((stats, samples, notes))
}

/// The Sobol indices as COINr prints them, every build when asked, and notes.
pub(super) fn sensitivity(
    r: &IndexRequest,
    tree: &Composite,
    raw: &UnitTable,
    extra: &UnitColumns,
    options: BuildOptions,
    n: u32,
) -> Result<(Table, Option<Table>, Vec<String>)> {
    let space = space(r, tree, raw, extra, options, n)?;
    let d = space.factors.len() as u64;
    if r.keep_samples {
        too_many_rows(u64::from(n) * (d + 2), space.codes.len())?;
    }
    let mut s = sobol(&space, n, r.bootstrap, &r.quantiles, r.keep_samples).map_err(engine)?;
    let notes = vec![format!(
        "敏感性分析：N = {n}，变动 {}，共 {} 次构建；目标为名次相对名义名次的平均绝对变化，方差 {:.6}",
        varied(&space),
        s.builds,
        s.variance
    )];
    let columns = ["Variable", "Si", "STi", "Si_q5", "Si_q95", "STi_q5", "STi_q95"].map(String::from).to_vec();
    let num = |x: f64| Cell::Number((!x.is_nan()).then_some(x));
    let rows = s
        .indices
        .iter()
        .map(|ix| {
            vec![
                Cell::Text(ix.choice.to_string()),
                num(ix.first),
                num(ix.total),
                num(ix.first_q05),
                num(ix.first_q95),
                num(ix.total_q05),
                num(ix.total_q95),
            ]
        })
        .collect();
    let parts = n as usize;
    let samples = s.ranks.samples.take().map(|all| samples_table(&space, &all, Some(parts)));
    Ok((Table { columns, rows }, samples, notes))
}

/// `RankQ05` for 0.05, `RankQ2.5` for 0.025.
pub(super) fn quantile_column(p: f64) -> String {
    let pct = p * 100.0;
    if (pct - pct.round()).abs() < 1e-9 { format!("RankQ{:02}", pct.round() as u32) } else { format!("RankQ{pct}") }
}

fn varied(space: &Space) -> String {
    space.factors.iter().map(|(f, n)| format!("{}（{n} 种）", f.code())).collect::<Vec<_>>().join("、")
}

fn choices(space: &Space, point: &[usize]) -> String {
    space
        .factors
        .iter()
        .zip(point)
        .map(|(&(f, _), &k)| format!("{}={}", f.code(), space.label(f, k)))
        .collect::<Vec<_>>()
        .join("，")
}

/// One row per sample and unit: the sample's choices, the unit's rank and the sample's mean rank
/// change. `base` = N for a sensitivity design, whose builds are A, B, then A with each choice
/// from B.
fn samples_table(space: &Space, samples: &[Sample], base: Option<usize>) -> Table {
    let mut columns = vec!["Sample".to_string()];
    if base.is_some() {
        columns.push("Design".into());
    }
    columns.extend(space.factors.iter().map(|(f, _)| f.code().to_string()));
    columns.extend(["uCode", "uName", "Rank", "NominalRank", "RankShift"].map(String::from));
    let mut rows = Vec::with_capacity(samples.len() * space.codes.len());
    for (i, s) in samples.iter().enumerate() {
        let design = base.map(|n| match i / n {
            0 => "A".to_string(),
            1 => "B".to_string(),
            k => format!("AB_{}", space.factors[k - 2].0.code()),
        });
        for u in 0..space.codes.len() {
            let mut row = vec![Cell::Number(Some((i + 1) as f64))];
            if let Some(d) = &design {
                row.push(Cell::Text(d.clone()));
            }
            row.extend(space.factors.iter().zip(&s.point).map(|(&(f, _), &k)| Cell::Text(space.label(f, k))));
            let rank = |r: u32| Cell::Number((r > 0).then_some(f64::from(r)));
            row.extend([
                Cell::Text(space.codes[u].clone()),
                Cell::Text(space.names[u].clone()),
                rank(s.rank[u]),
                rank(space.nominal[u]),
                Cell::Number((!s.shift.is_nan()).then_some(s.shift)),
            ]);
            rows.push(row);
        }
    }
    Table { columns, rows }
}
