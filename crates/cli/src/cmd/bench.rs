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
    /// 另在此 PostgreSQL 库上计时入库、评价和核验，与 SQLite 对比（在库中建临时 schema，结束后删除），
    /// 如 postgres://postgres@127.0.0.1:5432/postgres / also time the store-bound steps on this PostgreSQL database.
    #[arg(long, env = "JILI_BENCH_PG_URL")]
    pg: Option<String>,
}

/// Temporary schemas on a PostgreSQL server for the benchmark's fresh databases.
struct Schemas {
    base: String,
    names: Vec<String>,
    urls: Vec<String>,
}

impl Schemas {
    async fn create(base: &str, n: usize) -> anyhow::Result<Schemas> {
        let mut schemas = Schemas { base: base.to_string(), names: Vec::new(), urls: Vec::new() };
        for i in 0..n {
            let name = format!("jili_bench_{}_{i}", std::process::id());
            schemas.urls.push(jili_app::schemas::create_schema(base, &name).await?);
            schemas.names.push(name);
        }
        Ok(schemas)
    }

    fn url(&self, i: usize) -> String {
        self.urls[i % self.urls.len()].clone()
    }

    async fn drop_all(self) -> anyhow::Result<()> {
        for name in &self.names {
            jili_app::schemas::drop_schema(&self.base, name).await?;
        }
        Ok(())
    }
}

/// The store-bound rows on SQLite and on PostgreSQL.
async fn backend_rows(runs: usize, base: &std::path::Path, pg: &str) -> anyhow::Result<Vec<jili_bench::BenchRow>> {
    let mut rows =
        jili_bench::backend::backend_rows(false, runs, |i| base.join(format!("backend-{i}.db")).display().to_string())
            .await?;
    let schemas = Schemas::create(pg, 2 * runs.max(1) + 1).await?;
    let pg_rows = jili_bench::backend::backend_rows(true, runs, |i| schemas.url(i)).await;
    schemas.drop_all().await?;
    rows.extend(pg_rows?);
    Ok(rows)
}

/// `jili mcda` as a user calls it — a new process reading a 3000 × 200 CSV, entropy weights,
/// TOPSIS, JSON printed — timed from spawn to exit (issue 21 asks ≤ 30 ms). One run first
/// warms the file cache.
fn mcda_process_row(runs: usize, dir: &std::path::Path) -> anyhow::Result<jili_bench::BenchRow> {
    let matrix = dir.join("mcda-3000x200.csv");
    std::fs::write(&matrix, jili_bench::mcda_matrix_csv(3000, 200))?;
    let types = vec!["max"; 200].join(",");
    let exe = std::env::current_exe()?;
    let once = || -> anyhow::Result<f64> {
        let t = std::time::Instant::now();
        let status = std::process::Command::new(&exe)
            .args(["mcda", "--weights", "entropy", "--method", "topsis", "--types", &types, "--matrix"])
            .arg(&matrix)
            .stdout(std::process::Stdio::null())
            .status()?;
        anyhow::ensure!(status.success(), "jili mcda 未能完成（{status}）");
        Ok(t.elapsed().as_secs_f64() * 1000.0)
    };
    once()?;
    let mut row = jili_bench::BenchRow::new(
        "jili mcda 整个进程 whole process：读 CSV→熵权→TOPSIS→打印 JSON 3000×200",
        600_000,
        "值 values",
    );
    row.runs_ms = (0..runs.max(1)).map(|_| once()).collect::<anyhow::Result<_>>()?;
    row.target_ms = Some(30.0);
    Ok(row)
}

fn asem(dir: Option<PathBuf>) -> anyhow::Result<Option<jili_bench::Asem>> {
    let explicit = dir.is_some();
    let dir = dir.unwrap_or_else(|| PathBuf::from("../shared/peers/asem"));
    match (std::fs::read(dir.join("asem_iData.csv")), std::fs::read(dir.join("asem_iMeta.csv"))) {
        (Ok(data), Ok(meta)) => Ok(Some(jili_bench::Asem { data, meta })),
        _ if explicit => anyhow::bail!("在 {} 中找不到 asem_iData.csv 和 asem_iMeta.csv", dir.display()),
        _ => Ok(None),
    }
}

pub async fn run(args: Args) -> anyhow::Result<()> {
    let asem = asem(args.asem)?;
    let dir = tempfile::tempdir()?;
    let base = dir.path().to_path_buf();
    let mut rows =
        jili_bench::run(args.runs, |i| base.join(format!("bench-{i}.db")).display().to_string(), asem.as_ref()).await?;
    rows.push(mcda_process_row(args.runs, &base)?);
    let backends = match &args.pg {
        Some(pg) => backend_rows(args.runs, &base, pg).await?,
        None => Vec::new(),
    };
    rows.extend(backends.iter().cloned());
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
                r.peer.map_or(String::new(), |(name, ms)| format!("{name} {} ms", (ms * 10.0).round() / 10.0)),
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
    // PostgreSQL against SQLite, step by step (the rows come in the same order on both).
    let (sqlite, postgres) = backends.split_at(backends.len() / 2);
    for (s, p) in sqlite.iter().zip(postgres) {
        let ratio = p.median_ms() / s.median_ms().max(1e-9);
        let ceiling = jili_bench::backend::ratio_ceiling(p)
            .map_or(String::new(), |c| format!("，目标 ≤ {c}× {}", if ratio <= c { "✓" } else { "✗" }));
        println!(
            "PostgreSQL / SQLite：{} {:.2}×（{:.0} ms / {:.0} ms{ceiling}）",
            p.step,
            ratio,
            p.median_ms(),
            s.median_ms()
        );
    }
    if args.pg.is_none() {
        println!("（未给 --pg：只测了 SQLite。加 --pg postgres://… 同时测 PostgreSQL 并给出两者之比）");
    }
    if let Some(mib) = jili_bench::peak_memory_mib() {
        println!("进程峰值内存 peak RSS：{mib:.0} MiB（目标：全国规模 ≤ 1024 MiB）");
    }
    Ok(())
}
