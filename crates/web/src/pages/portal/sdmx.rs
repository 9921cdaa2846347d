//! `/sdmx/structure`: the SDMX-ML 3.0 structure message (dataflow `HUNAN_JILI:DF_JILI(1.0)`,
//! its data structure definition, concepts and codelists) that every SDMX-CSV download names in
//! its STRUCTURE_ID; anyone may read it, and it lists public series only. The same message goes
//! into `/data/download.sdmx.zip` beside the data (see `data.rs`).

use crate::auth::Visitor;
use crate::error::WebResult;
use crate::state::AppState;
use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// The structure message's media type (SDMX-ML 3.0).
pub(super) const STRUCTURE_XML: &str = "application/vnd.sdmx.structure+xml; version=3.0.0; charset=utf-8";

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/sdmx/structure", get(structure))
}

/// The structure message, built from the catalogue as it is now (its codelists grow as series
/// and units are added; codes already published keep their meaning).
async fn structure(v: Visitor) -> WebResult<Response> {
    let xml = v.app.sdmx_structure(true).await?;
    Ok((
        [
            (header::CONTENT_TYPE, STRUCTURE_XML),
            (header::CONTENT_DISPOSITION, "inline; filename=\"jili-sdmx-structure.xml\""),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        xml,
    )
        .into_response())
}
