//! `jili index` and `jili mcda`: the analyst commands. They read files and print results; no
//! database is opened.

use jili_app::analyst::{IndexRequest, McdaRequest, StepReport, Treatment, index, mcda_table, run_mcda};
use jili_model::pipeline::{Bounds, Impute, Pipeline, Time, Treat};
use jili_model::uncertainty::{NormaliseChoice, Uncertain, WeightNoise, parse_list, parse_quantiles};
use jili_model::{Aggregation, Normalise};
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
    /// Sobol 敏感性分析的基点数 N（共构建 N×(变动项数+2) 次）/ Sobol sensitivity, N base points.
    #[arg(long)]
    sensitivity: Option<u32>,
    /// 敏感性指数的自助法重抽样次数（给出 5%、95% 区间）/ bootstrap resamples.
    #[arg(long, default_value_t = 100)]
    bootstrap: u32,
    /// 变动权重：扰动幅度，可限定层级，如 0.25 或 0.25@2,3 / vary weights ×U(1−s, 1+s).
    #[arg(long, value_name = "SPREAD[@LEVELS]")]
    vary_weights: Option<String>,
    /// 权重组数（COINr 的 Nrep；默认每个样本一组）/ number of weight sets.
    #[arg(long)]
    weight_sets: Option<u32>,
    /// 变动标准化方法，如 minmax:1:100,zscore:10:2 / normalisations to draw from.
    #[arg(long, value_name = "LIST")]
    vary_normalise: Option<String>,
    /// 变动合成方法，如 amean,gmean / aggregations to draw from.
    #[arg(long, value_name = "LIST")]
    vary_aggregate: Option<String>,
    /// 变动缺失值补齐，如 mean,group-mean:EurAsia_group / imputations to draw from.
    #[arg(long, value_name = "LIST")]
    vary_impute: Option<String>,
    /// 变动极端值处理，如 none,winsorise:1,winsorise:5 / treatments to draw from.
    #[arg(long, value_name = "LIST")]
    vary_treat: Option<String>,
    /// 名次分位数，逗号分隔 / rank quantiles besides the median.
    #[arg(long, default_value = "0.05,0.95")]
    quantiles: String,
    /// 把每次抽样的选择和各单位名次写入 CSV / write every sample's choices and ranks.
    #[arg(long, value_name = "FILE")]
    samples_out: Option<PathBuf>,
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
    let vary = vary(&args)?;
    let out = index(&IndexRequest {
        data_name: &data_name,
        data: &data,
        meta_name: &meta_name,
        meta: &meta,
        normalise,
        scale: args.scale,
        uncertainty: args.uncertainty,
        sensitivity: args.sensitivity,
        bootstrap: args.bootstrap,
        vary,
        quantiles: parse_quantiles(&args.quantiles).map_err(anyhow::Error::msg)?,
        keep_samples: args.samples_out.is_some(),
        seed: args.seed,
        pipeline,
        analyse: args.analyse,
        time: Time::parse(&args.time).map_err(|m| anyhow::anyhow!("--time：{m}"))?,
        bounds: match args.bounds {
            BoundsArg::Year => Bounds::Year,
            BoundsArg::Pooled => Bounds::Pooled,
        },
    })?;
    say_steps(&out.report);
    for note in &out.notes {
        eprintln!("{note}");
    }
    if let (Some(path), Some(samples)) = (&args.samples_out, &out.samples) {
        std::fs::write(path, samples.to_csv()).map_err(|e| anyhow::anyhow!("无法写入 {}：{e}", path.display()))?;
        eprintln!("已写入 {}（{} 行：每次抽样 × 每个单位）", path.display(), samples.rows.len());
    }
    let table = out.table;
    let text = match args.format {
        Format::Csv => table.to_csv(),
        Format::Json => table.to_json() + "\n",
    };
    match args.out {
        Some(path) => {
            std::fs::write(&path, text).map_err(|e| anyhow::anyhow!("无法写入 {}：{e}", path.display()))?;
            let rows = if args.analyse {
                "个指标和合成指标"
            } else if args.sensitivity.is_some() {
                "项选择"
            } else {
                "个单位"
            };
            eprintln!("已写入 {}（{} {rows}）", path.display(), table.rows.len());
        }
        None => super::out(&text),
    }
    Ok(())
}

/// The `--vary-…` flags as one spec; `None` when none is given (the default analysis).
fn vary(a: &IndexArgs) -> anyhow::Result<Option<Uncertain>> {
    let given = [&a.vary_weights, &a.vary_normalise, &a.vary_aggregate, &a.vary_impute, &a.vary_treat];
    if given.iter().all(|g| g.is_none()) {
        if a.weight_sets.is_some() {
            anyhow::bail!("--weight-sets 要和 --vary-weights 一起用");
        }
        return Ok(None);
    }
    let aggregate = |s: &str| {
        Aggregation::from_code(s)
            .filter(|a| matches!(a, Aggregation::Amean | Aggregation::Gmean | Aggregation::Hmean | Aggregation::Median))
            .ok_or_else(|| format!("合成方法“{s}”不能在分析中变动：可用 amean、gmean、hmean、median"))
    };
    let mut weights = a.vary_weights.as_deref().map(WeightNoise::parse).transpose().map_err(anyhow::Error::msg)?;
    match (&mut weights, a.weight_sets) {
        (Some(w), Some(n)) if (1..=100_000).contains(&n) => w.sets = Some(n),
        (_, Some(_)) => anyhow::bail!("--weight-sets 应为 1 到 100000 的整数，且要和 --vary-weights 一起用"),
        _ => {}
    }
    Ok(Some(Uncertain {
        weights,
        normalise: list("--vary-normalise", &a.vary_normalise, NormaliseChoice::parse)?,
        aggregate: list("--vary-aggregate", &a.vary_aggregate, aggregate)?,
        impute: list("--vary-impute", &a.vary_impute, Impute::parse)?,
        treat: list("--vary-treat", &a.vary_treat, Treat::parse)?,
    }))
}

/// A `--vary-…` list, or nothing when the flag is absent.
fn list<T>(flag: &str, v: &Option<String>, item: impl Fn(&str) -> Result<T, String>) -> anyhow::Result<Vec<T>> {
    match v {
        Some(s) => parse_list(flag, s, item).map_err(anyhow::Error::msg),
        None => Ok(Vec::new()),
    }
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
