//! `jili plan show MEASURE`: a plan in plain Chinese.

use super::review;
use crate::table;
use jili_app::App;
use jili_model::PlanStatus;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// 显示某条措施的实施方案 / show the plan of a measure.
    Show {
        /// 措施序号（1–20）/ the measure number.
        measure: u32,
        /// 年度（默认最新）/ year (default: the newest).
        #[arg(long)]
        year: Option<i32>,
        /// 输出方案原文（TOML）/ print the plan file as stored.
        #[arg(long)]
        toml: bool,
        /// 以 JSON 输出 / print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// 按通知的规则检查方案（过程性指标、基层报送、总量增量比率、区域分布等）/ lint a plan.
    Lint {
        /// 方案文件（TOML），或已入库方案的措施序号 / a plan file, or a measure number.
        plan: String,
        /// 某板块入选占比超过其单位占比多少时提醒（默认 0.25）/ the regional-spread margin.
        #[arg(long)]
        margin: Option<f64>,
        /// 以 JSON 输出 / print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// 保存方案文件为草稿（新版本，或更新当前草稿）/ save a plan file as a draft.
    Draft {
        /// 方案文件（TOML）/ the plan file.
        file: std::path::PathBuf,
    },
    /// 用当前数据试算草稿，并按通知的规则检查（不保存、不公布）/ trial a draft on current data.
    Trial {
        /// 方案文件（TOML）/ the plan file.
        file: std::path::PathBuf,
    },
    /// 提交最新草稿审核（有错误时不能提交）/ submit the newest draft for review.
    Submit {
        /// 措施序号（1–20）/ the measure number.
        measure: u32,
        /// 年度（默认最新）/ year (default: the newest).
        #[arg(long)]
        year: Option<i32>,
    },
    /// 退回方案（须写意见）/ return a submitted version with a comment.
    Return {
        /// 措施序号（1–20）/ the measure number.
        measure: u32,
        /// 版本号 / the version.
        #[arg(long)]
        version: i64,
        /// 退回意见 / what to change.
        #[arg(long)]
        comment: String,
        /// 年度（默认最新）/ year (default: the newest).
        #[arg(long)]
        year: Option<i32>,
    },
    /// 批准方案（批准后不可更改）/ approve a submitted version.
    Approve {
        /// 措施序号（1–20）/ the measure number.
        measure: u32,
        /// 版本号 / the version.
        #[arg(long)]
        version: i64,
        /// 审核意见（可选）/ a comment.
        #[arg(long, default_value = "", hide_default_value = true)]
        comment: String,
        /// 年度（默认最新）/ year (default: the newest).
        #[arg(long)]
        year: Option<i32>,
    },
    /// 公布已批准的方案 / publish an approved version.
    Publish {
        /// 措施序号（1–20）/ the measure number.
        measure: u32,
        /// 版本号 / the version.
        #[arg(long)]
        version: i64,
        /// 年度（默认最新）/ year (default: the newest).
        #[arg(long)]
        year: Option<i32>,
    },
    /// 方案的各版本与审核记录 / versions and review steps.
    History {
        /// 措施序号（1–20）/ the measure number.
        measure: u32,
        /// 年度（默认最新）/ year (default: the newest).
        #[arg(long)]
        year: Option<i32>,
    },
    /// 比较两个版本（指标、权重、名额、奖励）/ what changed between two versions.
    Diff {
        /// 措施序号（1–20）/ the measure number.
        measure: u32,
        /// 旧版本 / the older version.
        from: i64,
        /// 新版本 / the newer version.
        to: i64,
        /// 年度（默认最新）/ year (default: the newest).
        #[arg(long)]
        year: Option<i32>,
    },
    /// 检查一个方案文件（不保存）；--trial 用当前数据试算 / check a plan file without storing it.
    Check {
        /// 方案文件（TOML）/ the plan file.
        file: std::path::PathBuf,
        /// 用当前数据试算（不保存、不公布）/ evaluate it on the current data, nothing stored.
        #[arg(long)]
        trial: bool,
        /// 试算的稳健性样本数 / Monte Carlo samples for the trial.
        #[arg(long, default_value_t = 0)]
        samples: u32,
    },
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    let (measure, year, toml, json) = match command {
        Command::Show { measure, year, toml, json } => (measure, year, toml, json),
        Command::Check { file, trial, samples } => return check(app, &file, trial, samples).await,
        Command::Lint { plan, margin, json } => return super::lint::run(app, &plan, margin, json).await,
        Command::Draft { file } => return review::draft(app, &file).await,
        Command::Trial { file } => return review::trial(app, &file, None).await,
        Command::Submit { measure, year } => return review::submit(app, measure, year).await,
        Command::Return { measure, version, comment, year } => {
            let d = review::Decision { year, version, to: PlanStatus::Returned, comment: &comment };
            return review::decide(app, measure, d).await;
        }
        Command::Approve { measure, version, comment, year } => {
            let d = review::Decision { year, version, to: PlanStatus::Approved, comment: &comment };
            return review::decide(app, measure, d).await;
        }
        Command::Publish { measure, version, year } => {
            let d = review::Decision { year, version, to: PlanStatus::Published, comment: "" };
            return review::decide(app, measure, d).await;
        }
        Command::History { measure, year } => return review::history(app, measure, year).await,
        Command::Diff { measure, from, to, year } => return review::diff(app, measure, from, to, year).await,
    };
    let view = app.plan(year, measure).await?;
    if toml {
        print!("{}", view.stored.toml);
        return Ok(());
    }
    if json {
        return super::print_json(&view.plan);
    }
    if !view.stored.status.in_force() {
        match app.plan_in_force(view.plan.header.year, measure).await {
            Ok(f) => println!(
                "（这是最新的第 {} 版，状态“{}”；正式评价使用已批准的第 {} 版：jili plan history {measure}）",
                view.stored.version,
                view.stored.status.label(),
                f.stored.version
            ),
            Err(_) => println!("（这是最新的第 {} 版，尚未批准；批准前只能试算）", view.stored.version),
        }
    }
    // The words are the app's (`plan_text`), the same the portal shows; only the layout is here.
    let catalogue = app.catalogue().await?;
    let t = jili_app::plans::plan_text::plan_text(&view, &catalogue);
    println!("{}", t.title);
    if t.example {
        println!("【示例方案】由 jili 编写，用于演示方案格式；正式实施方案由牵头单位制定，报省政府办公厅审核后发布。");
    }
    println!(
        "第 {} 条 · 牵头单位 {} · 版本 v{} {} · 评价 {} 年（基期 {} 年）",
        view.plan.header.measure,
        view.plan.header.lead,
        t.version,
        view.stored.status.label(),
        t.period,
        t.base
    );
    println!("评价对象：{}；数据缺失时：{}", t.units.join("、"), t.missing);
    if !t.note.is_empty() {
        println!("说明：{}", t.note);
    }
    if !t.exclude.is_empty() {
        println!("不参评：{}", t.exclude.join("、"));
    }
    println!(
        "合成方法：{}；权重：{}；{}标准化，满分 {}；稳健性分析 {} 个样本，权重浮动 ±{:.0}%",
        t.aggregate,
        t.weights,
        t.peer,
        t.scale,
        t.samples,
        t.weight_spread * 100.0
    );
    if !t.pillars.is_empty() {
        let pillars: Vec<String> =
            t.pillars.iter().map(|pl| format!("{}（{:.0}%，{}）", pl.name, pl.weight * 100.0, pl.aggregate)).collect();
        println!("一级指标：{}；下表权重为一级指标内的权重", pillars.join("、"));
    }
    println!();
    let rows: Vec<Vec<String>> = t
        .indicators
        .iter()
        .map(|i| {
            let category =
                if i.pillar.is_empty() { i.category.clone() } else { format!("{}（{}）", i.category, i.pillar) };
            vec![
                i.name.clone(),
                i.series.clone(),
                i.source.clone(),
                i.basis.clone(),
                i.direction.clone(),
                category,
                i.applies.clone(),
                format!("{:.0}%", i.weight * 100.0),
                i.normalise.clone(),
            ]
        })
        .collect();
    table::print(&["指标", "数据项", "数据来源", "口径", "方向", "类别", "适用范围", "权重", "标准化"], &rows);
    println!();
    for g in &t.groups {
        match g.quota {
            Some(quota) => println!("分组“{}”：名额 {quota} 个", g.id),
            None => println!("分组“{}”：不单独设名额", g.id),
        }
    }
    if let Some(total) = t.total_quota {
        println!("总名额：{total} 个");
    }
    if !t.tie_break.is_empty() {
        println!("同分时依次比较：{}（最后按单位代码）", t.tie_break.join("、"));
    }
    for v in &t.vetoes {
        println!("一票否决：{}（{}；依据：{}）", v.reason, v.condition, v.basis);
    }
    for r in &t.rewards {
        let items = if r.items.is_empty() { String::new() } else { format!("，{}", r.items.join("、")) };
        println!("奖励“{}”：{}（{}）{items}", r.group, r.amount, r.channel);
    }
    println!();
    println!("方案文件：{}（sha256 {}）", view.stored.source_name, &view.stored.sha256[..16]);
    Ok(())
}

/// `jili plan check FILE [--trial]`.
async fn check(app: &App, file: &std::path::Path, trial: bool, samples: u32) -> anyhow::Result<()> {
    let text = super::read_plan_file(app, file).await?;
    let plan = app.check_plan(&file.display().to_string(), &text).await?;
    let h = &plan.header;
    println!(
        "方案检查通过：第 {} 条 {}（{} 个指标，{} 个分组）；未保存",
        h.measure,
        h.title,
        plan.indicators.len(),
        plan.groups.len()
    );
    if !trial {
        println!("用 --trial 以当前数据试算（不保存、不公布）");
        return Ok(());
    }
    review::trial(app, file, Some(samples)).await
}
