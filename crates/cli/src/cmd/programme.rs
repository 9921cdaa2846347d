//! `jili programme show [YEAR]`: the programme's measures.

use crate::table;
use jili_app::App;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// 显示年度激励方案及其措施 / show a year's programme.
    Show {
        /// 年度（默认最新）/ year (default: the newest).
        year: Option<i32>,
        /// 显示每条措施的原文 / print each measure's full text.
        #[arg(long)]
        full: bool,
        /// 以 JSON 输出 / print as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    let Command::Show { year, full, json } = command;
    let p = app.programme(year).await?;
    if json {
        return super::print_json(&p);
    }
    println!("{}年 {}", p.year, p.title);
    println!("{}  {}  {}", p.doc_no, p.issuer, p.date);
    println!("牵头单位 {} 个：{}", p.leads.len(), p.leads.join("、"));
    println!();
    let plans = app.plans(p.year).await?;
    let rows: Vec<Vec<String>> = p
        .measures
        .iter()
        .map(|m| {
            let levels: Vec<&str> = m.levels.iter().map(|l| l.as_str()).collect();
            let plan = plans.iter().find(|s| s.measure == i64::from(m.no)).map_or("无".to_string(), |s| {
                format!("v{} {}{}", s.version, status_label(&s.status), if s.example { "（示例）" } else { "" })
            });
            vec![m.no.to_string(), m.short.clone(), m.lead.clone(), levels.join("、"), m.channel.clone(), plan]
        })
        .collect();
    table::print(&["序号", "措施", "牵头单位", "激励对象", "奖励渠道", "实施方案"], &rows);
    if full {
        println!();
        for m in &p.measures {
            println!("{}、{}（牵头单位：{}）", m.no, m.text, m.lead);
        }
    }
    if let Some(c) = &p.commendation {
        println!();
        println!("{}：{}", c.kind, c.text);
    }
    println!();
    println!("来源：{}", p.source);
    Ok(())
}

/// The Chinese word for a plan status.
pub use jili_app::status_label;
