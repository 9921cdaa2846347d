//! `/map/counties.json`: the office's imported county GeoJSON (see `jili map import`), or 404
//! when there is none — pages then show counties as tables and tiles.

use crate::auth::Visitor;
use crate::error::{WebError, WebResult};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Serve the county map.
pub async fn counties(v: Visitor) -> WebResult<Response> {
    match v.app.county_map().await? {
        Some((map, approval)) => {
            let mut r = map.into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/geo+json"));
            // Percent-encoded: header values are ASCII, the number is Chinese (湘S〔2024〕012号).
            if let Ok(a) = HeaderValue::from_str(&crate::download::percent_encode(&approval)) {
                r.headers_mut().insert("x-map-approval", a);
            }
            Ok(r)
        }
        None => Err(WebError::not_found("没有导入县级地图：省政府办公厅可用 jili map import 导入经审核的地图")),
    }
}
