//! `jili backup` and `jili restore`: a consistent copy of the database, and putting one back
//! after its audit chain verifies.

use jili_app::App;
use jili_app::backup::BackupReport;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// 备份文件（新文件，不覆盖已有文件）/ the backup file to write (must not exist).
    pub file: String,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// 要恢复的备份文件；恢复到 --db 指定的新文件 / the backup to restore into the --db file (which must not exist).
    pub backup: String,
}

fn print(what: &str, r: &BackupReport) {
    println!("{what}：{}（{:.1} MB）", r.path, r.bytes as f64 / 1_048_576.0);
    let head = r.audit.head.as_ref().map_or_else(|| "（空）".to_string(), |(seq, hash)| format!("{seq}:{hash}"));
    println!(
        "  审计核验通过：{} 个事件的哈希链完整，{} 个记录与其最后一次登记的摘要一致；链尾 {head}",
        r.audit.events, r.audit.objects
    );
    println!("  内容指纹（sha256）：{}", r.content_hash);
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
    let r = jili_app::backup::restore(&args.backup, db).await?;
    print("已恢复", &r);
    Ok(())
}
