//! `jili run`: evaluate a measure (or all) from the store and print the ranked tables with
//! winners, awards, vetoes and rank intervals; `--explain` tells one unit why.

use crate::table::{self, banner, fmt};
use jili_app::engine::{Outcome, RunResult};
use jili_app::{App, RunReport, RunRequest};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 措施序号（1–20），或 all 表示全部 / measure number, or `all`.
    #[arg(required_unless_present = "reproduce")]
    measure: Option<String>,
    /// 按记录的输入重算某次运行，核对结果是否逐字节相同 / recompute a stored run and compare bytes.
    #[arg(long, conflicts_with = "measure")]
    reproduce: Option<i64>,
    /// 年度（默认最新）/ year.
    #[arg(long)]
    year: Option<i32>,
    /// 稳健性分析样本数（默认按方案，0 表示不做）/ Monte Carlo samples.
    #[arg(long)]
    samples: Option<u32>,
    /// 随机种子 / seed.
    #[arg(long, default_value_t = jili_app::runs::run::DEFAULT_SEED)]
    seed: u64,
    /// 列出每组全部单位（默认只列名额附近）/ list every unit.
    #[arg(long)]
    full: bool,
    /// 解释某个单位的得分（单位代码）/ explain one unit.
    #[arg(long)]
    explain: Option<String>,
    /// 按某时的数据重算：batch:批次号、run:运行号 或日期（2025-03-31）/ read the data as of then.
    #[arg(long)]
    as_of: Option<String>,
    /// 以 JSON 输出完整结果 / print the whole result as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(app: &App, args: Args) -> anyhow::Result<()> {
    if let Some(id) = args.reproduce {
        return reproduce(app, id).await;
    }
    let measure_arg = args.measure.clone().unwrap_or_default();
    let as_of = match &args.as_of {
        Some(t) => Some(app.resolve_as_of(t).await?),
        None => None,
    };
    let request = RunRequest { year: args.year, samples: args.samples, seed: args.seed, as_of };
    let demo = app.has_demo_data().await?;
    // The same reading of "all or a number" as the web's forms and API.
    let Some(measure) = jili_app::runs::run::parse_measure_choice(&measure_arg)? else {
        let reports = app.run_all(&request).await?;
        if args.json {
            let all: Vec<&RunResult> = reports.iter().map(|r| &r.result).collect();
            return super::print_json(&all);
        }
        return summary(&reports, demo);
    };
    let report = app.run(measure, &request).await?;
    if let Some(code) = &args.explain {
        let Some(unit) = report.result.units.iter().find(|u| &u.code == code || u.name == *code) else {
            let known = app.units(&Default::default()).await?.into_iter().any(|u| &u.code == code || u.name == *code);
            if known {
                anyhow::bail!(
                    "单位“{code}”不在第 {measure} 条措施的评价范围内（该条评价的层级见 jili plan show {measure}）"
                );
            }
            anyhow::bail!("没有代码或名称为“{code}”的单位：请用 jili units 查看单位代码和全称（如 430100、长沙市）");
        };
        if args.json {
            return super::print_json(unit);
        }
        return super::explain::explain(app, &report, unit, demo).await;
    }
    if args.json {
        return super::print_json(&report.result);
    }
    detail(&report, demo, args.full);
    Ok(())
}

fn summary(reports: &[RunReport], demo: bool) -> anyhow::Result<()> {
    println!("全部措施评价结果 {}", banner(demo));
    let rows: Vec<Vec<String>> = reports
        .iter()
        .map(|r| {
            let res = &r.result;
            let winners = res.units.iter().filter(|u| u.outcome == Outcome::Winner).count();
            let vetoed = res.units.iter().filter(|u| u.outcome == Outcome::Vetoed).count();
            let stable =
                res.robustness.as_ref().map_or("—".into(), |x| format!("{}/{}", x.stable_winners, x.winners));
            vec![
                res.measure.to_string(),
                res.title.clone(),
                res.units.len().to_string(),
                winners.to_string(),
                vetoed.to_string(),
                res.total_wan.to_string(),
                stable,
                format!("#{}", r.id),
            ]
        })
        .collect();
    table::print(&["条", "方案", "评价对象", "入选", "否决", "奖励(万元)", "稳定入选", "运行"], &rows);
    let total: u64 = reports.iter().map(|r| r.result.total_wan).sum();
    println!();
    println!("奖励资金合计 {total} 万元。查看某条：jili run 3；解释某单位：jili run 3 --explain 430100");
    Ok(())
}

fn detail(report: &RunReport, demo: bool, full: bool) {
    let res = &report.result;
    let example =
        if report.plan.plan.header.example && !res.title.contains("示例") { "（示例方案）" } else { "" };
    println!("第 {} 条 {}{example} {}", res.measure, res.title, banner(demo));
    println!(
        "评价期 {} 年，基期 {} 年；运行 #{}，种子 {}，方案 v{}，数据指纹 {}",
        res.period,
        res.base,
        report.id,
        res.seed,
        report.plan.stored.version,
        &report.data_sha256[..12]
    );
    for g in &res.groups {
        println!();
        let quota = g.quota.map_or("不单独设名额".into(), |q| format!("名额 {q}"));
        println!("分组“{}”：{}，入选 {} 个，入选线 {}", g.id, quota, g.winners.len(), fmt(g.cutoff));
        let show = if full { usize::MAX } else { g.winners.len() + 5 };
        let rows: Vec<Vec<String>> = g
            .ranking
            .iter()
            .take(show)
            .filter_map(|code| res.units.iter().find(|u| &u.code == code))
            .map(|u| {
                let r = u.robustness.as_ref();
                vec![
                    u.rank.map_or("—".into(), |r| r.to_string()),
                    u.code.clone(),
                    u.name.clone(),
                    fmt(u.score),
                    u.outcome.label().to_string(),
                    u.award.as_ref().map_or(String::new(), |a| a.amount_wan.to_string()),
                    r.map_or(String::new(), |r| {
                        let (from, to) = r.rank_interval();
                        format!("{from}–{to}")
                    }),
                    r.map_or(String::new(), |r| format!("{:.0}%", r.p_selected * 100.0)),
                ]
            })
            .collect();
        table::print(&["名次", "代码", "单位", "综合得分", "结果", "奖励(万元)", "名次区间5–95%", "入选概率"], &rows);
        if g.ranking.len() > show {
            println!("……共 {} 个，--full 列出全部", g.ranking.len());
        }
    }
    // Vetoes grouped by their reason, each unit with its evidence.
    let mut reasons: Vec<(&str, &str, &str, Vec<String>)> = Vec::new();
    for u in &res.units {
        for v in &u.vetoes {
            let who = format!("{} {}（{}年 {} = {}）", u.code, u.name, v.period, v.series, v.value);
            match reasons.iter_mut().find(|r| r.0 == v.reason) {
                Some(r) => r.3.push(who),
                None => reasons.push((&v.reason, &v.condition, &v.basis, vec![who])),
            }
        }
    }
    for (reason, condition, basis, units) in reasons {
        println!();
        println!("一票否决“{reason}”（条件 {condition}；依据：{basis}）：");
        println!("  {}", units.join("；"));
    }
    if let Some(r) = &res.robustness {
        println!();
        let s: Vec<String> = r.sensitivity.iter().map(|s| format!("{} {:.2}", s.choice, s.total)).collect();
        println!(
            "稳健性（{} 个样本，权重 ±{:.0}%）：入选 {} 个，其中稳定入选（≥90% 样本入选）{} 个；总效应敏感性指数：{}",
            r.samples,
            r.weight_spread * 100.0,
            r.winners,
            r.stable_winners,
            s.join("，")
        );
    }
    for w in &res.warnings {
        println!("提示：{w}");
    }
    println!();
    println!("奖励合计 {} 万元。解释某单位：jili run {} --explain 代码", res.total_wan, res.measure);
}

/// `--reproduce RUN`: the stored inputs, the same seed, the result compared byte for byte.
async fn reproduce(app: &App, id: i64) -> anyhow::Result<()> {
    let r = app.reproduce(id).await?;
    let yes = |b: bool| if b { "一致" } else { "不一致" };
    println!("重算运行 {id}：");
    println!("  方案版本的 sha256：{}", yes(r.plan_matches));
    println!("  当时数据的 sha256：{}", yes(r.data_matches));
    println!("  库中结果与运行时记录的 sha256：{}", yes(r.stored_intact));
    let then = if r.engine_then.is_empty() { "（未记录）" } else { &r.engine_then };
    println!("  引擎版本：当时 {then}，现在 {}", r.engine_now);
    println!(
        "  重算结果与库中结果：{}（重算 sha256 {}）",
        if r.identical { "逐字节相同" } else { "不同" },
        r.result_sha256
    );
    if r.reproduced() {
        println!("运行 {id} 可复现：同一方案、同一数据、同一种子，结果逐字节相同");
        Ok(())
    } else {
        anyhow::bail!(
            "运行 {id} 无法复现：见上面“不一致”或“不同”的项；数据或结果可能在本系统之外被改动，请用 jili audit verify 核验"
        )
    }
}
