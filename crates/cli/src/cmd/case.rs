//! `jili case open|query|answer|resolve|list|show` (核查案件: a flag's way from doubt to a
//! conclusion) and `jili data watch` (the watch list: open flags ranked by what they do to the
//! results).

use crate::table;
use jili_app::App;
use jili_app::cases::watch::WatchList;
use jili_model::CaseStep;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// 立案：就一条或几条数据疑点向其数据提供部门核查 / open a case on flags.
    Open {
        /// 案件标题（一句话写明核查什么）/ the case's title.
        #[arg(long)]
        title: String,
        /// 疑点编号（可多次给出，见 jili data flags 或 jili data watch）/ a flag id (repeat for several).
        #[arg(long = "flag", required = true)]
        flags: Vec<i64>,
        /// 立案说明 / why.
        #[arg(long, default_value = "", hide_default_value = true)]
        note: String,
    },
    /// 询问数据提供部门（可多次询问）/ query the provider.
    Query {
        /// 案件编号 / the case's id.
        id: i64,
        /// 询问内容：请对方说明什么、何时前答复 / the query.
        #[arg(long)]
        text: String,
    },
    /// 登记数据提供部门的答复（数据提供部门也可在网页上答复）/ record the provider's answer.
    Answer {
        /// 案件编号 / the case's id.
        id: i64,
        /// 答复内容 / the answer.
        #[arg(long)]
        text: String,
        /// 已重新报送的更正批次号 / the batch that corrected the value.
        #[arg(long)]
        batch: Option<i64>,
    },
    /// 办结：已说明（explained）、已更正（corrected）或移送纪检监察（referred）/ resolve a case.
    Resolve {
        /// 案件编号 / the case's id.
        id: i64,
        /// 结论：explained | corrected | referred
        #[arg(long = "as", value_name = "结论")]
        resolution: String,
        /// 办结意见：结论的依据 / why.
        #[arg(long)]
        reason: String,
        /// 更正批次号（“已更正”时；缺省用答复中指明的批次）/ the correcting batch.
        #[arg(long)]
        batch: Option<i64>,
    },
    /// 列出核查案件 / list cases.
    List {
        /// 以 JSON 输出 / print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// 查看一件核查案件：疑点、数值修订记录、询问与答复、结论、移送证据 / show a case.
    Show {
        /// 案件编号 / the case's id.
        id: i64,
        /// 以 JSON 输出 / print as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Open { title, flags, note } => {
            let id = app.open_case(&title, &flags, &note).await?;
            let view = app.case(id).await?;
            println!(
                "已立案：核查案件 {id}“{}”，疑点 {} 条，询问对象 {}（已记入审计日志）",
                view.case.title,
                view.flags.len(),
                view.provider_name
            );
            println!("下一步：jili case query {id} --text \"请说明……\"");
        }
        Command::Query { id, text } => {
            let c = app.query_case(id, &text).await?;
            println!("核查案件 {id} 已询问 {}，现为“{}”", c.provider, c.status.label());
        }
        Command::Answer { id, text, batch } => {
            let c = app.answer_case(id, &text, batch).await?;
            let batch = batch.map_or_else(String::new, |b| format!("（更正批次 {b}）"));
            println!("核查案件 {id} 已登记答复{batch}，现为“{}”", c.status.label());
        }
        Command::Resolve { id, resolution, reason, batch } => {
            let Some(step) = CaseStep::resolution(&resolution) else {
                anyhow::bail!(
                    "--as “{resolution}”应为 explained（已说明）、corrected（已更正）或 referred（移送纪检监察）"
                );
            };
            let c = app.resolve_case(id, step, &reason, batch).await?;
            println!("核查案件 {id} 已办结：{}（{}，{}）", c.status.label(), c.closed_by, c.closed_at);
            if step == CaseStep::Refer {
                println!("移送证据（疑点、数值修订记录、询问与答复）已封存于本步骤，jili case show {id} 查看");
            }
        }
        Command::List { json } => list(app, json).await?,
        Command::Show { id, json } => show(app, id, json).await?,
    }
    Ok(())
}

async fn list(app: &App, json: bool) -> anyhow::Result<()> {
    let cases = app.cases().await?;
    if json {
        return super::print_json(&cases);
    }
    if cases.is_empty() {
        println!("没有核查案件（立案：jili case open --title … --flag 疑点编号）");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = cases
        .iter()
        .map(|c| {
            vec![
                c.case.id.to_string(),
                c.case.title.clone(),
                c.provider_name.clone(),
                c.case.status.label().to_string(),
                c.flags.to_string(),
                format!("{}（{}）", jili_app::clock::beijing_labelled(&c.case.opened_at), c.case.opened_by),
                c.updated_at.clone(),
            ]
        })
        .collect();
    table::print(&["编号", "标题", "数据提供部门", "状态", "疑点", "立案", "最近一步"], &rows);
    Ok(())
}

async fn show(app: &App, id: i64, json: bool) -> anyhow::Result<()> {
    let v = app.case(id).await?;
    if json {
        return super::print_json(&v);
    }
    let c = &v.case;
    println!("核查案件 {}：{}", c.id, c.title);
    println!("数据提供部门：{}（{}）  状态：{}", v.provider_name, c.provider, c.status.label());
    println!("立案：{}（{}）", c.opened_at, c.opened_by);
    if !c.closed_at.is_empty() {
        println!("办结：{}（{}）", c.closed_at, c.closed_by);
    }
    println!("\n疑点");
    let flags: Vec<Vec<String>> = v
        .flags
        .iter()
        .map(|f| {
            vec![
                f.id.to_string(),
                f.batch_id.to_string(),
                if f.series_name.is_empty() {
                    f.series.clone()
                } else {
                    format!("{}（{}）", f.series_name, f.series)
                },
                if f.unit_name.is_empty() { f.unit.clone() } else { f.unit_name.clone() },
                f.period.clone(),
                f.message.clone(),
            ]
        })
        .collect();
    table::print(&["编号", "批次", "数据项", "单位", "期别", "疑点"], &flags);
    if !v.histories.is_empty() {
        println!("\n数值修订记录");
        let mut rows = Vec::new();
        for h in &v.histories {
            for r in &h.revisions {
                rows.push(vec![
                    h.series.clone(),
                    h.unit.clone(),
                    h.period.clone(),
                    format!("第 {} 版", r.revision),
                    r.value.clone(),
                    format!("批次 {} {}", r.batch_id, r.source),
                    format!("{}（{}）", jili_app::clock::beijing_labelled(&r.imported_at), r.actor),
                    if r.reason.is_empty() { "—".into() } else { r.reason.clone() },
                ]);
            }
        }
        table::print(&["数据项", "单位", "期别", "版本", "数值", "来源", "导入", "修订原因"], &rows);
    }
    println!("\n经过");
    let steps: Vec<Vec<String>> = v
        .steps
        .iter()
        .map(|s| {
            let mut text = s.text.clone();
            if let Some(b) = s.batch_id {
                text.push_str(&format!("（更正批次 {b}）"));
            }
            if let Some(r) = s.request_id {
                text.push_str(&format!("（发布申请 {r}）"));
            }
            vec![s.at.clone(), s.actor.clone(), s.step.label().to_string(), text]
        })
        .collect();
    table::print(&["时间", "操作人", "步骤", "内容"], &steps);
    if let Some(e) = &v.evidence {
        println!(
            "\n移送证据（移送时封存）：疑点 {} 条，数值 {} 个共 {} 个版本，说明 {} 条，经过 {} 步；移送意见：{}",
            e.flags.len(),
            e.histories.len(),
            e.histories.iter().map(|h| h.revisions.len()).sum::<usize>(),
            e.notes.len(),
            e.steps.len(),
            e.referral
        );
        println!("完整证据：jili case show {id} --json");
    }
    Ok(())
}

/// `jili data watch`: the watch list, most material first.
pub async fn watch(app: &App, all: bool, json: bool) -> anyhow::Result<()> {
    let list = app.watch_list().await?;
    if json {
        return super::print_json(&list);
    }
    print_watch(&list, all);
    Ok(())
}

/// Values shown without `--all`.
const SHOWN: usize = 30;

fn print_watch(list: &WatchList, all: bool) {
    if list.entries.is_empty() {
        println!("没有未办结的数据疑点");
        return;
    }
    let year = list.year.map_or_else(|| "（无年度方案）".to_string(), |y| format!("{y}年"));
    println!(
        "数据疑点关注清单：未办结疑点 {} 条，涉及 {} 个数值；按 {year} {} 个现行方案（已批准或已公布）评估了 {} 个{}",
        list.flags,
        list.entries.len(),
        list.plans,
        list.evaluated,
        if list.skipped > 0 {
            format!("，{} 个超出每次 {} 个的上限未评估", list.skipped, list.limit)
        } else {
            String::new()
        }
    );
    println!("影响：把该数值换成同级单位的中位数后重新评价，该单位得分的变化和入选的变化。越线者在前。\n");
    let shown = if all { list.entries.len() } else { SHOWN.min(list.entries.len()) };
    let rows: Vec<Vec<String>> = list
        .entries
        .iter()
        .take(shown)
        .enumerate()
        .map(|(i, e)| {
            let impact = if e.impacts.is_empty() {
                e.note.clone()
            } else {
                e.impacts
                    .iter()
                    .map(|m| {
                        let mut s = format!(
                            "第{}条 {}→{} {}→{}",
                            m.measure,
                            table::fmt(m.score),
                            table::fmt(m.score_if_median),
                            m.rank,
                            m.rank_if_median
                        );
                        if m.winner != m.winner_if_median {
                            s.push_str(if m.winner { " 【入选→落选】" } else { " 【未入选→入选】" });
                        }
                        if !m.others.is_empty() {
                            s.push_str(&format!(" 另：{}", m.others.join("、")));
                        }
                        s
                    })
                    .collect::<Vec<_>>()
                    .join("；")
            };
            let flags: Vec<String> = e.flags.iter().map(|f| f.id.to_string()).collect();
            vec![
                (i + 1).to_string(),
                match (e.series.is_empty(), e.series_name.is_empty()) {
                    (true, _) => "—".into(),
                    (false, true) => e.series.clone(),
                    (false, false) => format!("{}（{}）", e.series_name, e.series),
                },
                if e.unit_name.is_empty() { e.unit.clone() } else { e.unit_name.clone() },
                if e.period.is_empty() { "—".into() } else { e.period.clone() },
                e.value.clone().unwrap_or_else(|| "—".into()),
                e.median.clone().map_or_else(|| "—".into(), |m| format!("{m}（{} 个）", e.peers)),
                flags.join(","),
                e.case.as_ref().map_or_else(|| "—".into(), |c| format!("{}（{}）", c.id, c.label)),
                impact,
            ]
        })
        .collect();
    table::print(
        &["序", "数据项", "单位", "期别", "数值", "同级中位数", "疑点", "案件", "影响（得分、名次，原值→中位数）"],
        &rows,
    );
    if shown < list.entries.len() {
        println!("……共 {} 个数值，--all 列出全部", list.entries.len());
    }
}
