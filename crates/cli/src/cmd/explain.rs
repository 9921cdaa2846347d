//! `jili run N --explain UNIT`: why a unit got its result, from each reading to its contribution —
//! what a county that did not win needs in order to understand and check its place.

use crate::table::{self, banner, fmt};
use jili_app::engine::UnitResult;
use jili_app::runs::explained::{Detail, Explained};
use jili_app::{App, RunReport};

pub async fn explain(app: &App, report: &RunReport, u: &UnitResult, demo: bool) -> anyhow::Result<()> {
    let res = &report.result;
    let plan = &report.plan.plan;
    let catalogue = app.catalogue().await?;
    // The one explanation the web shows too: the outcome and its drivers, then everything behind it.
    let e = Explained::of(res, u, None);
    let d = Detail::of(res, u, &catalogue);
    let example = if plan.header.example { "【示例方案】" } else { "" };
    println!("第 {} 条 {}：{} {} {example}{}", res.measure, res.title, u.code, u.name, banner(demo));
    println!(
        "分组 {}，综合得分 {}，组内名次 {}，结果：{}{}",
        e.group.as_deref().unwrap_or("—"),
        fmt(e.score),
        e.rank.map_or("—".into(), |r| r.to_string()),
        e.outcome,
        if e.reason.is_empty() { String::new() } else { format!("（{}）", e.reason) }
    );
    if !d.excluded_above.is_empty() {
        println!("（名次含不能入选的单位：排在前面的 {} 被一票否决或不具备资格）", d.excluded_above.join("、"));
    }
    for v in &d.vetoes {
        println!("一票否决：{v}");
    }
    if let Some(a) = &d.award {
        println!("奖励：{a}");
    }
    if !d.pillars.is_empty() {
        let scores: Vec<String> =
            d.pillars.iter().map(|p| format!("{}（{:.0}%）{}", p.name, p.weight * 100.0, fmt(p.score))).collect();
        println!("一级指标得分：{}", scores.join("、"));
    }
    match e.gap {
        Some(g) if g > 0.0 => println!("距入选线还差 {g:.2} 分"),
        Some(g) => println!("高出第一个未入选单位 {:.2} 分", -g),
        None => {}
    }
    let rows: Vec<Vec<String>> = d
        .indicators
        .iter()
        .map(|i| {
            vec![
                i.name.clone(),
                i.readings.join("；"),
                i.basis.clone(),
                fmt(i.value),
                i.range.map_or(String::new(), |[lo, hi]| format!("{lo:.2}–{hi:.2}")),
                i.normalise.clone(),
                fmt(i.score),
                format!("{:.1}%", i.weight * 100.0),
                format!("{:.2}", i.contribution),
                i.flag.clone().unwrap_or_default(),
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
    let names = |d: &[(String, f64)]| d.iter().map(|(n, x)| format!("{n}（{x:+.2}）")).collect::<Vec<_>>().join("、");
    if !e.raises.is_empty() {
        println!("与同组中位数相比拉高得分的指标：{}", names(&e.raises));
    }
    if !e.lowers.is_empty() {
        println!("与同组中位数相比拉低得分的指标：{}", names(&e.lowers));
    }
    if let Some(r) = &d.robustness {
        let (from, to) = r.rank_interval();
        println!(
            "稳健性：名次 {}，样本中位名次 {:.0}，5–95% 区间 {from}–{to}，入选概率 {:.0}%",
            r.nominal_rank,
            r.median_rank,
            r.p_selected * 100.0
        );
    }
    Ok(())
}
