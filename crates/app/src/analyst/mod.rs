//! The analyst commands: a composite indicator from COINr's tables (`jili index`) and MCDA on a
//! matrix (`jili mcda`). They read files and return tables; they need no database.

use crate::error::{AppError, Result};
use jili_engine::analyse::analyse;
use jili_engine::index::{BuildOptions, Variation, build};
use jili_engine::mcda::{MatrixNormalise, McdaMethod, McdaResult, WeightSpec, mcda};
use jili_engine::pipeline::prepare;
use jili_intake::analyst::{read_idata_with, read_imeta, read_matrix};
use jili_model::composite::NodeKind;
use jili_model::pipeline::{Bounds, Pipeline, Time};
use jili_model::uncertainty::Uncertain;

mod panel;
mod uncertain;
use jili_model::{Direction, Normalise, WeightMethod};

pub use jili_engine::outlier::Treatment;
pub use jili_engine::pipeline::StepReport;
pub use jili_report::analyst::{Cell, Table};

/// `jili index`'s inputs.
#[derive(Debug, Clone)]
pub struct IndexRequest<'a> {
    pub data_name: &'a str,
    pub data: &'a [u8],
    pub meta_name: &'a str,
    pub meta: &'a [u8],
    /// The method of indicators whose iMeta row names none.
    pub normalise: Normalise,
    pub scale: f64,
    /// Monte Carlo samples (uncertainty analysis).
    pub uncertainty: Option<u32>,
    /// Base points N of a Sobol sensitivity analysis (N(d + 2) builds).
    pub sensitivity: Option<u32>,
    /// Bootstrap resamples of the sensitivity indices.
    pub bootstrap: u32,
    /// What the analyses vary; `None` = weights ×U(0.75, 1.25) and the normalisations that suit.
    pub vary: Option<Uncertain>,
    /// The rank quantiles reported besides the median.
    pub quantiles: Vec<f64>,
    /// Return every sample's ranks ([`IndexOutput::samples`]).
    pub keep_samples: bool,
    pub seed: u64,
    /// Denominate, impute, screen and treat before normalising.
    pub pipeline: Pipeline,
    /// Return the checks of every node ([`analysis_table`]) instead of the units' scores.
    pub analyse: bool,
    /// Which rows of a panel: each unit's latest (the default), one year's, or every year's.
    pub time: Time,
    /// A panel's normalisation bounds (with `Time::All`).
    pub bounds: Bounds,
}

/// What `jili index` gives.
#[derive(Debug, Clone)]
pub struct IndexOutput {
    /// The units' scores and ranks (with rank statistics after an uncertainty analysis), the
    /// checks of `--analyse`, or the Sobol indices of `--sensitivity`.
    pub table: Table,
    /// What the steps before normalising did.
    pub report: StepReport,
    /// Every sample's choices and ranks, when asked for.
    pub samples: Option<Table>,
    /// What an analysis wants the analyst to know (failed builds, builds run).
    pub notes: Vec<String>,
}

/// Build the composite: one row per unit, a column per aggregate, the rank on the root; and what
/// the steps before normalising did.
pub fn index(r: &IndexRequest) -> Result<IndexOutput> {
    if !(r.scale > 0.0 && r.scale.is_finite()) {
        return Err(AppError::Invalid(format!("--scale {} 应为正数", r.scale)));
    }
    uncertain::check(r)?;
    if r.pipeline.screen.is_some_and(|s| !(0.0..=1.0).contains(&s)) {
        return Err(AppError::Invalid("--screen 应为 0 到 1 之间的比例，例如 0.9".into()));
    }
    let tree = read_imeta(r.meta_name, r.meta)?;
    let mut groups: Vec<String> = r.pipeline.impute.group().map(str::to_string).into_iter().collect();
    let own = tree.leaves().filter_map(|(_, _, leaf)| leaf.impute.as_ref());
    for i in r.vary.iter().flat_map(|v| &v.impute).chain(own) {
        if let Some(g) = i.group().filter(|g| !groups.iter().any(|x| x == g)) {
            groups.push(g.to_string());
        }
    }
    let (raw, extra) = read_idata_with(r.data_name, r.data, &tree, &groups, r.pipeline.denominate, &r.time)?;
    let options = BuildOptions { normalise: r.normalise, scale: r.scale };
    if r.time == Time::All {
        if r.uncertainty.is_some() || r.sensitivity.is_some() || r.analyse {
            return Err(AppError::Invalid(
                "--time all 只输出各年的得分：--uncertainty、--sensitivity 和 --analyse 请按年份分别运行（--time 年份）"
                    .into(),
            ));
        }
        let (table, report) = panel::panel(&tree, &raw, &extra, &r.pipeline, &options, r.bounds)?;
        return Ok(IndexOutput { table, report, samples: None, notes: Vec::new() });
    }
    let prepared = prepare(&tree, &raw, &extra, &r.pipeline).map_err(engine)?;
    let data = prepared.table;
    let built = build(&tree, &data, &options, &Variation::default()).map_err(engine)?;
    if r.analyse {
        return Ok(IndexOutput {
            table: analysis_table(&tree, &built),
            report: prepared.report,
            samples: None,
            notes: Vec::new(),
        });
    }
    if let Some(n) = r.sensitivity {
        let (table, samples, notes) = uncertain::sensitivity(r, &tree, &raw, &extra, options, n)?;
        return Ok(IndexOutput { table, report: prepared.report, samples, notes });
    }
    let aggregates: Vec<usize> =
        (0..tree.nodes.len()).filter(|&i| matches!(tree.nodes[i].kind, NodeKind::Aggregate(_))).collect();
    let mut columns = vec!["uCode".to_string(), "uName".to_string()];
    columns.extend(aggregates.iter().map(|&i| tree.nodes[i].code.clone()));
    columns.push("Rank".into());
    let (intervals, samples, notes) = match r.uncertainty {
        Some(n) => {
            let (stats, samples, notes) = uncertain::uncertainty(r, &tree, &raw, &extra, options, n)?;
            columns.push("RankMedian".into());
            columns.extend(r.quantiles.iter().map(|&p| uncertain::quantile_column(p)));
            (Some(stats), samples, notes)
        }
        None => (None, None, Vec::new()),
    };
    let present = |x: f64| (!x.is_nan()).then_some(x);
    let rows = (0..data.codes.len())
        .map(|u| {
            let mut row = vec![Cell::Text(data.codes[u].clone()), Cell::Text(data.names[u].clone())];
            row.extend(aggregates.iter().map(|&i| Cell::Number(present(built.nodes[i][u]))));
            row.push(Cell::Number((built.rank[u] > 0).then_some(f64::from(built.rank[u]))));
            if let Some(iv) = &intervals {
                // The analysis ranks the nominal build's units, which are these.
                row.push(Cell::Number(present(iv.median[u])));
                row.extend(iv.quantiles.iter().map(|(_, q)| Cell::Number(present(q[u]))));
            }
            row
        })
        .collect();
    Ok(IndexOutput { table: Table { columns, rows }, report: prepared.report, samples, notes })
}

/// One row per node: its correlation with its parent and with the index, Cronbach's alpha of an
/// aggregate's children, and 负相关 where a node runs against its parent.
pub fn analysis_table(tree: &jili_model::composite::Composite, built: &jili_engine::index::Built) -> Table {
    let columns = ["iCode", "iName", "Level", "Parent", "CorrParent", "CorrIndex", "CronbachAlpha", "Flag"];
    let rows = analyse(tree, built)
        .into_iter()
        .map(|check| {
            let node = &tree.nodes[check.node];
            let parent = node.parent.map_or(String::new(), |p| tree.nodes[p].code.clone());
            vec![
                Cell::Text(node.code.clone()),
                Cell::Text(node.name.clone()),
                Cell::Number(Some(f64::from(node.level))),
                Cell::Text(parent),
                Cell::Number(check.with_parent),
                Cell::Number(check.with_index),
                Cell::Number(check.alpha),
                Cell::Text(if check.negative { "负相关".into() } else { String::new() }),
            ]
        })
        .collect();
    Table { columns: columns.map(String::from).to_vec(), rows }
}

/// `jili mcda`'s inputs, as typed on the command line.
#[derive(Debug, Clone)]
pub struct McdaRequest<'a> {
    pub matrix_name: &'a str,
    pub matrix: &'a [u8],
    /// `max,min,…` (also `1,-1` or `benefit,cost`).
    pub types: &'a str,
    /// A method name, or `w1,w2,…`.
    pub weights: &'a str,
    pub method: &'a str,
    pub normalise: Option<&'a str>,
}

/// Weights and ranking of the alternatives, plus their names.
pub fn run_mcda(r: &McdaRequest) -> Result<(Vec<String>, McdaResult)> {
    let m = read_matrix(r.matrix_name, r.matrix)?;
    let types = r
        .types
        .split(',')
        .map(|t| match t.trim().to_ascii_lowercase().as_str() {
            "max" | "1" | "benefit" | "+" => Ok(Direction::Higher),
            "min" | "-1" | "cost" | "-" => Ok(Direction::Lower),
            other => Err(AppError::Invalid(format!("--types 中的“{other}”应为 max（效益型）或 min（成本型）"))),
        })
        .collect::<Result<Vec<_>>>()?;
    let spec = match WeightMethod::from_code(r.weights) {
        Some(WeightMethod::Fixed) => {
            return Err(AppError::Invalid("--weights 应为 entropy、critic、sd、merec、equal，或逗号分隔的权重".into()));
        }
        Some(w) => WeightSpec::Method(w),
        None => WeightSpec::Given(
            r.weights
                .split(',')
                .map(|w| {
                    w.trim().parse::<f64>().map_err(|_| {
                        AppError::Invalid(format!(
                            "--weights 中的“{w}”既不是赋权方法（entropy、critic、sd、merec、equal）也不是数字"
                        ))
                    })
                })
                .collect::<Result<_>>()?,
        ),
    };
    let method = match r.method.to_ascii_lowercase().as_str() {
        "topsis" => McdaMethod::Topsis,
        "vikor" => McdaMethod::Vikor,
        "wsm" => McdaMethod::Wsm,
        "wpm" => McdaMethod::Wpm,
        other => return Err(AppError::Invalid(format!("--method“{other}”应为 topsis、vikor、wsm 或 wpm"))),
    };
    let normalise = match r.normalise.map(str::to_ascii_lowercase).as_deref() {
        None => None,
        Some("vector") => Some(MatrixNormalise::Vector),
        Some("minmax") => Some(MatrixNormalise::Minmax),
        Some("max") => Some(MatrixNormalise::Max),
        Some("sum") => Some(MatrixNormalise::Sum),
        Some(other) => return Err(AppError::Invalid(format!("--normalise“{other}”应为 vector、minmax、max 或 sum"))),
    };
    let result = mcda(&m, &types, &spec, method, normalise).map_err(engine)?;
    Ok((m.alternatives, result))
}

/// The MCDA result as a table: alternative, score, ranking (and S, R for VIKOR).
pub fn mcda_table(alternatives: &[String], r: &McdaResult) -> Table {
    let mut columns = vec!["alternative".to_string(), "score".into(), "ranking".into()];
    if r.s.is_some() {
        columns.extend(["S".to_string(), "R".into()]);
    }
    let rows = alternatives
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut row = vec![
                Cell::Text(a.clone()),
                Cell::Number(Some(r.scores[i])),
                Cell::Number(Some(f64::from(r.ranking[i]))),
            ];
            if let (Some(s), Some(rr)) = (&r.s, &r.r) {
                row.extend([Cell::Number(Some(s[i])), Cell::Number(Some(rr[i]))]);
            }
            row
        })
        .collect();
    Table { columns, rows }
}

pub(crate) fn engine(e: jili_engine::EngineError) -> AppError {
    AppError::Invalid(e.to_string())
}
