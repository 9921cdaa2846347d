//! `jili release`: the regular releases of the main indicator data (定期通报主要指标数据) —
//! the calendar, making a release, correcting it, listing and showing them.

use crate::table;
use jili_app::{App, DataRelease};
use jili_model::Status;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// 通报日程：各类定期通报、所收数据项、各截止期的应通报日期与状态；--load 载入办公厅的日程文件 /
    /// the release calendar and its schedule.
    Calendar {
        /// 载入办公厅自己的通报日程文件（TOML，格式见 data/releases/calendar.toml）/ load the office's calendar.
        #[arg(long, value_name = "FILE.toml")]
        load: Option<PathBuf>,
        /// 显示哪些年份的截止期（默认：最新年度方案的年份和今年）/ years of the schedule.
        #[arg(long, value_delimiter = ',')]
        years: Vec<i32>,
        /// 以 JSON 输出 / print as JSON.
        #[arg(long)]
        json: bool,
    },
    /// 通报截止期及以前的主要指标数据（只含可公开的数据项；不可更改）/ make a data release.
    Make {
        /// 截止期，如 2024-Q3（季度）、2024（年度）/ the cut-off period.
        #[arg(long)]
        cutoff: String,
        /// 日程中的通报代码（如 quarterly）；不写则按截止期的频度选择 / the calendar entry.
        #[arg(long)]
        calendar: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// 更正已通报的数据：按库中最新修订值生成新版本，必须写明原因（公开），旧版本保留 / correct a release.
    Correct {
        /// 截止期，如 2024-Q3 / the cut-off period.
        #[arg(long)]
        cutoff: String,
        #[arg(long)]
        calendar: Option<String>,
        /// 更正原因（将随新版本公开）/ why (made public).
        #[arg(long)]
        reason: String,
        #[arg(long)]
        json: bool,
    },
    /// 全部数据通报（含已更正的旧版本），最新在前 / every release version.
    List {
        #[arg(long)]
        json: bool,
    },
    /// 查看一次数据通报（默认最新），或写成文件 / show a release, or write it as a file.
    Show {
        /// 通报编号（见 jili release list；默认最新的一次）/ the release id.
        id: Option<i64>,
        /// 只显示这个数据项的数值表（单位 × 时期）/ the values of one series.
        #[arg(long)]
        series: Option<String>,
        /// 写成 CSV（UTF-8 带 BOM）、XLSX 或 SDMX-CSV（按扩展名 .csv / .xlsx / .sdmx.csv）/ write a file.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(app: &App, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Calendar { load, years, json } => {
            if let Some(path) = &load {
                let text = super::read_plan_file(app, path).await?;
                let c = app.load_release_calendar(&path.display().to_string(), &text).await?;
                println!("已载入通报日程：{} 种定期通报（已记入审计日志）", c.releases.len());
            }
            let view = app.release_schedule((!years.is_empty()).then_some(years.as_slice())).await?;
            if json {
                return super::print_json(&view);
            }
            println!("通报日程（来源：{}）", view.source);
            for r in &view.releases {
                let s = &r.schedule;
                println!();
                println!(
                    "{}（{}）：{}度，收录截止期所在年份及之前共 {} 年，截止期结束后 {} 天内通报",
                    s.name,
                    s.id,
                    s.frequency.word(),
                    s.years,
                    s.due_days
                );
                println!(
                    "  数据项：{}",
                    if r.series_names.is_empty() { "（无）".into() } else { r.series_names.join("、") }
                );
                let rows: Vec<Vec<String>> = r
                    .cutoffs
                    .iter()
                    .map(|c| {
                        let made = c.made.as_ref().map_or_else(String::new, |m| {
                            format!(
                                "编号 {} 第 {} 版（{}）",
                                m.id,
                                m.version,
                                jili_app::clock::beijing_time(&m.released_at)
                            )
                        });
                        vec![c.cutoff_label.clone(), c.due.clone(), c.state.clone(), made]
                    })
                    .collect();
                table::print(&["截止期", "应通报日期", "状态", "已通报"], &rows);
            }
        }
        Command::Make { cutoff, calendar, json } => {
            let r = app.make_release(calendar.as_deref(), &cutoff).await?;
            if json {
                return super::print_json(&r);
            }
            println!("已通报（已记入审计日志，不可更改；更正请用 jili release correct）：");
            print_head(&r);
        }
        Command::Correct { cutoff, calendar, reason, json } => {
            let r = app.correct_release(calendar.as_deref(), &cutoff, &reason).await?;
            if json {
                return super::print_json(&r);
            }
            println!("已更正（新版本已记入审计日志；旧版本保留，标为“已更正”）：");
            print_head(&r);
        }
        Command::List { json } => {
            let all = app.data_releases().await?;
            if json {
                return super::print_json(&all);
            }
            if all.is_empty() {
                println!("还没有数据通报：用 jili release make --cutoff 2024-Q3 通报（日程见 jili release calendar）");
                return Ok(());
            }
            let rows: Vec<Vec<String>> = all
                .iter()
                .map(|r| {
                    let state = if r.superseded {
                        format!("已更正（见编号 {}）", r.newest_id)
                    } else {
                        "现行".into()
                    };
                    vec![
                        r.id.to_string(),
                        format!("{}{}", if r.demo { "【演示】" } else { "" }, r.name),
                        r.cutoff_label.clone(),
                        r.version.to_string(),
                        jili_app::clock::beijing_time(&r.released_at),
                        state,
                        r.reason.clone(),
                    ]
                })
                .collect();
            table::print(&["编号", "通报", "截止期", "版本", "通报时间", "状态", "说明"], &rows);
        }
        Command::Show { id, series, out, json } => {
            let id = match id {
                Some(id) => id,
                None => match app.data_releases().await?.first() {
                    Some(r) => r.id,
                    None => anyhow::bail!("还没有数据通报：用 jili release make --cutoff 2024-Q3 通报"),
                },
            };
            let r = app.data_release(id).await?;
            if let Some(path) = &out {
                return write_file(app, &r, path).await;
            }
            if json {
                return super::print_json(&r);
            }
            print_head(&r);
            match series {
                Some(code) => print_values(&r, &code)?,
                None => {
                    let rows: Vec<Vec<String>> = r
                        .body
                        .series
                        .iter()
                        .map(|s| {
                            let n = r.body.values.iter().filter(|v| v.series == s.code).count();
                            vec![s.code.clone(), s.name.clone(), s.unit.clone(), s.source.clone(), n.to_string()]
                        })
                        .collect();
                    table::print(&["代码", "数据项", "计量单位", "来源", "数值个数"], &rows);
                    println!("用 --series 代码 查看某个数据项的数值，--out 文件 写成 CSV/XLSX/SDMX-CSV");
                }
            }
        }
    }
    Ok(())
}

/// The heading lines of a release: what, which version, whether corrected, its digest.
fn print_head(r: &DataRelease) {
    let s = &r.summary;
    if s.demo {
        println!("【演示数据，非真实统计：虚构数据，不得作为正式数据引用】");
    }
    println!("编号 {}：{}（{}）第 {} 版，{}，{}", s.id, s.name, s.cutoff_label, s.version, s.released_at, s.reason);
    if s.superseded {
        println!("已更正：本版已由第 {} 版（编号 {}）取代，请以最新版本为准", s.newest_version, s.newest_id);
    }
    println!(
        "数据项 {} 个、单位 {} 个、数值 {} 个（只含可公开的数据项）；应通报日期 {}；内容 sha256 {}",
        r.body.series.len(),
        r.body.units.len(),
        r.body.values.len(),
        r.body.due,
        s.sha256
    );
}

/// One series' values: a row per unit, a column per period.
fn print_values(r: &DataRelease, code: &str) -> anyhow::Result<()> {
    let s = r.body.series.iter().find(|s| s.code == code).ok_or_else(|| {
        let codes: Vec<&str> = r.body.series.iter().map(|s| s.code.as_str()).collect();
        anyhow::anyhow!("这次通报没有数据项“{code}”：可选 {}", codes.join("、"))
    })?;
    let values: Vec<_> = r.body.values.iter().filter(|v| v.series == code).collect();
    let periods: BTreeSet<jili_model::Period> = values.iter().filter_map(|v| v.period.parse().ok()).collect();
    let mut by_unit: BTreeMap<&str, BTreeMap<String, String>> = BTreeMap::new();
    for v in &values {
        let mark = if v.status == Status::Preliminary { "*" } else { "" };
        by_unit.entry(&v.unit).or_default().insert(v.period.clone(), format!("{}{mark}", v.value));
    }
    let name = |u: &str| r.body.units.iter().find(|x| x.code == u).map_or_else(|| u.to_string(), |x| x.name.clone());
    let mut headers = vec!["单位".to_string()];
    headers.extend(periods.iter().map(|p| p.label()));
    let rows: Vec<Vec<String>> = by_unit
        .iter()
        .map(|(u, vs)| {
            let mut row = vec![name(u)];
            row.extend(periods.iter().map(|p| vs.get(&p.to_string()).cloned().unwrap_or_else(|| "—".into())));
            row
        })
        .collect();
    println!("{}（{}，来源：{}）", s.name, s.unit, s.source);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    table::print(&headers, &rows);
    if values.iter().any(|v| v.status == Status::Preliminary) {
        println!("* 初步数（以后可能修订）");
    }
    Ok(())
}

/// Write a release as CSV, XLSX or SDMX-CSV, by the file's extension.
async fn write_file(app: &App, r: &DataRelease, path: &std::path::Path) -> anyhow::Result<()> {
    let name = path.display().to_string().to_lowercase();
    let bytes = if name.ends_with(".sdmx.csv") {
        app.release_sdmx(r).await?.into_bytes()
    } else if name.ends_with(".csv") {
        app.release_csv(r).await?
    } else if name.ends_with(".xlsx") {
        app.release_xlsx(r).await?
    } else {
        anyhow::bail!("不认识“{}”的格式：文件名请以 .csv、.xlsx 或 .sdmx.csv 结尾", path.display());
    };
    std::fs::write(path, bytes).map_err(|e| anyhow::anyhow!("无法写入“{}”：{e}", path.display()))?;
    println!("已写出：{}（编号 {}，第 {} 版）", path.display(), r.summary.id, r.summary.version);
    Ok(())
}
