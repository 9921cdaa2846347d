//! `/units/{code}`: a unit's profile — who it is, its published indicator data against the
//! median of its peers (same level and 板块) and over the years, the rewards it received, its
//! scores where plans publish their ranking, and, for its own login, the office and the
//! auditor, its results with their explanation.

use super::data::{PeriodKey, median};
use super::{PubInfo, cache, publication};
use crate::auth::Visitor;
use crate::endpoint::{Route, endpoint};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use jili_app::{AppError, Standing};
use minijinja::Value;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/units/{code}", get(page))
}

pub(super) fn api_routes() -> Vec<Route> {
    vec![(
        endpoint(
            "get",
            "/api/units/{code}",
            "公开",
            "评价对象概况：已公布的指标数据与同组中位数、历年走势、所获奖励",
            false,
        )
        .ok::<UnitPage>(),
        get(api),
    )]
}

/// A unit's profile.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnitPage {
    pub code: String,
    pub name: String,
    pub level: String,
    pub kind: String,
    pub plate: String,
    /// The parent division: [code, name].
    #[schema(value_type = Option<Vec<String>>)]
    pub parent: Option<(String, String)>,
    pub publication: Option<PubInfo>,
    /// What "peers" means here, in words (e.g. 长株潭板块的市州，共 3 个).
    pub peers: String,
    pub latest: Vec<LatestRow>,
    pub periods: Vec<String>,
    pub trend: Vec<TrendRow>,
    pub rewards: Vec<RewardRow>,
    /// Its places in measures whose ranking is published.
    pub scores: Vec<RewardRow>,
    /// Its own results with their explanation (own login, office, auditor).
    #[schema(value_type = Vec<Object>)]
    pub standing: Vec<Standing>,
}

/// A series at the unit's latest period, with its peers' median.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LatestRow {
    pub series: String,
    pub name: String,
    pub measure_unit: String,
    pub period: String,
    #[schema(value_type = crate::api::types::Decimal)]
    pub value: String,
    #[schema(value_type = Option<crate::api::types::Decimal>)]
    pub median: Option<String>,
    pub peers: usize,
}

/// A series over the periods of the page (aligned with `UnitPage::periods`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TrendRow {
    pub series: String,
    pub name: String,
    #[schema(value_type = Vec<Option<crate::api::types::Decimal>>)]
    pub values: Vec<Option<String>>,
}

/// The unit in one measure's published result.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RewardRow {
    pub measure: u32,
    pub title: String,
    pub group: Option<String>,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub award_wan: Option<u64>,
    pub items: Vec<String>,
}

async fn profile(v: &Visitor, code: &str) -> WebResult<UnitPage> {
    let catalogue = v.app.catalogue().await?;
    let unit = catalogue.unit(code).ok_or_else(|| WebError::not_found(format!("没有代码为 {code} 的评价对象")))?;
    let p = publication(v, None).await?;
    let peers_of = |u: &jili_model::Unit| u.level == unit.level && u.plate == unit.plate;
    let peer_codes: BTreeSet<&str> = catalogue.units().filter(|u| peers_of(u)).map(|u| u.code.as_str()).collect();
    let plate = unit.plate.map_or("", |p| p.as_str());
    let mut page = UnitPage {
        code: unit.code.clone(),
        name: unit.name.clone(),
        level: unit.level.as_str().to_string(),
        kind: unit.kind.clone(),
        plate: plate.to_string(),
        parent: unit.parent.as_ref().and_then(|c| catalogue.unit(c)).map(|u| (u.code.clone(), u.name.clone())),
        publication: p.as_ref().map(PubInfo::of),
        peers: format!("{plate}板块的{}，共 {} 个", unit.level.as_str(), peer_codes.len()),
        latest: Vec::new(),
        periods: Vec::new(),
        trend: Vec::new(),
        rewards: Vec::new(),
        scores: Vec::new(),
        standing: Vec::new(),
    };
    if let Some(p) = &p {
        let public = |s: &str| catalogue.series(s).is_some_and(|x| x.public);
        let mine: Vec<_> = p.body.data.iter().filter(|d| d.unit == code && public(&d.series)).collect();
        let periods: BTreeSet<PeriodKey> = mine.iter().map(|d| PeriodKey::of(&d.period)).collect();
        page.periods = periods.iter().map(|k| k.text.clone()).collect();
        let mut by_series: BTreeMap<&str, BTreeMap<PeriodKey, &str>> = BTreeMap::new();
        for d in &mine {
            by_series.entry(&d.series).or_default().insert(PeriodKey::of(&d.period), &d.value);
        }
        for (series, values) in &by_series {
            let s = catalogue.series(series);
            let name = s.map_or_else(|| series.to_string(), |s| s.name.clone());
            if let Some((period, value)) = values.iter().next_back() {
                let peer_values: Vec<&str> = p
                    .body
                    .data
                    .iter()
                    .filter(|d| d.series == *series && d.period == period.text && peer_codes.contains(d.unit.as_str()))
                    .map(|d| d.value.as_str())
                    .collect();
                page.latest.push(LatestRow {
                    series: series.to_string(),
                    name: name.clone(),
                    measure_unit: s.map_or_else(String::new, |s| s.unit.clone()),
                    period: period.text.clone(),
                    value: value.to_string(),
                    median: median(&peer_values),
                    peers: peer_values.len(),
                });
            }
            let values = periods.iter().map(|k| values.get(k).map(|v| v.to_string())).collect();
            page.trend.push(TrendRow { series: series.to_string(), name, values });
        }
        for m in &p.body.measures {
            let row = |u: &jili_app::publication::publish::PublishedUnit| RewardRow {
                measure: m.measure,
                title: m.title.clone(),
                group: u.group.clone(),
                score: u.score,
                rank: u.rank,
                award_wan: u.award_wan,
                items: u.items.clone(),
            };
            if let Some(w) = m.winners.iter().find(|w| w.code == code) {
                page.rewards.push(row(w));
            }
            if let Some(u) = m.ranking.as_ref().and_then(|r| r.iter().find(|u| u.code == code)) {
                page.scores.push(row(u));
            }
        }
        if !v.is_public() {
            match v.app.standing(code, Some(p.year)).await {
                Ok(s) => page.standing = s,
                Err(AppError::Denied(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok(page)
}

async fn page(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> WebResult<Response> {
    cache::page(&state, &v, &format!("/units/{code}"), &[], &headers, || async {
        let u = profile(&v, &code).await?;
        v.page("portal/unit.html", Value::from_serialize(&u))
    })
    .await
}

async fn api(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let route = format!("/api/units/{code}");
    cache::json(&state, &v, &route, &[], &headers, || profile(&v, &code)).await
}
