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
    /// 比较两个年度的激励方案：措施的延续、合并、拆分、新增、取消，牵头单位和奖励渠道的调整 / compare two years.
    Diff {
        /// 较早的年度 / the earlier year.
        from: i32,
        /// 较晚的年度 / the later year.
        to: i32,
        /// 以 JSON 输出 / print as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    let (year, full, json) = match command {
        Command::Show { year, full, json } => (year, full, json),
        Command::Diff { from, to, json } => return diff(app, from, to, json).await,
    };
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
                format!("v{} {}{}", s.version, s.status.label(), if s.example { "（示例）" } else { "" })
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

/// `jili programme diff A B`.
async fn diff(app: &App, from: i32, to: i32, json: bool) -> anyhow::Result<()> {
    let d = app.programme_diff(from, to).await?;
    if json {
        return super::print_json(&d);
    }
    println!(
        "{from}年 → {to}年：激励项目 {} 项 → {} 项，牵头单位 {} 个 → {} 个",
        d.measures.0, d.measures.1, d.leads.0, d.leads.1
    );
    for (year, complete) in [(from, d.complete.0), (to, d.complete.1)] {
        if !complete {
            println!("注意：{year}年方案只掌握部分措施的原文（项数和牵头单位数为通知所报），未列出的措施无法逐条对应");
        }
    }
    let rows: Vec<Vec<String>> = d
        .changes
        .iter()
        .map(|c| {
            let nums = |v: &[u32]| v.iter().map(|n| format!("第{n}条")).collect::<Vec<_>>().join("、");
            vec![c.kind.to_string(), nums(&c.from), nums(&c.to), c.text.clone()]
        })
        .collect();
    table::print(&["变化", &format!("{from}年"), &format!("{to}年"), "说明"], &rows);
    Ok(())
}
