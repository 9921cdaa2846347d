//! Loading the yearly programme and its plans.

use crate::App;
use crate::error::{AppError, Result};
use jili_model::PlanStatus;
use jili_model::Programme;
use jili_model::plan::Plan;
use jili_store::StoredPlan;

/// A plan as stored together with its checked form.
#[derive(Debug, Clone)]
pub struct PlanView {
    pub stored: StoredPlan,
    pub plan: Plan,
}

impl App {
    /// Parse, check and store a programme file.
    pub async fn load_programme(&self, name: &str, text: &str) -> Result<Programme> {
        self.allow(crate::Action::Configure)?;
        jili_model::plan::bounds::check_text(name, text, &self.limits().await?)?;
        let programme = Programme::from_toml(name, text)?;
        let catalogue = self.catalogue().await?;
        super::programme_import::check_against(name, &programme, &catalogue)?;
        if !self.store.plans(programme.year).await?.is_empty() {
            return Err(AppError::Invalid(format!(
                "{}年已有实施方案，不能重新载入该年度的激励方案（措施是方案的依据）：如通知有更正，请新建数据库后用 jili init 载入",
                programme.year
            )));
        }
        self.store.put_programme(&self.actor(), &programme).await?;
        Ok(programme)
    }

    /// The programme of `year`, or the newest when `year` is `None`.
    pub async fn programme(&self, year: Option<i32>) -> Result<Programme> {
        let year = match year {
            Some(y) => y,
            None => *self
                .store
                .programme_years()
                .await?
                .first()
                .ok_or_else(|| AppError::NotFound("数据库中还没有任何年度激励方案：请先运行 jili demo".into()))?,
        };
        match self.store.programme(year).await? {
            Some(p) => Ok(p),
            None => {
                let years: Vec<String> = self.store.programme_years().await?.iter().map(i32::to_string).collect();
                Err(AppError::NotFound(format!("没有 {year} 年的激励方案：已有年度 {}", years.join("、"))))
            }
        }
    }

    /// How the programme of year `b` differs from year `a`: each read from the database, or
    /// from the bundled earlier programmes (known in part) when not loaded.
    pub async fn programme_diff(&self, a: i32, b: i32) -> Result<jili_model::ProgrammeDiff> {
        let read = |year: i32| async move {
            if let Some(p) = self.store.programme(year).await? {
                return Ok(p);
            }
            for (name, text) in crate::bundled::EARLIER_PROGRAMMES.iter().chain(crate::bundled::PROGRAMMES) {
                let p = Programme::from_toml(name, text)?;
                if p.year == year {
                    return Ok(p);
                }
            }
            Err(AppError::NotFound(format!("没有 {year} 年的激励方案（数据库和内置文件中都没有）")))
        };
        let (pa, pb) = (read(a).await?, read(b).await?);
        Ok(jili_model::diff_programmes(&pa, &pb))
    }

    /// Check a plan file against its programme and the catalogue; nothing is stored.
    pub async fn check_plan(&self, name: &str, text: &str) -> Result<Plan> {
        let draft = jili_model::plan::PlanDraft::parse_bounded(name, text, &self.limits().await?)?;
        let year = draft.plan.get_ref().year;
        let programme = self.programme(Some(year)).await?;
        let catalogue = self.catalogue().await?;
        Ok(draft.check(name, text, &programme, &catalogue)?)
    }

    /// Check a plan file and save it as a draft (see [`App::save_draft`]).
    pub async fn load_plan(&self, name: &str, text: &str) -> Result<Plan> {
        Ok(self.save_draft(name, text).await?.plan)
    }

    /// The newest plan of a measure, checked again as it is read.
    pub async fn plan(&self, year: Option<i32>, measure: u32) -> Result<PlanView> {
        let programme = self.programme(year).await?;
        measure_in(&programme, measure)?;
        let mut stored = self
            .store
            .plan(programme.year, measure)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("{}年第 {measure} 条措施还没有实施方案", programme.year)))?;
        // A published plan is public; drafts and versions under review are for their lead
        // department, the office and the auditor. Anyone else reads the newest published one.
        let lead = self.lead_of(programme.year, measure).await?;
        if stored.status != PlanStatus::Published
            && !crate::access::allows(self.principal(), &crate::Action::ReadPlans { lead: &lead })
        {
            let versions = self.store.plan_versions(programme.year, measure).await?;
            stored = versions.into_iter().rev().find(|p| p.status == PlanStatus::Published).ok_or_else(|| {
                AppError::NotFound(format!("{}年第 {measure} 条措施的实施方案尚未公布", programme.year))
            })?;
        }
        let catalogue = self.catalogue().await?;
        let plan = Plan::from_toml(&stored.source_name, &stored.toml, &programme, &catalogue)?;
        Ok(PlanView { stored, plan })
    }

    /// The plan in force (newest approved or published version) of every measure of a year
    /// that has one, each checked again as it is read.
    pub async fn plan_views(&self, year: Option<i32>) -> Result<Vec<PlanView>> {
        let programme = self.programme(year).await?;
        let mut out = Vec::new();
        for m in &programme.measures {
            match self.plan_in_force(programme.year, m.no).await {
                Ok(view) => out.push(view),
                Err(AppError::NotFound(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// The plan in force (newest approved or published version) of every measure of a year,
    /// whoever asks: for checks whose findings go to the office only (cut-off crossings).
    pub(crate) async fn approved_plan_views(&self, year: Option<i32>) -> Result<Vec<PlanView>> {
        let programme = self.programme(year).await?;
        let mut out = Vec::new();
        for m in &programme.measures {
            let versions = self.store.plan_versions(programme.year, m.no).await?;
            if let Some(stored) = in_force(&versions) {
                out.push(self.view_of(stored.clone()).await?);
            }
        }
        Ok(out)
    }

    /// The newest version of every measure's plan (drafts included), each checked again as it
    /// is read: what intake checks measure a batch against, since data often arrive before a
    /// plan is approved.
    pub(crate) async fn newest_plan_views(&self, year: Option<i32>) -> Result<Vec<PlanView>> {
        let programme = self.programme(year).await?;
        let catalogue = self.catalogue().await?;
        let mut out = Vec::new();
        for stored in self.store.plans(programme.year).await? {
            let plan = Plan::from_toml(&stored.source_name, &stored.toml, &programme, &catalogue)?;
            out.push(PlanView { stored, plan });
        }
        Ok(out)
    }

    /// The newest plan of every measure of a year.
    /// Only the versions the actor may read: published ones, and the rest for the lead
    /// department, the office and the auditor.
    pub async fn plans(&self, year: i32) -> Result<Vec<StoredPlan>> {
        let plans = self.store.plans(year).await?;
        if plans.is_empty() {
            return Ok(Vec::new());
        }
        let (programme, catalogue) = (self.programme(Some(year)).await?, self.catalogue().await?);
        let mut out = Vec::new();
        for p in plans {
            let measure = p.measure as u32;
            let lead = catalogue.lead_of(measure_in(&programme, measure)?);
            if p.status == PlanStatus::Published
                || crate::access::allows(self.principal(), &crate::Action::ReadPlans { lead: &lead })
            {
                out.push(p);
            } else if let Some(published) = self
                .store
                .plan_versions(year, measure)
                .await?
                .into_iter()
                .rev()
                .find(|v| v.status == PlanStatus::Published)
            {
                out.push(published);
            }
        }
        Ok(out)
    }
}

/// The version in force among a plan's versions (oldest first): the newest approved or published.
pub(crate) fn in_force(versions: &[StoredPlan]) -> Option<&StoredPlan> {
    versions.iter().rev().find(|p| p.status.in_force())
}

/// The measure numbered `measure`, or an error naming the range the programme has.
pub(crate) fn measure_in(programme: &Programme, measure: u32) -> Result<&jili_model::Measure> {
    programme.measure(measure).ok_or_else(|| {
        AppError::NotFound(format!(
            "{}年激励方案只有第 1–{} 条措施，没有第 {measure} 条",
            programme.year,
            programme.measures.len()
        ))
    })
}
