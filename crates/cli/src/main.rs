//! `jili`: the command line of the jili incentive-programme system. Thin: every command parses
//! its arguments, calls one `jili_app` use-case and prints the result (Chinese first; `--json`
//! where a machine reads it).

mod cmd;
mod table;

use clap::{Parser, Subcommand};

/// jili（激励）— 政府激励措施评价系统 / a system for running a government's incentive programme.
#[derive(Debug, Parser)]
#[command(name = "jili", version, about, long_about = None)]
struct Cli {
    /// 数据库地址：SQLite 文件路径（默认 jili.db）/ database URL or SQLite file path.
    #[arg(long, global = true, env = "JILI_DATABASE_URL", default_value = "jili.db")]
    db: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 构建演示数据库：参考数据、2024年激励方案、示例实施方案和演示数据 / build the demo database.
    Demo(cmd::demo::Args),
    /// 列出评价对象（市州、县市区、管理区、园区）/ list units.
    Units(cmd::units::Args),
    /// 年度激励方案 / the yearly programme.
    #[command(subcommand)]
    Programme(cmd::programme::Command),
    /// 实施方案 / implementation plans.
    #[command(subcommand)]
    Plan(cmd::plan::Command),
    /// 数据库内容概况与内容指纹 / what the database holds, and its content hash.
    Status(cmd::status::Args),
    /// 性能基准：各步骤耗时 / time the main steps on this machine.
    Bench(cmd::bench::Args),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Bench(args) = cli.command {
        return cmd::bench::run(args).await;
    }
    // Only `demo` creates a database; anything else on a missing file is a mistyped path.
    if !matches!(cli.command, Command::Demo(_))
        && let Ok(jili_app::Backend::Sqlite(path)) = jili_app::parse_url(&cli.db)
        && path != ":memory:"
        && !std::path::Path::new(&path).exists()
    {
        anyhow::bail!("数据库文件“{path}”不存在：请先运行 jili demo，或用 --db 指定已有的数据库");
    }
    // The CLI acts as the provincial general office on this machine.
    let app = jili_app::App::open(&cli.db, "office（命令行）").await?;
    let result = dispatch(&app, &cli.db, cli.command).await;
    // Closing checkpoints the write-ahead log into the database file, so `jili.db` alone is whole.
    app.store.clone().close().await;
    result
}

async fn dispatch(app: &jili_app::App, db: &str, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Demo(args) => cmd::demo::run(app, db, args).await,
        Command::Units(args) => cmd::units::run(app, args).await,
        Command::Programme(c) => cmd::programme::run(app, c).await,
        Command::Plan(c) => cmd::plan::run(app, c).await,
        Command::Status(args) => cmd::status::run(app, args).await,
        Command::Bench(_) => unreachable!("handled above: bench uses its own temporary databases"),
    }
}
