//! `jili demo`: build (or rebuild) the demo database and say what it loaded.

use indicatif::{ProgressBar, ProgressStyle};
use jili_app::App;
use jili_app::demo::{DemoStep, PlantedKind};
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 以 JSON 输出结果 / print the summary as JSON.
    #[arg(long)]
    json: bool,
    /// 只建库，不建演示账号、不发布、不启动网站 / build the database only: no demo accounts,
    /// no publication, no web server.
    #[arg(long)]
    no_serve: bool,
    #[command(flatten)]
    seal: super::init::SealArg,
    #[command(flatten)]
    pub serve: super::serve::ServeArgs,
}

pub async fn run(app: &App, db: &str, args: Args) -> anyhow::Result<()> {
    let bar = ProgressBar::new_spinner();
    bar.set_style(ProgressStyle::with_template("{spinner} {msg} [{elapsed}]")?);
    bar.enable_steady_tick(Duration::from_millis(120));
    let progress = |step: DemoStep| {
        bar.set_message(match step {
            DemoStep::Reference => "载入参考数据（部门、区划、园区、数据项目录）…".to_string(),
            DemoStep::Programme => "载入2024年激励方案…".to_string(),
            DemoStep::Plan { done, total } => format!("载入示例实施方案 {}/{total}…", done + 1),
            DemoStep::Data { done, total } => format!("生成并导入演示数据 {}/{total} 批…", done + 1),
            DemoStep::Recheck => "复查库中数据（各项校验与异常检测）…".to_string(),
            DemoStep::Evaluate => "按示例方案评价全部措施（含稳健性分析）…".to_string(),
        });
    };
    let summary = app.build_demo_sealed(&progress, args.seal.algorithm()?).await;
    bar.finish_and_clear();
    let summary = summary?;
    if args.json {
        return super::print_json(&summary);
    }
    let count = |level: &str| summary.units_by_level.get(level).copied().unwrap_or(0);
    println!("演示数据库已建成：{db}");
    println!(
        "  参考数据：部门 {} 个；市州 {}、县市区 {}、管理区 {}、园区 {}；数据项 {} 个",
        summary.departments,
        count("市州"),
        count("县市区"),
        count("管理区"),
        count("园区"),
        summary.series
    );
    println!("  年度激励方案：{}，措施 {} 条", summary.programme, summary.measures);
    println!("  实施方案：{} 份示例方案（示例，正式方案由牵头单位制定）", summary.plans);
    println!(
        "  演示数据：{} 条观测值（2021–2024年），来自 {} 个数据提供部门，全部标为“演示数据”",
        summary.observations,
        summary.batches.len()
    );
    println!("  预置问题（供数据检查发现）：");
    for p in &summary.planted {
        let what = match p.kind {
            PlantedKind::Jump => format!("异常跳变（×{}）", p.factor.unwrap_or(1.0)),
            PlantedKind::Missing => "缺失值".to_string(),
            PlantedKind::SumMismatch => format!("市州值与所辖县市区合计不符（×{}）", p.factor.unwrap_or(1.0)),
        };
        let name = app
            .units(&Default::default())
            .await?
            .into_iter()
            .find(|u| u.code == p.unit)
            .map(|u| u.name)
            .unwrap_or_default();
        println!("    {what}：{} {} {name} {}年", p.series, p.unit, p.period);
    }
    let r = &summary.recheck;
    let by: Vec<String> = r.added.iter().map(|(code, n)| format!("{} {n}", jili_app::flag_label(code))).collect();
    println!(
        "  数据复查：检查 {} 个数值，记录异常提示 {} 条（{}）；jili data flags 查看",
        r.checked,
        r.added_total(),
        by.join("、")
    );
    let winners: usize = summary.runs.iter().map(|r| r.winners).sum();
    let total: u64 = summary.runs.iter().map(|r| r.total_wan).sum();
    println!(
        "  评价：{} 条措施已按示例方案计算，入选 {winners} 个（次），拟奖励资金合计 {total} 万元（演示）",
        summary.runs.len()
    );
    println!("  内容指纹（{}）：{}", summary.seal_algorithm, summary.content_hash);
    println!();
    println!(
        "下一步：jili run all 查看各条评价结果；jili run 3 查看第3条排名；jili run 3 --explain 430100 解释一个单位的得分；"
    );
    if args.no_serve {
        println!(
            "        jili programme show 查看二十条；jili plan show 3 查看示例方案；jili units --level 市州 查看评价对象；\n        jili publish 发布评价结果；jili audit verify 核验审计日志；jili serve 启动网站（见 docs/governance.md、docs/web.md）"
        );
        return Ok(());
    }
    println!(
        "        jili programme show 查看二十条；jili plan show 3 查看示例方案；jili audit verify 核验审计日志（见 docs/governance.md）"
    );
    app.prepare_demo_portal().await?;
    println!();
    println!(
        "已发布演示结果（第 1 版），并建了每种角色的演示账号（密码均为 {}，仅限演示库）：",
        jili_app::demo::DEMO_PASSWORD
    );
    let mut rows = Vec::new();
    for (name, display, kind, scope) in jili_app::demo::DEMO_ACCOUNTS {
        let role = jili_app::Role::from_parts(kind, scope)?;
        rows.push(vec![name.to_string(), role.label().to_string(), display.to_string()]);
    }
    crate::table::print(&["用户名", "角色", "名称"], &rows);
    let releases = app.data_releases().await?;
    let corrections = releases.iter().filter(|r| r.version > 1).count();
    println!(
        "已按通报日程通报主要指标数据 {} 次（其中更正 {corrections} 次，演示），见网站“数据通报”或 jili release list；结果发布引用最新的一次。",
        releases.len()
    );
    println!("网站用法见 docs/web.md；公众无需登录。");
    super::serve::run(app, &args.serve).await
}
