//! Golden results: the 20 example plans evaluated on the demo data, one snapshot per measure
//! (each group's quota and cut-off; each unit's group, score, rank, outcome and award). A change
//! to the engine, the plans or the demo data that moves any of them shows here as a diff to
//! review and accept (`cargo insta review`), never silently.

use crate::common;
use jili_app::engine::RunResult;
use jili_app::{App, RunRequest};
use std::fmt::Write;

fn two(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.2}"))
}

/// The result as a reviewer reads it: one line per group, then one per unit.
fn render(r: &RunResult) -> String {
    let mut out = format!(
        "第 {} 条 {}：评价期 {}，基期 {}；奖励合计 {} 万元\n",
        r.measure, r.title, r.period, r.base, r.total_wan
    );
    for g in &r.groups {
        let quota = g.quota.map_or("—".into(), |q| q.to_string());
        let _ = writeln!(out, "组 {}：名额 {quota}，入选线 {}，入选 {}", g.id, two(g.cutoff), g.winners.len());
    }
    for u in &r.units {
        let award = u.award.as_ref().map_or("—".into(), |a| format!("{} 万元", a.amount_wan));
        let rank = u.rank.map_or("—".into(), |x| x.to_string());
        let group = u.group.as_deref().unwrap_or("—");
        let _ = writeln!(
            out,
            "{} {} | {group} | {} | {rank} | {} | {award}",
            u.code,
            u.name,
            two(u.score),
            u.outcome.label()
        );
    }
    for w in &r.warnings {
        let _ = writeln!(out, "提示：{w}");
    }
    out
}

#[tokio::test]
async fn the_twenty_example_plans_give_the_recorded_results_on_the_demo_data() {
    let db = common::demo_db().await;
    let app = App::open(&db.url(), "测试").await.unwrap();
    let reports = app.run_all(&RunRequest { samples: Some(0), ..RunRequest::default() }).await.unwrap();
    assert_eq!(reports.len(), 20);
    for r in &reports {
        insta::assert_snapshot!(format!("measure_{:02}", r.result.measure), render(&r.result));
    }
    app.close().await;
}
