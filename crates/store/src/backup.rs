//! Backups of the embedded database: a consistent copy made while jili runs (SQLite's
//! `VACUUM INTO`, one transaction's view), written to a new file. A PostgreSQL database is
//! backed up by copying it into a new SQLite file ([`Store::copy_to`], the app does it).

use crate::Store;
use crate::db::Db;
use crate::error::{Result, StoreError};

impl Store {
    /// Write a consistent copy of the whole database (audit log included) to `path`, which must
    /// not exist yet.
    pub async fn backup_to(&self, path: &str) -> Result<()> {
        if std::path::Path::new(path).exists() {
            return Err(StoreError::Conflict(format!("备份文件“{path}”已存在：请换一个文件名，备份不会覆盖已有文件")));
        }
        match self.pool.get() {
            Db::Sqlite(p) => {
                sqlx::query("VACUUM INTO $1").bind(path).execute(p).await?;
                Ok(())
            }
            Db::Postgres(_) => Err(StoreError::Conflict(
                "PostgreSQL 库的备份是复制到一个新的 SQLite 文件：请用 jili backup 文件名".into(),
            )),
        }
    }
}
