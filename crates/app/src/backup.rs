//! Backup and restore. A backup is a consistent copy of the database made while jili runs; a
//! restore puts a backup in place only after its audit chain verifies, and verifies it again
//! where it was put, so a tampered or damaged copy is never restored silently.

use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use jili_store::{AuditReport, Backend, parse_url};

/// What a backup or restore wrote, and the verification of the copy.
#[derive(Debug, Clone)]
pub struct BackupReport {
    pub path: String,
    pub bytes: u64,
    /// The audit verification of the copy (events, records, chain head, problems).
    pub audit: AuditReport,
    /// The content hash of the copy (as `jili status` prints it).
    pub content_hash: String,
}

fn sqlite_path(url: &str) -> Result<String> {
    match parse_url(url)? {
        Backend::Sqlite(path) if path != ":memory:" => Ok(path),
        Backend::Sqlite(_) => Err(AppError::Invalid("内存数据库不能备份或恢复：请指定数据库文件".into())),
    }
}

/// Open a copy, verify its chain and hash its content, then close it.
async fn check_copy(path: &str) -> Result<BackupReport> {
    let copy = App::open(path, "备份核验").await?;
    let audit = copy.verify_audit(None).await?;
    let content_hash = copy.content_hash().await?;
    copy.store.clone().close().await;
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    Ok(BackupReport { path: path.to_string(), bytes, audit, content_hash })
}

impl App {
    /// Write a backup to `path` (a new file) and verify the copy.
    pub async fn backup(&self, path: &str) -> Result<BackupReport> {
        self.allow(Action::Configure)?;
        self.store.backup_to(path).await?;
        check_copy(path).await
    }
}

/// Restore the backup at `backup` as the database `target` (a file that must not exist yet).
/// Refused when the backup's audit chain does not verify; the restored file is verified again.
pub async fn restore(backup: &str, target: &str) -> Result<BackupReport> {
    let target = sqlite_path(target)?;
    if std::path::Path::new(&target).exists() {
        return Err(AppError::Invalid(format!(
            "目标数据库“{target}”已存在：恢复不会覆盖现有数据库，请指定一个新文件名，核对后再替换"
        )));
    }
    if !std::path::Path::new(backup).is_file() {
        return Err(AppError::NotFound(format!("备份文件“{backup}”不存在")));
    }
    // Verify a scratch copy, so that opening it (which brings the schema up to date) changes
    // neither the backup nor the target.
    let scratch = format!("{target}.restoring");
    std::fs::copy(backup, &scratch).map_err(|e| AppError::Invalid(format!("无法读取备份“{backup}”：{e}")))?;
    let checked = check_copy(&scratch).await;
    let checked = match checked {
        Ok(c) if c.audit.is_intact() => c,
        Ok(c) => {
            let _ = std::fs::remove_file(&scratch);
            let what: Vec<String> =
                c.audit.problems.iter().take(5).map(|p| format!("{}：{}", p.object, p.what)).collect();
            return Err(AppError::Invalid(format!(
                "备份“{backup}”的审计核验未通过（{} 处问题：{}）：未恢复。请保留该备份并报告纪检监察",
                c.audit.problems.len(),
                what.join("；")
            )));
        }
        Err(e) => {
            let _ = std::fs::remove_file(&scratch);
            return Err(AppError::Invalid(format!("备份“{backup}”无法作为数据库打开：{e}")));
        }
    };
    std::fs::rename(&scratch, &target).map_err(|e| AppError::Invalid(format!("无法写入“{target}”：{e}")))?;
    let restored = check_copy(&target).await?;
    if restored.content_hash != checked.content_hash || !restored.audit.is_intact() {
        return Err(AppError::Invalid(format!("恢复后的“{target}”与备份不一致：请删除它后重试")));
    }
    Ok(restored)
}
