//! `jili import FILE --provider DEPT`: check a providing department's file and store it whole,
//! or say exactly what to fix (and store nothing).

use indicatif::{ProgressBar, ProgressStyle};
use jili_app::intake::{Mapping, Severity};
use jili_app::{App, ImportRequest, MappingSource};
use jili_model::{Period, Status};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 数据文件：.xlsx、.xls、.csv（UTF-8 或 GBK）或 SDMX-CSV / the file to import.
    file: PathBuf,
    /// 数据提供部门：代码或名称（如 TJJ 或 省统计局）/ the providing department, by code or name.
    #[arg(long)]
    provider: String,
    /// 列映射文件（TOML），说明哪一列是地区、指标、年份、数值 / a column mapping.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// 文本编码（utf-8、gbk、gb18030、utf-16），默认自动识别 / force a text encoding.
    #[arg(long)]
    encoding: Option<String>,
    /// 文件未注明时的数据状态：快报 或 年报 / status of values the file does not mark.
    #[arg(long, default_value = "年报")]
    status: String,
    /// 文件未注明时的期别，如 2024、2024年1-6月 / period of values the file does not give.
    #[arg(long)]
    period: Option<String>,
    /// 修订原因（本批次修订已入库数值时必填）/ why values are revised.
    #[arg(long)]
    reason: Option<String>,
    /// 部分单位的数据（如先报部分快报）：缺少方案评价的单位时只提示，不拒收 / a partial file.
    #[arg(long)]
    partial: bool,
    /// 只校验并报告，不入库 / check and report only.
    #[arg(long)]
    dry_run: bool,
    /// 把校验报告写成 Excel（问题单元格标色并批注），可退回给报送部门 / write the report as XLSX.
    #[arg(long)]
    report: Option<PathBuf>,
    /// 显示所用的列映射（可保存后用 --mapping 修改）/ print the mapping used.
    #[arg(long)]
    show_mapping: bool,
    /// 终端最多列出的问题条数 / most findings printed.
    #[arg(long, default_value_t = 40)]
    limit: usize,
}

pub async fn run(app: &App, args: Args) -> anyhow::Result<()> {
    let name = args.file.display().to_string();
    if let Some(report) = &args.report
        && (report == &args.file
            || std::fs::canonicalize(report).ok().is_some_and(|r| std::fs::canonicalize(&args.file).ok() == Some(r)))
    {
        anyhow::bail!("--report 不能与导入的文件同名（{name}）：报告会覆盖原表；请另取文件名，如 校验报告.xlsx");
    }
    let bytes = super::read_bounded(&args.file, app.limits().await?.file_bytes, "file_bytes")?;
    let mapping = match &args.mapping {
        None => None,
        Some(p) => {
            let text = String::from_utf8(super::read_bounded(p, 64 * 1024, "映射文件")?)
                .map_err(|_| anyhow::anyhow!("映射文件“{}”不是 UTF-8 文本", p.display()))?;
            Some(Mapping::from_toml(&text).map_err(|e| anyhow::anyhow!("{}：{e}", p.display()))?)
        }
    };
    let status = Status::parse(&args.status)
        .ok_or_else(|| anyhow::anyhow!("--status 应为“快报”或“年报”，收到“{}”", args.status))?;
    let period = match &args.period {
        None => None,
        Some(p) => Some(p.parse::<Period>().map_err(|e| anyhow::anyhow!("--period：{e}"))?),
    };
    let request = ImportRequest {
        file: name.clone(),
        bytes,
        provider: args.provider.trim().to_ascii_uppercase(),
        mapping,
        encoding: args.encoding.clone(),
        status,
        period,
        reason: args.reason.clone(),
        dry_run: args.dry_run,
        partial: args.partial,
    };
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")?);
    bar.enable_steady_tick(Duration::from_millis(120));
    let outcome = app.import_file(&request, &|stage: &str| bar.set_message(format!("{stage}…"))).await;
    bar.finish_and_clear();
    let outcome = outcome?;

    let kind = match (outcome.format, outcome.encoding) {
        (Some(f), Some(e)) => format!("{}，{e} 编码", f.label()),
        (Some(f), None) => f.label().to_string(),
        _ => "无法识别".to_string(),
    };
    println!("文件：{name}（{kind}）  提供部门：{}", args.provider);
    match &outcome.mapping_source {
        MappingSource::Detected => println!("列映射：自动识别"),
        MappingSource::Saved(at) => println!("列映射：沿用该部门 {at} 保存的同格式映射"),
        MappingSource::Template => println!("列映射：jili 填报模板（按模板格式读取）"),
        MappingSource::Given => {
            println!("列映射：{}", args.mapping.as_ref().map_or(String::new(), |p| p.display().to_string()))
        }
    }
    for (label, value) in outcome.summary().iter().skip(1) {
        print!("{label} {value}  ");
    }
    println!();
    let mut shown = 0;
    for severity in [Severity::Error, Severity::Flag, Severity::Notice] {
        for f in outcome.findings.iter().filter(|f| f.severity == severity) {
            if shown < args.limit {
                println!("{}", f.line());
            }
            shown += 1;
        }
    }
    if shown > args.limit {
        println!("……共 {shown} 条，仅列出前 {} 条；完整清单请用 --report 报告.xlsx", args.limit);
    }
    if args.show_mapping {
        println!("\n# 所用列映射（可另存为 .toml，用 --mapping 指定）\n{}", outcome.mapping_text());
    }
    if let Some(path) = &args.report {
        let bytes = outcome.report_xlsx()?;
        std::fs::write(path, bytes).map_err(|e| anyhow::anyhow!("无法写入报告“{}”：{e}", path.display()))?;
        println!("校验报告已写入：{}", path.display());
    }
    let verdict = &outcome.summary()[0].1;
    if outcome.rejected() {
        anyhow::bail!("{verdict}");
    }
    println!("{verdict}");
    Ok(())
}
