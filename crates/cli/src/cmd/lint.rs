//! `jili plan lint FILE|MEASURE`: the notice's rules on a plan, and where its winners would be.

use jili_app::App;
use jili_app::plans::lint::SPREAD_MARGIN;
use jili_model::plan::LintLevel;

/// Lint a plan file, or the stored plan of a measure.
pub async fn run(app: &App, plan: &str, margin: Option<f64>, json: bool) -> anyhow::Result<()> {
    let plan = match plan.parse::<u32>() {
        Ok(measure) => app.plan(None, measure).await?.plan,
        Err(_) => {
            let text = super::read_plan_file(app, std::path::Path::new(plan)).await?;
            app.check_plan(plan, &text).await?
        }
    };
    let report = app.lint_plan(&plan, margin.unwrap_or(SPREAD_MARGIN)).await?;
    if json {
        return super::print_json(&report);
    }
    println!("第 {} 条 {}：按通知的规则检查", plan.header.measure, plan.header.title);
    print_report(&report);
    if !report.passes() {
        anyhow::bail!("有错误，方案不能提交：请按上面的说明修改");
    }
    Ok(())
}

/// The lints, then the regional spread of the trial on last year's data.
pub fn print_report(report: &jili_app::plans::lint::LintReport) {
    for l in &report.lints {
        let level = if l.level == LintLevel::Error { "错误" } else { "提醒" };
        println!("【{level}】{}：{}", l.at, l.message);
    }
    if report.lints.is_empty() {
        println!("没有发现问题");
    }
    match &report.spread {
        Some(s) => {
            println!("区域分布：用上一年（{} 年）的数据试算本方案的入选情况（不保存、不公布）", s.year);
            println!("  按板块：");
            for (plate, (units, winners)) in &s.plates {
                println!("    {plate}：评价 {units} 个，入选 {winners} 个");
            }
            println!("  按单位类型：");
            for (kind, (units, winners)) in &s.kinds {
                println!("    {kind}：评价 {units} 个，入选 {winners} 个");
            }
        }
        None => println!("没有上一年的数据，未试算入选分布"),
    }
}
