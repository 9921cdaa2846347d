//! The public portal: what is published and nothing else — the programme and the year's
//! rewards, each measure's plan and winners (with a map of Hunan), a unit's profile, the main
//! indicator data with downloads, the commendations, the results notice and the method. Pages
//! for the public are cached per publication (see [`cache`]); every page has a JSON twin under
//! `/api/` (tag 公开) built from the same model.

pub mod cache;
mod commendations;
mod data;
mod measure;
mod method;
mod notice;
mod programme;
mod release_words;
mod releases;
mod sdmx;
mod unit;
mod words;

use crate::auth::Visitor;
use crate::endpoint::Route;
use crate::error::WebResult;
use crate::state::AppState;
use axum::Router;
use jili_app::Publication;
use serde::{Deserialize, Serialize};

/// This module's templates.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("portal/home.html", include_str!("../../../templates/portal/home.html")),
    ("portal/measure.html", include_str!("../../../templates/portal/measure.html")),
    ("portal/plan.html", include_str!("../../../templates/portal/plan.html")),
    ("portal/unit.html", include_str!("../../../templates/portal/unit.html")),
    ("portal/data.html", include_str!("../../../templates/portal/data.html")),
    ("portal/commendations.html", include_str!("../../../templates/portal/commendations.html")),
    ("portal/notice.html", include_str!("../../../templates/portal/notice.html")),
    ("portal/method.html", include_str!("../../../templates/portal/method.html")),
    ("portal/pubinfo.html", include_str!("../../../templates/portal/pubinfo.html")),
    ("portal/releases.html", include_str!("../../../templates/portal/releases.html")),
    ("portal/release.html", include_str!("../../../templates/portal/release.html")),
    ("portal/series_table.html", include_str!("../../../templates/portal/series_table.html")),
];

/// This module's words (key, 中文, English) for `t(...)`.
pub const WORDS: &[(&str, &str, &str)] = words::WORDS;

/// The data releases' words (key, 中文, English).
pub const RELEASE_WORDS: &[(&str, &str, &str)] = release_words::WORDS;

/// This module's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(programme::routes())
        .merge(measure::routes())
        .merge(unit::routes())
        .merge(data::routes())
        .merge(sdmx::routes())
        .merge(releases::routes())
        .merge(commendations::routes())
        .merge(notice::routes())
        .merge(method::routes())
}

/// This module's API endpoints.
pub fn api_routes() -> Vec<Route> {
    let mut all = programme::api_routes();
    all.extend(measure::api_routes());
    all.extend(unit::api_routes());
    all.extend(data::api_routes());
    all.extend(releases::api_routes());
    all.extend(commendations::api_routes());
    all
}

/// `?year=` on pages that can show an earlier year.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub(super) struct YearQuery {
    /// The publication year; the newest when absent.
    #[serde(default)]
    year: Option<i32>,
}

/// Which publication a page states: version, date, digest, and why it was made.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PubInfo {
    pub year: i32,
    pub version: i64,
    pub published_at: String,
    pub reason: String,
    pub sha256: String,
    pub programme: String,
    pub demo: bool,
    /// The data release the results rest on (所依据的数据通报), when one had been made.
    #[schema(value_type = Option<Object>)]
    pub data_release: Option<jili_app::ReleaseRef>,
}

impl PubInfo {
    fn of(p: &Publication) -> PubInfo {
        PubInfo {
            year: p.year,
            version: p.version,
            published_at: p.published_at.clone(),
            reason: p.reason.clone(),
            sha256: p.sha256.clone(),
            programme: p.body.programme.clone(),
            demo: p.body.demo,
            data_release: p.body.data_release.clone(),
        }
    }
}

/// A measure as the programme states it, and whether the publication holds it: the heading
/// of the home page's row and of the measure page, built once.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeasureHead {
    pub no: u32,
    pub short: String,
    pub text: String,
    pub lead: String,
    pub levels: Vec<String>,
    pub channel: String,
    pub published: bool,
    /// Why it is not (yet) in the publication.
    pub note: String,
}

impl MeasureHead {
    /// The head of programme measure `m` against publication `p` (none yet: not published).
    pub fn of(m: &jili_model::Measure, p: Option<&Publication>) -> MeasureHead {
        MeasureHead {
            no: m.no,
            short: m.short.clone(),
            text: m.text.clone(),
            lead: m.lead.clone(),
            levels: m.levels.iter().map(|l| l.as_str().to_string()).collect(),
            channel: m.channel.clone(),
            published: p.is_some_and(|p| p.body.measures.iter().any(|x| x.measure == m.no)),
            note: p
                .and_then(|p| p.body.omitted.iter().find(|(n, _)| *n == m.no))
                .map_or_else(String::new, |(_, why)| why.clone()),
        }
    }
}

/// The newest publication of `year` (the newest year when `None`), as the visitor may read it.
async fn publication(v: &Visitor, year: Option<i32>) -> WebResult<Option<Publication>> {
    Ok(v.app.published(year).await?)
}
