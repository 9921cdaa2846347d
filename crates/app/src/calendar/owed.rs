//! What each providing department owes: for every plan in force, each series it reads, for the
//! units it evaluates in its period. The board and the 填报模板 both start here, so a provider
//! is chased for exactly what it is asked to fill.

use crate::App;
use crate::error::Result;
use jili_model::{Catalogue, Period};
use std::collections::{BTreeMap, BTreeSet};

/// One series and period a department owes.
#[derive(Debug, Clone)]
pub(crate) struct Owed {
    pub series: String,
    /// The series' owner.
    pub provider: String,
    pub period: Period,
    /// The units whose values are owed.
    pub units: BTreeSet<String>,
    /// The measures whose plans read it.
    pub measures: BTreeSet<u32>,
}

impl App {
    /// Everything owed for a programme year's plans in force, by provider, series and period.
    /// Callers check the actor's permission and keep the rows it may see.
    pub(crate) async fn owed(&self, year: i32, catalogue: &Catalogue) -> Result<Vec<Owed>> {
        let views = self.approved_plan_views(Some(year)).await?;
        let mut out: BTreeMap<(String, String, Period), Owed> = BTreeMap::new();
        for v in &views {
            let plan = &v.plan;
            let period = Period::year(plan.header.period);
            let units: Vec<&jili_model::Unit> = crate::intake::checks::plan_units(plan, catalogue)
                .into_iter()
                .filter(|u| !plan.header.exclude.contains(&u.code))
                .collect();
            for s in plan.series_read() {
                let Some(series) = catalogue.series(s) else { continue };
                let key = (series.owner.clone(), series.code.clone(), period);
                let entry = out.entry(key).or_insert_with(|| Owed {
                    series: series.code.clone(),
                    provider: series.owner.clone(),
                    period,
                    units: BTreeSet::new(),
                    measures: BTreeSet::new(),
                });
                entry.units.extend(units.iter().filter(|u| plan.reads_for(s, u)).map(|u| u.code.clone()));
                entry.measures.insert(plan.header.measure);
            }
        }
        Ok(out.into_values().filter(|o| !o.units.is_empty()).collect())
    }
}
