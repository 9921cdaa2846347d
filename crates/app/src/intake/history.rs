//! Reading back what intake stored: batches, revision histories, flags, saved mappings, and
//! exports in SDMX-CSV (the statisticians' exchange format).

use crate::App;
use crate::error::{AppError, Result};
use jili_report::sdmx;
use jili_store::{Revision, StoredBatch, StoredFlag};

impl App {
    /// Every batch, oldest first.
    pub async fn batches(&self) -> Result<Vec<StoredBatch>> {
        self.allow(crate::Action::ReadData)?;
        Ok(self.store.batches().await?)
    }

    /// Every revision of one value, oldest first: who sent each, when and why.
    /// Series and unit may be given by code or name (GDP or 地区生产总值, 430100 or 长沙市).
    pub async fn history(&self, series: &str, unit: &str, period: &str) -> Result<Vec<Revision>> {
        self.allow(crate::Action::ReadData)?;
        let period: jili_model::Period = period.parse().map_err(|e| AppError::Invalid(format!("{e}")))?;
        let catalogue = self.catalogue().await?;
        let s = catalogue
            .series(series)
            .or_else(|| catalogue.all_series().find(|s| s.name == series))
            .ok_or_else(|| AppError::NotFound(format!("数据项“{series}”不在目录中（见 jili data series）")))?;
        let u = catalogue
            .unit(unit)
            .or_else(|| catalogue.units().find(|u| u.name == unit || u.short_name == unit))
            .ok_or_else(|| AppError::NotFound(format!("没有代码或名称为“{unit}”的单位（见 jili units）")))?;
        Ok(self.store.revisions(&s.code, &u.code, &period.to_string()).await?)
    }

    /// Anomaly flags of one batch, or of all.
    pub async fn flags(&self, batch: Option<i64>) -> Result<Vec<StoredFlag>> {
        self.allow(crate::Action::ReadData)?;
        if let Some(b) = batch {
            let last = self.store.last_batch().await?;
            if !(1..=last).contains(&b) {
                return Err(AppError::NotFound(format!("没有批次 {b}（见 jili data batches）")));
            }
        }
        Ok(self.store.flags(batch).await?)
    }

    /// Saved column mappings: (provider, signature, TOML, saved at).
    pub async fn mappings(&self) -> Result<Vec<(String, String, String, String)>> {
        self.allow(crate::Action::ReadData)?;
        Ok(self.store.mappings().await?)
    }

    /// The batch a run reads "as of": `batch:N`, `run:ID` (that run's data), or a date or time
    /// (`2025-03-31`, `2025-03-31T12:00:00Z`: the last batch imported by then).
    pub async fn resolve_as_of(&self, text: &str) -> Result<i64> {
        let t = text.trim();
        let bad = || AppError::Invalid(format!("--as-of “{t}”应为 batch:批次号、run:运行号 或日期（如 2025-03-31）"));
        let last = self.store.last_batch().await?;
        if let Some(n) = t.strip_prefix("batch:") {
            let n: i64 = n.parse().map_err(|_| bad())?;
            if !(1..=last).contains(&n) {
                return Err(AppError::NotFound(format!("没有批次 {n}：现有批次为 1–{last}（见 jili data batches）")));
            }
            return Ok(n);
        }
        if let Some(n) = t.strip_prefix("run:") {
            let id: i64 = n.parse().map_err(|_| bad())?;
            let run =
                self.store.run(id).await?.ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的运行记录")))?;
            return run
                .data_batch
                .ok_or_else(|| AppError::Invalid(format!("运行 {id} 早于数据版本记录，无法按其数据重算")));
        }
        let num = |r: std::ops::Range<usize>| t.get(r).and_then(|x| x.parse::<u32>().ok());
        let looks_like_date = t.len() >= 10
            && t.as_bytes()[4] == b'-'
            && t.as_bytes()[7] == b'-'
            && num(0..4).is_some()
            && num(5..7).is_some_and(|m| (1..=12).contains(&m))
            && num(8..10).is_some_and(|d| (1..=31).contains(&d));
        if !looks_like_date {
            return Err(bad());
        }
        let batch = self.store.batch_as_of(t).await?;
        if batch == 0 {
            return Err(AppError::NotFound(format!("{t} 之前没有导入任何数据批次：无法按当时的数据计算")));
        }
        Ok(batch)
    }

    /// Current values as SDMX-CSV 2.0. `series` limits the export (all when empty); with
    /// `public_only`, series that are 原则上不向社会公布 are left out.
    pub async fn export_sdmx(&self, series: &[String], public_only: bool) -> Result<String> {
        self.allow(crate::Action::ReadData)?;
        let catalogue = self.catalogue().await?;
        let codes: Vec<&str> = if series.is_empty() {
            catalogue.all_series().filter(|s| !public_only || s.public).map(|s| s.code.as_str()).collect()
        } else {
            for s in series {
                match catalogue.series(s) {
                    None => return Err(AppError::NotFound(format!("数据项“{s}”不在目录中"))),
                    Some(x) if public_only && !x.public => {
                        return Err(AppError::Invalid(format!("{}（{s}）原则上不向社会公布，不能公开导出", x.name)));
                    }
                    Some(_) => {}
                }
            }
            series.iter().map(String::as_str).collect()
        };
        let values = self.store.observations_of(&codes).await?;
        Ok(sdmx::write(values.iter().map(|v| &v.observation), |code| catalogue.series(code))?)
    }
}
