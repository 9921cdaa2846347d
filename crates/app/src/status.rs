//! What the database holds: counts, the audit chain's state and the content hash.

use crate::App;
use crate::error::Result;

/// A summary of the stored content, for `jili status` and (later) the office's dashboard.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Status {
    pub departments: usize,
    pub units: usize,
    pub series: usize,
    pub programmes: Vec<i32>,
    pub batches: usize,
    pub demo_batches: usize,
    pub observations: usize,
    pub audit_events: usize,
    pub audit_chain_ok: bool,
    pub content_hash: String,
    /// The algorithm of the audit chain, the seals and `content_hash` (`sha256` or `sm3`).
    pub seal_algorithm: jili_store::SealAlgorithm,
}

impl App {
    /// Count what is stored and verify the audit chain.
    /// For the office and the auditor: it re-hashes every record.
    pub async fn status(&self) -> Result<Status> {
        self.allow(crate::Action::Audit)?;
        let s = &self.store;
        let batches = s.batches().await?;
        Ok(Status {
            departments: s.departments().await?.len(),
            units: s.units().await?.len(),
            series: s.series().await?.len(),
            programmes: s.programme_years().await?,
            demo_batches: batches.iter().filter(|b| b.demo).count(),
            batches: batches.len(),
            observations: s.observations().await?.len(),
            audit_events: s.audit_events().await?.len(),
            audit_chain_ok: s.verify_audit().await?.is_intact(),
            content_hash: self.content_hash().await?,
            seal_algorithm: s.seal_algorithm().await?,
        })
    }
}

impl App {
    /// Whether the database holds demo data (so that pages and tables can say 演示数据).
    pub async fn has_demo_data(&self) -> Result<bool> {
        Ok(self.store.batches().await?.iter().any(|b| b.demo))
    }
}
