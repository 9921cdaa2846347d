//! A hash over the stored content, so two builds can be compared. It covers reference data,
//! programmes, plans, observations with their batches' identity and evaluation runs (inputs and result
//! hashes) — not the times things happened (import and run times, the audit chain differ by design).

use crate::App;
use crate::error::Result;

impl App {
    /// The database's seal algorithm (SHA-256 or SM3, see [`jili_store::SealAlgorithm`]) over a
    /// canonical dump of the stored content, hex. Wherever it is shown, the algorithm is named
    /// beside it ([`App::seal_algorithm`]).
    pub async fn content_hash(&self) -> Result<String> {
        let s = &self.store;
        let mut h = s.seal_algorithm().await?.hasher();
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
        Ok(h.finish_hex())
    }

    /// The hash of this database's audit chain, seals and content hash, chosen when it was
    /// created.
    pub async fn seal_algorithm(&self) -> Result<jili_store::SealAlgorithm> {
        Ok(self.store.seal_algorithm().await?)
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
