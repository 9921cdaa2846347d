//! A hash over the stored content, so two builds can be compared. It covers reference data,
//! programmes, plans, observations with their batches' identity and evaluation runs (inputs and result
//! hashes) — not the times things happened (import and run times, the audit chain differ by design).

use crate::App;
use crate::error::Result;
use sha2::{Digest, Sha256};

impl App {
    /// SHA-256 over a canonical dump of the stored content, hex.
    pub async fn content_hash(&self) -> Result<String> {
        let s = &self.store;
        let mut h = Sha256::new();
        let mut put = |label: &str, json: String| {
            h.update(label.as_bytes());
            h.update([0]);
            h.update(json.as_bytes());
            h.update([0]);
        };
        put("departments", json(&s.departments().await?));
        put("units", json(&s.units().await?));
        put("series", json(&s.series().await?));
        for year in s.programme_years().await? {
            put("programme", json(&s.programme(year).await?));
            for p in s.plans(year).await? {
                put(
                    "plan",
                    format!("{}/{}/{}/{}/{}/{}", p.year, p.measure, p.version, p.status, p.source_name, p.sha256),
                );
            }
        }
        for b in s.batches().await? {
            put("batch", format!("{}/{}/{}/{}/{}/{}", b.id, b.provider, b.source, b.demo, b.rows, b.sha256));
        }
        for o in s.observations().await? {
            let x = &o.observation;
            put(
                "obs",
                format!(
                    "{}/{}/{}/{}/{}/{}/{}",
                    x.series,
                    x.unit,
                    x.period,
                    x.value,
                    x.status.as_str(),
                    o.revision,
                    o.batch_id
                ),
            );
        }
        for r in s.runs().await? {
            put(
                "run",
                format!(
                    "{}/{}/{}/{}/{}/{}/{}/{}",
                    r.year, r.measure, r.plan_version, r.plan_sha256, r.data_sha256, r.seed, r.samples, r.result_sha256
                ),
            );
        }
        Ok(jili_store::hex(&h.finalize()))
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
