//! Dry runs in the access log: who checked which file (its name and sha256), from where, and
//! what the check found. A check stores nothing, so the audit log does not hear of it; the
//! access log shows who looked at what before importing (or instead of it).

use super::upload_sha256;
use super::{ImportOutcome, ImportRequest, Severity};
use crate::App;
use crate::error::{AppError, Result};
use crate::governance::access_log::{AccessEvent, AccessOutcome, Entry};

impl App {
    /// Record a dry run of `request` that ended as `result`. A refusal for lack of permission is
    /// not recorded here: the front end that shows it records the refusal.
    pub(super) async fn record_dry_run(&self, request: &ImportRequest, result: &Result<ImportOutcome>) -> Result<()> {
        let sha = upload_sha256(&request.bytes);
        let (outcome, found) = match result {
            Err(AppError::Denied(_)) => return Ok(()),
            Err(e) => (AccessOutcome::Failed, e.to_string()),
            Ok(o) => {
                let counts = format!(
                    "错误 {}，疑点 {}，提示 {}；数值 {}",
                    o.count(Severity::Error),
                    o.count(Severity::Flag),
                    o.count(Severity::Notice),
                    o.values
                );
                // Crossings the provider was not shown: the office reads them here.
                let crossings = if o.withheld.is_empty() {
                    String::new()
                } else {
                    let shown: Vec<&str> = o.withheld.iter().take(20).map(String::as_str).collect();
                    format!("；越线疑点 {} 处（未向提交方显示）：{}", o.withheld.len(), shown.join("；"))
                };
                (if o.rejected() { AccessOutcome::Rejected } else { AccessOutcome::Ok }, counts + &crossings)
            }
        };
        let detail = format!("{}；{} 字节，sha256 {sha}；{found}", request.provider, request.bytes.len());
        // The file's name as a label, as the import itself keeps it.
        let label = crate::limits::file_label(&request.file, &self.limits().await?);
        let entry = Entry { event: AccessEvent::DryRun, target: &label, outcome, detail: &detail };
        self.record(entry).await
    }
}
