//! What the operator's probes and metrics read: whether the database answers with the schema
//! this program expects, the connection pool, and the heavy-work pool. None of it says anything
//! about the stored records, so no permission is asked: a load balancer has no login.

use crate::App;
use crate::error::Result;
use jili_store::{PoolStats, Readiness};

impl App {
    /// Reach the database and compare its migrations with this program's (`/readyz`).
    pub async fn readiness(&self) -> Result<Readiness> {
        Ok(self.store.readiness().await?)
    }

    /// The database connection pool's counts (`/metrics`).
    pub fn pool_stats(&self) -> PoolStats {
        self.store.pool_stats()
    }

    /// The heavy-work pool by kind: admitted pieces, unfinished jobs, durations (`/metrics`).
    pub fn work_stats(&self) -> Vec<crate::workers::WorkStats> {
        self.workers.stats()
    }
}
