//! `jili funds ledger|disburse|use|recover|return`: money from award to recovery (资金台账).

use crate::table;
use jili_app::App;
use jili_app::funds::ledger::{Amounts, LedgerQuery};
use jili_app::funds::record::FundInput;
use jili_app::funds::recover::RecoveryInput;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// 资金台账：预算 → 奖励 → 已下达 → 已使用 → 应追回 → 已追回 → 结余 / the ledger.
    Ledger {
        /// 年度（缺省为最新年度）/ the year.
        #[arg(long)]
        year: Option<i32>,
        /// 只看一条措施 / one measure.
        #[arg(long)]
        measure: Option<u32>,
        /// 只看一个单位（代码）/ one unit.
        #[arg(long)]
        unit: Option<String>,
        /// 以 JSON 输出 / print as JSON.
        #[arg(long)]
        json: bool,
        /// 导出为 XLSX 文件（金额为数值）/ write an XLSX workbook.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// 登记资金下达（合计不得超过奖励金额）/ record a disbursement.
    Disburse(EntryArgs),
    /// 登记资金使用情况（省财政厅报送；合计不得超过已下达金额）/ record a use report.
    Use(EntryArgs),
    /// 追回：已发布结果被推翻（如数据造假），更正发布结果并责令追回已下达资金 / recover an award.
    Recover {
        /// 措施序号 / the measure.
        measure: u32,
        /// 单位代码 / the unit's code.
        unit: String,
        /// 年度（缺省为最新年度）/ the year.
        #[arg(long)]
        year: Option<i32>,
        /// 追回原因（随更正公开，勿写不公开的数据）/ the public reason.
        #[arg(long)]
        reason: String,
        /// 依据的核查案件编号 / the verification case.
        #[arg(long = "case")]
        case_id: Option<i64>,
        /// 认定文件文号 / the decision's document number.
        #[arg(long = "doc", default_value = "", hide_default_value = true)]
        doc_no: String,
        /// 决定日期 YYYY-MM-DD / the decision's date.
        #[arg(long)]
        date: String,
    },
    /// 登记追回到账（合计不得超过应追回金额）/ record money returned.
    Return(EntryArgs),
}

/// A disbursement, use report or returned amount.
#[derive(Debug, clap::Args)]
pub struct EntryArgs {
    /// 措施序号 / the measure.
    measure: u32,
    /// 单位代码 / the unit's code.
    unit: String,
    /// 金额（万元，可有小数）/ the amount in 万元.
    #[arg(long)]
    amount: String,
    /// 文号 / the document number.
    #[arg(long = "doc")]
    doc_no: String,
    /// 日期 YYYY-MM-DD / the document's date.
    #[arg(long)]
    date: String,
    /// 资金渠道（下达时；缺省为措施的奖励渠道）/ the channel.
    #[arg(long, default_value = "", hide_default_value = true)]
    channel: String,
    /// 说明（使用情况：用于何处）/ a note.
    #[arg(long, default_value = "", hide_default_value = true)]
    note: String,
    /// 年度（缺省为最新年度）/ the year.
    #[arg(long)]
    year: Option<i32>,
}

impl EntryArgs {
    fn input(self) -> FundInput {
        FundInput {
            year: self.year,
            measure: self.measure,
            unit: self.unit,
            amount: self.amount,
            doc_no: self.doc_no,
            date: self.date,
            channel: self.channel,
            note: self.note,
        }
    }
}

fn amounts(a: &Amounts) -> Vec<String> {
    [a.awarded, a.disbursed, a.used, a.to_recover, a.recovered, a.undisbursed, a.outstanding]
        .iter()
        .map(|d| d.normalize().to_string())
        .collect()
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Ledger { year, measure, unit, json, output } => {
            let ledger = app.funds_ledger(&LedgerQuery { year, measure, unit }).await?;
            if let Some(file) = output {
                let bytes = jili_app::funds::export::ledger_workbook(&ledger)?;
                std::fs::write(&file, bytes).map_err(|e| anyhow::anyhow!("无法写入 {}：{e}", file.display()))?;
                println!("已导出 {}年资金台账到 {}（金额单位：万元）", ledger.year, file.display());
                return Ok(());
            }
            if json {
                return super::print_json(&ledger);
            }
            println!("{}年资金台账（万元）", ledger.year);
            let mut rows: Vec<Vec<String>> = ledger
                .measures
                .iter()
                .filter(|m| !m.budget.is_zero() || !m.amounts.awarded.is_zero() || !m.amounts.disbursed.is_zero())
                .chain(std::iter::once(&ledger.total))
                .map(|m| {
                    let no = if m.measure == 0 { "合计".to_string() } else { m.measure.to_string() };
                    let mut row = vec![no, m.short.clone(), m.budget.normalize().to_string()];
                    row.extend(amounts(&m.amounts));
                    row.push(m.balance.normalize().to_string());
                    row
                })
                .collect();
            table::print(
                &["措施", "简称", "预算", "奖励", "已下达", "已使用", "应追回", "已追回", "待下达", "待追回", "结余"],
                &rows,
            );
            rows = ledger
                .units
                .iter()
                .map(|u| {
                    let state = u.state();
                    let mut row = vec![u.measure.to_string(), u.unit.clone(), u.name.clone(), state];
                    row.extend(amounts(&u.amounts));
                    row
                })
                .collect();
            if !rows.is_empty() {
                println!();
                table::print(
                    &[
                        "措施",
                        "代码",
                        "单位",
                        "状态",
                        "奖励",
                        "已下达",
                        "已使用",
                        "应追回",
                        "已追回",
                        "待下达",
                        "待追回",
                    ],
                    &rows,
                );
            }
            println!("\n预算 = 结余 + 已下达 − 已追回（每条措施与全年均成立）；明细见 --json 或 -o 台账.xlsx");
            Ok(())
        }
        Command::Disburse(args) => {
            let id = app.disburse(&args.input()).await?;
            println!("已登记资金下达（台账第 {id} 条，已记入审计日志）");
            Ok(())
        }
        Command::Use(args) => {
            let id = app.report_fund_use(&args.input()).await?;
            println!("已登记资金使用情况（台账第 {id} 条，已记入审计日志）");
            Ok(())
        }
        Command::Return(args) => {
            let id = app.record_return(&args.input()).await?;
            println!("已登记追回到账（台账第 {id} 条，已记入审计日志）");
            Ok(())
        }
        Command::Recover { measure, unit, year, reason, case_id, doc_no, date } => {
            let input = RecoveryInput { year, measure, unit, reason, case_id, doc_no, date };
            let r = app.recover_award(&input).await?;
            println!(
                "已登记追回（台账第 {} 条）：{}的奖励 {} 万元撤销，应追回已下达资金 {} 万元",
                r.id,
                r.unit_name,
                r.award.normalize(),
                r.to_recover.normalize()
            );
            match &r.refill {
                Some((code, name)) => println!("按年度方案的递补规定，由{name}（{code}）递补入选"),
                None => println!("名额不递补：同组下一位不自动入选（年度方案 [recovery] refill = false）"),
            }
            println!("{}", r.next);
            Ok(())
        }
    }
}
