//! `/releases`: the regular releases of the main indicator data (定期通报主要指标数据) — the
//! office's calendar with each cut-off's due date and state, and every release made, corrected
//! ones included; `/releases/{id}`: one release version, its values per series by unit and
//! period, its versions (an older one flagged 已更正 with a link to the newest), and the
//! downloads XLSX, CSV, JSON and SDMX-CSV. The page, the API and the files are built from the
//! same release, so they cannot disagree. The office also finds on the list page its form to
//! make or correct a release (`POST /work/releases`, see `work::releases`).

use super::cache;
use super::data::{DataRow, SeriesOption, series_table};
use crate::auth::{ClientAddr, Visitor};
use crate::downloads::FileSpec;
use crate::endpoint::{Route, endpoint};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use jili_app::publication::release::CalendarView;
use jili_app::{DataRelease, ReleaseSummary};
use jili_model::Status;
use minijinja::Value;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/releases", get(list_page))
        .route("/releases/{id}", get(page))
        .route("/releases/{id}/{file}", get(file))
}

pub(super) fn api_routes() -> Vec<Route> {
    vec![
        (
            endpoint("get", "/api/releases", "公开", "主要指标数据通报：通报日程与全部通报（含已更正的旧版本）", false)
                .ok::<ReleasesPage>(),
            get(api_list),
        ),
        (
            endpoint(
                "get",
                "/api/releases/{id}",
                "公开",
                "一次数据通报：版本、截止期、更正说明、各数据项的数值（?series= 选一个数据项；只含可公开的数据项）",
                false,
            )
            .query::<SeriesQuery>()
            .ok::<ReleasePage>(),
            get(api),
        ),
    ]
}

/// The list page's content.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReleasesPage {
    #[schema(value_type = Object)]
    pub calendar: CalendarView,
    /// Every release version, newest first.
    #[schema(value_type = Vec<Object>)]
    pub releases: Vec<ReleaseSummary>,
}

/// One release page's content.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReleasePage {
    #[schema(value_type = Object)]
    pub release: ReleaseSummary,
    /// Every version of the same release, oldest first.
    #[schema(value_type = Vec<Object>)]
    pub versions: Vec<ReleaseSummary>,
    /// Due by the calendar (YYYY-MM-DD).
    pub due: String,
    pub series: Vec<SeriesOption>,
    pub selected: Option<SeriesOption>,
    pub periods: Vec<String>,
    /// The periods of the selected series holding preliminary values (初步数).
    pub preliminary: Vec<String>,
    pub rows: Vec<DataRow>,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub(super) struct SeriesQuery {
    /// A series' code; the first when absent.
    #[serde(default)]
    series: Option<String>,
}

async fn releases(v: &Visitor) -> WebResult<ReleasesPage> {
    let calendar = v.app.release_schedule(None).await?;
    let releases = v.app.data_releases().await?;
    Ok(ReleasesPage { calendar, releases })
}

/// The release `id` (from the path), or a 404 saying where to look.
async fn release(v: &Visitor, id: &str) -> WebResult<DataRelease> {
    let id: i64 = id
        .parse()
        .map_err(|_| WebError::not_found(format!("“{id}”不是数据通报的编号：请从数据通报列表（/releases）中选择")))?;
    Ok(v.app.data_release(id).await?)
}

async fn release_page(v: &Visitor, id: &str, series: Option<&str>) -> WebResult<ReleasePage> {
    let r = release(v, id).await?;
    let catalogue = v.app.catalogue().await?;
    let body = &r.body;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for x in &body.values {
        *counts.entry(&x.series).or_default() += 1;
    }
    // Public series only: checked again against the catalogue as it stands.
    let options: Vec<SeriesOption> = body
        .series
        .iter()
        .filter(|s| catalogue.series(&s.code).is_some_and(|c| c.public))
        .map(|s| SeriesOption {
            code: s.code.clone(),
            name: s.name.clone(),
            unit: s.unit.clone(),
            source: s.source.clone(),
            values: counts.get(s.code.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let selected = match series.filter(|s| !s.is_empty()) {
        Some(code) => Some(options.iter().find(|s| s.code == code).cloned().ok_or_else(|| {
            WebError::not_found(format!(
                "这次通报中没有数据项“{code}”：请从列表中选择（原则上不向社会公布的数据项不在其中）"
            ))
        })?),
        None => options.first().cloned(),
    };
    let mut page = ReleasePage {
        release: r.summary.clone(),
        versions: r.versions.clone(),
        due: body.due.clone(),
        series: options,
        selected: None,
        periods: Vec::new(),
        preliminary: Vec::new(),
        rows: Vec::new(),
    };
    let Some(sel) = selected else { return Ok(page) };
    let values = || body.values.iter().filter(|x| x.series == sel.code);
    let unit_name =
        |code: &str| body.units.iter().find(|u| u.code == code).map_or_else(|| code.to_string(), |u| u.name.clone());
    (page.periods, page.rows) = series_table(values().map(|x| (&*x.unit, &*x.period, &*x.value)), unit_name);
    let preliminary: BTreeSet<&str> =
        values().filter(|x| x.status == Status::Preliminary).map(|x| x.period.as_str()).collect();
    page.preliminary = page.periods.iter().filter(|p| preliminary.contains(p.as_str())).cloned().collect();
    page.selected = Some(sel);
    Ok(page)
}

async fn list_page(State(state): State<AppState>, v: Visitor, headers: HeaderMap) -> WebResult<Response> {
    cache::page(&state, &v, "/releases", &[], &headers, || async {
        let d = releases(&v).await?;
        // The office's form to release or correct (nobody else's page has it, the public's
        // cached page included): see `work::releases`.
        let release_form = crate::pages::work::release_form(&v, &d.calendar, None, "");
        let (calendar, releases) = (d.calendar, d.releases);
        v.page("portal/releases.html", minijinja::context! { calendar, releases, release_form })
    })
    .await
}

async fn api_list(State(state): State<AppState>, v: Visitor, headers: HeaderMap) -> WebResult<Response> {
    cache::json(&state, &v, "/api/releases", &[], &headers, || releases(&v)).await
}

async fn page(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<SeriesQuery>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let route = format!("/releases/{id}");
    cache::page(&state, &v, &route, &[("series", q.series.clone())], &headers, || async {
        let d = release_page(&v, &id, q.series.as_deref()).await?;
        v.page("portal/release.html", Value::from_serialize(&d))
    })
    .await
}

async fn api(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Query(q): Query<SeriesQuery>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let route = format!("/api/releases/{id}");
    cache::json(&state, &v, &route, &[("series", q.series.clone())], &headers, || {
        release_page(&v, &id, q.series.as_deref())
    })
    .await
}

/// The downloads of a release, by the ending of `download.…`: (ending, content type).
const FILES: [(&str, &str); 4] = [
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("csv", "text/csv; charset=utf-8"),
    ("json", "application/json"),
    ("sdmx.csv", "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8"),
];

/// `GET /releases/{id}/download.{xlsx,csv,json,sdmx.csv}`: the release's data, built once per
/// release version (see [`crate::downloads`]), paced per client like every public download.
async fn file(
    State(state): State<AppState>,
    v: Visitor,
    client: ClientAddr,
    Path((id, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let kind = file.strip_prefix("download.").and_then(|ext| FILES.iter().find(|(e, _)| *e == ext));
    let Some(&(ext, content_type)) = kind else {
        return Err(WebError::not_found(format!(
            "没有“{file}”：可下载 download.xlsx、download.csv、download.json、download.sdmx.csv"
        )));
    };
    crate::download_gate::in_turn(&state.0.download_gate, &client.0, async {
        let r = release(&v, &id).await?;
        let s = &r.summary;
        let (demo_ascii, demo) = if s.demo { ("demo-", "【演示数据】") } else { ("", "") };
        let corrected = if s.superseded { "（已更正）" } else { "" };
        let spec = FileSpec {
            // Year 0: a data release, keyed by its id and digest.
            key: (0, s.id, s.sha256.clone(), ext),
            content_type,
            name: format!("{demo}{}（{}）第{}版{corrected}.{ext}", s.name, s.cutoff_label, s.version),
            ascii: format!("jili-{demo_ascii}release-{}-{}-v{}.{ext}", s.calendar, s.cutoff, s.version),
            digest: format!("release-{}-{}-{ext}", s.id, &s.sha256[..s.sha256.len().min(16)]),
        };
        crate::downloads::serve(&state.0.downloads, spec, &headers, || async {
            let built = match ext {
                "xlsx" => v.app.release_xlsx(&r).await,
                "csv" => v.app.release_csv(&r).await,
                "json" => v.app.release_json(&r).await,
                _ => v.app.release_sdmx(&r).await.map(String::into_bytes),
            };
            Ok(built?)
        })
        .await
    })
    .await
}
