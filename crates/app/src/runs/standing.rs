//! A unit's own results in every published measure, with the explanation a county that did
//! not win asks for: its score and place, its gap to the cut-off, and which indicators raised
//! or lowered it. Read only; the unit's own login, the office and the auditor may read it.

use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use crate::runs::explained::{Correction, Explained};
use serde::Serialize;

/// One measure's result for one unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub measure: u32,
    pub title: String,
    pub run: i64,
    #[serde(flatten)]
    pub result: Explained,
}

impl App {
    /// The unit's results in every measure of the newest publication of `year`.
    pub async fn standing(&self, unit: &str, year: Option<i32>) -> Result<Vec<Standing>> {
        self.allow(Action::ReadUnitResults { unit })?;
        let Some(publication) = self.published(year).await? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for m in &publication.body.measures {
            let run = self.store.run(m.run).await?.ok_or_else(|| {
                AppError::NotFound(format!("发布所引用的运行 {} 不存在：请用 jili audit verify 核验数据库", m.run))
            })?;
            let result = crate::runs::parsed::run_result(&run)?;
            let Some(u) = result.units.iter().find(|u| u.code == unit) else {
                continue;
            };
            let correction = m
                .overrides
                .iter()
                .rev()
                .find(|o| o.unit == unit)
                .map(|o| Correction { winner: o.outcome == "winner", reason: &o.reason });
            out.push(Standing {
                measure: result.measure,
                title: result.title.clone(),
                run: run.id,
                result: Explained::of(&result, u, correction),
            });
        }
        Ok(out)
    }
}
