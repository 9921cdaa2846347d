//! `/data`: the main indicator data of the newest publication (public series only), a table
//! per series by unit and period, and the downloads: XLSX, CSV (UTF-8 with BOM), JSON and
//! SDMX-CSV (alone, or zipped with its structure message). Values are taken from the publication, so a confidential series never appears.

use super::{PubInfo, cache, publication};
use crate::auth::{ClientAddr, Visitor};
use crate::downloads::FileSpec;
use crate::endpoint::{Route, endpoint};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use jili_app::Publication;
use jili_model::{Decimal, Period};
use minijinja::Value;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/data", get(page))
        .route("/data/download.xlsx", get(xlsx))
        .route("/data/download.csv", get(csv))
        .route("/data/download.json", get(json))
        .route("/data/download.sdmx.csv", get(sdmx))
        .route("/data/download.sdmx.zip", get(sdmx_zip))
}

pub(super) fn api_routes() -> Vec<Route> {
    vec![(
        endpoint(
            "get",
            "/api/data",
            "公开",
            "已公布的主要指标数据（?series= 选一个数据项；只含可公开的数据项）",
            false,
        )
        .query::<SeriesQuery>()
        .ok::<DataPage>(),
        get(api),
    )]
}

/// A period that sorts in time order (2023 before 2024-Q1 before 2024), with its stored text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PeriodKey {
    pub period: Option<Period>,
    pub text: String,
}

impl PeriodKey {
    /// The key of a stored period text.
    pub fn of(text: &str) -> PeriodKey {
        PeriodKey { period: text.parse().ok(), text: text.to_string() }
    }
}

/// The median of decimal texts, exactly (the mean of the middle two for an even count).
pub fn median(values: &[&str]) -> Option<String> {
    let mut xs: Vec<Decimal> = values.iter().filter_map(|v| Decimal::from_str_exact(v.trim()).ok()).collect();
    if xs.is_empty() {
        return None;
    }
    xs.sort();
    let n = xs.len();
    let m = if !n.is_multiple_of(2) { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / Decimal::TWO };
    Some(m.normalize().to_string())
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub(super) struct SeriesQuery {
    /// A series' code; the first published one when absent.
    #[serde(default)]
    series: Option<String>,
}

/// The data page's content.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DataPage {
    pub publication: Option<PubInfo>,
    pub series: Vec<SeriesOption>,
    pub selected: Option<SeriesOption>,
    pub periods: Vec<String>,
    pub rows: Vec<DataRow>,
}

/// A public series in the publication.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SeriesOption {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub source: String,
    pub values: usize,
}

/// One unit's values of the selected series, aligned with `DataPage::periods`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DataRow {
    pub code: String,
    pub name: String,
    #[schema(value_type = Vec<Option<crate::api::types::Decimal>>)]
    pub values: Vec<Option<String>>,
}

async fn data(v: &Visitor, series: Option<&str>) -> WebResult<DataPage> {
    let p = publication(v, None).await?;
    let catalogue = v.app.catalogue().await?;
    let mut page = DataPage {
        publication: p.as_ref().map(PubInfo::of),
        series: Vec::new(),
        selected: None,
        periods: Vec::new(),
        rows: Vec::new(),
    };
    let Some(p) = p else { return Ok(page) };
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &p.body.data {
        *counts.entry(&d.series).or_default() += 1;
    }
    page.series = counts
        .iter()
        .filter_map(|(code, n)| {
            let s = catalogue.series(code).filter(|s| s.public)?;
            Some(SeriesOption {
                code: s.code.clone(),
                name: s.name.clone(),
                unit: s.unit.clone(),
                source: catalogue.department(&s.owner).map_or_else(String::new, |d| d.name.clone()),
                values: *n,
            })
        })
        .collect();
    let selected = match series.filter(|s| !s.is_empty()) {
        Some(code) => Some(page.series.iter().find(|s| s.code == code).cloned().ok_or_else(|| {
            WebError::not_found(format!(
                "已公布的数据中没有数据项“{code}”：请从列表中选择（原则上不向社会公布的数据项不在其中）"
            ))
        })?),
        None => page.series.first().cloned(),
    };
    let Some(sel) = selected else { return Ok(page) };
    let values = p.body.data.iter().filter(|d| d.series == sel.code).map(|d| (&*d.unit, &*d.period, &*d.value));
    let unit_name = |code: &str| catalogue.unit(code).map_or_else(|| code.to_string(), |u| u.name.clone());
    (page.periods, page.rows) = series_table(values, unit_name);
    page.selected = Some(sel);
    Ok(page)
}

/// One series' values as a table: the periods in time order, and a row per unit (in code
/// order, named by `unit_name`) with its value of each period. `values` are (unit, period, value).
pub fn series_table<'a>(
    values: impl Iterator<Item = (&'a str, &'a str, &'a str)>,
    unit_name: impl Fn(&str) -> String,
) -> (Vec<String>, Vec<DataRow>) {
    let mut periods: BTreeSet<PeriodKey> = BTreeSet::new();
    let mut by_unit: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for (unit, period, value) in values {
        periods.insert(PeriodKey::of(period));
        by_unit.entry(unit).or_default().insert(period, value);
    }
    let rows = by_unit
        .into_iter()
        .map(|(code, vs)| DataRow {
            code: code.to_string(),
            name: unit_name(code),
            values: periods.iter().map(|k| vs.get(k.text.as_str()).map(|v| v.to_string())).collect(),
        })
        .collect();
    (periods.into_iter().map(|k| k.text).collect(), rows)
}

async fn page(
    State(state): State<AppState>,
    v: Visitor,
    Query(q): Query<SeriesQuery>,
    headers: HeaderMap,
) -> WebResult<Response> {
    cache::page(&state, &v, "/data", &[("series", q.series.clone())], &headers, || async {
        let d = data(&v, q.series.as_deref()).await?;
        v.page("portal/data.html", Value::from_serialize(&d))
    })
    .await
}

async fn api(v: Visitor, Query(q): Query<SeriesQuery>) -> WebResult<Json<DataPage>> {
    data(&v, q.series.as_deref()).await.map(Json)
}

/// The newest publication, or a 404 saying nothing is published yet.
async fn published(v: &Visitor) -> WebResult<Publication> {
    publication(v, None).await?.ok_or_else(|| WebError::not_found("尚未发布评价结果，暂无可下载的数据"))
}

/// The file's names (ASCII fallback, Chinese). Demo data says so in the name, since CSV and
/// SDMX-CSV have no place for a note.
fn names(p: &Publication, ext: &str) -> (String, String) {
    let (demo_ascii, demo) = if p.body.demo { ("demo-", "【演示数据】") } else { ("", "") };
    (
        format!("jili-{demo_ascii}data-{}-v{}.{ext}", p.year, p.version),
        format!("{demo}{}年主要指标数据（第{}版）.{ext}", p.year, p.version),
    )
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV: &str = "text/csv; charset=utf-8";
const SDMX: &str = "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8";
const JSON: &str = "application/json";

/// A download of the newest publication's data as `ext`: built once per publication (see
/// [`crate::downloads`]) by `build`, then served from memory.
async fn download<F, Fut>(
    state: &AppState,
    v: &Visitor,
    (headers, client): (&HeaderMap, &ClientAddr),
    ext: &'static str,
    content_type: &'static str,
    build: F,
) -> WebResult<Response>
where
    F: FnOnce(jili_app::App, Publication) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<u8>, jili_app::AppError>>,
{
    crate::download_gate::in_turn(&state.0.download_gate, &client.0, async {
        let p = published(v).await?;
        let (ascii, name) = names(&p, ext);
        let spec = FileSpec {
            key: (p.year, p.version, p.sha256.clone(), ext),
            content_type,
            name,
            ascii,
            digest: format!("{}-v{}-{}-{ext}", p.year, p.version, &p.sha256[..p.sha256.len().min(16)]),
        };
        crate::downloads::serve(&state.0.downloads, spec, headers, || async {
            Ok(build(v.app.clone(), p.clone()).await?)
        })
        .await
    })
    .await
}

async fn xlsx(
    State(state): State<AppState>,
    v: Visitor,
    client: ClientAddr,
    headers: HeaderMap,
) -> WebResult<Response> {
    download(&state, &v, (&headers, &client), "xlsx", XLSX, |app, p| async move { app.published_data_xlsx(&p).await })
        .await
}

async fn csv(State(state): State<AppState>, v: Visitor, client: ClientAddr, headers: HeaderMap) -> WebResult<Response> {
    download(&state, &v, (&headers, &client), "csv", CSV, |app, p| async move { app.published_data_csv(&p).await })
        .await
}

async fn sdmx(
    State(state): State<AppState>,
    v: Visitor,
    client: ClientAddr,
    headers: HeaderMap,
) -> WebResult<Response> {
    download(&state, &v, (&headers, &client), "sdmx.csv", SDMX, |app, p| async move {
        app.published_data_sdmx(&p).await.map(String::into_bytes)
    })
    .await
}

/// The SDMX-CSV with its structure message, in one zip.
async fn sdmx_zip(
    State(state): State<AppState>,
    v: Visitor,
    client: ClientAddr,
    headers: HeaderMap,
) -> WebResult<Response> {
    download(&state, &v, (&headers, &client), "sdmx.zip", "application/zip", |app, p| async move {
        app.published_data_sdmx_package(&p).await
    })
    .await
}

/// One value as the JSON download gives it.
#[derive(Debug, Serialize)]
struct JsonValue {
    series: String,
    series_name: String,
    unit: String,
    unit_name: String,
    period: String,
    value: String,
    measure_unit: String,
}

async fn json(
    State(state): State<AppState>,
    v: Visitor,
    client: ClientAddr,
    headers: HeaderMap,
) -> WebResult<Response> {
    download(&state, &v, (&headers, &client), "json", JSON, |app, p| async move {
        let workers = app.workers().clone();
        workers
            .offload(jili_app::Work::Export, async move {
                let rows = app.published_data_rows(&p).await?;
                let values: Vec<JsonValue> = rows
                    .into_iter()
                    .map(|[series, series_name, unit, unit_name, period, value, measure_unit]| JsonValue {
                        series,
                        series_name,
                        unit,
                        unit_name,
                        period,
                        value,
                        measure_unit,
                    })
                    .collect();
                let body = serde_json::json!({ "publication": PubInfo::of(&p), "values": values });
                serde_json::to_vec_pretty(&body)
                    .map_err(|e| jili_app::AppError::Invalid(format!("数据无法写成 JSON：{e}")))
            })
            .await
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_exact_and_periods_sort_in_time_order() {
        assert_eq!(median(&["3", "1", "2"]).as_deref(), Some("2"));
        assert_eq!(median(&["0.1", "0.2"]).as_deref(), Some("0.15"));
        assert_eq!(median(&[]), None);
        assert!(PeriodKey::of("2023") < PeriodKey::of("2024-Q1"));
    }
}
