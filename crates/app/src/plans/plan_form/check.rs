//! The editor's check of a form (structure, then the notice's rules; nothing stored), and the
//! desk of plans a user may see.

use super::PlanForm;
use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use crate::plans::lint::{LintReport, SPREAD_MARGIN};
use jili_model::plan::LintLevel;
use serde::Serialize;

/// One finding of the editor's check, as the page and the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `error` (blocks saving and submission) or `warning`.
    pub level: &'static str,
    /// 错误 or 警告.
    pub label: &'static str,
    pub rule: String,
    /// Where: the form, the plan's structure, or the indicator or section concerned.
    pub at: String,
    pub message: String,
}

impl Finding {
    fn error(rule: &str, at: &str, message: String) -> Finding {
        Finding { level: "error", label: "错误", rule: rule.into(), at: at.into(), message }
    }
}

/// The editor's check of a form: the plan file it makes, and every finding.
#[derive(Debug, Clone)]
pub struct FormCheck {
    /// The plan file, when the form could be written as one.
    pub toml: Option<String>,
    /// The checked plan, when the file passed the structural checks.
    pub plan: Option<jili_model::plan::Plan>,
    pub findings: Vec<Finding>,
    /// The regional spread on last year's data, when it could be computed.
    pub lint: Option<LintReport>,
}

impl FormCheck {
    /// Whether the form may be saved or submitted: a plan, and no error.
    pub fn passes(&self) -> bool {
        self.plan.is_some() && !self.findings.iter().any(|f| f.level == "error")
    }
}

/// A measure on a user's desk of plans: its newest version and what the user may do.
#[derive(Debug, Clone, Serialize)]
pub struct DeskRow {
    pub measure: u32,
    pub short: String,
    pub lead: String,
    /// The newest version, its status (draft … published) and whether it is an example.
    pub version: Option<i64>,
    pub status: Option<jili_model::PlanStatus>,
    pub example: bool,
    /// Versions waiting for the office's review.
    pub submitted: Vec<i64>,
    /// The user may edit, trial and submit this plan.
    pub may_draft: bool,
}

impl App {
    /// Refuse unless the actor may edit `measure`'s plan (its lead department or the office).
    pub async fn plan_editor_access(&self, year: i32, measure: u32) -> Result<()> {
        let lead = self.lead_of(year, measure).await?;
        self.allow(Action::DraftPlan { lead: &lead })
    }

    /// The measures whose plans the actor may read (drafts included), with the newest version
    /// of each: a lead's own measures, every measure for the office and the auditor.
    pub async fn plan_desk(&self, year: i32) -> Result<Vec<DeskRow>> {
        let programme = self.programme(Some(year)).await?;
        let catalogue = self.catalogue().await?;
        let mut out = Vec::new();
        for m in &programme.measures {
            let lead = catalogue.lead_of(m);
            if !crate::access::allows(self.principal(), &Action::ReadPlans { lead: &lead }) {
                continue;
            }
            let versions = self.store.plan_versions(year, m.no).await?;
            let newest = versions.last();
            out.push(DeskRow {
                measure: m.no,
                short: m.short.clone(),
                lead: m.lead.clone(),
                version: newest.map(|p| p.version),
                status: newest.map(|p| p.status),
                example: newest.is_some_and(|p| p.example),
                submitted: versions
                    .iter()
                    .filter(|p| p.status == jili_model::PlanStatus::Submitted)
                    .map(|p| p.version)
                    .collect(),
                may_draft: crate::access::allows(self.principal(), &Action::DraftPlan { lead: &lead }),
            });
        }
        Ok(out)
    }

    /// Check the editor's form for `measure`: write it as a plan file, check its structure,
    /// then lint it by the notice's rules. Nothing is stored. Heavy work (see
    /// [`crate::workers`]): a plan of thousands of indicators takes a while to read.
    pub async fn check_plan_form(&self, year: i32, measure: u32, form: &PlanForm) -> Result<FormCheck> {
        let form = form.clone();
        self.heavy(crate::Work::Trial, move |app| async move { app.check_form_here(year, measure, &form).await }).await
    }

    async fn check_form_here(&self, year: i32, measure: u32, form: &PlanForm) -> Result<FormCheck> {
        self.plan_editor_access(year, measure).await?;
        let mut form = form.clone();
        form.measure = measure;
        let mut check = FormCheck { toml: None, plan: None, findings: Vec::new(), lint: None };
        let toml = match form.to_toml() {
            Ok(t) => t,
            Err(AppError::Invalid(m)) => {
                check.findings.push(Finding::error("form", "表单", m));
                return Ok(check);
            }
            Err(e) => return Err(e),
        };
        check.toml = Some(toml.clone());
        let plan = match self.check_plan(&format!("第{measure}条措施方案（编辑器）"), &toml).await {
            Ok(p) => p,
            Err(AppError::Model(e)) => {
                let several = match e {
                    jili_model::ModelError::Several(v) => v,
                    e => vec![e],
                };
                for e in several {
                    check.findings.push(Finding::error("structure", "方案结构", e.to_string()));
                }
                return Ok(check);
            }
            Err(AppError::Invalid(m) | AppError::NotFound(m)) => {
                check.findings.push(Finding::error("structure", "方案结构", m));
                return Ok(check);
            }
            Err(e) => return Err(e),
        };
        if plan.header.measure != measure {
            check.findings.push(Finding::error("structure", "方案结构", format!("这是第 {measure} 条措施的编辑页")));
            return Ok(check);
        }
        let report = self.lint_plan(&plan, SPREAD_MARGIN).await?;
        for l in &report.lints {
            let (level, label) = if l.level == LintLevel::Error { ("error", "错误") } else { ("warning", "警告") };
            check.findings.push(Finding {
                level,
                label,
                rule: l.rule.into(),
                at: l.at.clone(),
                message: l.message.clone(),
            });
        }
        check.plan = Some(plan);
        check.lint = Some(report);
        Ok(check)
    }
}
