//! The audit log for 纪检监察: verify the chain and every record against it, and export the
//! log as XLSX or CSV (written by `jili_report::logs`).

use crate::App;
use crate::access::Action;
use crate::error::Result;
use crate::publication::publish::PublicationBody;
use jili_report::logs;
use jili_store::{AuditEvent, AuditProblem, AuditReport};

impl App {
    /// The audit log, oldest first.
    pub async fn audit_events(&self) -> Result<Vec<AuditEvent>> {
        self.allow(Action::Audit)?;
        Ok(self.store.audit_events().await?)
    }

    /// Recompute the chain and re-hash every record against its last seal; then check that the
    /// log still holds the chain head each publication recorded, and `head` (an earlier
    /// verification's head) when given — events cut from the end of the log show there.
    /// Heavy work (see [`crate::workers`]).
    pub async fn verify_audit(&self, head: Option<(i64, &str)>) -> Result<AuditReport> {
        self.allow(Action::Audit)?;
        let head = head.map(|(seq, hash)| (seq, hash.to_string()));
        self.heavy(crate::Work::Verify, move |app| async move {
            app.verify_here(head.as_ref().map(|(s, h)| (*s, h.as_str()))).await
        })
        .await
    }

    async fn verify_here(&self, head: Option<(i64, &str)>) -> Result<AuditReport> {
        let mut report = self.store.verify_audit().await?;
        let events = self.store.audit_events().await?;
        let holds = |seq: i64, hash: &str| events.iter().any(|e| e.seq == seq && e.hash == hash);
        for year in self.store.programme_years().await? {
            for p in self.store.publications(year).await? {
                let Ok(body) = crate::document::from_text::<PublicationBody>(&p.body) else { continue };
                let (seq, hash) = &body.audit_head;
                if !holds(*seq, hash) {
                    report.problems.push(AuditProblem {
                        seq: Some(*seq),
                        object: format!("publication/{year}/v{}", p.version),
                        what: format!("发布时的审计链尾（事件 #{seq}）已不在日志中：其后的事件被删除或改动"),
                    });
                }
            }
        }
        report.problems.extend(self.release_head_problems(&holds).await?);
        if let Some((seq, hash)) = head
            && !holds(seq, hash)
        {
            report.problems.push(AuditProblem {
                seq: Some(seq),
                object: format!("event/{seq}"),
                what: "此前记下的链尾事件已不在日志中（或哈希不同）：日志末尾的事件被删除或改写".into(),
            });
        }
        Ok(report)
    }

    /// The log as CSV (UTF-8 with a BOM, so Excel and WPS open it as Chinese).
    pub async fn audit_csv(&self) -> Result<Vec<u8>> {
        self.allow(Action::Audit)?;
        self.heavy(crate::Work::Export, |app| async move { app.audit_csv_here().await }).await
    }

    async fn audit_csv_here(&self) -> Result<Vec<u8>> {
        let rows: Vec<[String; 9]> = self.audit_events().await?.iter().map(row).collect();
        Ok(logs::audit_csv(&rows)?)
    }

    /// The log as an XLSX workbook: the events, and the result of verification.
    pub async fn audit_xlsx(&self) -> Result<Vec<u8>> {
        self.allow(Action::Audit)?;
        self.heavy(crate::Work::Export, |app| async move { app.audit_xlsx_here().await }).await
    }

    async fn audit_xlsx_here(&self) -> Result<Vec<u8>> {
        let rows: Vec<[String; 9]> = self.audit_events().await?.iter().map(row).collect();
        let report = self.verify_audit(None).await?;
        let check = logs::AuditCheck {
            events: report.events,
            objects: report.objects,
            problems: report
                .problems
                .into_iter()
                .map(|p| [p.seq.map(|s| s.to_string()).unwrap_or_default(), p.object, p.what])
                .collect(),
        };
        Ok(logs::audit_xlsx(&rows, &check)?)
    }
}

/// One event as a row of [`logs::AUDIT_HEADERS`].
fn row(e: &AuditEvent) -> [String; 9] {
    [
        e.seq.to_string(),
        e.at.clone(),
        e.actor.clone(),
        e.action.clone(),
        e.subject.clone(),
        e.detail.clone(),
        e.content_hash.clone(),
        e.prev_hash.clone(),
        e.hash.clone(),
    ]
}
