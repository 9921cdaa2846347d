//! Loading reference data and reading it back.

use crate::App;
use crate::error::Result;
use jili_intake::{Reference, ReferenceFiles, read_reference};
use jili_model::{Catalogue, Level, Plate, Unit};

/// A filter for listing units.
#[derive(Debug, Clone, Default)]
pub struct UnitFilter {
    pub level: Option<Level>,
    pub plate: Option<Plate>,
    /// Children of this code (a 市州's counties, a county's parks).
    pub parent: Option<String>,
    /// Only codes in force in this year.
    pub year: Option<i32>,
}

impl UnitFilter {
    fn admits(&self, u: &Unit) -> bool {
        self.level.is_none_or(|l| u.level == l)
            && self.plate.is_none_or(|p| u.plate == Some(p))
            && self.parent.as_ref().is_none_or(|p| u.parent.as_ref() == Some(p))
            && self.year.is_none_or(|y| u.valid_in(y))
    }
}

impl App {
    /// Read and check every reference file, then store them in one transaction.
    /// Any problem in any file rejects the whole set; nothing is stored.
    pub async fn load_reference(&self, files: &ReferenceFiles) -> Result<Reference> {
        self.allow(crate::Action::Configure)?;
        let reference = read_reference(files)?;
        self.store.put_reference(&self.actor(), &reference.departments, &reference.units, &reference.series).await?;
        Ok(reference)
    }

    /// Units matching `filter`, in code order.
    pub async fn units(&self, filter: &UnitFilter) -> Result<Vec<Unit>> {
        Ok(self.store.units().await?.into_iter().filter(|u| filter.admits(u)).collect())
    }

    /// The code of the department `text` names by code or name (`TJJ`, `tjj`, `省统计局`,
    /// `湖南省统计局`), or `text` trimmed as given when it names none, for the check that follows
    /// to refuse with its own message. Called before a permission check, so a provider may
    /// name its own department either way.
    pub async fn department_code(&self, text: &str) -> Result<String> {
        let catalogue = self.catalogue().await?;
        Ok(catalogue.find_department(text).map_or_else(|| text.trim().to_string(), |d| d.code.clone()))
    }

    /// Everything plans are checked against, from the store.
    pub async fn catalogue(&self) -> Result<Catalogue> {
        Ok(Catalogue::new(self.store.departments().await?, self.store.units().await?, self.store.series().await?))
    }
}
