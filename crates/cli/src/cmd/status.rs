//! `jili status`: what the database holds, and its content hash.

use jili_app::App;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 以 JSON 输出 / print as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(app: &App, args: Args) -> anyhow::Result<()> {
    let status = app.status().await?;
    if args.json {
        return super::print_json(&status);
    }
    println!("部门 {} 个，单位 {} 个，数据项 {} 个", status.departments, status.units, status.series);
    let years: Vec<String> = status.programmes.iter().map(|y| format!("{y}年")).collect();
    println!("年度激励方案：{}", years.join("、"));
    println!(
        "数据批次 {} 个（其中演示数据 {} 个），当前观测值 {} 条",
        status.batches, status.demo_batches, status.observations
    );
    println!(
        "审计记录 {} 条，审计核验{}",
        status.audit_events,
        if status.audit_chain_ok {
            "通过"
        } else {
            "未通过！数据库在本系统之外被改动过（jili audit verify 查看详情）"
        }
    );
    println!("内容指纹（{}）：{}", status.seal_algorithm, status.content_hash);
    Ok(())
}
