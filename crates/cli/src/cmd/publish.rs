//! `jili publish`, `jili commend`, `jili override`, `jili budget`: what the office decides and
//! makes public.

use crate::table;
use jili_app::{AnnexForm, App};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    /// 年度（默认最新）/ year.
    #[arg(long)]
    year: Option<i32>,
    /// 发布说明；更正（第二版起）必须写明更正了什么 / why (required for a correction).
    #[arg(long, default_value = "", hide_default_value = true)]
    reason: String,
    /// 有可能改变入选单位的未办结核查案件时，仍须发布的理由（记入这些案件和审计日志）/
    /// why publish while material verification cases are open.
    #[arg(long, value_name = "理由", default_value = "", hide_default_value = true)]
    open_cases_reason: String,
    /// 确认另一位办公厅用户的发布申请并发布（须用不同的 --actor，双人把关）/ confirm request ID and publish.
    #[arg(long, value_name = "ID")]
    confirm: Option<i64>,
    /// 撤回待确认的发布申请 / withdraw request ID.
    #[arg(long, value_name = "ID")]
    withdraw: Option<i64>,
    /// 列出发布申请 / list publication requests.
    #[arg(long)]
    requests: bool,
    /// 只显示最新发布的内容，不发布 / show the newest publication instead.
    #[arg(long)]
    show: bool,
    /// 以 JSON 输出 / print as JSON.
    #[arg(long)]
    json: bool,
    /// 另将最新发布的结果通报写成 Word 文档（GB/T 9704 公文格式）；与 --show 同用时不发布 /
    /// also write the results notice (通报) of the newest publication as a .docx.
    #[arg(long, value_name = "FILE.docx")]
    notice: Option<PathBuf>,
    /// 通报附件：names 只列受表扬激励地区名单（默认，与省政府办公厅公开的通报一致）；scores
    /// 另附各措施入选单位的分组、得分、名次和奖励表 / the annex: the name list (default) or score tables.
    #[arg(long, value_name = "names|scores", default_value = "names", value_parser = annex_form)]
    annex: AnnexForm,
}

/// `--annex names|scores` (also 名单|得分).
fn annex_form(word: &str) -> Result<AnnexForm, String> {
    AnnexForm::parse(word)
        .ok_or_else(|| format!("“{word}”不是通报附件的形式：names（名单，默认）或 scores（附得分表）"))
}

pub async fn publish(app: &App, args: PublishArgs) -> anyhow::Result<()> {
    let p = if args.show {
        match app.published(args.year).await? {
            Some(p) => p,
            None => {
                println!("尚未发布：用 jili publish 发布已批准方案的评价结果");
                return Ok(());
            }
        }
    } else if let Some(id) = args.confirm {
        app.confirm_publication(id).await?
    } else if let Some(id) = args.withdraw {
        app.withdraw_publication(id).await?;
        println!("已撤回发布申请 {id}");
        return Ok(());
    } else if args.requests {
        let waivers = app.publication_waivers().await?;
        let rows: Vec<Vec<String>> = app
            .publication_requests()
            .await?
            .into_iter()
            .map(|r| {
                let status = r.status.label().to_string();
                let cases: Vec<String> = waivers
                    .iter()
                    .filter(|w| w.request_id == Some(r.id))
                    .map(|w| format!("案件 {}：{}", w.case_id, w.text))
                    .collect();
                vec![
                    r.id.to_string(),
                    r.year.to_string(),
                    r.requested_by,
                    r.requested_at,
                    status,
                    r.decided_by,
                    r.reason,
                    if cases.is_empty() { "—".into() } else { cases.join("；") },
                ]
            })
            .collect();
        table::print(
            &["编号", "年度", "申请人", "申请时间", "状态", "确认或撤回人", "说明", "未结核查案件说明"],
            &rows,
        );
        return Ok(());
    } else {
        let id = app.request_publication_noting(args.year, &args.reason, &args.open_cases_reason).await?;
        println!(
            "已提交发布申请 {id}：须由另一位省政府办公厅用户确认后才发布（双人把关）：jili publish --confirm {id} --actor 确认人姓名"
        );
        return Ok(());
    };
    if let Some(path) = &args.notice {
        write_notice(app, p.year, args.annex, path).await?;
    }
    if args.json {
        return super::print_json(&p);
    }
    if p.body.demo {
        println!("【演示数据，非真实统计：示例方案与虚构数据，不得作为正式结果引用】");
    }
    println!("{}年评价结果 第 {} 版（{}，{}）", p.year, p.version, p.published_at, p.reason);
    println!("{}", p.body.programme);
    for m in &p.body.measures {
        let winners: Vec<String> = m
            .winners
            .iter()
            .map(|w| match w.award_wan {
                Some(a) if a > 0 => format!("{}（{a} 万元）", w.name),
                _ => w.name.clone(),
            })
            .collect();
        println!(
            "第 {} 条 {}（运行 {}，方案第 {} 版）：{}",
            m.measure,
            m.title,
            m.run,
            m.plan_version,
            winners.join("、")
        );
        for o in &m.overrides {
            let what = if o.outcome == "winner" { "列入" } else { "取消" };
            println!("  更正：{}（{}）{what}，原因：{}", o.name, o.unit, o.reason);
        }
    }
    for (no, why) in &p.body.omitted {
        println!("第 {no} 条未发布：{why}");
    }
    for c in &p.body.commendations {
        println!("通报表扬：{}（{}）：{}", c.name, c.inspection, c.practice);
    }
    println!("主要指标数据 {} 项（不含不公开的数据项）；内容 sha256 {}", p.body.data.len(), p.sha256);
    println!("发布时审计链尾：{}:{}", p.body.audit_head.0, p.body.audit_head.1);
    Ok(())
}

/// Write the notice of the year's newest publication (the one just shown or published).
async fn write_notice(app: &App, year: i32, form: AnnexForm, path: &std::path::Path) -> anyhow::Result<()> {
    let notice =
        app.notice_in(Some(year), form).await?.ok_or_else(|| anyhow::anyhow!("{year}年尚未发布，没有可写的通报"))?;
    let bytes = app.notice_file(&notice).await?;
    std::fs::write(path, bytes).map_err(|e| anyhow::anyhow!("无法写入“{}”：{e}", path.display()))?;
    let demo = notice.demo_label.as_deref().map(|l| format!("【{l}】")).unwrap_or_default();
    // On stderr, so that --json output stays one JSON document.
    eprintln!("已写出通报{demo}：{}（第 {} 版，{}；文号待办公厅编号）", path.display(), notice.version, notice.title);
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct CommendArgs {
    /// 单位代码 / the unit's code.
    unit: String,
    /// 国务院综合督查 或 省政府综合督查 / the inspection that affirmed the practice.
    #[arg(long)]
    inspection: String,
    /// 典型经验做法 / the practice.
    #[arg(long)]
    practice: String,
    /// 年度（默认最新）/ year (default: the newest).
    #[arg(long)]
    year: Option<i32>,
}

pub async fn commend(app: &App, args: CommendArgs) -> anyhow::Result<()> {
    let year = app.programme(args.year).await?.year;
    let id = app.commend(year, &args.unit, &args.inspection, &args.practice).await?;
    println!("已登记通报表扬 #{id}：{}，将随下一次发布公开", args.unit);
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct OverrideArgs {
    /// 运行号 / the run.
    run: i64,
    /// 单位代码 / the unit's code.
    unit: String,
    /// 列入入选 / make it a winner.
    #[arg(long, conflicts_with = "not_winner", required_unless_present = "not_winner")]
    winner: bool,
    /// 取消入选 / take it off the winners.
    #[arg(long)]
    not_winner: bool,
    /// 原因（将公开）/ the reason, made public.
    #[arg(long)]
    reason: String,
}

pub async fn override_result(app: &App, args: OverrideArgs) -> anyhow::Result<()> {
    let id = app.override_result(args.run, &args.unit, args.winner, &args.reason).await?;
    println!("已记录更正 #{id}（审计可查，下一次发布时公开）：运行 {} 中 {}", args.run, args.unit);
    Ok(())
}

#[derive(Debug, clap::Subcommand)]
pub enum BudgetCommand {
    /// 登记某条措施的预算额度（万元）/ set a measure's budget line.
    Set {
        /// 措施序号（1–20）/ the measure number.
        measure: u32,
        /// 金额（万元）/ amount in 万元.
        amount: String,
        /// 依据（预算批复文号等）/ the document it comes from.
        #[arg(long)]
        basis: String,
        /// 年度（默认最新）/ year (default: the newest).
        #[arg(long)]
        year: Option<i32>,
    },
    /// 各措施的预算额度与方案最高奖励 / budget lines against the plans' most payout.
    Show {
        /// 年度（默认最新）/ year (default: the newest).
        #[arg(long)]
        year: Option<i32>,
    },
}

pub async fn budget(app: &App, command: BudgetCommand) -> anyhow::Result<()> {
    match command {
        BudgetCommand::Set { measure, amount, basis, year } => {
            let year = app.programme(year).await?.year;
            app.set_budget(year, measure, &amount, &basis).await?;
            println!("已登记 {year}年第 {measure} 条措施预算额度 {amount} 万元（依据：{basis}）");
            let lines = app.budget_lines(Some(year)).await?;
            if let Some(line) = lines.iter().find(|l| l.measure == measure && l.exceeded()) {
                println!(
                    "注意：该措施方案第 {} 版最多需奖励 {} 万元，超出此额度；方案须调整后才能提交，超出额度的结果不能发布",
                    line.plan_version.unwrap_or_default(),
                    line.most_wan.unwrap_or_default()
                );
            }
        }
        BudgetCommand::Show { year } => {
            let rows: Vec<Vec<String>> = app
                .budget_lines(year)
                .await?
                .into_iter()
                .map(|l| {
                    let most = match (l.plan_version, l.most_wan) {
                        (None, _) => "（无方案）".to_string(),
                        (Some(_), None) => "无上限".to_string(),
                        (Some(_), Some(m)) => m.to_string(),
                    };
                    let flag = if l.exceeded() { "超出" } else { "" };
                    vec![
                        l.measure.to_string(),
                        l.short.clone(),
                        l.amount_wan.clone().unwrap_or_default(),
                        most,
                        flag.into(),
                        l.basis,
                    ]
                })
                .collect();
            table::print(&["措施", "简称", "预算额度（万元）", "方案最高奖励（万元）", "", "依据"], &rows);
        }
    }
    Ok(())
}

#[derive(Debug, clap::Args)]
pub struct StandingArgs {
    /// 单位代码（如 430100）/ the unit's code.
    unit: String,
    #[arg(long)]
    year: Option<i32>,
    /// 以 JSON 输出 / print as JSON.
    #[arg(long)]
    json: bool,
}

/// `jili standing UNIT`: a unit's own results in the newest publication, with explanations.
pub async fn standing(app: &App, args: StandingArgs) -> anyhow::Result<()> {
    let list = app.standing(&args.unit, args.year).await?;
    if args.json {
        return super::print_json(&list);
    }
    if list.is_empty() {
        println!("{} 没有已发布的评价结果（尚未发布，或不在任何措施的评价范围内）", args.unit);
        return Ok(());
    }
    for st in &list {
        let s = &st.result;
        let place = match (s.rank, &s.group) {
            (Some(r), Some(g)) => format!("，{g}组第 {r} 名"),
            _ => String::new(),
        };
        let score = s.score.map(|x| format!("，得分 {x:.2}")).unwrap_or_default();
        let award = s.award_wan.filter(|a| *a > 0).map(|a| format!("，奖励 {a} 万元")).unwrap_or_default();
        println!("第 {} 条 {}：{}{score}{place}{award}", st.measure, st.title, s.outcome);
        if let Some(gap) = s.gap.filter(|g| *g > 0.0) {
            println!("  距入选线还差 {gap:.2} 分");
        }
        let fmt = |v: &[(String, f64)]| v.iter().map(|(n, e)| format!("{n}（{e:+.2}）")).collect::<Vec<_>>().join("、");
        if !s.lowers.is_empty() {
            println!("  拉低得分的指标：{}", fmt(&s.lowers));
        }
        if !s.raises.is_empty() {
            println!("  拉高得分的指标：{}", fmt(&s.raises));
        }
        if !s.reason.is_empty() {
            println!("  说明：{}", s.reason);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Wrapper {
        #[command(flatten)]
        publish: PublishArgs,
    }

    fn annex(argv: &[&str]) -> Result<AnnexForm, String> {
        let mut all = vec!["jili", "--show", "--notice", "n.docx"];
        all.extend_from_slice(argv);
        Wrapper::try_parse_from(all).map(|w| w.publish.annex).map_err(|e| e.to_string())
    }

    #[test]
    fn the_notice_annex_is_the_name_list_unless_scores_are_asked_for() {
        assert_eq!(annex(&[]).unwrap(), AnnexForm::Names);
        assert_eq!(annex(&["--annex", "scores"]).unwrap(), AnnexForm::Scores);
        assert_eq!(annex(&["--annex", "名单"]).unwrap(), AnnexForm::Names);
        let err = annex(&["--annex", "ranks"]).unwrap_err();
        assert!(err.contains("ranks") && err.contains("scores"), "{err}");
    }
}
