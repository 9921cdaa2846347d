//! Reproducing a stored run: the plan version by its hash, the data as of the run's last batch,
//! the same seed and samples — and the result compared byte for byte.

use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use crate::runs::run::{RunRequest, evaluate};
use sha2::{Digest, Sha256};

/// What reproducing a run found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reproduction {
    pub run: i64,
    /// The stored plan version still hashes to what the run recorded.
    pub plan_matches: bool,
    /// The data as of the run's batch hash to what the run recorded.
    pub data_matches: bool,
    /// The engine version of the run, and of this build.
    pub engine_then: String,
    pub engine_now: String,
    pub result_sha256: String,
    /// The stored result still hashes to what the run recorded when it was made.
    pub stored_intact: bool,
    /// The recomputed result equals the stored one, byte for byte.
    pub identical: bool,
}

impl Reproduction {
    /// Reproduced: the same plan, the same data, the stored result untouched and equal to
    /// the recomputed one.
    pub fn reproduced(&self) -> bool {
        self.plan_matches && self.data_matches && self.stored_intact && self.identical
    }
}

impl App {
    /// Recompute run `id` from its recorded inputs and compare the result with the stored one.
    /// Nothing is stored.
    pub async fn reproduce(&self, id: i64) -> Result<Reproduction> {
        self.allow(Action::Audit)?;
        let run =
            self.store.run(id).await?.ok_or_else(|| {
                AppError::NotFound(format!("没有运行 {id}：运行号见 jili audit log 中动作为 run 的事件"))
            })?;
        let measure = u32::try_from(run.measure).map_err(|_| AppError::Invalid(format!("运行 {id} 的措施编号无效")))?;
        let view = self.plan_version(run.year, measure, Some(run.plan_version)).await?;
        let data = self.snapshot(view.plan.header.period, &view.plan.series_read(), run.data_batch).await?;
        let request = RunRequest {
            year: Some(run.year),
            samples: Some(u32::try_from(run.samples).unwrap_or(0)),
            // Stored as the seed's two's-complement bit pattern.
            seed: run.seed as u64,
            as_of: run.data_batch,
        };
        let result = evaluate(&view.plan, &data.snapshot, &request)?;
        // A run stored before results carried their format version is compared in its own form.
        let json = if run.result.starts_with(r#"{"schema":"#) {
            crate::document::to_text(&result)
        } else {
            serde_json::to_string(&result)
        }
        .map_err(|e| AppError::Invalid(format!("结果无法序列化：{e}")))?;
        Ok(Reproduction {
            run: id,
            plan_matches: view.stored.sha256 == run.plan_sha256,
            data_matches: data.sha256_for(&view.plan) == run.data_sha256,
            engine_then: run.engine,
            engine_now: jili_engine::VERSION.to_string(),
            result_sha256: jili_store::hex(&Sha256::digest(json.as_bytes())),
            stored_intact: jili_store::hex(&Sha256::digest(run.result.as_bytes())) == run.result_sha256,
            identical: json == run.result,
        })
    }
}
