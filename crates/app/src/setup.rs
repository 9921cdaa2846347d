//! `jili init`: a database for real work — reference data, the programme and the example
//! plans, no demo data. Providers' files then come in through [`App::import_file`].

use crate::App;
use crate::bundled;
use crate::error::{AppError, Result};
use jili_store::SealAlgorithm;

/// What `init` loaded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InitSummary {
    pub departments: usize,
    pub units: usize,
    pub series: usize,
    pub programmes: usize,
    pub plans: usize,
    /// The hash of the new database's audit chain and seals.
    pub seal_algorithm: SealAlgorithm,
}

impl App {
    /// Load the bundled reference data, programmes and example plans into an empty database.
    /// Its audit chain and seals use SHA-256; [`App::init_sealed`] chooses.
    pub async fn init(&self) -> Result<InitSummary> {
        self.init_sealed(SealAlgorithm::Sha256).await
    }

    /// [`App::init`] with the audit chain and seals in `algorithm` (SM3 where the office must
    /// use the national standard). The choice is recorded in the database, first, and cannot be
    /// changed once anything else is.
    pub async fn init_sealed(&self, algorithm: SealAlgorithm) -> Result<InitSummary> {
        self.allow(crate::Action::Configure)?;
        if !self.store.departments().await?.is_empty() {
            return Err(AppError::Invalid("数据库已经初始化过（已有参考数据），无需再次初始化".into()));
        }
        self.store.choose_seal_algorithm(&self.actor(), algorithm).await?;
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
            seal_algorithm: algorithm,
        })
    }
}
