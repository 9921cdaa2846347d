//! The audit log for 纪检监察: verify the chain and every record against it, and export the
//! log as XLSX or CSV.

use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use crate::publication::publish::PublicationBody;
use jili_model::spreadsheet::safe_cell;
use jili_store::{AuditEvent, AuditProblem, AuditReport};
use rust_xlsxwriter::{Format, Workbook};

/// The columns of an exported log, in Chinese.
const HEADERS: [&str; 9] =
    ["序号", "时间（UTC）", "操作人", "动作", "对象", "说明", "记录摘要", "前一哈希", "本事件哈希"];

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
        let events = self.audit_events().await?;
        let mut out = Vec::from("\u{feff}".as_bytes());
        {
            let mut w = csv::Writer::from_writer(&mut out);
            let bad = |e: csv::Error| AppError::Invalid(format!("审计日志无法写成 CSV：{e}"));
            w.write_record(HEADERS).map_err(bad)?;
            for e in &events {
                w.write_record(row(e).iter().map(|c| safe_cell(c).into_owned())).map_err(bad)?;
            }
            w.flush().map_err(|e| AppError::Invalid(format!("审计日志无法写成 CSV：{e}")))?;
        }
        Ok(out)
    }

    /// The log as an XLSX workbook: the events, and the result of verification.
    pub async fn audit_xlsx(&self) -> Result<Vec<u8>> {
        self.allow(Action::Audit)?;
        self.heavy(crate::Work::Export, |app| async move { app.audit_xlsx_here().await }).await
    }

    async fn audit_xlsx_here(&self) -> Result<Vec<u8>> {
        let events = self.audit_events().await?;
        let report = self.verify_audit(None).await?;
        let bad = |e: rust_xlsxwriter::XlsxError| AppError::Invalid(format!("审计日志无法写成 XLSX：{e}"));
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = book.add_worksheet().set_name("审计日志").map_err(bad)?;
        for (c, h) in HEADERS.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(bad)?;
        }
        for (r, e) in events.iter().enumerate() {
            for (c, v) in row(e).iter().enumerate() {
                sheet.write_string(r as u32 + 1, c as u16, safe_cell(v)).map_err(bad)?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(bad)?;
        for (c, w) in [6, 21, 18, 16, 24, 60, 20, 20, 20].iter().enumerate() {
            sheet.set_column_width(c as u16, *w).map_err(bad)?;
        }
        let check = book.add_worksheet().set_name("核验结果").map_err(bad)?;
        let verdict = if report.is_intact() {
            format!("完整：{} 个事件的哈希链与 {} 个记录均与日志相符", report.events, report.objects)
        } else {
            format!("发现 {} 处问题", report.problems.len())
        };
        check.write_string_with_format(0, 0, &verdict, &bold).map_err(bad)?;
        for (c, h) in ["事件序号", "对象", "问题"].iter().enumerate() {
            check.write_string_with_format(2, c as u16, *h, &bold).map_err(bad)?;
        }
        for (r, p) in report.problems.iter().enumerate() {
            let r = r as u32 + 3;
            check.write_string(r, 0, p.seq.map(|s| s.to_string()).unwrap_or_default()).map_err(bad)?;
            check.write_string(r, 1, safe_cell(&p.object)).map_err(bad)?;
            check.write_string(r, 2, safe_cell(&p.what)).map_err(bad)?;
        }
        check.set_column_width(1, 24).map_err(bad)?;
        check.set_column_width(2, 100).map_err(bad)?;
        book.save_to_buffer().map_err(bad)
    }
}

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
