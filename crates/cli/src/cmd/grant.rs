//! `jili grant list|request|record|give|decline|revoke`: data grants, by which a department lets
//! a lead use one of its confidential series in one measure's plan of one year.

use super::review::year_of;
use crate::table;
use jili_app::App;
use jili_model::GrantStatus;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// 列出数据授权 / list data grants.
    List {
        /// 年度（默认全部）/ year (default: every year).
        #[arg(long)]
        year: Option<i32>,
        /// 以 JSON 输出 / print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// 代牵头单位申请使用其他部门不公开的数据项 / request a grant for a measure's plan.
    Request {
        /// 措施序号（1–20）/ the measure number.
        measure: u32,
        /// 数据项代码（如 DEBT_RATIO）/ the series code.
        series: String,
        /// 申请理由：用途，以及为何不能改用可公开的数据项 / why.
        #[arg(long)]
        reason: String,
        /// 年度（默认最新）/ year (default: the newest).
        #[arg(long)]
        year: Option<i32>,
    },
    /// 登记数据所有部门书面同意的授权（须写复函文号）/ record a grant given by letter.
    Record {
        /// 措施序号（1–20）/ the measure number.
        measure: u32,
        /// 数据项代码 / the series code.
        series: String,
        /// 依据：数据所有部门的复函文号 / the owner's letter.
        #[arg(long)]
        basis: String,
        /// 年度（默认最新）/ year (default: the newest).
        #[arg(long)]
        year: Option<i32>,
    },
    /// 同意一项申请 / give a requested grant.
    Give(Decision),
    /// 不同意一项申请 / decline a requested grant.
    Decline(Decision),
    /// 撤销一项授权（此后该方案不能试算、不能提交）/ revoke a grant.
    Revoke(Decision),
}

/// A decision on one grant.
#[derive(Debug, clap::Args)]
pub struct Decision {
    /// 授权编号（见 jili grant list）/ the grant's id.
    id: i64,
    /// 依据：复函文号或理由 / the letter or the reason.
    #[arg(long)]
    basis: String,
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    match command {
        Command::List { year, json } => list(app, year, json).await,
        Command::Request { measure, series, reason, year } => {
            let year = year_of(app, year).await?;
            let id = app.request_grant(year, measure, &series, &reason).await?;
            println!("已申请数据授权 {id}：{year}年第 {measure} 条措施使用 {series}，待数据所有部门决定");
            Ok(())
        }
        Command::Record { measure, series, basis, year } => {
            let year = year_of(app, year).await?;
            let id = app.record_grant(year, measure, &series, &basis).await?;
            println!("已登记数据授权 {id}：{year}年第 {measure} 条措施可使用 {series}（依据：{}）", basis.trim());
            Ok(())
        }
        Command::Give(d) => decide(app, d, GrantStatus::Granted).await,
        Command::Decline(d) => decide(app, d, GrantStatus::Declined).await,
        Command::Revoke(d) => decide(app, d, GrantStatus::Revoked).await,
    }
}

async fn decide(app: &App, d: Decision, to: GrantStatus) -> anyhow::Result<()> {
    let g = app.decide_grant(d.id, to, &d.basis).await?;
    println!(
        "数据授权 {}：{}年第 {} 条措施使用 {}，现为“{}”（依据：{}）",
        g.id,
        g.year,
        g.measure,
        g.series,
        g.status.label(),
        g.basis
    );
    Ok(())
}

async fn list(app: &App, year: Option<i32>, json: bool) -> anyhow::Result<()> {
    let grants = app.grants(year).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&grants)?);
        return Ok(());
    }
    if grants.is_empty() {
        println!("没有数据授权");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = grants
        .iter()
        .map(|g| {
            vec![
                g.id.to_string(),
                g.year.to_string(),
                g.measure.to_string(),
                g.series.clone(),
                g.owner.clone(),
                g.grantee.clone(),
                g.status.label().to_string(),
                if g.basis.is_empty() { g.reason.clone() } else { g.basis.clone() },
            ]
        })
        .collect();
    table::print(&["编号", "年度", "措施", "数据项", "所有部门", "使用部门", "状态", "理由或依据"], &rows);
    Ok(())
}
