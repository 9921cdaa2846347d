//! Importing a batch of observations: the one function demo and real data both go through.

use crate::App;
use crate::error::{AppError, Result};
use jili_model::{Batch, Catalogue};
use jili_store::ImportSummary;
use std::collections::BTreeSet;

impl App {
    /// Check a batch against the catalogue and store it whole, or not at all.
    ///
    /// Rejected when: the provider is not a providing department; a series is unknown or owned
    /// by another department (无扰评价: each department sends only its own data); a unit is
    /// unknown; the same (series, unit, period) appears twice.
    pub async fn import_batch(&self, batch: &Batch) -> Result<ImportSummary> {
        self.allow(crate::Action::Import { owner: &batch.provider })?;
        let catalogue = self.catalogue().await?;
        check_batch(batch, &catalogue)?;
        Ok(self.store.import_batch(&self.actor(), batch).await?)
    }
}

fn check_batch(batch: &Batch, catalogue: &Catalogue) -> Result<()> {
    let source = &batch.source;
    match catalogue.department(&batch.provider) {
        Some(d) if d.provider => {}
        _ => return Err(AppError::Invalid(format!("{source}：提供单位“{}”不是数据提供部门", batch.provider))),
    }
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    for (i, o) in batch.observations.iter().enumerate() {
        let at = format!("{source} 第 {} 条", i + 1);
        match catalogue.series(&o.series) {
            None => problems.push(format!("{at}：数据项“{}”不在目录中", o.series)),
            Some(s) if s.owner != batch.provider => {
                problems.push(format!("{at}：数据项 {} 属于 {}，不能由 {} 提供", s.code, s.owner, batch.provider));
            }
            Some(_) => {}
        }
        if catalogue.unit(&o.unit).is_none() {
            problems.push(format!("{at}：单位代码“{}”不存在", o.unit));
        }
        if !seen.insert((&o.series, &o.unit, o.period)) {
            problems.push(format!("{at}：{} / {} / {} 重复出现", o.series, o.unit, o.period));
        }
        if problems.len() >= 20 {
            problems.push("……（仅列出前 20 处）".into());
            break;
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(AppError::Invalid(problems.join("\n"))) }
}
