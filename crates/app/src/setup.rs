//! `jili init`: a database for real work — reference data, the programme and the example
//! plans, no demo data. Providers' files then come in through [`App::import_file`].

use crate::App;
use crate::bundled;
use crate::error::{AppError, Result};

/// What `init` loaded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InitSummary {
    pub departments: usize,
    pub units: usize,
    pub series: usize,
    pub programmes: usize,
    pub plans: usize,
}

impl App {
    /// Load the bundled reference data, programmes and example plans into an empty database.
    pub async fn init(&self) -> Result<InitSummary> {
        self.allow(crate::Action::Configure)?;
        if !self.store.departments().await?.is_empty() {
            return Err(AppError::Invalid("数据库已经初始化过（已有参考数据），无需再次初始化".into()));
        }
        let reference = self.load_reference(&bundled::reference_files()).await?;
        for (name, text) in bundled::PROGRAMMES {
            self.load_programme(name, text).await?;
        }
        for (name, text) in bundled::PLANS {
            self.load_plan(name, text).await?;
        }
        Ok(InitSummary {
            departments: reference.departments.len(),
            units: reference.units.len(),
            series: reference.series.len(),
            programmes: bundled::PROGRAMMES.len(),
            plans: bundled::PLANS.len(),
        })
    }
}
