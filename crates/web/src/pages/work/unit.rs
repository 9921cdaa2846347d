//! A unit's own results in every published measure, read only: outcome, group, score, rank,
//! award, the gap to the cut-off, which indicators raised and lowered its score, and why it was
//! vetoed or ineligible. The office and the auditor may look at any unit's.

use crate::error::WebResult;
use crate::extract::LoggedIn;
use crate::render::Page;
use axum::extract::Query;
use jili_app::Action;
use minijinja::context;
use serde::Deserialize;

/// Whose results to show (`?unit=430100`): the office and the auditor choose; a unit sees its own.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Which {
    #[serde(default)]
    unit: String,
}

/// `GET /work/results` (a unit's own), `?unit=430100` for the office and the auditor.
pub(super) async fn results(v: LoggedIn, Query(q): Query<Which>) -> WebResult<Page> {
    // A unit reads its own results without asking; others name one.
    let scope = v.principal().role.scope();
    let own = (!scope.is_empty() && v.app.may(&Action::ReadUnitResults { unit: scope })).then(|| scope.to_string());
    let code = match q.unit.trim() {
        "" => own.clone().unwrap_or_default(),
        c => c.to_string(),
    };
    let standing = if code.is_empty() {
        // Nothing asked yet: still refuse roles that may read no unit's results.
        v.app.allow(Action::ReadResults)?;
        Vec::new()
    } else {
        v.app.standing(&code, None).await?
    };
    let catalogue = v.app.catalogue().await?;
    let name = catalogue.unit(&code).map_or_else(String::new, |u| u.name.clone());
    let published = v.app.published(None).await?.map(|p| (p.year, p.version));
    let awards: u64 = standing.iter().filter_map(|s| s.result.award_wan).sum();
    v.page(
        "work/results.html",
        context! { standing, code, name, own => own.is_some(), published, awards => awards.to_string() },
    )
}
