//! `jili run N --explain UNIT`: why a unit got its result, from each reading to its contribution —
//! what a county that did not win needs in order to understand and check its place.

use crate::table::{self, banner, fmt};
use jili_app::engine::{Driver, Outcome, UnitResult};
use jili_app::{App, RunReport};

pub async fn explain(app: &App, report: &RunReport, u: &UnitResult, demo: bool) -> anyhow::Result<()> {
    let res = &report.result;
    let plan = &report.plan.plan;
    let catalogue = app.catalogue().await?;
    let example = if plan.header.example { "【示例方案】" } else { "" };
    println!("第 {} 条 {}：{} {} {example}{}", res.measure, res.title, u.code, u.name, banner(demo));
    println!(
        "分组 {}，综合得分 {}，组内名次 {}，结果：{}{}",
        u.group.as_deref().unwrap_or("—"),
        fmt(u.score),
        u.rank.map_or("—".into(), |r| r.to_string()),
        u.outcome.label(),
        u.reason.as_ref().map_or(String::new(), |r| format!("（{r}）"))
    );
    // The rank counts every unit with a score; say who above it could not win.
    if let (Some(rank), Some(g)) = (u.rank, res.groups.iter().find(|g| Some(&g.id) == u.group.as_ref())) {
        let above: Vec<&str> = g
            .ranking
            .iter()
            .take(rank.saturating_sub(1) as usize)
            .filter_map(|c| res.units.iter().find(|x| &x.code == c))
            .filter(|x| matches!(x.outcome, Outcome::Vetoed | Outcome::Ineligible))
            .map(|x| x.name.as_str())
            .collect();
        if !above.is_empty() {
            println!("（名次含不能入选的单位：排在前面的 {} 被一票否决或不具备资格）", above.join("、"));
        }
    }
    for v in &u.vetoes {
        let name = catalogue.series(&v.series).map_or(v.series.clone(), |s| s.name.clone());
        println!(
            "一票否决：{}；{}年{}（{}）= {}，条件 {}；依据：{}",
            v.reason, v.period, name, v.series, v.value, v.condition, v.basis
        );
    }
    if let Some(a) = &u.award {
        println!("奖励：{} 万元（{}）{}", a.amount_wan, a.channel, a.items.join("、"));
        if let Some(p) = &a.pool {
            println!(
                "（资金池 {} 万元按入选单位得分比例分配：{:.2} ÷ {:.2} × {} ≈ {:.2}，按最大余数法取整为 {} 万元）",
                p.pool_wan,
                p.score,
                p.total_score,
                p.pool_wan,
                p.score / p.total_score * p.pool_wan as f64,
                a.amount_wan
            );
        }
    }
    if !res.pillars.is_empty() {
        let scores: Vec<String> = res
            .pillars
            .iter()
            .zip(&u.pillars)
            .map(|(p, s)| format!("{}（{:.0}%）{}", p.name, p.weight * 100.0, fmt(*s)))
            .collect();
        println!("一级指标得分：{}", scores.join("、"));
    }
    match u.gap {
        Some(g) if g > 0.0 => println!("距入选线还差 {g:.2} 分"),
        Some(g) => println!("高出第一个未入选单位 {:.2} 分", -g),
        None => {}
    }
    let group = res.groups.iter().find(|g| Some(&g.id) == u.group.as_ref());
    let rows: Vec<Vec<String>> = u
        .indicators
        .iter()
        .zip(&res.indicators)
        .enumerate()
        .map(|(j, (s, info))| {
            let range = group
                .and_then(|g| g.ranges.get(j).copied().flatten())
                .map_or(String::new(), |[lo, hi]| format!("{lo:.2}–{hi:.2}"));
            let readings: Vec<String> = s
                .readings
                .iter()
                .map(|r| {
                    let (name, unit) = catalogue
                        .series(&r.series)
                        .map_or((r.series.to_string(), String::new()), |x| (x.name.clone(), x.unit.clone()));
                    let value = r.value.map_or("缺".into(), |v| format!("{v}{unit}"));
                    format!("{}年{name} {value}", r.year)
                })
                .collect();
            vec![
                info.name.clone(),
                readings.join("；"),
                info.basis.clone(),
                fmt(s.value),
                range,
                info.normalise.clone(),
                fmt(s.score),
                format!("{:.1}%", s.weight * 100.0),
                format!("{:.2}", s.contribution),
                s.flag.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table::print(
        &[
            "指标",
            "原始数据（来源数据项）",
            "口径",
            "指标值",
            "组内最低–最高",
            "标准化",
            "得分",
            "实际权重",
            "贡献",
            "说明",
        ],
        &rows,
    );
    println!(
        "（得分在本组内标准化；实际权重已按本单位适用、有数据的指标重新计权，贡献 = 得分 × 实际权重，合计即综合得分）"
    );
    let names = |d: &[Driver]| {
        d.iter()
            .map(|d| format!("{}（{:+.2}）", res.indicators[d.indicator].name, d.effect))
            .collect::<Vec<_>>()
            .join("、")
    };
    if !u.raises.is_empty() {
        println!("与同组中位数相比拉高得分的指标：{}", names(&u.raises));
    }
    if !u.lowers.is_empty() {
        println!("与同组中位数相比拉低得分的指标：{}", names(&u.lowers));
    }
    if let Some(r) = &u.robustness {
        println!(
            "稳健性：名次 {}，样本中位名次 {:.0}，5–95% 区间 {:.0}–{:.0}，入选概率 {:.0}%",
            r.nominal_rank,
            r.median_rank,
            r.rank_q05,
            r.rank_q95,
            r.p_selected * 100.0
        );
    }
    Ok(())
}
