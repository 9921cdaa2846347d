//! `jili audit verify|log|export|access`: the audit log for 纪检监察, and the access log
//! (logins, refusals, password changes, dry runs) beside it.

use crate::table;
use jili_app::App;
use jili_app::governance::access_export::AccessFilter;
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
    /// 访问日志：登录（含失败原因）、退出、修改与重置密码、被拒绝的操作、只校验的导入；可检索、导出 / the access log.
    Access(AccessArgs),
}

/// `jili audit access`: search the access log (newest first), or export what the search finds.
#[derive(Debug, clap::Args)]
pub struct AccessArgs {
    /// 用户名（或登录失败时输入的名字），完全一致 / the user, exactly.
    #[arg(long, default_value = "", hide_default_value = true)]
    user: String,
    /// 事件：login、logout、logout_all、password_change、password_reset、refused、dry_run / the event.
    #[arg(long, default_value = "", hide_default_value = true)]
    event: String,
    /// 结果：ok、unknown_user、wrong_password、disabled、too_many_attempts、denied、csrf、rejected、failed / the outcome.
    #[arg(long, default_value = "", hide_default_value = true)]
    outcome: String,
    /// 客户端地址或其开头（如 10.0.）/ the client address, or its start.
    #[arg(long, default_value = "", hide_default_value = true)]
    client: String,
    /// 起始日期（北京时间，如 2024-05-01）/ the first day, Beijing time.
    #[arg(long, default_value = "", hide_default_value = true)]
    from: String,
    /// 截止日期（含当天）/ the last day, included.
    #[arg(long, default_value = "", hide_default_value = true)]
    to: String,
    /// 第几页（每页 --per-page 条，最新的在前）/ the page.
    #[arg(long, default_value_t = 1)]
    page: usize,
    /// 每页条数（最多 500）/ rows per page (at most 500).
    #[arg(long, default_value_t = 50)]
    per_page: usize,
    /// 导出为 CSV（UTF-8 带 BOM），按时间先后，一次最多 10 万条 / export as CSV.
    #[arg(long, conflicts_with = "xlsx")]
    csv: Option<PathBuf>,
    /// 导出为 XLSX / export as XLSX.
    #[arg(long)]
    xlsx: Option<PathBuf>,
    /// 以 JSON 输出这一页 / print the page as JSON.
    #[arg(long)]
    json: bool,
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
                    "审计核验通过：{} 个事件的哈希链完整，{} 个记录与其最后一次登记的摘要一致（摘要算法 {}）",
                    report.events, report.objects, report.algorithm
                );
                if let Some((seq, hash)) = &report.head {
                    println!("链尾：{seq}:{hash}");
                    println!("（请记下链尾；下次用 jili audit verify --head {seq}:{hash} 可核对日志末尾没有被删除）");
                }
            } else {
                println!("审计核验发现 {} 处问题（摘要算法 {}）：", report.problems.len(), report.algorithm);
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
        Command::Access(args) => access(app, args).await?,
    }
    Ok(())
}

async fn access(app: &App, a: AccessArgs) -> anyhow::Result<()> {
    let filter = AccessFilter {
        user: a.user,
        event: a.event,
        outcome: a.outcome,
        client: a.client,
        from: a.from,
        to: a.to,
        page: a.page,
        per_page: a.per_page,
    };
    let export = |file: &PathBuf, bytes: Vec<u8>| -> anyhow::Result<()> {
        std::fs::write(file, bytes).map_err(|e| anyhow::anyhow!("无法写入 {}：{e}", file.display()))?;
        println!("已导出访问日志：{}", file.display());
        Ok(())
    };
    if let Some(file) = &a.csv {
        return export(file, app.access_csv(&filter).await?);
    }
    if let Some(file) = &a.xlsx {
        return export(file, app.access_xlsx(&filter).await?);
    }
    let page = app.search_access(&filter).await?;
    if a.json {
        return super::print_json(&page);
    }
    if page.entries.is_empty() {
        println!("没有符合条件的访问日志");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = page
        .entries
        .iter()
        .map(|r| {
            let e = &r.entry;
            let detail: String = e.detail.chars().take(40).collect();
            let role = if e.scope.is_empty() { r.role_label.clone() } else { format!("{} {}", r.role_label, e.scope) };
            vec![
                r.beijing.clone(),
                e.user_name.clone(),
                role,
                e.client.clone(),
                r.event_label.clone(),
                e.target.clone(),
                r.outcome_label.clone(),
                detail,
            ]
        })
        .collect();
    table::print(&["时间（北京）", "用户", "角色", "客户端", "事件", "对象", "结果", "说明"], &rows);
    println!(
        "共 {} 条，第 {}/{} 页（最新的在前；--page 翻页，--csv/--xlsx 导出）",
        page.matching, page.page, page.pages
    );
    Ok(())
}
