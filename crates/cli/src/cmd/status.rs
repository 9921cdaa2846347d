//! `jili status`: what the database holds, and its content hash.

use jili_app::App;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 以 JSON 输出 / print as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, serde::Serialize)]
struct Status {
    departments: usize,
    units: usize,
    series: usize,
    programmes: Vec<i32>,
    batches: usize,
    demo_batches: usize,
    observations: usize,
    audit_events: usize,
    audit_chain_ok: bool,
    content_hash: String,
}

pub async fn run(app: &App, args: Args) -> anyhow::Result<()> {
    let s = &app.store;
    let batches = s.batches().await?;
    let status = Status {
        departments: s.departments().await?.len(),
        units: s.units().await?.len(),
        series: s.series().await?.len(),
        programmes: s.programme_years().await?,
        demo_batches: batches.iter().filter(|b| b.demo).count(),
        batches: batches.len(),
        observations: s.observations().await?.len(),
        audit_events: s.audit_events().await?.len(),
        audit_chain_ok: s.verify_audit().await?.is_none(),
        content_hash: app.content_hash().await?,
    };
    if args.json {
        return super::print_json(&status);
    }
    println!("部门 {} 个，单位 {} 个，数据项 {} 个", status.departments, status.units, status.series);
    println!("年度激励方案：{:?}", status.programmes);
    println!(
        "数据批次 {} 个（其中演示数据 {} 个），当前观测值 {} 条",
        status.batches, status.demo_batches, status.observations
    );
    println!(
        "审计记录 {} 条，哈希链{}",
        status.audit_events,
        if status.audit_chain_ok { "完整" } else { "已被破坏！" }
    );
    println!("内容指纹（sha256）：{}", status.content_hash);
    Ok(())
}
