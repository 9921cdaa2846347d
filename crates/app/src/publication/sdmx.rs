//! SDMX for statistics clients: the structure message (dataflow, data structure definition,
//! concepts, codelists) that jili's SDMX-CSV names in its STRUCTURE_ID, built from the
//! catalogue, and the published data packed with it. The public structure lists public series
//! only; an export of stored data (`jili data export`) may ask for every series it holds.

use crate::App;
use crate::access::Action;
use crate::error::Result;
use crate::publication::publish::Publication;
use jili_report::sdmx_structure::{AreaCode, IndicatorCode, StructureInput, package, structure_message};

impl App {
    /// The SDMX-ML 3.0 structure message of jili's dataflow. With `public_only` (the portal's
    /// `/sdmx/structure`) the INDICATOR codelist holds the series that may be published and
    /// anyone may ask; without, every series, for a role that reads stored data.
    pub async fn sdmx_structure(&self, public_only: bool) -> Result<String> {
        self.allow(if public_only { Action::ReadPublished } else { Action::ReadData })?;
        let catalogue = self.catalogue().await?;
        let title = match self.programme(None).await {
            Ok(p) => p.title.clone(),
            Err(_) => "年度激励方案".to_string(),
        };
        let areas = catalogue
            .units()
            .map(|u| AreaCode {
                code: u.code.clone(),
                name: u.name.clone(),
                kind: u.kind.clone(),
                parent: u.parent.clone(),
            })
            .collect();
        let indicators = catalogue
            .all_series()
            .filter(|s| !public_only || s.public)
            .map(|s| IndicatorCode {
                code: s.code.clone(),
                name: s.name.clone(),
                unit: s.unit.clone(),
                frequency: s.frequency.clone(),
                description: s.description.clone(),
            })
            .collect();
        let input = StructureInput { prepared: crate::clock::now_utc(), title, areas, indicators };
        Ok(structure_message(&input))
    }

    /// The published data as SDMX-CSV with its structure message, in one zip
    /// (`data.sdmx.csv`, `structure.xml`). Heavy work.
    pub async fn published_data_sdmx_package(&self, p: &Publication) -> Result<Vec<u8>> {
        let p = p.clone();
        self.heavy(crate::Work::Export, move |app| async move {
            let data = app.published_data_sdmx_here(&p).await?;
            let structure = app.sdmx_structure(true).await?;
            Ok(package(&data, &structure)?)
        })
        .await
    }
}
