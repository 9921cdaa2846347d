//! The publication guard: results are not published while an open case is material — while
//! replacing a value it is about by its peers' median would change the winners of a measure
//! whose plan is published (what a publication publishes) — unless the office records why it
//! publishes all the same. The reason is a step of each such case (`waive`), stored with the
//! publication request in one transaction, audited, and shown with the case and the request.
//! The confirmation checks again: a case that became material after the request, or was opened
//! since, stops it until the request is made again with a reason.

use crate::App;
use crate::access::Action;
use crate::cases::watch::Key;
use crate::error::Result;
use jili_model::{CaseStatus, CaseStep, PlanStatus};
use serde::Serialize;

/// An open case that would change the winners of a published measure.
#[derive(Debug, Clone, Serialize)]
pub struct MaterialCase {
    pub id: i64,
    pub title: String,
    pub status: CaseStatus,
    /// Per measure: what would change (第 5 条：长沙市 落选 …).
    pub effects: Vec<String>,
    /// The measures concerned.
    pub measures: Vec<u32>,
}

/// The material cases, in words for a refusal.
pub fn describe(cases: &[MaterialCase]) -> String {
    cases
        .iter()
        .map(|c| format!("核查案件 {}“{}”（{}）：{}", c.id, c.title, c.status.label(), c.effects.join("；")))
        .collect::<Vec<_>>()
        .join("；")
}

impl App {
    /// The open cases material to a publication of `year` (the newest when `None`), for the
    /// office deciding whether to publish and the auditor (heavy work).
    pub async fn material_open_cases(&self, year: Option<i32>) -> Result<Vec<MaterialCase>> {
        self.allow(Action::Watch)?;
        self.heavy(crate::Work::Run, move |app| async move { app.material_here(year).await }).await
    }

    /// [`App::material_open_cases`] without the permission check and the pool: for the
    /// publication use-cases, which have checked and may already be on the pool.
    pub(crate) async fn material_here(&self, year: Option<i32>) -> Result<Vec<MaterialCase>> {
        let open = self.open_cases().await?;
        if open.is_empty() {
            return Ok(Vec::new());
        }
        let year = self.programme(year).await?.year;
        let views: Vec<crate::PlanView> = self
            .approved_plan_views(Some(year))
            .await?
            .into_iter()
            .filter(|v| v.stored.status == PlanStatus::Published)
            .collect();
        let flags = self.store.flags(None).await?;
        let links = self.store.case_flag_links().await?;
        let mut keys_of: Vec<(i64, Vec<Key>)> = Vec::new();
        for case in &open {
            // Several flags of a case are often about one value: each value once.
            let mut keys: Vec<Key> = links
                .iter()
                .filter(|(c, _)| *c == case.id)
                .filter_map(|(_, f)| flags.iter().find(|x| x.id == *f))
                .map(|f| Key { series: f.series.clone(), unit: f.unit.clone(), period: f.period.clone() })
                .collect();
            keys.sort();
            keys.dedup();
            keys_of.push((case.id, keys));
        }
        let mut all: Vec<Key> = keys_of.iter().flat_map(|(_, k)| k.iter().cloned()).collect();
        all.sort();
        all.dedup();
        let found = self.materiality(&all, &views).await?;
        let catalogue = self.catalogue().await?;
        let mut out = Vec::new();
        for (case, (id, keys)) in open.iter().zip(keys_of) {
            debug_assert_eq!(case.id, id);
            let mut effects = Vec::new();
            let mut measures = Vec::new();
            for key in &keys {
                let Some(f) = found.get(key) else { continue };
                for i in f.impacts.iter().filter(|i| i.moves_winners()) {
                    let unit = catalogue.unit(&key.unit).map_or(key.unit.as_str(), |u| u.name.as_str());
                    let mut changed = Vec::new();
                    if i.winner != i.winner_if_median {
                        changed.push(format!("{unit}{}", if i.winner_if_median { "入选" } else { "落选" }));
                    }
                    changed.extend(i.others.iter().cloned());
                    effects.push(format!(
                        "{unit} {} {} 的数值换为同级中位数后，第 {} 条措施{}",
                        key.series,
                        key.period,
                        i.measure,
                        changed.join("、")
                    ));
                    measures.push(i.measure);
                }
            }
            if !effects.is_empty() {
                measures.sort_unstable();
                measures.dedup();
                out.push(MaterialCase {
                    id: case.id,
                    title: case.title.clone(),
                    status: case.status,
                    effects,
                    measures,
                });
            }
        }
        Ok(out)
    }

    /// The cases whose reason to publish while open was given with publication request
    /// `request`.
    pub(crate) async fn waived_for(&self, request: i64) -> Result<Vec<i64>> {
        Ok(self
            .store
            .case_steps()
            .await?
            .into_iter()
            .filter(|s| s.step == CaseStep::Waive && s.request_id == Some(request))
            .map(|s| s.case_id)
            .collect())
    }

    /// Every reason given to publish while cases were open: (request, case, reason, who, when).
    pub async fn publication_waivers(&self) -> Result<Vec<jili_store::StoredCaseStep>> {
        if !self.may(&Action::Watch) {
            self.allow(Action::Publish)?;
        }
        Ok(self.store.case_steps().await?.into_iter().filter(|s| s.step == CaseStep::Waive).collect())
    }
}
