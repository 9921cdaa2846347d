//! A provider's view of its own data: its batches, the anomaly flags found in them, and notes
//! explaining a flagged value (a real jump has a reason; the note is kept with the flag and
//! recorded in the audit log).

use crate::App;
use crate::access::{Action, Role};
use crate::error::{AppError, Result};
use jili_store::{FlagNote, StoredBatch, StoredFlag};

impl App {
    /// The batches of one provider (a department code): its own, for a provider; any, for
    /// those who read all data.
    pub async fn batches_of(&self, provider: &str) -> Result<Vec<StoredBatch>> {
        self.allow_provider(provider)?;
        Ok(self.store.batches().await?.into_iter().filter(|b| b.provider == provider).collect())
    }

    /// The anomaly flags of one provider's batches, each with its notes.
    pub async fn flags_of(&self, provider: &str) -> Result<Vec<(StoredFlag, Vec<FlagNote>)>> {
        let batches: Vec<i64> = self.batches_of(provider).await?.iter().map(|b| b.id).collect();
        let notes = self.store.flag_notes().await?;
        // Cut-off crossings are the office's and the auditor's (see `intake::cutoff`), and so
        // are cross-source flags, which quote another department's figures (`recheck`).
        let everything = crate::access::allows(self.principal(), &Action::ReadResults);
        let flags = self.store.flags(None).await?.into_iter().filter(|f| {
            batches.contains(&f.batch_id) && (everything || (f.code != "crosses-cutoff" && !f.office_only))
        });
        Ok(flags
            .map(|f| {
                let mine = notes.iter().filter(|n| n.flag_id == f.id).cloned().collect();
                (f, mine)
            })
            .collect())
    }

    /// Explain an anomaly flag. Only the provider whose batch raised it (or the office) may.
    pub async fn annotate_flag(&self, flag_id: i64, note: &str) -> Result<i64> {
        let note = note.trim();
        crate::limits::check_text("说明", note, &self.limits().await?)?;
        if note.is_empty() {
            return Err(AppError::Invalid(
                "说明不能为空：请写明该数值变化的原因（如统计口径调整、重大项目投产）".into(),
            ));
        }
        let flag = self.store.flags(None).await?.into_iter().find(|f| f.id == flag_id);
        let Some(flag) = flag else {
            return Err(AppError::NotFound(format!("没有编号为 {flag_id} 的异常提示")));
        };
        let batch = self.store.batches().await?.into_iter().find(|b| b.id == flag.batch_id);
        let owner = batch.map(|b| b.provider).unwrap_or_default();
        self.allow(Action::Import { owner: &owner })?;
        Ok(self.store.add_flag_note(&self.actor(), flag_id, note).await?)
    }

    fn allow_provider(&self, provider: &str) -> Result<()> {
        match &self.principal().role {
            Role::Provider(_) => self.allow(Action::Import { owner: provider }),
            _ => self.allow(Action::ReadData),
        }
    }
}
