//! `jili index` and `jili mcda`: the analyst commands. They read files and print results; no
//! database is opened.

use jili_app::analyst::{IndexRequest, McdaRequest, StepReport, Treatment, index, mcda_table, run_mcda};
use jili_model::Normalise;
use jili_model::pipeline::{Bounds, Impute, Pipeline, Time, Treat};
use std::path::PathBuf;

/// Output format of a table.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

/// `--bounds`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum BoundsArg {
    Year,
    Pooled,
}

#[derive(Debug, clap::Args)]
pub struct IndexArgs {
    /// COINr 的 iData 表（每个单位一行；uCode、uName、各指标列）/ COINr's iData table.
    #[arg(long)]
    data: PathBuf,
    /// COINr 的 iMeta 表（Level, iCode, iName, Direction, Weight, Parent, Type …）/ COINr's iMeta table.
    #[arg(long)]
    meta: PathBuf,
    /// 未指定方法的指标所用的标准化方法 / default normalisation.
    #[arg(long, default_value = "minmax")]
    normalise: String,
    /// 有界标准化的上端（极差法、门槛值法、百分位）/ top of bounded scales.
    #[arg(long, default_value_t = 100.0)]
    scale: f64,
    /// 蒙特卡洛不确定性分析的样本数 / Monte Carlo samples.
    #[arg(long)]
    uncertainty: Option<u32>,
    /// 随机种子 / seed.
    #[arg(long, default_value_t = jili_app::runs::run::DEFAULT_SEED)]
    seed: u64,
    /// 按 iMeta 的 Denominator 列除以分母（如 GDP、Population）/ divide by each indicator's denominator.
    #[arg(long)]
    denominate: bool,
    /// 缺失值补齐：none、mean、median、group-mean:列名、group-median:列名 / impute missing values.
    #[arg(long, default_value = "none")]
    impute: String,
    /// 剔除指标数据占比低于此比例的单位（0–1，在补齐之后）/ drop units with less data than this share.
    #[arg(long)]
    screen: Option<f64>,
    /// 极端值处理：none、winsorise、winsorise:最多点数 / outlier treatment.
    #[arg(long, default_value = "none")]
    treat: String,
    /// 面板数据取哪些行：latest（每个单位最新一年，默认）、年份（如 2020）或 all（逐年构建，输出 Time 列）/ panel rows.
    #[arg(long, default_value = "latest")]
    time: String,
    /// 面板的标准化上下限：year（每年各自）或 pooled（所有年份合在一起）/ panel bounds.
    #[arg(long, value_enum, default_value = "year")]
    bounds: BoundsArg,
    /// 输出检验而不是得分：各指标与上级、与总指数的相关系数，各合成指标的 Cronbach's alpha，负相关标记 / node checks.
    #[arg(long)]
    analyse: bool,
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// 写入文件而不是屏幕 / write to a file.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct McdaArgs {
    /// 决策矩阵 CSV：表头 alternative,C1,C2,… / the decision matrix.
    #[arg(long)]
    matrix: PathBuf,
    /// 各准则方向 max 或 min，逗号分隔 / criteria types.
    #[arg(long)]
    types: String,
    /// entropy、critic、sd、merec、equal，或逗号分隔的权重 / weights.
    #[arg(long)]
    weights: String,
    /// topsis、vikor、wsm、wpm.
    #[arg(long)]
    method: String,
    /// vector、minmax、max、sum（默认按方法：TOPSIS 用 vector）.
    #[arg(long)]
    normalise: Option<String>,
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
}

fn read(path: &PathBuf) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| anyhow::anyhow!("无法读取文件 {}：{e}", path.display()))
}

pub fn run_index(args: IndexArgs) -> anyhow::Result<()> {
    let normalise = Normalise::from_code(&args.normalise).ok_or_else(|| {
        let all: Vec<&str> = Normalise::ALL.iter().map(|n| n.code()).collect();
        anyhow::anyhow!("--normalise“{}”不认识：可用 {}", args.normalise, all.join("、"))
    })?;
    let pipeline = Pipeline {
        denominate: args.denominate,
        impute: Impute::parse(&args.impute).map_err(|m| anyhow::anyhow!("--impute：{m}"))?,
        screen: args.screen,
        treat: Treat::parse(&args.treat).map_err(|m| anyhow::anyhow!("--treat：{m}"))?,
    };
    let (data, meta) = (read(&args.data)?, read(&args.meta)?);
    let (data_name, meta_name) = (args.data.display().to_string(), args.meta.display().to_string());
    let (table, report) = index(&IndexRequest {
        data_name: &data_name,
        data: &data,
        meta_name: &meta_name,
        meta: &meta,
        normalise,
        scale: args.scale,
        uncertainty: args.uncertainty.map(|n| (n, args.seed)),
        pipeline,
        analyse: args.analyse,
        time: Time::parse(&args.time).map_err(|m| anyhow::anyhow!("--time：{m}"))?,
        bounds: match args.bounds {
            BoundsArg::Year => Bounds::Year,
            BoundsArg::Pooled => Bounds::Pooled,
        },
    })?;
    say_steps(&report);
    let text = match args.format {
        Format::Csv => table.to_csv(),
        Format::Json => table.to_json() + "\n",
    };
    match args.out {
        Some(path) => {
            std::fs::write(&path, text).map_err(|e| anyhow::anyhow!("无法写入 {}：{e}", path.display()))?;
            let rows = if args.analyse { "个指标和合成指标" } else { "个单位" };
            eprintln!("已写入 {}（{} {rows}）", path.display(), table.rows.len());
        }
        None => super::out(&text),
    }
    Ok(())
}

/// What the steps before normalising did, on standard error (the table stays clean).
fn say_steps(r: &StepReport) {
    if !r.denominated.is_empty() {
        eprintln!("分母化：{} 个指标", r.denominated.len());
    }
    if !r.imputed.is_empty() {
        eprintln!("补齐：{} 个缺失值", r.imputed.len());
    }
    for (unit, share) in &r.screened_out {
        eprintln!("剔除：{unit}（指标数据占 {:.1}%）", share * 100.0);
    }
    for (code, t) in &r.treated {
        match t {
            Treatment::Winsorised(w) => eprintln!("缩尾：{code} {} 个值", w.high.len() + w.low.len()),
            Treatment::Logged => eprintln!("对数变换：{code}（缩尾未能使偏度、峰度达标）"),
            Treatment::Untouched => {}
        }
    }
}

pub fn run_mcda_command(args: McdaArgs) -> anyhow::Result<()> {
    let bytes = read(&args.matrix)?;
    let name = args.matrix.display().to_string();
    let (alternatives, r) = run_mcda(&McdaRequest {
        matrix_name: &name,
        matrix: &bytes,
        types: &args.types,
        weights: &args.weights,
        method: &args.method,
        normalise: args.normalise.as_deref(),
    })?;
    match args.format {
        Format::Json => super::out(&(serde_json::to_string_pretty(&r)? + "\n")),
        Format::Csv => {
            super::out(&mcda_table(&alternatives, &r).to_csv());
            let w: Vec<String> = r.weights.iter().map(|w| format!("{w:.6}")).collect();
            eprintln!("权重：{}", w.join(", "));
        }
    }
    Ok(())
}
