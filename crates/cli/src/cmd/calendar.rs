//! `jili calendar`: the office's dates of a programme year (plans, data, evaluation,
//! publication) and the progress board against them, with the overdue list to chase.

use crate::table;
use jili_app::App;
use jili_app::calendar::SetDate;
use jili_model::calendar::Day;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// 设定日程中的一个日期（同一事项再设即替换；记入审计日志）/ set a date of the calendar.
    Set {
        /// 类别：plan（实施方案报送）、data（数据报送）、evaluation（评价）、publication（结果公布）/ what for.
        kind: String,
        /// 截止日期（北京时间当天为止），如 2025-03-31 / the last day.
        due: String,
        /// 年度方案的年份（默认最新）/ the programme year.
        #[arg(long)]
        year: Option<i32>,
        /// plan：某条措施（默认全部措施）/ one measure.
        #[arg(long)]
        measure: Option<u32>,
        /// data：某个数据项（代码）/ one series.
        #[arg(long)]
        series: Option<String>,
        /// data：某个提供部门的全部数据项（部门代码或名称，如 TJJ 或 省统计局）/ one provider's series.
        #[arg(long)]
        provider: Option<String>,
        /// data：报送的期别，如 2024 / the period owed.
        #[arg(long)]
        period: Option<String>,
        /// 说明（如文件依据）/ a note.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// 查看一年的日程 / show the calendar.
    Show {
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// 工作进度看板：各措施实施方案、各部门应报数据对照日程的状态 / the progress board.
    Board {
        #[arg(long)]
        year: Option<i32>,
        /// 只列逾期未报的（催报清单）/ overdue items only.
        #[arg(long)]
        overdue: bool,
        /// 按某日计算状态（默认今天，北京时间），如 2025-04-01 / compute states as of a day.
        #[arg(long)]
        as_of: Option<String>,
        /// 写成 CSV 或 XLSX（按扩展名）/ write the list as a file.
        #[arg(long, short = 'o', value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Set { kind, due, year, measure, series, provider, period, note } => {
            let set = SetDate { year, kind, measure, series, provider, period, due, note };
            let changed = app.set_calendar_date(&set).await?;
            println!("{}", if changed { "已设定（已记入审计日志）" } else { "日期未变，未作记录" });
            print_calendar(app, year).await?;
        }
        Command::Show { year, json } => {
            if json {
                return super::print_json(&app.calendar(year).await?);
            }
            print_calendar(app, year).await?;
        }
        Command::Board { year, overdue, as_of, out, json } => {
            let today = as_of.as_deref().map(Day::parse).transpose().map_err(anyhow::Error::msg)?;
            let mut board = app.board(year, today).await?;
            if overdue {
                board = board.overdue();
            }
            if let Some(path) = &out {
                let xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
                std::fs::write(path, board.export(xlsx)?)
                    .map_err(|e| anyhow::anyhow!("无法写入“{}”：{e}", path.display()))?;
                println!("已写入 {}（{} 行）", path.display(), board.plans.len() + board.data.len());
                return Ok(());
            }
            if json {
                return super::print_json(&board);
            }
            let what = if overdue { "逾期未报清单" } else { "工作进度" };
            println!("{} 年度{what}（截至 {}，北京时间）", board.year, board.today);
            let dates: Vec<String> = [("评价", &board.evaluation), ("结果公布", &board.publication)]
                .iter()
                .filter_map(|(w, d)| d.as_ref().map(|d| format!("{w} {d}")))
                .collect();
            if !dates.is_empty() {
                println!("计划：{}", dates.join("，"));
            }
            let rows: Vec<Vec<String>> = board.table().into_iter().map(Vec::from).collect();
            if rows.is_empty() {
                println!("（无）");
            } else {
                table::print(&jili_app::calendar::board::TABLE_HEADERS, &rows);
            }
        }
    }
    Ok(())
}

async fn print_calendar(app: &App, year: Option<i32>) -> anyhow::Result<()> {
    let view = app.calendar(year).await?;
    println!("{} 年度日程", view.year);
    if view.dates.is_empty() {
        println!("（尚未设定日期：jili calendar set plan 2025-03-31 …）");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = view
        .dates
        .iter()
        .map(|d| vec![d.kind_label.clone(), d.subject_label.clone(), d.date.due.clone(), d.date.note.clone()])
        .collect();
    table::print(&["类别", "事项", "截止日期", "说明"], &rows);
    Ok(())
}
