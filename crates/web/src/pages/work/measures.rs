//! A lead department's results of its own measures (`/work/measures`): the runs the office
//! made, which one is published, and each unit's result with its explanation and the numbers
//! behind it, so the department can answer a county that did not win. The office and the
//! auditor may open any measure's.

use crate::api::work_answers::{LedMeasures, MeasureResults};
use crate::endpoint::{Route, endpoint};
use crate::error::WebResult;
use crate::extract::LoggedIn;
use crate::render::Page;
use axum::Json;
use axum::extract::{Path, Query};
use axum::routing::get;
use jili_app::Action;
use minijinja::context;
use serde::Deserialize;

/// Which run to show (`?run=12`); the published one, else the newest, when absent.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub(super) struct Which {
    /// A run's id.
    #[serde(default)]
    run: Option<i64>,
}

/// The words of these pages (key, 中文, English).
pub const WORDS: &[(&str, &str, &str)] = &[
    ("work_measures", "本部门措施的评价结果", "Results of our measures"),
    (
        "work_measures_desc",
        "省政府办公厅对本部门牵头措施运行评价的结果：每个评价对象的得分、名次、差距和影响得分的指标，用于向未获激励的单位说明。",
        "The office's runs of the measures you lead: every unit's score, place, gap and the indicators that moved it, to explain the result to a unit that did not win.",
    ),
    ("work_measures_none", "本部门牵头的措施还没有评价运行。", "No measure you lead has been run yet."),
    ("work_latest_run", "最近一次运行", "Latest run"),
    ("work_published_run", "已发布的运行", "Published run"),
    ("work_not_run", "尚未运行", "Not run yet"),
    ("work_shown_run", "显示的运行", "Run shown"),
    ("work_run_published", "（已发布）", "(published)"),
    (
        "work_run_unpublished",
        "（未发布：仅供本部门和办公厅核对，不得对外引用）",
        "(not published: for checking only, not to be quoted)",
    ),
    ("work_groups", "分组与入选线", "Groups and cut-offs"),
    ("work_quota", "名额", "Quota"),
    ("work_cutoff", "入选线", "Cut-off"),
    ("work_units_results", "各评价对象的结果", "Each unit's result"),
    ("work_details", "逐项指标", "Indicator by indicator"),
    ("work_indicator", "指标", "Indicator"),
    ("work_value", "指标值", "Value"),
    ("work_weight", "权重", "Weight"),
    ("work_contribution", "贡献", "Contribution"),
    ("work_treatment", "处理", "Treatment"),
    (
        "work_withheld",
        "本措施方案读取的以下不公开数据项目前没有有效的使用授权，评价明细不予显示；请向数据所属部门重新申请授权：",
        "The plan reads these confidential series without a standing grant, so the details are withheld; ask the owning department for the grant again:",
    ),
    ("work_no_runs_of_measure", "这条措施还没有运行。", "This measure has not been run yet."),
];

/// This module's API endpoints.
pub(super) fn api_routes() -> Vec<Route> {
    vec![
        (
            endpoint(
                "get",
                "/api/measure-results",
                "牵头单位",
                "本部门牵头的措施及其最近一次运行、已发布的运行（办公厅、纪检监察看全部）",
                true,
            )
            .gate(|p| Action::ReadMeasureResults { lead: p.role.scope() })
            .ok::<LedMeasures>(),
            get(api_list),
        ),
        (
            endpoint(
                "get",
                "/api/measure-results/{measure}",
                "牵头单位",
                "一条措施的运行列表和一次运行的全部结果与说明（?run= 选运行，缺省为已发布的运行，否则最新）",
                true,
            )
            .gate(|p| Action::ReadMeasureResults { lead: p.role.scope() })
            .query::<Which>()
            .ok::<MeasureResults>(),
            get(api_one),
        ),
    ]
}

/// `GET /work/measures`.
pub(super) async fn list(v: LoggedIn) -> WebResult<Page> {
    let measures = v.app.led_measures(None).await?;
    v.page("work/measures.html", context! { measures })
}

/// `GET /work/measures/{measure}`.
pub(super) async fn one(v: LoggedIn, Path(measure): Path<u32>, Query(q): Query<Which>) -> WebResult<Page> {
    let results = v.app.measure_results(None, measure, q.run).await?;
    v.page("work/measure.html", minijinja::Value::from_serialize(&results))
}

async fn api_list(v: LoggedIn) -> crate::error::ApiResult {
    let measures = v.app.led_measures(None).await?;
    Ok(Json(serde_json::json!({ "measures": measures })))
}

async fn api_one(v: LoggedIn, Path(measure): Path<u32>, Query(q): Query<Which>) -> crate::error::ApiResult {
    let results = v.app.measure_results(None, measure, q.run).await?;
    Ok(Json(serde_json::json!(results)))
}
