//! `jili programme show|diff|check|import`: the programme's measures and rules; checking and
//! importing a year's programme file.

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
    /// 检查一个年度激励方案文件并显示摘要（不保存）/ check a programme file; nothing is stored.
    Check {
        /// 激励方案文件（TOML，格式见 docs/programme-format.md）/ the programme file.
        file: std::path::PathBuf,
    },
    /// 载入一个年度的激励方案（省政府办公厅）/ store a year's programme (office only).
    Import {
        /// 激励方案文件（TOML）/ the programme file.
        file: std::path::PathBuf,
        /// 替换该年度已有的激励方案（该年度尚无实施方案时）/ replace the year's programme (no plans yet).
        #[arg(long)]
        replace: bool,
    },
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    let (year, full, json) = match command {
        Command::Show { year, full, json } => (year, full, json),
        Command::Diff { from, to, json } => return diff(app, from, to, json).await,
        Command::Check { file } => {
            let text = super::read_plan_file(app, &file).await?;
            let (p, exists) = app.check_programme(&file.display().to_string(), &text).await?;
            println!("激励方案检查通过：{}年 {}（{}）；未保存", p.year, p.title, p.doc_no);
            summary(&p);
            if exists {
                println!("注意：数据库中已有{}年的激励方案，载入时须加 --replace", p.year);
            }
            return Ok(());
        }
        Command::Import { file, replace } => {
            let text = super::read_plan_file(app, &file).await?;
            let done = app.import_programme(&file.display().to_string(), &text, replace).await?;
            let p = &done.programme;
            let verb = if done.replaced { "已替换" } else { "已载入" };
            println!("{verb}{}年激励方案：{}（{}）", p.year, p.title, p.doc_no);
            summary(p);
            println!(
                "下一步：各牵头单位按措施编写{}年实施方案（jili plan draft 方案文件），格式见 docs/plan-format.md",
                p.year
            );
            return Ok(());
        }
    };
    let p = app.programme(year).await?;
    if json {
        return super::print_json(&p);
    }
    println!("{}年 {}", p.year, p.title);
    println!("{}  {}  {}", p.doc_no, p.issuer, p.date);
    println!("牵头单位 {} 个：{}", p.leads.len(), p.leads.join("、"));
    rules(&p.rules);
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

/// The counts and rules of a programme, for `check` and `import`.
fn summary(p: &jili_model::Programme) {
    println!("措施 {} 条，牵头单位 {} 个：{}", p.measures.len(), p.leads.len(), p.leads.join("、"));
    rules(&p.rules);
}

/// The programme-wide rules, one line each.
fn rules(r: &jili_model::Rules) {
    println!("奖励渠道 {} 个：{}", r.channels.len(), r.channels.join(" / "));
    if !r.kinds.is_empty() {
        let kinds: Vec<String> = r
            .kinds
            .iter()
            .map(|k| {
                let of = if k.unit_kinds.is_empty() { "全部".to_string() } else { k.unit_kinds.join("、") };
                format!("{}（{}：{of}）", k.name, k.level)
            })
            .collect();
        println!("单位类别：{}", kinds.join("；"));
    }
    if !r.park_classes.is_empty() {
        println!("园区类别：{}", r.park_classes.join("、"));
    }
    if !r.commendation_sources.is_empty() {
        println!("通报表扬依据：{}", r.commendation_sources.join("、"));
    }
    let limits = match (r.indicators.min, r.indicators.max) {
        (None, None) => "不限（至少 1 个）".to_string(),
        (min, max) => format!(
            "{}–{} 个",
            min.map_or("1".to_string(), |n| n.to_string()),
            max.map_or("不限".to_string(), |n| n.to_string())
        ),
    };
    println!("实施方案指标个数：{limits}");
    for v in &r.vetoes {
        println!("全省统一否决：{}（{}；依据：{}）", v.reason, v.series, v.basis);
    }
    if let Some(cap) = r.cap {
        let parts: Vec<String> = [cap.awards.map(|n| format!("{n} 项")), cap.amount_wan.map(|n| format!("{n} 万元"))]
            .into_iter()
            .flatten()
            .collect();
        println!("每个单位每年获奖上限：{}", parts.join("，"));
    }
}
