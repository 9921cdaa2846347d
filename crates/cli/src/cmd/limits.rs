//! `jili limits`: the input limits in force (every file, plan and text is refused beyond
//! them before it is read), and loading the office's own.

use clap::Subcommand;
use jili_app::App;
use jili_model::{Limits, show_amount};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 显示当前的输入上限及来源 / show the limits in force.
    Show {
        /// 以可编辑的 TOML 输出（改后用 jili limits load 载入）/ print as an editable TOML file.
        #[arg(long)]
        toml: bool,
    },
    /// 载入办公厅的上限文件（TOML；未写的项用默认值；记入审计日志）/ load the office's limits file.
    Load {
        /// 上限文件 / the limits file.
        file: PathBuf,
    },
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Show { toml: true } => print!("{}", app.limits_text().await?.1),
        Command::Show { toml: false } => {
            let (from, _) = app.limits_text().await?;
            println!("输入上限（来自 {from}；超过即拒绝并说明是哪一项）：");
            table(&app.limits().await?);
        }
        Command::Load { file } => {
            // A limits file is a dozen lines; read no more than its own limit allows.
            let bytes = super::read_bounded(&file, 64 * 1024, "上限文件")?;
            let text = String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("“{}”不是 UTF-8 文本", file.display()))?;
            let limits = app.load_limits(&file.display().to_string(), &text).await?;
            println!("已载入输入上限（已记入审计日志）：");
            table(&limits);
        }
    }
    Ok(())
}

fn table(limits: &Limits) {
    let defaults = Limits::default().entries();
    for (e, d) in limits.entries().into_iter().zip(defaults) {
        let changed =
            if e.value == d.value { String::new() } else { format!("（默认 {}）", show_amount(d.value, d.bytes)) };
        println!("  {:<18} {:>12}  {}{changed}", e.key, show_amount(e.value, e.bytes), e.label);
    }
}
