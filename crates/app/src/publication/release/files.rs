//! A data release as downloads: rows of [`RELEASE_COLUMNS`] built once from the release, then
//! written as CSV, XLSX and SDMX-CSV by the same writers as the results' data downloads
//! (`crate::publication::portal`), every cell neutralised for spreadsheets.

use super::DataRelease;
use crate::App;
use crate::access::Action;
use crate::error::Result;
use jili_report::sdmx::rows_with_status as sdmx_csv_with_status;
use jili_report::table::{csv_file, xlsx_file};

/// The headings of a release's CSV and XLSX, in column order: the results' data columns and
/// the value's status.
pub const RELEASE_COLUMNS: [&str; 8] = ["数据项代码", "数据项", "单位代码", "单位", "时期", "数值", "计量单位", "状态"];

impl App {
    /// A release's values as rows of [`RELEASE_COLUMNS`], in the release's order. Values of a
    /// series the catalogue no longer marks public are withheld (a release holds public series
    /// only; this checks again).
    pub async fn release_rows(&self, r: &DataRelease) -> Result<Vec<[String; 8]>> {
        self.allow(Action::ReadPublished)?;
        let catalogue = self.catalogue().await?;
        let body = &r.body;
        let series = |code: &str| body.series.iter().find(|s| s.code == code);
        let unit = |code: &str| body.units.iter().find(|u| u.code == code).map_or("", |u| u.name.as_str());
        Ok(body
            .values
            .iter()
            .filter(|v| catalogue.series(&v.series).is_some_and(|s| s.public))
            .map(|v| {
                let s = series(&v.series);
                [
                    v.series.clone(),
                    s.map_or_else(String::new, |s| s.name.clone()),
                    v.unit.clone(),
                    unit(&v.unit).to_string(),
                    v.period.clone(),
                    v.value.clone(),
                    s.map_or_else(String::new, |s| s.unit.clone()),
                    v.status.release_label().to_string(),
                ]
            })
            .collect())
    }

    /// A release as CSV (UTF-8 with a byte-order mark). Heavy work.
    pub async fn release_csv(&self, r: &DataRelease) -> Result<Vec<u8>> {
        let r = r.clone();
        self.heavy(crate::Work::Export, move |app| async move {
            Ok(csv_file(&RELEASE_COLUMNS, &app.release_rows(&r).await?)?)
        })
        .await
    }

    /// A release as an XLSX workbook with a 说明 sheet naming the release, its version, digest
    /// and, for a corrected one, that it was corrected. Heavy work.
    pub async fn release_xlsx(&self, r: &DataRelease) -> Result<Vec<u8>> {
        let r = r.clone();
        self.heavy(crate::Work::Export, move |app| async move {
            let rows = app.release_rows(&r).await?;
            let about = about(&r);
            Ok(xlsx_file(&RELEASE_COLUMNS, &rows, &[16, 28, 10, 18, 10, 14, 10, 8], &about)?)
        })
        .await
    }

    /// A release as SDMX-CSV 2.0 with OBS_STATUS (A final, P preliminary). Heavy work.
    pub async fn release_sdmx(&self, r: &DataRelease) -> Result<String> {
        let r = r.clone();
        self.heavy(crate::Work::Export, move |app| async move {
            let rows = app.release_rows(&r).await?;
            // The 状态 column is the status's release label (初步 or 最终), which reads back.
            let status: Vec<&str> =
                rows.iter().map(|row| jili_model::Status::parse(&row[7]).map_or("A", |s| s.sdmx())).collect();
            let seven: Vec<[String; 7]> =
                rows.into_iter().map(|[a, b, c, d, e, f, g, _]| [a, b, c, d, e, f, g]).collect();
            Ok(sdmx_csv_with_status(&seven, &status)?)
        })
        .await
    }
}

impl App {
    /// A release as JSON: the release (version, cut-off, whether corrected, due date) and every
    /// value as a row of the CSV, by column names. Heavy work.
    pub async fn release_json(&self, r: &DataRelease) -> Result<Vec<u8>> {
        let r = r.clone();
        self.heavy(crate::Work::Export, move |app| async move {
            let keys = ["series", "series_name", "unit", "unit_name", "period", "value", "measure_unit", "status"];
            let values: Vec<serde_json::Map<String, serde_json::Value>> = app
                .release_rows(&r)
                .await?
                .into_iter()
                .map(|row| keys.iter().zip(row).map(|(k, c)| (k.to_string(), serde_json::Value::String(c))).collect())
                .collect();
            let body = serde_json::json!({ "release": r.summary, "due": r.body.due, "values": values });
            serde_json::to_vec_pretty(&body).map_err(|e| crate::AppError::Invalid(format!("数据无法写成 JSON：{e}")))
        })
        .await
    }
}

/// The lines of a release's 说明 sheet.
fn about(r: &DataRelease) -> Vec<String> {
    let s = &r.summary;
    let demo = if s.demo { "【演示数据，非真实统计】" } else { "" };
    let mut lines = vec![
        format!("{demo}{}（{}）第 {} 版", s.name, s.cutoff_label, s.version),
        format!("通报时间 {}，sha256 {}", crate::clock::beijing_labelled(&s.released_at), s.sha256),
        format!("说明：{}", s.reason),
    ];
    if s.superseded {
        lines.push(format!(
            "已更正：本版已由第 {} 版（编号 {}）取代，请以最新版本为准。",
            s.newest_version, s.newest_id
        ));
    }
    lines.push("只含可公开的数据项；原则上不向社会公布的数据项不在其中。".to_string());
    lines
}
