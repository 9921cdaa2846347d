//! `jili map import`: the office's approved county GeoJSON, drawn on county measures' pages.

use jili_app::App;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// 导入经审核的县级行政区划地图（GeoJSON，要素带 6 位区划代码）/ import an approved county GeoJSON.
    Import {
        /// GeoJSON 文件 / the file.
        file: std::path::PathBuf,
        /// 审图号（如 湘S〔2024〕012号）/ the map's approval number.
        #[arg(long)]
        approval: String,
    },
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Import { file, approval } => {
            let bytes = super::read_bounded(&file, app.limits().await?.file_bytes, "file_bytes")?;
            let name = file.display().to_string();
            let r = app.import_county_map(&name, &bytes, &approval).await?;
            println!("已导入县级地图 {name}（审图号 {}）：{} 个县市区与区划代码对应", approval.trim(), r.matched);
            if !r.missing.is_empty() {
                println!("  地图中缺少 {} 个县市区：{}", r.missing.len(), r.missing.join("、"));
            }
            if !r.unknown.is_empty() {
                println!("  {} 个要素的代码不是本省县市区，只画轮廓：{}", r.unknown.len(), r.unknown.join("、"));
            }
            Ok(())
        }
    }
}
