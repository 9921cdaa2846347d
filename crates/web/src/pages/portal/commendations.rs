//! `/commendations`: the units commended (通报表扬) in the newest publication, for practice
//! affirmed by the State Council's or the province's comprehensive inspections. No money.

use super::{PubInfo, cache, publication};
use crate::auth::Visitor;
use crate::endpoint::{Route, endpoint};
use crate::error::WebResult;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use jili_app::publication::publish::PublishedCommendation;
use minijinja::Value;
use serde::Serialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/commendations", get(page))
}

pub(super) fn api_routes() -> Vec<Route> {
    vec![
        (
            endpoint("get", "/api/commendations", "公开", "通报表扬名单（已发布）", false).ok::<Commendations>(),
            get(api),
        ),
        (
            endpoint(
                "get",
                "/api/publication",
                "公开",
                "最新发布的全部内容（入选名单、否决、更正、主要指标数据、通报表扬）",
                false,
            )
            .ok::<Option<crate::api::answers::Publication>>(),
            get(api_publication),
        ),
    ]
}

/// The commendations page's content.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Commendations {
    pub publication: Option<PubInfo>,
    #[schema(value_type = Vec<Object>)]
    pub commendations: Vec<PublishedCommendation>,
}

async fn commendations(v: &Visitor) -> WebResult<Commendations> {
    let p = publication(v, None).await?;
    Ok(Commendations {
        publication: p.as_ref().map(PubInfo::of),
        commendations: p.map(|p| p.body.commendations.clone()).unwrap_or_default(),
    })
}

async fn page(State(state): State<AppState>, v: Visitor, headers: HeaderMap) -> WebResult<Response> {
    cache::page(&state, &v, "/commendations", &[], &headers, || async {
        let c = commendations(&v).await?;
        v.page("portal/commendations.html", Value::from_serialize(&c))
    })
    .await
}

async fn api(v: Visitor) -> WebResult<Json<Commendations>> {
    commendations(&v).await.map(Json)
}

/// The newest publication whole (`null` before anything is published).
async fn api_publication(v: Visitor) -> WebResult<Json<Option<jili_app::Publication>>> {
    publication(&v, None).await.map(Json)
}
