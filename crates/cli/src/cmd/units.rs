//! `jili units`: list evaluated units, filtered by level, plate, parent and year.

use crate::table;
use jili_app::{App, UnitFilter};
use jili_model::{Level, Plate};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 层级：市州、县市区、管理区、园区 / level.
    #[arg(long)]
    level: Option<String>,
    /// 板块：长株潭、洞庭湖、湘南、大湘西 / plate.
    #[arg(long)]
    plate: Option<String>,
    /// 上级代码（如 430100 列出长沙市所辖县市区）/ parent code.
    #[arg(long)]
    parent: Option<String>,
    /// 只列出该年度有效的代码（默认 2024）/ only codes in force in this year.
    #[arg(long, default_value_t = 2024)]
    year: i32,
    /// 以 JSON 输出 / print as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(app: &App, args: Args) -> anyhow::Result<()> {
    let level = args.level.as_deref().map(str::parse::<Level>).transpose().map_err(anyhow::Error::msg)?;
    let plate = args.plate.as_deref().map(str::parse::<Plate>).transpose().map_err(anyhow::Error::msg)?;
    let filter = UnitFilter { level, plate, parent: args.parent, year: Some(args.year) };
    let units = app.units(&filter).await?;
    if args.json {
        return super::print_json(&units);
    }
    if units.is_empty() {
        println!("没有符合条件的单位。数据库为空时请先运行 jili demo。");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = units
        .iter()
        .map(|u| {
            vec![
                u.code.clone(),
                u.name.clone(),
                u.level.to_string(),
                u.kind.clone(),
                u.plate.map(|p| p.to_string()).unwrap_or_default(),
                u.parent.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table::print(&["代码", "名称", "层级", "类型", "板块", "上级"], &rows);
    println!("共 {} 个（{} 年有效）", units.len(), args.year);
    Ok(())
}
