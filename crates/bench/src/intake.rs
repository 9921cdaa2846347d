//! `jili bench` rows for data intake: reading, mapping and checking a large CSV on one core; a
//! 100,000-row workbook imported end to end into SQLite; and the store's insert rate.

use crate::BenchRow;
use jili_app::{App, ImportRequest};
use jili_app::{AppError, Result};
use jili_intake::data::checks::{CheckConfig, value_rules};
use jili_intake::data::{Mapping, ReadOptions, open, read_workbook};
use jili_model::spreadsheet::safe_cell;
use jili_model::{Batch, Catalogue, Level, Observation, Period, Status};
use std::fmt::Write;
use std::time::Instant;

/// Rows of the CSV benchmark (issue 20 sets the floor at 2,000,000 observations a second).
pub const CSV_ROWS: usize = 1_000_000;
/// Rows of the workbook benchmark (the ceiling is 2 s end to end).
pub const XLSX_ROWS: usize = 100_000;

/// The statistics bureau's series and the 市州 and counties: what a big TJJ file holds.
fn cast(catalogue: &Catalogue) -> (Vec<String>, Vec<(String, String)>) {
    let units = catalogue
        .units()
        // Units whose codes held throughout, so old periods need no renaming notices.
        .filter(|u| {
            matches!(u.level, Level::City | Level::County)
                && u.valid_to.is_none()
                && u.valid_from.as_str() <= "2010-12-31"
        })
        .map(|u| u.name.clone())
        .collect();
    let series = catalogue
        .all_series()
        .filter(|s| s.owner == "TJJ" && s.unit != "%")
        .map(|s| (s.name.clone(), s.unit.clone()))
        .collect();
    (units, series)
}

/// Periods from 1949: years, then quarters, then months, as many as `needed`.
fn periods(needed: usize) -> Vec<String> {
    let mut out: Vec<String> = (1949..=2024).map(|y| format!("{y}年")).collect();
    for y in 1949..=2024 {
        for q in 1..=4 {
            out.push(format!("{y}-Q{q}"));
        }
    }
    for y in 1949..=2024 {
        for m in 1..=12 {
            out.push(format!("{y}年{m}月"));
        }
    }
    out.truncate(needed.max(1));
    out
}

/// A long table (地区,指标,年份,数值) of `rows` rows with names as providers write them.
pub fn long_rows(catalogue: &Catalogue, rows: usize) -> Vec<[String; 4]> {
    let (units, series) = cast(catalogue);
    let per_period = units.len() * series.len().min(20);
    let periods = periods(rows.div_ceil(per_period.max(1)));
    let mut out = Vec::with_capacity(rows);
    'all: for (t, p) in periods.iter().enumerate() {
        for (j, (s, measure)) in series.iter().take(20).enumerate() {
            for (k, u) in units.iter().enumerate() {
                if out.len() == rows {
                    break 'all;
                }
                // Each unit has its own size; values drift slowly: a plausible file, flagging
                // no more than a real one would.
                let base = 2000 + (k * 104_729 + j * 7919) % 90_000;
                let v = base * (1000 + (t % 12) * 7 + (k + j) % 5) / 100;
                // Money with one decimal, counts whole: as the departments' systems export them.
                let value = if measure.ends_with('元') { format!("{}.{}", v / 10, v % 10) } else { v.to_string() };
                out.push([u.clone(), s.clone(), p.clone(), value]);
            }
        }
    }
    out
}

/// The rows as CSV bytes.
pub fn long_csv(rows: &[[String; 4]]) -> Vec<u8> {
    let mut text = String::from("地区,指标,年份,数值\n");
    for [u, s, p, v] in rows {
        let (u, s, p, v) = (safe_cell(u), safe_cell(s), safe_cell(p), safe_cell(v));
        let _ = writeln!(text, "{u},{s},{p},{v}");
    }
    text.into_bytes()
}

/// The rows as an XLSX workbook.
pub fn long_xlsx(rows: &[[String; 4]]) -> Result<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| AppError::Invalid(format!("无法生成基准工作簿：{e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["地区", "指标", "年份", "数值"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).map_err(err)?;
    }
    for (r, [u, s, p, v]) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, safe_cell(u)).map_err(err)?;
        sheet.write_string(r, 1, safe_cell(s)).map_err(err)?;
        sheet.write_string(r, 2, safe_cell(p)).map_err(err)?;
        sheet.write_number(r, 3, v.parse::<f64>().unwrap_or(0.0)).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

fn row(step: &'static str, items: usize, target_ms: Option<f64>) -> BenchRow {
    BenchRow { target_ms, ..BenchRow::new(step, items, "值 values") }
}

/// Time the intake steps `runs` times. `fresh(i)` gives an empty database URL for run i.
pub async fn intake_rows(runs: usize, fresh: impl Fn(usize) -> String) -> Result<Vec<BenchRow>> {
    // Issue 20: at least 2,000,000 values a second on one core.
    let mut csv_row = row("CSV 解析+映射+校验（单核）CSV parse+map+validate, 1 core", CSV_ROWS, Some(500.0));
    let mut xlsx_row = row("10万行 XLSX 导入 SQLite（端到端）XLSX import end to end", XLSX_ROWS, Some(2000.0));
    let mut store_row = row("入库（单事务）store insert, one transaction", XLSX_ROWS, None);
    let setup = App::open(&fresh(usize::MAX), "bench").await?;
    setup.init().await?;
    let catalogue = setup.catalogue().await?;
    setup.close().await;
    let rows = long_rows(&catalogue, CSV_ROWS);
    let csv = long_csv(&rows);
    let xlsx = long_xlsx(&rows[..XLSX_ROWS])?;
    let config = CheckConfig::default();
    for i in 0..runs.max(1) {
        let t = Instant::now();
        let wb = open("bench.csv", &csv, None)?;
        let mapping = Mapping::default();
        let options = ReadOptions { provider: "TJJ", mapping: &mapping, status: Status::Final, period: None };
        let parsed = read_workbook(&wb, &catalogue, &options);
        let breaches = value_rules(&parsed.observations, &catalogue, &config);
        csv_row.runs_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        if parsed.observations.len() != CSV_ROWS || !breaches.is_empty() || !parsed.findings.is_empty() {
            return Err(AppError::Invalid(format!(
                "基准数据读取有误：{} 个值，{} 处问题，如：{}",
                parsed.observations.len(),
                parsed.findings.len() + breaches.len(),
                parsed.findings.first().map(|f| f.line()).unwrap_or_default()
            )));
        }

        let app = App::open(&fresh(i), "bench").await?;
        app.init().await?;
        let request = ImportRequest::new("bench.xlsx", xlsx.clone(), "TJJ");
        let t = Instant::now();
        let outcome = app.import_file(&request, &|_| {}).await?;
        xlsx_row.runs_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        if outcome.stored.is_none() {
            let first = outcome.findings.first().map(|f| f.line()).unwrap_or_default();
            return Err(AppError::Invalid(format!("基准工作簿未能入库：{first}")));
        }
        app.close().await;

        let (store, _) = crate::store::initialised_store(&fresh(i + 1000)).await?;
        let batch = Batch {
            provider: "TJJ".into(),
            source: "bench".into(),
            demo: false,
            observations: observations(&rows[..XLSX_ROWS], &catalogue),
        };
        let t = Instant::now();
        crate::store::store_batch(&store, &batch).await?;
        store_row.runs_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        store.close().await;
    }
    Ok(vec![csv_row, xlsx_row, store_row])
}

/// The benchmark rows as observations (for timing the store alone).
pub(crate) fn observations(rows: &[[String; 4]], catalogue: &Catalogue) -> Vec<Observation> {
    let code = |name: &str| catalogue.units().find(|u| u.name == name).map(|u| u.code.clone()).unwrap_or_default();
    let series =
        |name: &str| catalogue.all_series().find(|s| s.name == name).map(|s| s.code.clone()).unwrap_or_default();
    rows.iter()
        .map(|[u, s, p, v]| Observation {
            series: series(s).into(),
            unit: code(u).into(),
            period: p.parse().unwrap_or(Period::year(2024)),
            value: v.parse().unwrap_or_default(),
            status: Status::Final,
        })
        .collect()
}
