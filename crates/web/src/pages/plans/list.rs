//! `/work/plans`: a lead department's own measures with each plan's newest version; for the
//! office the review queue (submitted versions first) and every measure; for the auditor the
//! same list, read only.

use super::{status_word, year};
use crate::error::WebResult;
use crate::extract::LoggedIn;
use crate::render::Page;
use jili_app::Action;
use minijinja::context;
use serde_json::json;

/// GET `/work/plans`.
pub(super) async fn list(v: LoggedIn) -> WebResult<Page> {
    let year = year(&v).await?;
    let desk = v.app.plan_desk(year).await?;
    let rows: Vec<serde_json::Value> = desk
        .iter()
        .map(|d| {
            json!({
                "measure": d.measure, "short": d.short, "lead": d.lead, "version": d.version,
                "status": d.status, "status_label": status_word(d.status), "example": d.example,
                "submitted": d.submitted, "may_draft": d.may_draft,
            })
        })
        .collect();
    let queue: Vec<serde_json::Value> = desk
        .iter()
        .flat_map(|d| {
            d.submitted
                .iter()
                .map(move |ver| json!({"measure": d.measure, "short": d.short, "lead": d.lead, "version": ver}))
        })
        .collect();
    let role = v.principal().role.kind();
    let reviewer = v.app.may(&Action::ReviewPlan);
    v.page("plans/list.html", context! { year, rows, queue, role, reviewer })
}
