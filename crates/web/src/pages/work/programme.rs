//! The office's programme page (`/work/programme`): the years' programmes with their rules,
//! and a form to check or import a year's programme file — the same use-cases as
//! `jili programme check` and `jili programme import`. A file with errors is answered with the
//! app's message (file, line, field) and nothing is stored.

use super::form;
use crate::auth::Visitor;
use crate::error::{WebError, WebResult};
use crate::extract::LoggedIn;
use axum::extract::Multipart;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jili_app::{Action, AppError};
use jili_model::Programme;
use minijinja::context;
use serde::Serialize;

/// The words of the page (key, 中文, English).
pub const WORDS: &[(&str, &str, &str)] = &[
    ("work_programme", "年度激励方案", "Yearly programmes"),
    (
        "work_programme_desc",
        "查看各年度方案的规则，检查或载入新一年的方案文件。",
        "See each year's rules; check or import a new year's programme file.",
    ),
    (
        "prg_intro",
        "每年的激励方案（措施、牵头单位、奖励渠道、单位类别、园区类别、通报表扬依据、指标个数、全省统一否决、奖励上限）都是数据：上传新一年的方案文件即可，无需改程序。格式见 docs/programme-format.md。",
        "Each year's programme (measures, leads, reward channels, unit kinds, park classes, commendation sources, indicator counts, programme-wide vetoes, caps) is data: upload a new year's file, no code change. Format: docs/programme-format.md.",
    ),
    ("prg_years", "已载入的年度", "Years loaded"),
    ("prg_year", "年度", "Year"),
    ("prg_doc", "文号", "Document"),
    ("prg_measures", "措施", "Measures"),
    ("prg_channels", "奖励渠道", "Reward channels"),
    ("prg_kinds", "单位类别", "Unit kinds"),
    ("prg_upload", "检查或载入方案文件", "Check or import a programme file"),
    ("prg_file", "方案文件（TOML，UTF-8）", "Programme file (TOML, UTF-8)"),
    ("prg_replace", "替换已有年度（该年度尚无实施方案时）", "Replace the year's programme (no plans yet)"),
    ("prg_check", "只检查（不保存）", "Check only (nothing stored)"),
    ("prg_import", "载入", "Import"),
    ("prg_summary", "方案摘要", "Summary"),
    ("prg_indicators", "实施方案指标个数", "Indicators per plan"),
    ("prg_vetoes", "全省统一否决", "Programme-wide vetoes"),
    ("prg_cap", "每个单位每年获奖上限", "Cap per unit and year"),
    ("prg_sources", "通报表扬依据", "Commendation sources"),
];

/// One year's programme in the list and the summary.
#[derive(Debug, Serialize)]
struct Row {
    year: i32,
    title: String,
    doc_no: String,
    measures: usize,
    channels: Vec<String>,
    kinds: Vec<String>,
    sources: Vec<String>,
    indicators: String,
    vetoes: Vec<String>,
    cap: String,
}

fn row(p: &Programme) -> Row {
    let r = &p.rules;
    let indicators = match (r.indicators.min, r.indicators.max) {
        (None, None) => "不限（至少 1 个）".to_string(),
        (min, max) => format!(
            "{}–{} 个",
            min.map_or("1".to_string(), |n| n.to_string()),
            max.map_or("不限".to_string(), |n| n.to_string())
        ),
    };
    let cap = r.cap.map_or("不设".to_string(), |c| {
        [c.awards.map(|n| format!("{n} 项")), c.amount_wan.map(|n| format!("{n} 万元"))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("，")
    });
    Row {
        year: p.year,
        title: p.title.clone(),
        doc_no: p.doc_no.clone(),
        measures: p.measures.len(),
        channels: r.channels.clone(),
        kinds: r.kinds.iter().map(|k| format!("{}（{}：{}）", k.name, k.level, k.unit_kinds.join("、"))).collect(),
        sources: r.commendation_sources.clone(),
        indicators,
        vetoes: r.vetoes.iter().map(|v| format!("{}（{}）", v.reason, v.series)).collect(),
        cap,
    }
}

async fn page(v: &Visitor, ok: String, error: String, summary: Option<Row>) -> WebResult<Response> {
    v.app.allow(Action::Configure)?;
    let mut years = Vec::new();
    for year in v.app.programme_years().await? {
        years.push(row(&v.app.programme(Some(year)).await?));
    }
    let status = if error.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = v.page("work/programme.html", context! { years, ok, error, summary })?;
    Ok((status, page).into_response())
}

/// `GET /work/programme`.
pub(super) async fn show(v: LoggedIn) -> WebResult<Response> {
    page(&v, String::new(), String::new(), None).await
}

/// `POST /work/programme` (multipart: `csrf`, `file`, `replace`, `action` = `check` | `import`).
pub(super) async fn upload(
    v: LoggedIn,
    body: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> WebResult<Response> {
    v.app.allow(Action::Configure)?;
    let fields = form::read(form::multipart_or_refuse(body)?, Some(&v)).await?;
    let Some((name, bytes)) = fields.file.as_ref().filter(|(_, b)| !b.is_empty()) else {
        return page(&v, String::new(), "请选择要上传的方案文件（TOML）".into(), None).await;
    };
    let name = if name.trim().is_empty() { "上传的方案文件".to_string() } else { name.clone() };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return page(
            &v,
            String::new(),
            format!("文件 {name} 不是 UTF-8 编码的 TOML 文本：请另存为 UTF-8 后重试"),
            None,
        )
        .await;
    };
    let outcome = if fields.get("action") == "check" {
        v.app.check_programme(&name, text).await.map(|(p, exists)| {
            let note = if exists {
                format!("；数据库中已有{}年的激励方案，载入须勾选“替换已有年度”", p.year)
            } else {
                String::new()
            };
            (
                format!(
                    "检查通过：{}年 {}（{}），措施 {} 条；未保存{note}",
                    p.year,
                    p.title,
                    p.doc_no,
                    p.measures.len()
                ),
                p,
            )
        })
    } else {
        v.app.import_programme(&name, text, fields.flag("replace")).await.map(|done| {
            let verb = if done.replaced { "已替换" } else { "已载入" };
            let p = done.programme;
            (format!("{verb}{}年激励方案：{}（{}），措施 {} 条", p.year, p.title, p.doc_no, p.measures.len()), p)
        })
    };
    match outcome {
        Ok((ok, p)) => page(&v, ok, String::new(), Some(row(&p))).await,
        Err(e @ (AppError::Invalid(_) | AppError::NotFound(_) | AppError::Model(_))) => {
            page(&v, String::new(), e.to_string(), None).await
        }
        Err(e) => Err(WebError::from(e)),
    }
}
