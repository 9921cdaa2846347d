//! What an operator's probes ask of the database: is it reachable, is its schema the one this
//! program expects, and how busy is the connection pool. Cheap queries only: a load balancer
//! asks every few seconds.

use crate::Store;
use crate::db::{Db, on};
use crate::error::Result;
use serde::Serialize;

/// The answer to "can this server take requests?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    /// The newest migration this program carries.
    pub expected: i64,
    /// The newest migration applied to the database (0: none).
    pub applied: i64,
}

impl Readiness {
    /// The schema is exactly the one this program was built for.
    pub fn is_current(&self) -> bool {
        self.expected == self.applied
    }

    /// Why the schema is not current, in words for the operator (`None` when it is).
    pub fn problem(&self) -> Option<String> {
        match self.applied.cmp(&self.expected) {
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Less => Some(format!(
                "数据库结构是第 {} 版，本程序需要第 {} 版：重启本程序会自动升级",
                self.applied, self.expected
            )),
            std::cmp::Ordering::Greater => Some(format!(
                "数据库结构是第 {} 版，比本程序（第 {} 版）新：请把本服务器升级到与其他服务器相同的 jili 版本",
                self.applied, self.expected
            )),
        }
    }
}

/// The connection pool's size now (for metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PoolStats {
    /// Connections open.
    pub open: u32,
    /// Of those, idle.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

impl Store {
    /// Reach the database and compare its applied migrations with this program's. An
    /// unreachable database is an error.
    pub async fn readiness(&self) -> Result<Readiness> {
        let expected = match self.pool {
            Db::Sqlite(_) => newest(&sqlx::migrate!("./migrations/sqlite")),
            Db::Postgres(_) => newest(&sqlx::migrate!("./migrations/postgres")),
        };
        let applied: Option<i64> = on!(self.pool.get(), |p| sqlx::query_scalar(
            "SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE"
        )
        .fetch_one(p)
        .await?);
        Ok(Readiness { expected, applied: applied.unwrap_or(0) })
    }

    /// The connection pool's counts.
    pub fn pool_stats(&self) -> PoolStats {
        on!(self.pool.get(), |p| PoolStats {
            open: p.size(),
            idle: u32::try_from(p.num_idle()).unwrap_or(u32::MAX),
            max: p.options().get_max_connections(),
        })
    }
}

/// The newest migration a migrator carries.
fn newest(m: &sqlx::migrate::Migrator) -> i64 {
    m.iter().map(|m| m.version).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_fresh_database_is_current_and_its_pool_is_counted() {
        let store = Store::open("sqlite::memory:").await.unwrap();
        let r = store.readiness().await.unwrap();
        assert!(r.is_current() && r.expected >= 14, "{r:?}");
        assert_eq!(r.problem(), None);
        let stats = store.pool_stats();
        assert!(stats.open >= 1 && stats.max >= stats.open, "{stats:?}");
    }

    #[test]
    fn a_schema_of_another_version_is_explained() {
        let behind = Readiness { expected: 15, applied: 14 };
        assert!(behind.problem().unwrap().contains("自动升级"));
        let ahead = Readiness { expected: 15, applied: 16 };
        assert!(ahead.problem().unwrap().contains("升级到与其他服务器相同"));
    }
}
