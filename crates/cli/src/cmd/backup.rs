//! `jili backup`, `jili restore` and `jili migrate`: a consistent copy of the database, putting
//! one back after its audit chain verifies, and copying a database to another backend.

use jili_app::App;
use jili_app::governance::backup::BackupReport;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// 备份文件（新文件，不覆盖已有文件）/ the backup file to write (must not exist).
    pub file: String,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// 要恢复的备份文件；恢复到 --db 指定的新文件或空的 PostgreSQL 库 / the backup to restore into --db (a new file or an empty PostgreSQL database).
    pub backup: String,
}

#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// 来源库，如 sqlite:jili.db / the database to copy from.
    #[arg(long)]
    pub from: String,
    /// 目标库（须为空库），如 postgres://postgres@127.0.0.1:5432/jili / the empty database to copy into.
    #[arg(long)]
    pub to: String,
}

fn print(what: &str, r: &BackupReport) {
    if r.bytes > 0 {
        println!("{what}：{}（{:.1} MB）", r.path, r.bytes as f64 / 1_048_576.0);
    } else {
        println!("{what}：{}", r.path);
    }
    if let Some(copied) = &r.copied {
        let tables: Vec<String> =
            copied.tables.iter().filter(|(_, n)| *n > 0).map(|(t, n)| format!("{t} {n}")).collect();
        println!("  复制 {} 行：{}", copied.rows(), tables.join("，"));
    }
    let head = r.audit.head.as_ref().map_or_else(|| "（空）".to_string(), |(seq, hash)| format!("{seq}:{hash}"));
    println!(
        "  审计核验通过：{} 个事件的哈希链完整，{} 个记录与其最后一次登记的摘要一致；链尾 {head}",
        r.audit.events, r.audit.objects
    );
    println!("  摘要算法：{}（审计链、记录封存和内容指纹）", r.audit.algorithm);
    println!("  内容指纹（{}）：{}", r.audit.algorithm, r.content_hash);
}

/// Back up the open database.
pub async fn backup(app: &App, args: BackupArgs) -> anyhow::Result<()> {
    let r = app.backup(&args.file).await?;
    if !r.audit.is_intact() {
        println!("已备份：{}（{} 字节）", r.path, r.bytes);
        for p in &r.audit.problems {
            let seq = p.seq.map_or_else(String::new, |s| format!("（事件 #{s}）"));
            println!("  {}{seq}：{}", p.object, p.what);
        }
        anyhow::bail!("备份已写出，但数据库的审计核验未通过：请保留该备份作为现场，并报告纪检监察");
    }
    print("已备份", &r);
    Ok(())
}

/// Restore a backup into `db` (a new file).
pub async fn restore(db: &str, args: RestoreArgs) -> anyhow::Result<()> {
    let r = jili_app::governance::backup::restore(&args.backup, db).await?;
    print("已恢复", &r);
    Ok(())
}

/// Copy a database into another (empty) one and verify it there.
pub async fn migrate(args: MigrateArgs) -> anyhow::Result<()> {
    let (source, target) = jili_app::governance::backup::migrate(&args.from, &args.to).await?;
    print("来源库", &source);
    print("已迁移到", &target);
    println!("  来源库与目标库的审计链尾和内容指纹一致");
    Ok(())
}
