//! The plan pages: a lead department's plan editor (forms, not raw TOML; lint as you type; a
//! trial with the regional spread; submission), the versions with their diffs, and the
//! office's review queue (approve, return with a comment, publish). Every action is a
//! `jili_app` use-case called as the visitor, so the app decides who may do what.

mod api;
mod editor;
mod form;
mod list;
mod review;
mod transfer;
mod trial;
mod words;

use crate::auth::Visitor;
use crate::endpoint::Route;
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Router;
use axum::routing::get;
use jili_model::PlanStatus;

/// This module's templates.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("plans/list.html", include_str!("../../../templates/plans/list.html")),
    ("plans/editor.html", include_str!("../../../templates/plans/editor.html")),
    ("plans/findings.html", include_str!("../../../templates/plans/findings.html")),
    ("plans/trial.html", include_str!("../../../templates/plans/trial.html")),
    ("plans/versions.html", include_str!("../../../templates/plans/versions.html")),
    ("plans/diff.html", include_str!("../../../templates/plans/diff.html")),
    ("plans/review.html", include_str!("../../../templates/plans/review.html")),
];

pub use words::WORDS;

/// This module's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/work/plans", get(list::list))
        .route("/work/plans/{measure}/edit", get(editor::open).post(editor::act))
        .route("/work/plans/{measure}/import", axum::routing::post(transfer::import))
        .route("/work/plans/{measure}/upload", axum::routing::post(transfer::upload))
        .route("/work/plans/{measure}/plan.toml", get(transfer::export))
        .route("/work/plans/{measure}/versions", get(review::versions))
        .route("/work/plans/{measure}/review/{version}", get(review::open).post(review::decide))
        .route("/work/plans/{measure}/publish", axum::routing::post(review::publish))
}

/// This module's API endpoints.
pub fn api_routes() -> Vec<Route> {
    api::routes()
}

/// The year the plans are for: the newest programme's.
async fn year(v: &Visitor) -> WebResult<i32> {
    Ok(v.app.programme(None).await?.year)
}

/// A measure number from the path.
fn measure_no(s: &str) -> WebResult<u32> {
    s.trim().parse().map_err(|_| WebError::not_found(format!("没有第“{s}”条措施：措施序号是 1–20 的数字")))
}

/// A version number from the path or a form.
fn version_no(s: &str) -> WebResult<i64> {
    s.trim().parse().map_err(|_| WebError::invalid(format!("版本号“{s}”不是数字：请从版本列表进入")))
}

/// A plan status in the editor's short words, or "尚无方案" where there is no plan yet.
pub fn status_word(status: impl Into<Option<PlanStatus>>) -> &'static str {
    status.into().map_or("尚无方案", PlanStatus::label)
}

/// A plan field's name in Chinese, for the diff table (the file's key stays alongside).
fn field_label(field: &str) -> &'static str {
    match field {
        "name" => "名称",
        "title" => "方案名称",
        "series" => "数据项",
        "basis" => "口径",
        "polarity" => "方向",
        "category" => "类别",
        "weight" => "权重",
        "normalise" => "标准化方法",
        "note" => "说明",
        "applies_to" => "适用范围",
        "levels" => "层级",
        "plates" => "板块",
        "size" => "规模分组",
        "quota" => "名额",
        "total" => "总名额",
        "min_score" => "最低得分",
        "tie_break" => "同分排序",
        "amount" => "金额（万元）",
        "channel" => "激励方式",
        "items" => "非资金奖励",
        "threshold" => "阈值",
        "reason" => "理由",
        "units" => "评价对象",
        "period" => "评价年度",
        "base" => "基期",
        "missing" => "数据缺失时",
        _ => "",
    }
}

/// The changes between two versions, each with its field's Chinese name.
fn changes_json(changes: &[jili_model::plan::PlanChange]) -> Vec<serde_json::Value> {
    changes
        .iter()
        .map(|c| {
            let label = match field_label(&c.field) {
                "" => c.field.clone(),
                l => format!("{l}（{}）", c.field),
            };
            serde_json::json!({"part": c.part, "field": c.field, "label": label, "before": c.before, "after": c.after})
        })
        .collect()
}
