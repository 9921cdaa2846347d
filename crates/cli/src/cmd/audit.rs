//! `jili audit verify|log|export`: the audit log for 纪检监察.

use crate::table;
use jili_app::App;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// 核验哈希链并重新计算各记录的摘要：发现绕过系统的改动 / verify the chain and every record.
    Verify {
        /// 上次核验记下的链尾“序号:哈希”，核对日志末尾未被删除 / an earlier head, SEQ:HASH.
        #[arg(long)]
        head: Option<String>,
        /// 以 JSON 输出 / print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// 列出审计事件（最新的在后）/ list the events.
    Log {
        /// 只列最后 N 条 / only the last N.
        #[arg(long)]
        last: Option<usize>,
    },
    /// 导出审计日志：.xlsx（含核验结果）或 .csv / export the log.
    Export {
        /// 导出文件（.xlsx 或 .csv）/ the file to write.
        file: PathBuf,
    },
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Verify { head, json } => {
            let head = match &head {
                Some(h) => {
                    let (seq, hash) =
                        h.split_once(':').ok_or_else(|| anyhow::anyhow!("--head 应写成 序号:哈希，如 162:3fa…"))?;
                    let seq: i64 = seq.trim().parse().map_err(|_| anyhow::anyhow!("--head 的序号“{seq}”不是数字"))?;
                    Some((seq, hash.trim()))
                }
                None => None,
            };
            let report = app.verify_audit(head).await?;
            if json {
                super::print_json(&report)?;
            } else if report.is_intact() {
                println!(
                    "审计核验通过：{} 个事件的哈希链完整，{} 个记录与其最后一次登记的摘要一致",
                    report.events, report.objects
                );
                if let Some((seq, hash)) = &report.head {
                    println!("链尾：{seq}:{hash}");
                    println!("（请记下链尾；下次用 jili audit verify --head {seq}:{hash} 可核对日志末尾没有被删除）");
                }
            } else {
                println!("审计核验发现 {} 处问题：", report.problems.len());
                for p in &report.problems {
                    let seq = p.seq.map(|s| format!("（事件 #{s}）")).unwrap_or_default();
                    println!("  {}{seq}：{}", p.object, p.what);
                }
            }
            if !report.is_intact() {
                anyhow::bail!("审计核验未通过：数据库在本系统之外被改动过，请保留现场并报告纪检监察");
            }
        }
        Command::Log { last } => {
            let events = app.audit_events().await?;
            let skip = last.map_or(0, |n| events.len().saturating_sub(n));
            let rows: Vec<Vec<String>> = events
                .iter()
                .skip(skip)
                .map(|e| {
                    let detail: String = e.detail.chars().take(60).collect();
                    vec![e.seq.to_string(), e.at.clone(), e.actor.clone(), e.action.clone(), e.subject.clone(), detail]
                })
                .collect();
            table::print(&["序号", "时间", "操作人", "动作", "对象", "说明"], &rows);
        }
        Command::Export { file } => {
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            let bytes = match ext.as_str() {
                "xlsx" => app.audit_xlsx().await?,
                "csv" => app.audit_csv().await?,
                _ => anyhow::bail!("导出文件“{}”应以 .xlsx 或 .csv 结尾", file.display()),
            };
            std::fs::write(&file, bytes).map_err(|e| anyhow::anyhow!("无法写入 {}：{e}", file.display()))?;
            println!("已导出审计日志：{}", file.display());
        }
    }
    Ok(())
}
