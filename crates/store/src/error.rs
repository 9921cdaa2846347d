//! Store errors, worded for the person running jili.

use thiserror::Error;

/// What went wrong talking to the database.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The URL names a backend this build cannot use.
    #[error(
        "不支持的数据库地址“{url}”：请使用 SQLite 文件路径（如 jili.db 或 sqlite://jili.db）或 PostgreSQL 地址（如 postgres://用户@主机:5432/库名）"
    )]
    Unsupported { url: String },
    /// The database could not be opened or created.
    #[error(
        "无法打开数据库“{url}”：{source}。请检查：SQLite 文件的目录是否存在、是否有写权限；PostgreSQL 服务器是否在运行、库是否已建、用户和密码是否正确"
    )]
    Open { url: String, source: sqlx::Error },
    /// The schema could not be brought up to date.
    #[error("数据库结构升级失败：{0}。该数据库可能由更新版本的 jili 创建")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("数据库操作失败：{0}")]
    Query(#[from] sqlx::Error),
    /// A change that conflicts with what is stored (a taken name, a plan in the wrong state).
    #[error("{0}")]
    Conflict(String),
    /// Stored data that cannot be read back (a bug or a hand-edited database).
    #[error("数据库中的数据无法读取：{0}")]
    Corrupt(String),
}

/// Shorthand for store results.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
