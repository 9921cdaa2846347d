//! `/`: the programme — the year's measures with their status, and the rewards of the newest
//! publication summed by 市州 (the city's own and its counties') and by county. Money is summed
//! as integer 万元.

use super::{MeasureHead, PubInfo, cache, publication};
use crate::auth::Visitor;
use crate::endpoint::{Route, endpoint};
use crate::error::WebResult;
use crate::state::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use jili_model::{Catalogue, Level};
use minijinja::Value;
use serde::Serialize;
use std::collections::BTreeMap;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/", get(page))
}

pub(super) fn api_routes() -> Vec<Route> {
    vec![(
        endpoint("get", "/api/programme", "公开", "激励措施一览（状态、奖励合计）与按市州、县市区汇总的奖励", false)
            .ok::<Home>(),
        get(api),
    )]
}

/// The home page's content.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Home {
    pub year: i32,
    pub title: String,
    pub doc_no: String,
    pub publication: Option<PubInfo>,
    pub measures: Vec<MeasureRow>,
    pub cities: Vec<CityTotal>,
    pub counties: Vec<UnitTotal>,
    /// Every award of the publication, summed (万元).
    pub total_wan: u64,
}

/// One measure in the list.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeasureRow {
    #[serde(flatten)]
    pub head: MeasureHead,
    pub winners: usize,
    pub total_wan: u64,
}

/// A 市州's rewards: its own and its counties' (parks and zones under it included).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CityTotal {
    pub code: String,
    pub name: String,
    pub city_wan: u64,
    pub counties_wan: u64,
    pub total_wan: u64,
}

/// A county's rewards.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnitTotal {
    pub code: String,
    pub name: String,
    pub city: String,
    pub total_wan: u64,
}

/// The 市州 a unit belongs to (itself for a 市州), by walking up its parents.
pub(super) fn city_of<'a>(catalogue: &'a Catalogue, code: &str) -> Option<&'a jili_model::Unit> {
    let mut unit = catalogue.unit(code)?;
    for _ in 0..6 {
        if unit.level == Level::City {
            return Some(unit);
        }
        unit = catalogue.unit(unit.parent.as_deref()?)?;
    }
    None
}

async fn home(v: &Visitor) -> WebResult<Home> {
    let programme = v.app.programme(None).await?;
    let p = publication(v, Some(programme.year)).await?;
    let catalogue = v.app.catalogue().await?;
    let mut awards: BTreeMap<String, u64> = BTreeMap::new();
    if let Some(p) = &p {
        for m in &p.body.measures {
            for w in &m.winners {
                *awards.entry(w.code.clone()).or_default() += w.award_wan.unwrap_or(0);
            }
        }
    }
    let measures = programme
        .measures
        .iter()
        .map(|m| {
            let published = p.as_ref().and_then(|p| p.body.measures.iter().find(|x| x.measure == m.no));
            MeasureRow {
                head: MeasureHead::of(m, p.as_ref()),
                winners: published.map_or(0, |x| x.winners.len()),
                total_wan: published.map_or(0, |x| x.winners.iter().filter_map(|w| w.award_wan).sum()),
            }
        })
        .collect();
    let mut cities: Vec<CityTotal> = catalogue
        .units()
        .filter(|u| u.level == Level::City && u.valid_in(programme.year))
        .map(|u| CityTotal { code: u.code.clone(), name: u.name.clone(), city_wan: 0, counties_wan: 0, total_wan: 0 })
        .collect();
    let mut counties = Vec::new();
    for (code, wan) in &awards {
        let city = city_of(&catalogue, code);
        if let Some(c) = city.and_then(|c| cities.iter_mut().find(|x| x.code == c.code)) {
            if c.code == *code {
                c.city_wan += wan;
            } else {
                c.counties_wan += wan;
            }
            c.total_wan += wan;
        }
        if let Some(u) = catalogue.unit(code).filter(|u| matches!(u.level, Level::County | Level::Zone)) {
            counties.push(UnitTotal {
                code: code.clone(),
                name: u.name.clone(),
                city: city.map_or_else(String::new, |c| c.name.clone()),
                total_wan: *wan,
            });
        }
    }
    counties.sort_by(|a, b| b.total_wan.cmp(&a.total_wan).then_with(|| a.code.cmp(&b.code)));
    Ok(Home {
        year: programme.year,
        title: programme.title.clone(),
        doc_no: programme.doc_no.clone(),
        publication: p.as_ref().map(PubInfo::of),
        measures,
        cities,
        counties,
        total_wan: awards.values().sum(),
    })
}

async fn page(State(state): State<AppState>, v: Visitor, headers: HeaderMap) -> WebResult<Response> {
    cache::page(&state, &v, "/", &[], &headers, || async {
        let home = home(&v).await?;
        v.page("portal/home.html", Value::from_serialize(&home))
    })
    .await
}

async fn api(State(state): State<AppState>, v: Visitor, headers: HeaderMap) -> WebResult<Response> {
    cache::json(&state, &v, "/api/programme", &[], &headers, || home(&v)).await
}
