//! `jili init`: a database for real data: reference data, the programme and example plans.

use jili_app::App;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub async fn run(app: &App, db: &str, _args: Args) -> anyhow::Result<()> {
    let s = app.init().await?;
    println!("数据库已初始化：{db}");
    println!("  参考数据：部门 {} 个，单位 {} 个（含已撤销的旧代码），数据项 {} 个", s.departments, s.units, s.series);
    println!("  年度激励方案 {} 个，示例实施方案 {} 份（示例，正式方案由牵头单位制定）", s.programmes, s.plans);
    println!("下一步：jili import 文件.xlsx --provider TJJ 导入数据提供部门的数据（--dry-run 只校验不入库）");
    Ok(())
}
