//! What the public portal reads besides the publication itself: the cache keys' facts, the
//! plan version a published result was computed by, the robustness of the published run for
//! the units the publication names, and the published indicator data as downloads. Everything
//! here is public (`Action::ReadPublished`) and read only from what was published.

use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use crate::plans::programme::PlanView;
use crate::publication::publish::Publication;
use jili_model::plan::Plan;
use jili_report::sdmx::rows_with_status as sdmx_csv_with_status;
use jili_report::table::{csv_file, xlsx_file};
use serde::Serialize;

/// The headings of the published data downloads (CSV and XLSX), in column order.
pub const DATA_COLUMNS: [&str; 7] = ["数据项代码", "数据项", "单位代码", "单位", "时期", "数值", "计量单位"];

/// The Monte Carlo summary of a published run, for the units the publication names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedRobustness {
    pub samples: u32,
    /// How far weights were varied (±, a share).
    pub weight_spread: f64,
    pub winners: u32,
    /// Winners selected in at least 90% of the samples.
    pub stable_winners: u32,
    /// Winners always; every ranked unit when the plan publishes its ranking.
    pub units: Vec<RankBand>,
}

/// One unit's rank interval and probability of selection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankBand {
    pub code: String,
    pub name: String,
    pub group: Option<String>,
    pub nominal_rank: u32,
    pub median_rank: f64,
    pub rank_q05: f64,
    pub rank_q95: f64,
    /// The interval as whole ranks, widened to the ranks around the quantiles (what pages show).
    pub rank_from: u32,
    pub rank_to: u32,
    pub p_selected: f64,
}

impl App {
    /// A fingerprint of everything published (each publication's year, version and digest).
    /// It changes whenever anything is published, by any process.
    /// Data releases count too: their pages are cached the same way.
    pub async fn published_fingerprint(&self) -> Result<String> {
        let releases = self.release_fingerprint().await?;
        Ok(format!("{}#{releases}", self.store.publication_heads().await?.join(";")))
    }

    /// The plan version a published result was computed by (public once published), whoever
    /// asks: a logged-in office sees the same plan as the public on the portal.
    pub async fn published_plan(&self, year: i32, measure: u32, version: i64) -> Result<PlanView> {
        self.allow(Action::ReadPublished)?;
        let stored = self
            .store
            .plan_versions(year, measure)
            .await?
            .into_iter()
            .find(|p| p.version == version && p.status == jili_model::PlanStatus::Published)
            .ok_or_else(|| {
                AppError::NotFound(format!("{year}年第 {measure} 条措施的实施方案第 {version} 版未公布或不存在"))
            })?;
        let programme = self.programme(Some(year)).await?;
        let catalogue = self.catalogue().await?;
        let plan = Plan::from_toml(&stored.source_name, &stored.toml, &programme, &catalogue)?;
        Ok(PlanView { stored, plan })
    }

    /// The robustness of the run a publication names for `measure`, limited to the units the
    /// publication shows (its winners, and everyone ranked when the ranking is published).
    /// `None` when the measure is not published or the run has no Monte Carlo analysis.
    pub async fn published_robustness(&self, year: Option<i32>, measure: u32) -> Result<Option<PublishedRobustness>> {
        let Some(p) = self.published(year).await? else { return Ok(None) };
        let Some(m) = p.body.measures.iter().find(|m| m.measure == measure) else { return Ok(None) };
        let run = self.store.run(m.run).await?.ok_or_else(|| {
            AppError::NotFound(format!("发布所引用的运行 {} 不存在：请用 jili audit verify 核验数据库", m.run))
        })?;
        if run.result_sha256 != m.result_sha256 {
            return Err(AppError::Invalid(format!(
                "运行 {} 的结果与发布记录的摘要不符：请用 jili audit verify 核验",
                m.run
            )));
        }
        let result = crate::runs::parsed::run_result(&run)?;
        let Some(r) = &result.robustness else {
            return Ok(None);
        };
        let shown = |code: &str| {
            m.winners.iter().any(|w| w.code == code)
                || m.ranking.as_ref().is_some_and(|rk| rk.iter().any(|u| u.code == code))
        };
        let units = result
            .units
            .iter()
            .filter(|u| shown(&u.code))
            .filter_map(|u| {
                let b = u.robustness.as_ref()?;
                Some(RankBand {
                    code: u.code.clone(),
                    name: u.name.clone(),
                    group: u.group.clone(),
                    nominal_rank: b.nominal_rank,
                    median_rank: b.median_rank,
                    rank_q05: b.rank_q05,
                    rank_q95: b.rank_q95,
                    rank_from: b.rank_interval().0,
                    rank_to: b.rank_interval().1,
                    p_selected: b.p_selected,
                })
            })
            .collect();
        Ok(Some(PublishedRobustness {
            samples: r.samples,
            weight_spread: r.weight_spread,
            winners: r.winners,
            stable_winners: r.stable_winners,
            units,
        }))
    }

    /// The published indicator data as rows of [`DATA_COLUMNS`] (names from the catalogue).
    pub async fn published_data_rows(&self, p: &Publication) -> Result<Vec<[String; 7]>> {
        self.allow(Action::ReadPublished)?;
        let catalogue = self.catalogue().await?;
        Ok(p.body
            .data
            .iter()
            // Published data hold public series only; checked again against the catalogue.
            .filter(|v| catalogue.series(&v.series).is_some_and(|s| s.public))
            .map(|v| {
                let s = catalogue.series(&v.series);
                [
                    v.series.clone(),
                    s.map_or_else(String::new, |s| s.name.clone()),
                    v.unit.clone(),
                    catalogue.unit(&v.unit).map_or_else(String::new, |u| u.name.clone()),
                    v.period.clone(),
                    v.value.clone(),
                    s.map_or_else(String::new, |s| s.unit.clone()),
                ]
            })
            .collect())
    }

    /// The published indicator data as CSV, UTF-8 with a byte-order mark (Excel reads it).
    /// Building a download is heavy work (see [`crate::workers`]); the web keeps each once.
    pub async fn published_data_csv(&self, p: &Publication) -> Result<Vec<u8>> {
        let p = p.clone();
        self.heavy(crate::Work::Export, move |app| async move { app.data_csv_here(&p).await }).await
    }

    async fn data_csv_here(&self, p: &Publication) -> Result<Vec<u8>> {
        Ok(csv_file(&DATA_COLUMNS, &self.published_data_rows(p).await?)?)
    }

    /// The published indicator data as an XLSX workbook; values are numbers where they parse.
    pub async fn published_data_xlsx(&self, p: &Publication) -> Result<Vec<u8>> {
        let p = p.clone();
        self.heavy(crate::Work::Export, move |app| async move { app.data_xlsx_here(&p).await }).await
    }

    async fn data_xlsx_here(&self, p: &Publication) -> Result<Vec<u8>> {
        let rows = self.published_data_rows(p).await?;
        let demo = if p.body.demo { "【演示数据，非真实统计】" } else { "" };
        let about = [
            format!("{demo}{}", p.body.programme),
            format!(
                "{}年第 {} 版发布（{}），sha256 {}",
                p.year,
                p.version,
                crate::clock::beijing_labelled(&p.published_at),
                p.sha256
            ),
            "只含可公开的数据项；原则上不向社会公布的数据项不在其中。".to_string(),
        ];
        Ok(xlsx_file(&DATA_COLUMNS, &rows, &[24, 28, 10, 18, 10, 14, 10], &about)?)
    }

    /// The published indicator data as SDMX-CSV 2.0 (the dataflow of `App::export_sdmx`), from
    /// [`App::published_data_rows`] so the catalogue's public flag is checked as for the other
    /// downloads. OBS_STATUS is each value's status when published (A 年报, P 快报); empty only
    /// in publications made before the status was recorded.
    pub async fn published_data_sdmx(&self, p: &Publication) -> Result<String> {
        let p = p.clone();
        self.heavy(crate::Work::Export, move |app| async move { app.published_data_sdmx_here(&p).await }).await
    }

    pub(crate) async fn published_data_sdmx_here(&self, p: &Publication) -> Result<String> {
        let rows = self.published_data_rows(p).await?;
        let catalogue = self.catalogue().await?;
        // The same values, in the same order, as published_data_rows keeps.
        let status: Vec<&str> = p
            .body
            .data
            .iter()
            .filter(|v| catalogue.series(&v.series).is_some_and(|s| s.public))
            .map(|v| v.status.map_or("", |s| s.sdmx()))
            .collect();
        Ok(sdmx_csv_with_status(&rows, &status)?)
    }
}
