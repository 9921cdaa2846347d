//! `jili plan draft|trial|submit|return|approve|publish|history|diff`: the plan lifecycle.

use crate::table;
use jili_app::App;
use jili_app::plans::lint::SPREAD_MARGIN;
use jili_model::PlanStatus;
use jili_model::plan::LintLevel;
use std::path::Path;

/// The year of a command, or the newest programme's.
pub(super) async fn year_of(app: &App, year: Option<i32>) -> anyhow::Result<i32> {
    Ok(app.programme(year).await?.year)
}

/// Save a plan file as a draft.
pub async fn draft(app: &App, file: &Path) -> anyhow::Result<()> {
    let saved = app.save_draft(&file.display().to_string(), &super::read_plan_file(app, file).await?).await?;
    let h = &saved.plan.header;
    let how = if saved.new_version { "新建草稿" } else { "更新草稿" };
    println!("{how}：{}年第 {} 条 {}，第 {} 版", h.year, h.measure, h.title, saved.version);
    let lint = app.lint_plan(&saved.plan, SPREAD_MARGIN).await?;
    let errors = lint.lints.iter().filter(|l| l.level == LintLevel::Error).count();
    let warnings = lint.lints.len() - errors;
    println!("检查：{errors} 个错误，{warnings} 个提醒（jili plan lint {} 查看）", h.measure);
    if errors == 0 {
        println!("可提交审核：jili plan submit {}", h.measure);
    }
    Ok(())
}

/// Trial a plan file on the current data, with its lint. Nothing is stored.
pub async fn trial(app: &App, file: &Path, samples: Option<u32>) -> anyhow::Result<()> {
    let t = app.trial_plan(&file.display().to_string(), &super::read_plan_file(app, file).await?, samples).await?;
    println!("试算结果（不保存、不公布，用当前数据）：第 {} 条 {}", t.result.measure, t.result.title);
    for g in &t.result.groups {
        let names: Vec<String> = g
            .winners
            .iter()
            .filter_map(|code| t.result.units.iter().find(|u| &u.code == code))
            .map(|u| format!("{}（{:.2}）", u.name, u.score.unwrap_or(f64::NAN)))
            .collect();
        println!("  分组“{}”入选 {} 个：{}", g.id, g.winners.len(), names.join("、"));
    }
    println!("  奖励合计 {} 万元", t.result.total_wan);
    if let Some(r) = &t.result.robustness {
        println!("  稳健性：{} 个样本，{} 个入选单位在 95% 以上的样本中入选", r.samples, r.stable_winners);
    }
    super::lint::print_report(&t.lint);
    if t.lint.passes() {
        println!("没有错误：保存为草稿（jili plan draft）后可提交审核");
    } else {
        println!("有错误：按上面的说明修改后才能提交审核");
    }
    Ok(())
}

/// Submit the newest draft.
pub async fn submit(app: &App, measure: u32, year: Option<i32>) -> anyhow::Result<()> {
    let year = year_of(app, year).await?;
    let (version, lint) = app.submit_plan(year, measure).await?;
    println!("已提交审核：{year}年第 {measure} 条措施方案第 {version} 版（{} 个提醒）", lint.lints.len());
    Ok(())
}

/// The office's decisions.
pub async fn decide(app: &App, measure: u32, decision: Decision<'_>) -> anyhow::Result<()> {
    let year = year_of(app, decision.year).await?;
    let v = decision.version;
    match decision.to {
        PlanStatus::Returned => {
            app.return_plan(year, measure, v, decision.comment).await?;
            println!("已退回：{year}年第 {measure} 条措施方案第 {v} 版，意见：{}", decision.comment.trim());
        }
        PlanStatus::Approved => {
            app.approve_plan(year, measure, v, decision.comment).await?;
            println!("已批准：{year}年第 {measure} 条措施方案第 {v} 版（此后不可更改；正式评价使用此版）");
        }
        _ => {
            app.publish_plan(year, measure, v).await?;
            println!("已公布：{year}年第 {measure} 条措施方案第 {v} 版");
        }
    }
    Ok(())
}

/// A decision on a version.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    pub year: Option<i32>,
    pub version: i64,
    pub to: PlanStatus,
    pub comment: &'a str,
}

/// Versions and review steps.
pub async fn history(app: &App, measure: u32, year: Option<i32>) -> anyhow::Result<()> {
    let year = year_of(app, year).await?;
    let h = app.plan_history(year, measure).await?;
    println!("{year}年第 {measure} 条措施的实施方案：{} 个版本", h.versions.len());
    let rows: Vec<Vec<String>> = h
        .versions
        .iter()
        .map(|p| {
            vec![
                format!("第 {} 版", p.version),
                p.status.label().to_string(),
                p.source_name.clone(),
                p.sha256.chars().take(12).collect(),
            ]
        })
        .collect();
    table::print(&["版本", "状态", "来源文件", "sha256"], &rows);
    if !h.reviews.is_empty() {
        println!();
        let rows: Vec<Vec<String>> = h
            .reviews
            .iter()
            .map(|r| {
                vec![
                    format!("第 {} 版", r.version),
                    r.step.label().to_string(),
                    r.actor.clone(),
                    r.at.clone(),
                    r.comment.clone(),
                ]
            })
            .collect();
        table::print(&["版本", "步骤", "操作人", "时间", "意见"], &rows);
    }
    Ok(())
}

/// What changed between two versions.
pub async fn diff(app: &App, measure: u32, a: i64, b: i64, year: Option<i32>) -> anyhow::Result<()> {
    let year = year_of(app, year).await?;
    let changes = app.plan_diff(year, measure, a, b).await?;
    if changes.is_empty() {
        println!("第 {a} 版与第 {b} 版内容相同");
        return Ok(());
    }
    println!("{year}年第 {measure} 条措施方案：第 {a} 版 → 第 {b} 版，{} 处改动", changes.len());
    let rows: Vec<Vec<String>> = changes.into_iter().map(|c| vec![c.part, c.field, c.before, c.after]).collect();
    table::print(&["部分", "字段", "原", "新"], &rows);
    Ok(())
}
