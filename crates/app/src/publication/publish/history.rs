//! One measure across the versions of a year's publication: when its result was first
//! published and in which versions it changed, so a reader of a correction can tell whether
//! this measure's winners are among what was corrected.

use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use serde::Serialize;

/// One publication version as it concerns one measure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureRelease {
    pub version: i64,
    pub published_at: String,
    /// Why the version was published (首次发布, or the correction's reason).
    pub reason: String,
    /// The run and plan version published for the measure; `None` when it was left out.
    pub run: Option<i64>,
    pub plan_version: Option<i64>,
    /// 首次发布 / 结果更正 / 未变 / 未发布.
    pub change: &'static str,
}

impl App {
    /// Every version of the year's publication, oldest first, as it concerns one measure.
    pub async fn measure_releases(&self, year: i32, measure: u32) -> Result<Vec<MeasureRelease>> {
        self.allow(Action::ReadPublished)?;
        let mut out = Vec::new();
        let mut previous: Option<(String, Vec<String>)> = None;
        for p in self.store.publications(year).await? {
            let body = super::publication_body(&p.body)
                .map_err(|e| AppError::Invalid(format!("{year}年第 {} 版发布内容无法读取：{e}", p.version)))?;
            let pm = body.measures.iter().find(|m| m.measure == measure);
            let now = pm.map(|m| {
                let overrides = m.overrides.iter().map(|o| format!("{}:{}:{}", o.unit, o.outcome, o.at)).collect();
                (m.result_sha256.clone(), overrides)
            });
            let change = match (&previous, &now) {
                (_, None) => "未发布",
                (None, Some(_)) => "首次发布",
                (Some(before), Some(after)) if before == after => "未变",
                (Some(_), Some(_)) => "结果更正",
            };
            out.push(MeasureRelease {
                version: p.version,
                published_at: p.published_at,
                reason: p.reason,
                run: pm.map(|m| m.run),
                plan_version: pm.map(|m| m.plan_version),
                change,
            });
            if now.is_some() {
                previous = now;
            }
        }
        Ok(out)
    }
}
