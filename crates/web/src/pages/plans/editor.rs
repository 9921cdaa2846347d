//! `/work/plans/{measure}/edit`: the plan editor. GET shows the newest version as a form; POST
//! carries one button: a row added or removed, 检查 (lint), 试算 (trial), 保存草稿, or 提交.
//! Bad input re-renders the form with the findings and stores nothing. Also TOML import and
//! export.

use super::form::{Fields, LEVELS, PLATES, fields, plan_form, row_action};
use super::{measure_no, status_word, year};
use crate::auth::Visitor;
use crate::error::{WebError, WebResult};
use crate::extract::{CheckedForm, LoggedIn};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jili_app::plans::plan_form::{Finding, PlanForm};
use minijinja::{Value, context};
use serde::Deserialize;

/// What the stored plan is called when saved from the editor.
pub(super) fn source_name(measure: u32) -> String {
    format!("网页编辑器：第{measure}条措施实施方案")
}

const BASES: &[(&str, &str)] = &[
    ("total", "总量"),
    ("increment", "增量"),
    ("rate", "比率（增速）"),
    ("level", "水平值"),
    ("ratio", "比率（比值）"),
    ("average", "多年平均值"),
    ("cagr", "年均增速"),
    ("improvement", "提升幅度（与上年比）"),
    ("score_improvement", "得分提升幅度"),
];
const POLARITIES: &[(&str, &str)] =
    &[("higher", "正向（越高越好）"), ("lower", "负向（越低越好）"), ("target", "越接近目标越好")];
const CATEGORIES: &[&str] = &["共性", "功能性", "特色性"];
const NORMALISE: &[(&str, &str)] = &[
    ("", "默认（极差标准化）"),
    ("minmax", "极差标准化"),
    ("zscore", "Z 分数"),
    ("rank", "排序"),
    ("percentile", "百分位"),
    ("goalposts", "固定阈值"),
    ("target", "目标达成度"),
    ("efficacy", "功效系数法"),
    ("fraction_of_max", "占最大值比例"),
    ("proportion", "比例"),
    ("vector", "向量归一"),
    ("none", "不标准化"),
];
const MISSING: &[(&str, &str)] = &[
    ("", "默认（跳过该指标，重新计权）"),
    ("reweight", "跳过该指标，按其余指标重新计权"),
    ("group_mean", "以同组平均值补齐"),
    ("group_median", "以同组中位数补齐"),
    ("zero", "按零分计"),
    ("ineligible", "不参加评选"),
];
const REWARD_KINDS: &[(&str, &str)] = &[
    ("amount", "每个入选单位固定金额"),
    ("tiers", "按名次分档（如 500/300/200）"),
    ("pool", "资金池按得分分配"),
    ("items", "仅非资金奖励"),
];

/// Everything the editor page shows besides the form.
#[derive(Default)]
pub(super) struct Extras {
    pub findings: Option<Vec<Finding>>,
    pub trial: Option<Value>,
    pub message: String,
    pub error: String,
}

/// Render the editor for `form`.
pub(super) async fn page(
    v: &Visitor,
    year: i32,
    form: &PlanForm,
    extras: Extras,
    status: StatusCode,
) -> WebResult<Response> {
    let catalogue = v.app.catalogue().await?;
    let series: Vec<Value> = catalogue
        .all_series()
        .map(|s| {
            Value::from_serialize(
                serde_json::json!({"code": s.code, "label": format!("{}（{}，{}）", s.name, s.code, s.unit)}),
            )
        })
        .collect();
    let series_codes: Vec<String> = catalogue.all_series().map(|s| s.code.clone()).collect();
    let newest = v.app.plan_version(year, form.measure, None).await.ok();
    let (version, status_label) =
        newest.as_ref().map_or((None, "尚无方案"), |p| (Some(p.stored.version), status_word(p.stored.status)));
    let page = v.page(
        "plans/editor.html",
        context! {
            measure => form.measure, year, form, series, series_codes, version, status_label,
            bases => BASES, polarities => POLARITIES, categories => CATEGORIES, normalise => NORMALISE,
            missing => MISSING, reward_kinds => REWARD_KINDS, levels => LEVELS, plates => PLATES,
            findings => extras.findings, trial => extras.trial, message => extras.message, error => extras.error,
        },
    )?;
    Ok((status, page).into_response())
}

/// The query after a save (`?saved=…`): which message the editor shows.
#[derive(Deserialize, Default)]
pub(super) struct Saved {
    #[serde(default)]
    saved: String,
}

/// The form of the newest stored version (or an empty one when there is none).
pub(super) async fn stored_form(v: &Visitor, year: i32, measure: u32) -> WebResult<PlanForm> {
    match v.app.plan_version(year, measure, None).await {
        Ok(view) => Ok(PlanForm::from_toml(&view.stored.source_name, &view.stored.toml)?),
        Err(jili_app::AppError::NotFound(_)) => {
            let programme = v.app.programme(Some(year)).await?;
            let lead = programme.measure(measure).map_or(String::new(), |m| m.lead.clone());
            Ok(PlanForm { measure, year: year.to_string(), lead, ..PlanForm::default() })
        }
        Err(e) => Err(e.into()),
    }
}

/// GET: the newest version as a form.
pub(super) async fn open(v: LoggedIn, Path(measure): Path<String>, Query(q): Query<Saved>) -> WebResult<Response> {
    let measure = measure_no(&measure)?;
    let year = year(&v).await?;
    v.app.plan_editor_access(year, measure).await?;
    let form = stored_form(&v, year, measure).await?;
    let message = q.saved.parse::<i64>().map_or(String::new(), |n| format!("已保存为第 {n} 版草稿"));
    page(&v, year, &form, Extras { message, ..Extras::default() }, StatusCode::OK).await
}

/// POST: one of the editor's buttons.
pub(super) async fn act(
    v: LoggedIn,
    Path(measure): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> WebResult<Response> {
    let f: Fields = fields(pairs);
    let measure = measure_no(&measure)?;
    let year = year(&v).await?;
    v.app.plan_editor_access(year, measure).await?;
    let mut form = plan_form(&f, measure);
    let action = f.get("action").cloned().unwrap_or_default();
    if row_action(&mut form, &action) {
        return page(&v, year, &form, Extras::default(), StatusCode::OK).await;
    }
    run(&v, year, form, &action).await
}

/// Check, trial, save or submit a form.
pub(super) async fn run(v: &Visitor, year: i32, form: PlanForm, action: &str) -> WebResult<Response> {
    let measure = form.measure;
    let check = v.app.check_plan_form(year, measure, &form).await?;
    let mut extras = Extras { findings: Some(check.findings.clone()), ..Extras::default() };
    match action {
        "trial" => {
            let Some(toml) = check.toml.as_ref().filter(|_| check.plan.is_some()) else {
                extras.error = "方案有结构错误，无法试算：请按检查结果修改".into();
                return page(v, year, &form, extras, StatusCode::UNPROCESSABLE_ENTITY).await;
            };
            match v.app.trial_plan(&source_name(measure), toml, Some(0)).await {
                Ok(t) => extras.trial = Some(super::trial::view(v, &t.result).await?),
                Err(e) => extras.error = WebError::from(e).message,
            }
            page(v, year, &form, extras, StatusCode::OK).await
        }
        "save" | "submit" => {
            // A draft may be saved with lint errors (as `jili plan draft` does) so that work is
            // not lost; only a plan that reads can be saved, and only one without errors submitted.
            let savable = if action == "save" { check.plan.is_some() } else { check.passes() };
            let Some(toml) = check.toml.as_ref().filter(|_| savable) else {
                extras.error = if action == "save" {
                    "方案有结构错误，未保存：请按检查结果修改后再保存".into()
                } else {
                    "有错误，不能提交：请按检查结果修改后再提交".into()
                };
                return page(v, year, &form, extras, StatusCode::UNPROCESSABLE_ENTITY).await;
            };
            let saved = match v.app.save_draft(&source_name(measure), toml).await {
                Ok(s) => s,
                Err(e) => {
                    extras.error = WebError::from(e).message;
                    return page(v, year, &form, extras, StatusCode::UNPROCESSABLE_ENTITY).await;
                }
            };
            if action == "save" {
                return Ok(Redirect::to(&format!("/work/plans/{measure}/edit?saved={}", saved.version)).into_response());
            }
            match v.app.submit_plan(year, measure).await {
                Ok((version, _)) => {
                    Ok(Redirect::to(&format!("/work/plans/{measure}/versions?submitted={version}")).into_response())
                }
                Err(e) => {
                    extras.error = WebError::from(e).message;
                    page(v, year, &form, extras, StatusCode::UNPROCESSABLE_ENTITY).await
                }
            }
        }
        _ => page(v, year, &form, extras, StatusCode::OK).await,
    }
}
