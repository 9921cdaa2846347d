//! Backup, restore and migration. A backup is a consistent copy of the database made while
//! jili runs, always as a SQLite file (from PostgreSQL too: one format any office can open and
//! verify); a restore puts a backup in place — into a new SQLite file or an empty PostgreSQL
//! database — only after its audit chain verifies, and verifies it again where it was put; a
//! migration copies everything, the audit chain included, into an empty database on either
//! backend and verifies it there. A tampered or damaged copy is never restored silently.

use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use jili_store::{AuditReport, Backend, CopyReport, Store, parse_url, redact};

/// What a backup, restore or migration wrote, and the verification of the copy.
#[derive(Debug, Clone)]
pub struct BackupReport {
    /// The copy: a file, or a database URL (without its password).
    pub path: String,
    /// The copy's size, for a file; 0 for a server.
    pub bytes: u64,
    /// The audit verification of the copy (events, records, chain head, problems).
    pub audit: AuditReport,
    /// The content hash of the copy (as `jili status` prints it).
    pub content_hash: String,
    /// Rows copied per table (when the copy went table by table).
    pub copied: Option<CopyReport>,
}

/// A SQLite file named by `url`, refusing the in-memory database.
fn sqlite_file(url: &str) -> Result<Option<String>> {
    match parse_url(url)? {
        Backend::Sqlite(path) if path != ":memory:" => Ok(Some(path)),
        Backend::Sqlite(_) => Err(AppError::Invalid("内存数据库不能备份、恢复或迁移：请指定数据库文件".into())),
        Backend::Postgres(_) => Ok(None),
    }
}

/// A new SQLite file to write: it must not exist yet.
fn new_file(path: &str, what: &str) -> Result<()> {
    if std::path::Path::new(path).exists() {
        return Err(AppError::Invalid(format!(
            "{what}“{path}”已存在：不会覆盖已有文件，请指定一个新文件名，核对后再替换"
        )));
    }
    Ok(())
}

/// Open a copy, verify its chain and hash its content, then close it.
async fn check_copy(url: &str, copied: Option<CopyReport>) -> Result<BackupReport> {
    let copy = App::open(url, "备份核验").await?;
    let audit = copy.verify_audit(None).await?;
    let content_hash = copy.content_hash().await?;
    copy.store.clone().close().await;
    let (path, bytes) = match sqlite_file(url)? {
        Some(path) => {
            let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            (path, bytes)
        }
        None => (redact(url), 0),
    };
    Ok(BackupReport { path, bytes, audit, content_hash, copied })
}

/// Refuse a copy whose audit chain does not verify.
fn require_intact(r: &BackupReport, what: &str) -> Result<()> {
    if r.audit.is_intact() {
        return Ok(());
    }
    let found: Vec<String> = r.audit.problems.iter().take(5).map(|p| format!("{}：{}", p.object, p.what)).collect();
    Err(AppError::Invalid(format!(
        "{what}的审计核验未通过（{} 处问题：{}）。请保留原库并报告纪检监察",
        r.audit.problems.len(),
        found.join("；")
    )))
}

/// Copy the database at `from` into the empty database at `to`, then verify the target (the
/// report says how that went; callers that must refuse a damaged copy check it) and compare its
/// content with the source's.
async fn copy_database(from: &Store, source_hash: &str, to: &str) -> Result<BackupReport> {
    if let Some(path) = sqlite_file(to)? {
        new_file(&path, "目标数据库")?;
    }
    let target = Store::open(to).await?;
    let copied = from.copy_to(&target).await;
    target.close().await;
    let copied = copied?;
    let report = check_copy(to, Some(copied)).await?;
    if report.content_hash != source_hash {
        return Err(AppError::Invalid(format!(
            "复制后的“{}”与来源内容不一致（内容指纹不同）：请删除目标库后重试",
            report.path
        )));
    }
    Ok(report)
}

impl App {
    /// Write a backup to `path` (a new SQLite file) and verify the copy.
    pub async fn backup(&self, path: &str) -> Result<BackupReport> {
        self.allow(Action::Configure)?;
        new_file(path, "备份文件")?;
        match self.store.backend() {
            "sqlite" => {
                self.store.backup_to(path).await?;
                check_copy(path, None).await
            }
            _ => {
                let hash = self.content_hash().await?;
                copy_database(&self.store, &hash, path).await
            }
        }
    }
}

/// Restore the backup at `backup` as the database `target`: a SQLite file that must not exist
/// yet, or an empty PostgreSQL database. Refused when the backup's audit chain does not
/// verify; the restored database is verified again.
pub async fn restore(backup: &str, target: &str) -> Result<BackupReport> {
    let file = sqlite_file(target)?;
    if let Some(path) = &file {
        new_file(path, "目标数据库")?;
    }
    if !std::path::Path::new(backup).is_file() {
        return Err(AppError::NotFound(format!("备份文件“{backup}”不存在")));
    }
    // Verify a scratch copy, so that opening it (which brings the schema up to date) changes
    // neither the backup nor the target.
    let scratch = match &file {
        Some(path) => format!("{path}.restoring"),
        None => std::env::temp_dir().join(format!("jili-restore-{}.db", std::process::id())).display().to_string(),
    };
    let _ = std::fs::remove_file(&scratch);
    std::fs::copy(backup, &scratch).map_err(|e| AppError::Invalid(format!("无法读取备份“{backup}”：{e}")))?;
    let checked = match check_copy(&scratch, None).await {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_file(&scratch);
            return Err(AppError::Invalid(format!("备份“{backup}”无法作为数据库打开：{e}")));
        }
    };
    if let Err(e) = require_intact(&checked, &format!("备份“{backup}”")) {
        let _ = std::fs::remove_file(&scratch);
        return Err(AppError::Invalid(format!("{e}（未恢复）")));
    }
    let restored = match file {
        Some(path) => {
            std::fs::rename(&scratch, &path).map_err(|e| AppError::Invalid(format!("无法写入“{path}”：{e}")))?;
            check_copy(&path, None).await?
        }
        None => {
            let source = Store::open(&scratch).await?;
            let copied = copy_database(&source, &checked.content_hash, target).await;
            source.close().await;
            let _ = std::fs::remove_file(&scratch);
            let copied = copied?;
            require_intact(&copied, "恢复后的目标库")?;
            copied
        }
    };
    if restored.content_hash != checked.content_hash || !restored.audit.is_intact() {
        return Err(AppError::Invalid(format!("恢复后的“{}”与备份不一致：请删除它后重试", restored.path)));
    }
    Ok(restored)
}

/// Copy the database at `from` into the empty database at `to` (either backend), the audit
/// chain included. Refused when the source's chain does not verify (the copy would carry the
/// damage); the target is verified and its content compared with the source's.
pub async fn migrate(from: &str, to: &str) -> Result<(BackupReport, BackupReport)> {
    if parse_url(from)? == parse_url(to)? {
        return Err(AppError::Invalid("来源库与目标库相同：请指定另一个库作为目标".into()));
    }
    let source = check_copy(from, None).await?;
    require_intact(&source, "来源库")?;
    let store = Store::open(from).await?;
    let target = copy_database(&store, &source.content_hash, to).await;
    store.close().await;
    let target = target?;
    require_intact(&target, "迁移后的目标库")?;
    Ok((source, target))
}
