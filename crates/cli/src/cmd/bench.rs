//! `jili bench`: print how long the main steps take on this machine.

use crate::table;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 每个步骤运行的次数 / runs per step.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// 以 JSON 输出 / print as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let base = dir.path().to_path_buf();
    let rows = jili_app::bench::run(args.runs, |i| base.join(format!("bench-{i}.db")).display().to_string()).await?;
    if args.json {
        return super::print_json(&rows);
    }
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let min = r.runs_ms.iter().copied().fold(f64::INFINITY, f64::min);
            let max = r.runs_ms.iter().copied().fold(0.0, f64::max);
            vec![
                r.step.to_string(),
                format!("{} {}", r.items, r.unit),
                format!("{:.1}", r.median_ms()),
                format!("{min:.1}–{max:.1}"),
                format!("{:.0}", r.per_second()),
            ]
        })
        .collect();
    println!(
        "jili bench：每步 {} 次，临时 SQLite 数据库（{}）",
        args.runs.max(1),
        if cfg!(debug_assertions) { "调试构建，数字偏慢" } else { "release 构建" }
    );
    table::print(&["步骤 step", "规模 size", "中位 ms", "范围 ms", "每秒 per s"], &lines);
    Ok(())
}
