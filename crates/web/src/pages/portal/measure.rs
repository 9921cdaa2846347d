//! `/measures/{measure}`: what a measure rewards and why (its published plan in words), its
//! winners per peer group, vetoes and overrides with their reasons, the robustness of the
//! published run, and a sketch map of Hunan by 市州. The full ranking only where the plan
//! publishes it; a logged-in unit sees its own place.

use super::{MeasureHead, PubInfo, YearQuery, cache, publication};
use crate::auth::Visitor;
use crate::endpoint::{Route, endpoint};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use jili_app::plans::plan_text::{PlanText, plan_text};
use jili_app::publication::portal::{PublishedRobustness, RankBand};
use jili_app::publication::publish::{PublishedOverride, PublishedUnit};
use jili_app::{Action, Standing};
use jili_model::Level;
use minijinja::{Value, context};
use serde::Serialize;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/measures/{measure}", get(page))
}

pub(super) fn api_routes() -> Vec<Route> {
    vec![(
        endpoint(
            "get",
            "/api/measures/{measure}",
            "公开",
            "一条措施：已公布的方案、入选名单、否决与更正、稳健性、地图数据",
            false,
        )
        .query::<YearQuery>()
        .ok::<MeasurePage>(),
        get(api),
    )]
}

/// The measure page's content.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeasurePage {
    pub year: i32,
    #[serde(flatten)]
    pub head: MeasureHead,
    pub publication: Option<PubInfo>,
    /// The published plan in words (`jili_app::plans::plan_text::PlanText`).
    #[schema(value_type = Option<Object>)]
    pub plan: Option<PlanText>,
    pub groups: Vec<WinnerGroup>,
    pub total_wan: u64,
    /// Every ranked unit, only where the plan publishes its ranking.
    #[schema(value_type = Option<Vec<Object>>)]
    pub ranking: Option<Vec<PublishedUnit>>,
    /// How many units a veto kept out (always shown); `vetoed` names them only where the
    /// publication policy does.
    pub vetoed_count: usize,
    #[schema(value_type = Vec<Object>)]
    pub vetoed: Vec<PublishedUnit>,
    /// No score is published: the plan's indicators read confidential series.
    pub scores_withheld: bool,
    #[schema(value_type = Vec<Object>)]
    pub overrides: Vec<PublishedOverride>,
    /// Awards withdrawn by the programme's yearly cap per unit, with the rule in words (left
    /// out of the API's answer when none was).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub capped: Vec<PublishedOverride>,
    #[schema(value_type = Option<Object>)]
    pub robustness: Option<PublishedRobustness>,
    pub bands: Vec<Band>,
    /// The 14 市州 with their published score (none where not published), for the map.
    pub city_map: Option<Vec<MapItem>>,
    /// The counties with their published score, for the office's own county map (drawn only
    /// when one was imported with `jili map import`).
    pub county_map: Option<Vec<MapItem>>,
    /// Counties in rank order (winners, or everyone ranked where the ranking is published),
    /// each with its shade.
    #[schema(value_type = Vec<Object>)]
    pub county_tiles: Vec<Tile>,
    /// The logged-in unit's own result and explanation.
    #[schema(value_type = Option<Object>)]
    pub own: Option<Standing>,
    /// Every version of the year's publication as it concerns this measure (corrections traced).
    #[schema(value_type = Vec<Object>)]
    pub releases: Vec<jili_app::publication::publish::history::MeasureRelease>,
}

/// A county's tile: the unit as published and how dark its colour is.
#[derive(Debug, Serialize)]
pub struct Tile {
    #[serde(flatten)]
    pub unit: PublishedUnit,
    /// 0 (lowest quarter of the tiles' score range) to 3 (highest), as the map's colour scale;
    /// none without a published score.
    pub shade: Option<u8>,
}

/// Shades of `units` by where each score falls in the range of their scores.
fn shaded(units: Vec<PublishedUnit>) -> Vec<Tile> {
    let scores: Vec<f64> = units.iter().filter_map(|u| u.score).filter(|s| s.is_finite()).collect();
    let (low, high) = scores.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), s| (l.min(*s), h.max(*s)));
    units
        .into_iter()
        .map(|unit| {
            let shade = unit
                .score
                .filter(|s| s.is_finite())
                .map(|s| if high > low { (((s - low) / (high - low)) * 4.0).floor().clamp(0.0, 3.0) as u8 } else { 3 });
            Tile { unit, shade }
        })
        .collect()
}

/// One peer group's winners.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WinnerGroup {
    pub id: String,
    pub quota: Option<u32>,
    #[schema(value_type = Vec<Object>)]
    pub winners: Vec<PublishedUnit>,
    pub total_wan: u64,
}

/// One 市州 on the map.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MapItem {
    pub code: String,
    pub name: String,
    pub value: Option<f64>,
    pub winner: bool,
}

/// A rank interval drawn as a bar (positions in per cent of the drawing's width).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Band {
    #[schema(value_type = Object)]
    pub band: RankBand,
    pub from: f64,
    pub width: f64,
    pub median: f64,
    pub nominal: f64,
}

async fn measure(v: &Visitor, no: u32, year: Option<i32>) -> WebResult<MeasurePage> {
    let programme = v.app.programme(year).await?;
    let m = programme.measure(no).ok_or_else(|| {
        WebError::not_found(format!(
            "{}年激励方案只有第 1–{} 条措施，没有第 {no} 条",
            programme.year,
            programme.measures.len()
        ))
    })?;
    let p = publication(v, Some(programme.year)).await?;
    let pm = p.as_ref().and_then(|p| p.body.measures.iter().find(|x| x.measure == no));
    let catalogue = v.app.catalogue().await?;
    let mut page = MeasurePage {
        year: programme.year,
        head: MeasureHead::of(m, p.as_ref()),
        publication: p.as_ref().map(PubInfo::of),
        plan: None,
        groups: Vec::new(),
        total_wan: 0,
        ranking: None,
        vetoed_count: 0,
        vetoed: Vec::new(),
        scores_withheld: false,
        overrides: Vec::new(),
        capped: Vec::new(),
        robustness: None,
        bands: Vec::new(),
        city_map: None,
        county_map: None,
        county_tiles: Vec::new(),
        own: None,
        releases: v.app.measure_releases(programme.year, no).await?,
    };
    let Some(pm) = pm else { return Ok(page) };
    let view = v.app.published_plan(programme.year, no, pm.plan_version).await?;
    let text = plan_text(&view, &catalogue);
    let mut groups: Vec<WinnerGroup> = text
        .groups
        .iter()
        .map(|g| WinnerGroup { id: g.id.clone(), quota: g.quota, winners: Vec::new(), total_wan: 0 })
        .collect();
    for w in &pm.winners {
        let id = w.group.clone().unwrap_or_default();
        let at = match groups.iter().position(|g| g.id == id) {
            Some(at) => at,
            None => {
                groups.push(WinnerGroup { id, quota: None, winners: Vec::new(), total_wan: 0 });
                groups.len() - 1
            }
        };
        groups[at].winners.push(w.clone());
        groups[at].total_wan += w.award_wan.unwrap_or(0);
    }
    for g in &mut groups {
        g.winners.sort_by_key(|w| (w.rank.is_none(), w.rank));
    }
    let shown: Vec<&PublishedUnit> =
        pm.ranking.as_ref().map_or_else(|| pm.winners.iter().collect(), |r| r.iter().collect());
    let level_of = |code: &str| catalogue.unit(code).map(|u| u.level);
    if view.plan.header.units.contains(&Level::City) {
        page.city_map = Some(
            catalogue
                .units()
                .filter(|u| u.level == Level::City && u.valid_in(programme.year))
                .map(|u| {
                    let found = shown.iter().find(|x| x.code == u.code);
                    MapItem {
                        code: u.code.clone(),
                        name: u.name.clone(),
                        value: found.and_then(|x| x.score),
                        winner: pm.winners.iter().any(|w| w.code == u.code),
                    }
                })
                .collect(),
        );
    }
    if view.plan.header.units.iter().any(|l| matches!(l, Level::County | Level::Zone)) && v.app.has_county_map().await?
    {
        let counties = shown.iter().filter(|x| matches!(level_of(&x.code), Some(Level::County | Level::Zone)));
        page.county_map = Some(
            counties
                .map(|x| MapItem {
                    code: x.code.clone(),
                    name: x.name.clone(),
                    value: x.score,
                    winner: pm.winners.iter().any(|w| w.code == x.code),
                })
                .collect(),
        );
    }
    let mut tiles: Vec<PublishedUnit> =
        shown.into_iter().filter(|x| matches!(level_of(&x.code), Some(Level::County | Level::Zone))).cloned().collect();
    tiles.sort_by(|a, b| (&a.group, a.rank).cmp(&(&b.group, b.rank)));
    page.county_tiles = shaded(tiles);
    page.robustness = v.app.published_robustness(Some(programme.year), no).await?;
    if let Some(r) = &mut page.robustness {
        r.units.sort_by(|a, b| (&a.group, a.nominal_rank).cmp(&(&b.group, b.nominal_rank)));
        let top = r.units.iter().map(|b| b.rank_q95.max(b.nominal_rank as f64)).fold(1.0_f64, f64::max) + 1.0;
        let at = |x: f64| ((x - 0.5) / top * 100.0).clamp(0.0, 100.0);
        page.bands = r
            .units
            .iter()
            .map(|b| Band {
                from: at(b.rank_q05),
                width: (at(b.rank_q95) - at(b.rank_q05)).max(1.0),
                median: at(b.median_rank),
                nominal: at(b.nominal_rank as f64),
                band: b.clone(),
            })
            .collect();
    }
    // A unit's own result, when the visitor is that unit.
    let own = v.principal().role.scope();
    if !own.is_empty() && v.app.may(&Action::ReadUnitResults { unit: own }) {
        let mine = v.app.standing(own, Some(programme.year)).await?;
        page.own = mine.into_iter().find(|s| s.measure == no);
    }
    page.total_wan = groups.iter().map(|g| g.total_wan).sum();
    page.groups = groups;
    page.ranking = pm.ranking.clone();
    page.vetoed = pm.vetoed.clone();
    page.vetoed_count = pm.vetoed_total();
    page.scores_withheld = pm.scores_withheld;
    page.overrides = pm.overrides.clone();
    page.capped = pm.capped.clone();
    page.plan = Some(text);
    Ok(page)
}

async fn page(
    State(state): State<AppState>,
    v: Visitor,
    Path(no): Path<u32>,
    Query(q): Query<YearQuery>,
    headers: HeaderMap,
) -> WebResult<Response> {
    cache::page(
        &state,
        &v,
        &format!("/measures/{no}"),
        &[("year", q.year.map(|y| y.to_string()))],
        &headers,
        || async {
            let m = measure(&v, no, q.year).await?;
            let city_map_json = m.city_map.as_ref().map(script_json);
            let county_map_json = m.county_map.as_ref().map(script_json);
            v.page("portal/measure.html", context! { city_map_json, county_map_json, ..Value::from_serialize(&m) })
        },
    )
    .await
}

async fn api(
    State(state): State<AppState>,
    v: Visitor,
    Path(no): Path<u32>,
    Query(q): Query<YearQuery>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let params = [("year", q.year.map(|y| y.to_string()))];
    let route = format!("/api/measures/{no}");
    cache::json(&state, &v, &route, &params, &headers, || measure(&v, no, q.year)).await
}

/// JSON for a `<script type="application/json">` block: `<`, `>`, `&` and `'` escaped so the
/// text can never close the element or be read as markup.
fn script_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\'', "\\u0027")
}
