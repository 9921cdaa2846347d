//! `jili data …`: what intake stored — batches, a value's revisions, anomaly flags, saved
//! mappings, the rules in force — and exports in SDMX-CSV.

use jili_app::App;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// 数据项目录：代码、名称、计量单位、提供部门、是否公开 / the series catalogue.
    Series {
        /// 只列某个部门的（部门代码或名称，如 TJJ 或 省统计局）/ one department's series only.
        #[arg(long)]
        provider: Option<String>,
    },
    /// 数据批次：提供部门、文件、时间、导入人、修订数和原因 / list import batches.
    Batches,
    /// 一个数值的全部修订记录（原值、修订人、时间、原因）/ a value's revisions.
    History {
        /// 数据项代码，如 GDP / series code.
        series: String,
        /// 单位代码，如 430100 / unit code.
        unit: String,
        /// 期别，如 2024 / period.
        period: String,
    },
    /// 数据疑点（异常值、同比跳变、相关指标背离、本福特检验、修订跨越入选线）/ anomaly flags.
    Flags {
        /// 只看某一批次 / one batch only.
        #[arg(long)]
        batch: Option<i64>,
        /// 只看某类提示（如 yoy-jump、missing-value、county-sum、cross-source）/ one check only.
        #[arg(long)]
        code: Option<String>,
    },
    /// 复查库中数据：对已入库的数值重跑全部校验、异常检测和跨部门比对，记录新的疑点
    /// （默认只查上次复查后有变动的数据项）/ re-check stored data and record new flags.
    Recheck {
        /// 只查这些数据项（代码或名称，可多次给出）/ these series only.
        #[arg(long)]
        series: Vec<String>,
        /// 只查某一期（如 2024）/ one period only.
        #[arg(long)]
        period: Option<String>,
        /// 只查某个提供部门的数据项（代码或名称，如 TJJ 或 省统计局）/ one provider's series.
        #[arg(long)]
        provider: Option<String>,
        /// 按某日（或 batch:N）时的数据复查 / the data as of a date or batch.
        #[arg(long)]
        as_of: Option<String>,
        /// 全部数据项，而不只是上次复查后有变动的 / every series.
        #[arg(long)]
        all: bool,
    },
    /// 疑点关注清单：未办结的疑点按对得分和入选的影响排序（办公厅、纪检监察）/ the watch list.
    Watch {
        /// 列出全部（默认前 30 个）/ list every value.
        #[arg(long)]
        all: bool,
        /// 以 JSON 输出 / print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// 填报模板：某提供部门某期应报的单位 × 数据项（XLSX，含上期数值、数值校验和填报说明）；
    /// 填好后直接导入，无需对应各列 / the data-request template of a provider and period.
    Template {
        /// 提供部门的代码或名称，如 TJJ 或 省统计局 / the providing department, by code or name.
        #[arg(long)]
        provider: String,
        /// 期别，如 2024 / the period.
        #[arg(long)]
        period: String,
        /// 年度方案的年份（默认最新）/ the programme year.
        #[arg(long)]
        year: Option<i32>,
        /// 输出文件（.xlsx）/ the output file.
        #[arg(long, short = 'o', value_name = "FILE.xlsx")]
        out: PathBuf,
    },
    /// 已保存的列映射（按提供部门和文件格式）/ saved column mappings.
    Mappings,
    /// 数据校验规则：查看，或用 --load 载入本单位的规则文件 / the intake rules.
    Checks {
        /// 载入规则文件（TOML，格式见 data/checks/hunan.toml）/ load a rules file.
        #[arg(long)]
        load: Option<PathBuf>,
    },
    /// 导出当前数据为 SDMX-CSV 2.0 / export current values as SDMX-CSV.
    Export {
        /// 只导出这些数据项（可多次给出）/ series to export.
        #[arg(long)]
        series: Vec<String>,
        /// 不导出“原则上不向社会公布”的数据项 / leave out confidential series.
        #[arg(long)]
        public: bool,
        /// 输出文件（默认标准输出）/ output file.
        #[arg(long)]
        out: Option<PathBuf>,
        /// 同时写出数据所引用的 SDMX-ML 3.0 结构消息（数据流、数据结构定义、代码表）/ also
        /// write the structure message the data refer to.
        #[arg(long)]
        structure: Option<PathBuf>,
    },
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Template { provider, period, year, out } => {
            let t = app.data_template(&provider, &period, year).await?;
            std::fs::write(&out, &t.bytes).map_err(|e| anyhow::anyhow!("无法写入“{}”：{e}", out.display()))?;
            println!("已写入填报模板 {}（{} 行：单位 × 数据项）", out.display(), t.rows);
            println!(
                "填好“本期数值”列后导入：jili import {} --provider {}",
                out.display(),
                provider.trim().to_ascii_uppercase()
            );
        }
        Command::Series { provider } => {
            let catalogue = app.catalogue().await?;
            // By code or name (TJJ, 省统计局).
            let provider = provider.map(|p| {
                catalogue.find_department(&p).map_or_else(|| p.trim().to_ascii_uppercase(), |d| d.code.clone())
            });
            for s in catalogue.all_series().filter(|s| provider.as_ref().is_none_or(|p| &s.owner == p)) {
                let public = if s.public { "" } else { "  不公开" };
                println!("{:<28} {}（{}）  {}{public}", s.code, s.name, s.unit, s.owner);
            }
        }
        Command::Batches => {
            for b in app.batches().await? {
                let demo = if b.demo { "（演示数据）" } else { "" };
                let reason = if b.reason.is_empty() { String::new() } else { format!("  原因：{}", b.reason) };
                println!(
                    "批次 {:>3}  {}  {}  {}{demo}  {} 条，修订 {}  {}{reason}",
                    b.id, b.imported_at, b.provider, b.source, b.rows, b.revised, b.actor
                );
            }
        }
        Command::History { series, unit, period } => {
            let revisions = app.history(&series, &unit, &period).await?;
            if revisions.is_empty() {
                anyhow::bail!("没有 {series} / {unit} / {period} 的数值");
            }
            for r in revisions {
                let status = r.status.label();
                let reason = if r.reason.is_empty() { "—".to_string() } else { r.reason };
                println!(
                    "第 {} 版  {}（{status}）  批次 {} {}  {}  {}  原因：{reason}",
                    r.revision, r.value, r.batch_id, r.source, r.imported_at, r.actor
                );
            }
        }
        Command::Flags { batch, code } => {
            let flags: Vec<_> =
                app.flags(batch).await?.into_iter().filter(|f| code.as_ref().is_none_or(|c| &f.code == c)).collect();
            if flags.is_empty() {
                println!("没有数据疑点");
            }
            let catalogue = app.catalogue().await?;
            let mut counts = std::collections::BTreeMap::new();
            for f in &flags {
                let mark = if f.prominent { "【！】" } else { "" };
                let unit = catalogue.unit(&f.unit).map_or(f.unit.as_str(), |u| u.name.as_str());
                let origin = match (f.recheck, f.office_only) {
                    (Some(_), true) => "复查·仅办公厅",
                    (Some(_), false) => "复查",
                    (None, _) => "导入",
                };
                println!(
                    "{mark}#{} [{}] 批次 {}（{origin}） {} {unit} {}：{}",
                    f.id,
                    jili_app::flag_label(&f.code),
                    f.batch_id,
                    f.series,
                    f.period,
                    f.message
                );
                *counts.entry(jili_app::flag_label(&f.code)).or_insert(0) += 1;
            }
            if !flags.is_empty() {
                let by: Vec<String> = counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
                println!("共 {} 条：{}", flags.len(), by.join("、"));
            }
        }
        Command::Recheck { series, period, provider, as_of, all } => {
            let period = period
                .map(|p| p.parse::<jili_model::Period>().map_err(|e| anyhow::anyhow!("--period “{p}”：{e}")))
                .transpose()?;
            let request = jili_app::RecheckRequest { series, period, provider, as_of, all };
            let r = app.recheck(&request).await?;
            if r.id.is_none() {
                println!("上次复查之后没有新的数据，无需复查（复查全部请加 --all）");
                return Ok(());
            }
            println!("已复查：{}；{} 个数据项，{} 个数值", r.scope, r.series, r.checked);
            let by: Vec<String> = r.added.iter().map(|(c, n)| format!("{} {n}", jili_app::flag_label(c))).collect();
            let already = r.found - r.added_total();
            if r.added.is_empty() {
                println!("没有新的疑点（发现 {} 条，均已记录过）", r.found);
            } else {
                println!("新增疑点 {} 条：{}；另有 {already} 条此前已记录", r.added_total(), by.join("、"));
            }
            println!("已记入审计日志；jili data flags 查看全部疑点");
        }
        Command::Watch { all, json } => super::case::watch(app, all, json).await?,
        Command::Mappings => {
            for (provider, signature, mapping, at) in app.mappings().await? {
                println!("# {provider}  保存于 {at}  格式指纹 {}\n{mapping}", &signature[..12.min(signature.len())]);
            }
        }
        Command::Checks { load } => match load {
            Some(path) => {
                let text = String::from_utf8(super::read_bounded(&path, 1024 * 1024, "规则文件")?)
                    .map_err(|_| anyhow::anyhow!("“{}”不是 UTF-8 文本", path.display()))?;
                let config = app.load_check_rules(&path.display().to_string(), &text).await?;
                println!("已载入校验规则：{} 个数据项有专门规则（已记入审计日志）", config.series.len());
            }
            None => {
                let (from, text) = app.check_rules_text().await?;
                println!("# 当前校验规则（来自 {from}）\n{text}");
            }
        },
        Command::Export { series, public, out, structure } => {
            let text = app.export_sdmx(&series, public).await?;
            if let Some(path) = structure {
                let xml = app.sdmx_structure(public).await?;
                std::fs::write(&path, xml).map_err(|e| anyhow::anyhow!("无法写入“{}”：{e}", path.display()))?;
                eprintln!("已写出结构消息 {}（SDMX-ML 3.0）", path.display());
            }
            match out {
                Some(path) => {
                    std::fs::write(&path, &text).map_err(|e| anyhow::anyhow!("无法写入“{}”：{e}", path.display()))?;
                    println!(
                        "已导出 {} 条到 {}（SDMX-CSV 2.0）",
                        text.lines().count().saturating_sub(1),
                        path.display()
                    );
                }
                None => print!("{text}"),
            }
        }
    }
    Ok(())
}
