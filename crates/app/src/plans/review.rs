//! The plan lifecycle: a lead department drafts (and trials) its plan, submits it when the lint
//! passes; the office returns it with a comment or approves it, then publishes it. Submitted
//! versions never change: editing after submission starts a new draft version.

use crate::access::Action;
use crate::error::{AppError, Result};
use crate::plans::lint::{LintReport, SPREAD_MARGIN};
use crate::runs::run::RunRequest;
use crate::{App, PlanView};
use jili_engine::RunResult;
use jili_model::plan::{LintLevel, Plan, PlanChange, PlanStatus, diff_plans};
use jili_store::{NewPlan, PlanReview, PlanStep, StoredPlan};

/// A draft saved: the plan, its version and whether the version is new.
#[derive(Debug, Clone)]
pub struct SavedDraft {
    pub plan: Plan,
    pub version: i64,
    pub new_version: bool,
}

/// A trial of a draft: never stored, never published.
#[derive(Debug, Clone)]
pub struct Trial {
    pub result: RunResult,
    pub lint: LintReport,
}

/// A plan's versions and review steps.
#[derive(Debug, Clone)]
pub struct PlanHistory {
    pub versions: Vec<StoredPlan>,
    pub reviews: Vec<PlanReview>,
}

impl App {
    /// The department code leading `measure` of `year` (permissions are by department).
    pub(crate) async fn lead_of(&self, year: i32, measure: u32) -> Result<String> {
        let programme = self.programme(Some(year)).await?;
        let m = crate::plans::programme::measure_in(&programme, measure)?;
        Ok(self.catalogue().await?.lead_of(m))
    }

    /// Save a plan file as a draft: the current draft version is edited in place; when the
    /// newest version is already submitted, returned, approved or published, a new draft
    /// version starts.
    pub async fn save_draft(&self, name: &str, text: &str) -> Result<SavedDraft> {
        // Problems name the file as the user gave it; what is kept of its name is a label.
        let plan = self.check_plan(name, text).await?;
        let name = &crate::limits::file_label(name, &self.limits().await?);
        let (year, measure) = (plan.header.year, plan.header.measure);
        let lead = self.lead_of(year, measure).await?;
        self.allow(Action::DraftPlan { lead: &lead })?;
        let newest = self.store.plan(year, measure).await?;
        if let Some(p) = newest.as_ref().filter(|p| p.status.editable()) {
            self.store.update_draft(&self.actor(), year, measure, p.version, name, text).await?;
            return Ok(SavedDraft { plan, version: p.version, new_version: false });
        }
        let new = NewPlan {
            year,
            measure,
            status: PlanStatus::Draft,
            example: plan.header.example,
            source_name: name,
            toml: text,
        };
        let version = self.store.add_plan(&self.actor(), new).await?;
        Ok(SavedDraft { plan, version, new_version: true })
    }

    /// One stored version (the newest when `version` is `None`), checked again as it is read.
    pub async fn plan_version(&self, year: i32, measure: u32, version: Option<i64>) -> Result<PlanView> {
        let lead = self.lead_of(year, measure).await?;
        self.allow(Action::ReadPlans { lead: &lead })?;
        let versions = self.store.plan_versions(year, measure).await?;
        let stored = match version {
            None => versions.last().cloned(),
            Some(v) => versions.iter().find(|p| p.version == v).cloned(),
        }
        .ok_or_else(|| {
            let have: Vec<String> = versions.iter().map(|p| format!("第 {} 版", p.version)).collect();
            let have = if have.is_empty() {
                "还没有任何版本".to_string()
            } else {
                format!("已有 {}", have.join("、"))
            };
            let asked = version.map_or(String::new(), |v| format!("第 {v} 版"));
            AppError::NotFound(format!("{year}年第 {measure} 条措施的方案没有{asked}：{have}"))
        })?;
        self.view_of(stored).await
    }

    pub(crate) async fn view_of(&self, stored: StoredPlan) -> Result<PlanView> {
        let programme = self.programme(Some(stored.year)).await?;
        let catalogue = self.catalogue().await?;
        let plan = Plan::from_toml(&stored.source_name, &stored.toml, &programme, &catalogue)?;
        Ok(PlanView { stored, plan })
    }

    /// Evaluate a draft on the current data, with its lint: what the lead sees before
    /// submitting. Nothing is stored.
    /// `samples`: Monte Carlo samples (`None`: the plan's own).
    /// Heavy work (see [`crate::workers`]): reading a large plan is part of it.
    pub async fn trial_plan(&self, name: &str, text: &str, samples: Option<u32>) -> Result<Trial> {
        let (name, text) = (name.to_string(), text.to_string());
        self.heavy(crate::Work::Trial, move |app| async move { app.trial_here(&name, &text, samples).await }).await
    }

    /// The trial's work, on the heavy pool.
    async fn trial_here(&self, name: &str, text: &str, samples: Option<u32>) -> Result<Trial> {
        let plan = self.check_plan(name, text).await?;
        let lead = self.lead_of(plan.header.year, plan.header.measure).await?;
        self.allow(Action::DraftPlan { lead: &lead })?;
        // Scores of a plan reading another department's confidential series give its values
        // away: only under that department's grant (or to those who may read the data).
        if !crate::access::allows(self.principal(), &Action::ReadData) {
            let missing = self.missing_grants(&plan).await?;
            if !missing.is_empty() {
                let lines: Vec<String> = missing.iter().map(|l| format!("  {}", l.message)).collect();
                return Err(AppError::Denied(format!(
                    "不能试算：方案读取了其他部门原则上不向社会公布的数据项，而没有数据授权（试算得分会透露其数值）：\n{}",
                    lines.join("\n")
                )));
            }
        }
        let mut result = self.trial(&plan, &RunRequest { samples, ..RunRequest::default() }).await?;
        // A lead sees where units would stand, not the stored (unpublished, perhaps
        // confidential) values behind the scores.
        if !crate::access::allows(self.principal(), &Action::ReadData) {
            for u in &mut result.units {
                for i in &mut u.indicators {
                    i.readings.clear();
                    i.value = None;
                }
            }
        }
        let lint = self.lint_plan(&plan, SPREAD_MARGIN).await?;
        Ok(Trial { result, lint })
    }

    /// Submit the newest version (a draft) for review. Lint errors block submission.
    pub async fn submit_plan(&self, year: i32, measure: u32) -> Result<(i64, LintReport)> {
        let lead = self.lead_of(year, measure).await?;
        self.allow(Action::DraftPlan { lead: &lead })?;
        let view = self.plan_version(year, measure, None).await?;
        let lint = self.lint_plan(&view.plan, SPREAD_MARGIN).await?;
        if !lint.passes() {
            let errors: Vec<String> = lint
                .lints
                .iter()
                .filter(|l| l.level == LintLevel::Error)
                .map(|l| format!("  [{}] {}：{}", l.rule, l.at, l.message))
                .collect();
            return Err(AppError::Invalid(format!(
                "{year}年第 {measure} 条措施方案第 {} 版有 {} 个错误，不能提交；改正后再提交：\n{}",
                view.stored.version,
                errors.len(),
                errors.join("\n")
            )));
        }
        let step = PlanStep {
            year,
            measure,
            version: view.stored.version,
            to: PlanStatus::Submitted,
            comment: "",
            checked_sha256: Some(&view.stored.sha256),
        };
        self.store.plan_step(&self.actor(), step).await?;
        Ok((view.stored.version, lint))
    }

    /// Return a submitted version to its lead department with the office's comment.
    pub async fn return_plan(&self, year: i32, measure: u32, version: i64, comment: &str) -> Result<()> {
        self.allow(Action::ReviewPlan)?;
        crate::limits::check_text("审核意见", comment, &self.limits().await?)?;
        if comment.trim().is_empty() {
            return Err(AppError::Invalid("退回方案必须写明意见（--comment），说明需要修改什么".into()));
        }
        self.step(year, measure, version, PlanStatus::Returned, comment.trim()).await
    }

    /// Approve a submitted version: from now on it is immutable and runs use it. Four eyes:
    /// the approver is not who drafted, edited or submitted that version.
    pub async fn approve_plan(&self, year: i32, measure: u32, version: i64, comment: &str) -> Result<()> {
        self.allow(Action::ReviewPlan)?;
        crate::limits::check_text("审核意见", comment, &self.limits().await?)?;
        let me = self.actor().name;
        if let Some(step) = self.authors_of(year, measure, version).await?.into_iter().find(|(who, _)| *who == me) {
            return Err(AppError::Invalid(format!(
                "{me} {}了{year}年第 {measure} 条措施方案第 {version} 版，不能再批准它（审核须由另一位省政府办公厅用户进行，双人把关）",
                step.1
            )));
        }
        self.step(year, measure, version, PlanStatus::Approved, comment.trim()).await
    }

    /// Who drafted, edited and submitted a version, with what they did: from the review steps
    /// and the audit log (a draft's saves are audited, not reviewed).
    async fn authors_of(&self, year: i32, measure: u32, version: i64) -> Result<Vec<(String, &'static str)>> {
        let mut out: Vec<(String, &'static str)> = self
            .store
            .plan_reviews(year, measure)
            .await?
            .into_iter()
            .filter(|r| r.version == version && r.step == PlanStatus::Submitted)
            .map(|r| (r.actor, "提交"))
            .collect();
        let subject = format!("plan/{year}/{measure}/v{version}");
        for e in self.store.audit_events_of(&subject).await? {
            if e.action == "plan.add" || e.action == "plan.edit" {
                out.push((e.actor, "起草"));
            }
        }
        Ok(out)
    }

    /// Publish an approved version (the plan is made public before the evaluation).
    pub async fn publish_plan(&self, year: i32, measure: u32, version: i64) -> Result<()> {
        self.allow(Action::ReviewPlan)?;
        self.step(year, measure, version, PlanStatus::Published, "").await
    }

    async fn step(&self, year: i32, measure: u32, version: i64, to: PlanStatus, comment: &str) -> Result<()> {
        // An unknown measure is named as such, not as a missing version.
        self.lead_of(year, measure).await?;
        let step = PlanStep { year, measure, version, to, comment, checked_sha256: None };
        Ok(self.store.plan_step(&self.actor(), step).await?)
    }

    /// Every version of a measure's plan, with the review steps.
    pub async fn plan_history(&self, year: i32, measure: u32) -> Result<PlanHistory> {
        let lead = self.lead_of(year, measure).await?;
        self.allow(Action::ReadPlans { lead: &lead })?;
        Ok(PlanHistory {
            versions: self.store.plan_versions(year, measure).await?,
            reviews: self.store.plan_reviews(year, measure).await?,
        })
    }

    /// What changed from version `a` to version `b`.
    pub async fn plan_diff(&self, year: i32, measure: u32, a: i64, b: i64) -> Result<Vec<PlanChange>> {
        let old = self.plan_version(year, measure, Some(a)).await?;
        let new = self.plan_version(year, measure, Some(b)).await?;
        Ok(diff_plans(&old.plan, &new.plan))
    }

    /// The version runs use: the newest approved or published one.
    pub async fn plan_in_force(&self, year: i32, measure: u32) -> Result<PlanView> {
        crate::plans::programme::measure_in(&self.programme(Some(year)).await?, measure)?;
        let versions = self.store.plan_versions(year, measure).await?;
        let stored = crate::plans::programme::in_force(&versions).cloned();
        let stored = stored.ok_or_else(|| {
            let newest = versions.last().map_or("还没有任何版本".to_string(), |p| {
                format!("最新为第 {} 版，状态“{}”", p.version, p.status.label())
            });
            AppError::NotFound(format!(
                "{year}年第 {measure} 条措施还没有经省政府办公厅批准的实施方案（{newest}）：方案批准后才能正式评价；起草中的方案可用 jili plan trial 试算"
            ))
        })?;
        // Approved but not yet published: for the lead department, the office and the auditor.
        if stored.status != PlanStatus::Published {
            let lead = self.lead_of(year, measure).await?;
            self.allow(Action::ReadPlans { lead: &lead })?;
        }
        self.view_of(stored).await
    }
}
