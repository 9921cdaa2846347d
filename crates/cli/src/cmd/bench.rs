//! `jili bench`: print how long the main steps take on this machine, against the peers.

use crate::table;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 每个步骤运行的次数 / runs per step.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// COINr 的 ASEM 示例数据目录（含 asem_iData.csv、asem_iMeta.csv）；缺省时找 ../shared/peers/asem，
    /// 再找不到则用同规模合成数据 / COINr's ASEM tables.
    #[arg(long)]
    asem: Option<PathBuf>,
    /// 以 JSON 输出 / print as JSON.
    #[arg(long)]
    json: bool,
}

fn asem(dir: Option<PathBuf>) -> anyhow::Result<Option<jili_app::bench::Asem>> {
    let explicit = dir.is_some();
    let dir = dir.unwrap_or_else(|| PathBuf::from("../shared/peers/asem"));
    match (std::fs::read(dir.join("asem_iData.csv")), std::fs::read(dir.join("asem_iMeta.csv"))) {
        (Ok(data), Ok(meta)) => Ok(Some(jili_app::bench::Asem { data, meta })),
        _ if explicit => anyhow::bail!("在 {} 中找不到 asem_iData.csv 和 asem_iMeta.csv", dir.display()),
        _ => Ok(None),
    }
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let asem = asem(args.asem)?;
    let dir = tempfile::tempdir()?;
    let base = dir.path().to_path_buf();
    let rows =
        jili_app::bench::run(args.runs, |i| base.join(format!("bench-{i}.db")).display().to_string(), asem.as_ref())
            .await?;
    if args.json {
        return super::print_json(&rows);
    }
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let min = r.runs_ms.iter().copied().fold(f64::INFINITY, f64::min);
            let max = r.runs_ms.iter().copied().fold(0.0, f64::max);
            let med = r.median_ms();
            vec![
                r.step.to_string(),
                format!("{} {}", r.items, r.unit),
                format!("{med:.3}"),
                format!("{min:.3}–{max:.3}"),
                format!("{:.0}", r.per_second()),
                r.target_ms.map_or(String::new(), |t| format!("≤ {t}{}", if med <= t { " ✓" } else { " ✗" })),
                r.peer.map_or(String::new(), |(name, ms)| format!("{name} {ms} ms")),
                r.peer.map_or(String::new(), |(_, ms)| format!("{:.0}×", ms / med.max(1e-9))),
            ]
        })
        .collect();
    println!(
        "jili bench：每步 {} 次，临时 SQLite 数据库（{}）",
        args.runs.max(1),
        if cfg!(debug_assertions) { "调试构建，数字偏慢" } else { "release 构建" }
    );
    table::print(
        &["步骤 step", "规模 size", "中位 ms", "范围 ms", "每秒 per s", "目标 ms", "同类软件 peer", "快于 peer"],
        &lines,
    );
    if let Some(mib) = jili_app::bench::peak_memory_mib() {
        println!("进程峰值内存 peak RSS：{mib:.0} MiB（目标：全国规模 ≤ 1024 MiB）");
    }
    Ok(())
}
