//! `jili`: the command line of the jili incentive-programme system. Thin: every command parses
//! its arguments, calls one `jili_app` use-case and prints the result (Chinese first; `--json`
//! where a machine reads it).

/// Like `std::println!`, but a closed pipe (`jili … | head`) ends the output quietly instead of
/// panicking. Defined before the modules so that all of them use it.
macro_rules! println {
    () => {
        $crate::cmd::out("\n")
    };
    ($($arg:tt)*) => {
        $crate::cmd::out(&format!("{}\n", format_args!($($arg)*)))
    };
}

mod cmd;
mod config;
mod logging;
mod table;

/// mimalloc: reading a provider's file allocates a string per cell, and the system allocator
/// made that half the cost of an import (measured with `jili bench`; see docs/decisions.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

/// jili（激励）— 政府激励措施评价系统 / a system for running a government's incentive programme.
#[derive(Debug, Parser)]
#[command(name = "jili", version, about, long_about = None)]
struct Cli {
    /// 数据库地址：SQLite 文件路径（默认 jili.db）或 postgres://用户@主机:5432/库名；含密码的地址请用环境变量
    /// JILI_DATABASE_URL 或 JILI_DATABASE_URL_FILE / database URL or SQLite file path (default jili.db).
    #[arg(long, global = true, env = "JILI_DATABASE_URL")]
    db: Option<String>,
    /// 记入审计日志的操作人（默认“office（命令行）”：命令行以省政府办公厅的身份操作）/ the name recorded as actor.
    #[arg(long, global = true, env = "JILI_ACTOR")]
    actor: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 构建演示数据库：参考数据、2024年激励方案、示例实施方案和演示数据 / build the demo database.
    Demo(cmd::demo::Args),
    /// 初始化正式数据库：参考数据、年度激励方案和示例实施方案（不含演示数据）/ create a database for real data.
    Init(cmd::init::Args),
    /// 导入数据提供部门的数据文件（xlsx/xls/csv/SDMX-CSV），校验通过才整批入库 / import a provider's file.
    Import(cmd::import::Args),
    /// 已入库数据：批次、修订记录、疑点、列映射、校验规则、SDMX-CSV 导出 / stored data.
    #[command(subcommand)]
    Data(cmd::data::Command),
    /// 列出评价对象（市州、县市区、管理区、园区）/ list units.
    Units(cmd::units::Args),
    /// 年度激励方案 / the yearly programme.
    #[command(subcommand)]
    Programme(cmd::programme::Command),
    /// 实施方案 / implementation plans.
    #[command(subcommand)]
    Plan(cmd::plan::Command),
    /// 数据授权：其他部门不公开的数据项须经其授权才能用于实施方案 / data grants.
    #[command(subcommand)]
    Grant(cmd::grant::Command),
    /// 数据核查案件：就数据疑点立案、询问、答复、办结（已说明、已更正、移送纪检监察）/ verification cases.
    #[command(subcommand)]
    Case(cmd::case::Command),
    /// 用户与角色（网页登录用；命令行即省政府办公厅）/ users and roles.
    #[command(subcommand)]
    User(cmd::user::Command),
    /// 措施预算额度 / budget lines of measures.
    #[command(subcommand)]
    Budget(cmd::publish::BudgetCommand),
    /// 资金台账：资金下达、使用情况、追回，预算到结余 / funds from award to recovery.
    #[command(subcommand)]
    Funds(cmd::funds::Command),
    /// 发布评价结果与主要指标数据（不可更改；更正为新版本）/ publish results.
    Publish(cmd::publish::PublishArgs),
    /// 年度工作日程与进度看板：实施方案、数据报送、评价、公布的日期，逾期未报清单 / the calendar and progress board.
    #[command(subcommand)]
    Calendar(cmd::calendar::Command),
    /// 定期通报主要指标数据：日程、通报、更正、查看（不可更改；更正为新版本）/ regular data releases.
    #[command(subcommand)]
    Release(cmd::release::Command),
    /// 登记通报表扬 / record a commendation (通报表扬).
    Commend(cmd::publish::CommendArgs),
    /// 更正某次运行中某单位的结果（须写原因，公开）/ override one result, with a public reason.
    Override(cmd::publish::OverrideArgs),
    /// 某单位在已发布结果中的名次、差距和影响得分的指标 / a unit's published results, explained.
    Standing(cmd::publish::StandingArgs),
    /// 审计日志：核验、查看、导出 / the audit log.
    #[command(subcommand)]
    Audit(cmd::audit::Command),
    /// 数据库内容概况与内容指纹 / what the database holds, and its content hash.
    Status(cmd::status::Args),
    /// 评价：按实施方案计算得分、名次、入选和奖励 / evaluate a measure (or all).
    Run(cmd::run::Args),
    /// 合成指数（读 COINr 的 iData/iMeta 表，不需要数据库）/ composite index from COINr tables.
    Index(cmd::analyst::IndexArgs),
    /// 多准则决策：客观赋权与 TOPSIS/VIKOR 等（不需要数据库）/ MCDA on a matrix.
    Mcda(cmd::analyst::McdaArgs),
    /// 性能基准：各步骤耗时 / time the main steps on this machine.
    Bench(cmd::bench::Args),
    /// 启动网站：公众门户、各角色工作页面和数据接口 / serve the web portal, work pages and API.
    Serve(cmd::serve::ServeArgs),
    /// 备份数据库（含审计日志）并核验备份 / back up the database and verify the copy.
    Backup(cmd::backup::BackupArgs),
    /// 从备份恢复到 --db 指定的新文件或空的 PostgreSQL 库（先核验审计链）/ restore a backup into a new --db.
    Restore(cmd::backup::RestoreArgs),
    /// 迁移数据库：全部记录连同审计链复制到另一个空库（如 SQLite → PostgreSQL）并核验 / copy a database to another.
    Migrate(cmd::backup::MigrateArgs),
    /// 输入上限：文件、工作表、单元格、方案和文字的大小上限 / the input limits.
    #[command(subcommand)]
    Limits(cmd::limits::Command),
    /// 地图：导入经审核的县级地图 / maps: import an approved county map.
    #[command(subcommand)]
    Map(cmd::map::Command),
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
    let code = match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            std::process::ExitCode::FAILURE
        }
    };
    // For measuring what a command costs (the hostile-input tests, operators sizing a server):
    // the process's peak resident memory, on standard error.
    if std::env::var_os("JILI_PEAK_MEMORY").is_some()
        && let Some(mib) = jili_bench::peak_memory_mib()
    {
        eprintln!("峰值内存 peak memory: {mib:.1} MiB");
    }
    code
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    // These need no database.
    let command = match cli.command {
        Command::Bench(args) => return cmd::bench::run(args).await,
        Command::Index(args) => return cmd::analyst::run_index(args),
        Command::Mcda(args) => return cmd::analyst::run_mcda_command(args),
        Command::Migrate(args) => return cmd::backup::migrate(args).await,
        other => other,
    };
    // The configuration file: the server's `--config`, or `JILI_CONFIG` for every command, so
    // that `jili audit verify` on the server finds the server's database.
    let file = match &command {
        Command::Serve(args) => args.config_file()?,
        Command::Demo(args) => args.serve.config_file()?,
        _ => match std::env::var_os("JILI_CONFIG") {
            Some(path) => config::ConfigFile::load(std::path::Path::new(&path))?,
            None => config::ConfigFile::default(),
        },
    };
    let db = config::database_url(cli.db, &file)?;
    let actor = cli.actor.or_else(|| file.server.actor.clone()).unwrap_or_else(|| "office（命令行）".into());
    if let Command::Restore(args) = command {
        return cmd::backup::restore(&db, args).await;
    }
    // Only `demo` creates a database; anything else on a missing file is a mistyped path.
    if !matches!(command, Command::Demo(_) | Command::Init(_))
        && let Ok(jili_app::Backend::Sqlite(path)) = jili_app::parse_url(&db)
        && path != ":memory:"
        && !std::path::Path::new(&path).exists()
    {
        anyhow::bail!(
            "数据库文件“{path}”不存在：请先运行 jili init（正式数据库）或 jili demo（演示数据库），或用 --db 指定已有的数据库"
        );
    }
    // The CLI acts as the provincial general office on this machine.
    if actor.trim().is_empty() {
        anyhow::bail!("--actor（或 JILI_ACTOR）不能为空：审计日志要记下是谁操作的");
    }
    let app = jili_app::App::open(&db, actor.trim()).await?;
    let result = dispatch(&app, &jili_app::redact(&db), command).await;
    // Closing checkpoints the write-ahead log into the database file, so `jili.db` alone is whole.
    app.close().await;
    result
}

async fn dispatch(app: &jili_app::App, db: &str, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Demo(args) => cmd::demo::run(app, db, args).await,
        Command::Init(args) => cmd::init::run(app, db, args).await,
        Command::Import(args) => cmd::import::run(app, args).await,
        Command::Data(c) => cmd::data::run(app, c).await,
        Command::Units(args) => cmd::units::run(app, args).await,
        Command::Programme(c) => cmd::programme::run(app, c).await,
        Command::Plan(c) => cmd::plan::run(app, c).await,
        Command::Status(args) => cmd::status::run(app, args).await,
        Command::Run(args) => cmd::run::run(app, args).await,
        Command::User(c) => cmd::user::run(app, c).await,
        Command::Grant(c) => cmd::grant::run(app, c).await,
        Command::Case(c) => cmd::case::run(app, c).await,
        Command::Budget(c) => cmd::publish::budget(app, c).await,
        Command::Funds(c) => cmd::funds::run(app, c).await,
        Command::Publish(args) => cmd::publish::publish(app, args).await,
        Command::Release(c) => cmd::release::run(app, c).await,
        Command::Calendar(c) => cmd::calendar::run(app, c).await,
        Command::Commend(args) => cmd::publish::commend(app, args).await,
        Command::Override(args) => cmd::publish::override_result(app, args).await,
        Command::Audit(c) => cmd::audit::run(app, c).await,
        Command::Standing(args) => cmd::publish::standing(app, args).await,
        Command::Serve(args) => cmd::serve::run(app, &args).await,
        Command::Map(c) => cmd::map::run(app, c).await,
        Command::Limits(c) => cmd::limits::run(app, c).await,
        Command::Backup(args) => cmd::backup::backup(app, args).await,
        Command::Bench(_) | Command::Index(_) | Command::Mcda(_) | Command::Restore(_) | Command::Migrate(_) => {
            unreachable!("handled above: these commands open no database")
        }
    }
}

#[cfg(test)]
mod tests {
    /// clap's own consistency checks on every subcommand (a duplicate argument or group name
    /// would otherwise panic only when a user asks for that command's help).
    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
