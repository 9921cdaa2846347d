//! Data grants (see [`jili_model::Grant`]): a lead department asks the owning department for the
//! use of one of its confidential series in one measure's plan of one year; that department's
//! users (or the office, recording its letter) give or decline it, and may revoke it. Without a
//! grant in force a plan reading the series fails lint and a lead's trial of it is refused.

use crate::App;
use crate::access::{Action, Role};
use crate::error::{AppError, Result};
use crate::limits::check_text;
use jili_model::plan::{Lint, lint_grants, ungranted};
use jili_model::{Grant, GrantStatus, Plan};
use jili_store::NewGrant;

impl App {
    /// A lead department asks for the use of `series` (another department's confidential
    /// series) in its plan of `measure` in `year`. Returns the request's id.
    pub async fn request_grant(&self, year: i32, measure: u32, series: &str, reason: &str) -> Result<i64> {
        let lead = self.lead_of(year, measure).await?;
        self.allow(Action::DraftPlan { lead: &lead })?;
        check_text("申请理由", reason, &self.limits().await?)?;
        if reason.trim().is_empty() {
            return Err(AppError::Invalid(
                "申请数据授权须写明理由（--reason）：该数据项在方案中的用途，以及为何不能改用可公开的数据项".into(),
            ));
        }
        let owner = self.confidential_owner(series, &lead).await?;
        self.refuse_duplicate(year, measure, series, &lead).await?;
        let new = NewGrant {
            year,
            measure,
            series,
            owner: &owner,
            grantee: &lead,
            status: GrantStatus::Requested,
            reason: reason.trim(),
            basis: "",
        };
        Ok(self.store.add_grant(&self.actor(), new).await?)
    }

    /// The office records a grant the owning department gave in writing (`basis`: its letter),
    /// for the lead of `measure`. Returns the grant's id.
    pub async fn record_grant(&self, year: i32, measure: u32, series: &str, basis: &str) -> Result<i64> {
        let lead = self.lead_of(year, measure).await?;
        let owner = self.confidential_owner(series, &lead).await?;
        self.allow(Action::DecideGrant { owner: &owner })?;
        self.check_basis(basis).await?;
        self.refuse_duplicate(year, measure, series, &lead).await?;
        let new = NewGrant {
            year,
            measure,
            series,
            owner: &owner,
            grantee: &lead,
            status: GrantStatus::Granted,
            reason: "据数据所有部门来函登记",
            basis: basis.trim(),
        };
        Ok(self.store.add_grant(&self.actor(), new).await?)
    }

    /// The owning department gives, declines or revokes grant `id`, stating its basis.
    pub async fn decide_grant(&self, id: i64, to: GrantStatus, basis: &str) -> Result<Grant> {
        let grant = self.grant(id).await?;
        self.allow(Action::DecideGrant { owner: &grant.owner })?;
        self.check_basis(basis).await?;
        Ok(self.store.decide_grant(&self.actor(), id, to, basis.trim()).await?)
    }

    /// The grants the actor may see, of `year` (every year when `None`): all of them for the
    /// office and the auditor; those it asked for or decides for a department's user.
    pub async fn grants(&self, year: Option<i32>) -> Result<Vec<Grant>> {
        let all = self.store.grants(year).await?;
        match self.principal().role.clone() {
            Role::Office | Role::Auditor => Ok(all),
            Role::Lead(d) | Role::Provider(d) => {
                Ok(all.into_iter().filter(|g| g.owner == d || g.grantee == d).collect())
            }
            Role::Unit(_) | Role::Public => {
                Err(AppError::Denied("数据授权只有省政府办公厅、纪检监察和相关部门可以查看".into()))
            }
        }
    }

    /// The lint errors of the grants `plan` lacks (none when every confidential series of
    /// another department it reads is granted).
    pub(crate) async fn missing_grants(&self, plan: &Plan) -> Result<Vec<Lint>> {
        let (catalogue, lead, grants) = self.grant_context(plan).await?;
        Ok(lint_grants(plan, &catalogue, &lead, &grants))
    }

    /// The confidential series of other departments `plan` reads without a grant in force.
    pub(crate) async fn ungranted(&self, plan: &Plan) -> Result<Vec<String>> {
        let (catalogue, lead, grants) = self.grant_context(plan).await?;
        Ok(ungranted(plan, &catalogue, &lead, &grants).into_iter().map(|s| s.code.clone()).collect())
    }

    /// What deciding on a plan's grants needs: the catalogue, the lead's code, the year's grants.
    async fn grant_context(&self, plan: &Plan) -> Result<(jili_model::Catalogue, String, Vec<Grant>)> {
        let catalogue = self.catalogue().await?;
        let lead = self.lead_of(plan.header.year, plan.header.measure).await?;
        let grants = self.store.grants(Some(plan.header.year)).await?;
        Ok((catalogue, lead, grants))
    }

    async fn grant(&self, id: i64) -> Result<Grant> {
        self.store
            .grants(None)
            .await?
            .into_iter()
            .find(|g| g.id == id)
            .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的数据授权：编号见 jili grant list")))
    }

    /// The owner of `series` when it is confidential and not the lead's own; an error otherwise.
    async fn confidential_owner(&self, series: &str, lead: &str) -> Result<String> {
        let catalogue = self.catalogue().await?;
        let s = catalogue.series(series).ok_or_else(|| {
            AppError::NotFound(format!("没有数据项“{series}”：代码见 jili units series 或数据项目录"))
        })?;
        if s.public {
            return Err(AppError::Invalid(format!(
                "数据项 {}（{}）可向社会公布，使用它不需要数据授权",
                s.code, s.name
            )));
        }
        if s.owner == lead {
            return Err(AppError::Invalid(format!(
                "数据项 {}（{}）由牵头单位自己提供，使用它不需要数据授权",
                s.code, s.name
            )));
        }
        Ok(s.owner.clone())
    }

    /// One open request or grant in force per series, measure, year and lead.
    async fn refuse_duplicate(&self, year: i32, measure: u32, series: &str, lead: &str) -> Result<()> {
        let open = self.store.grants(Some(year)).await?.into_iter().find(|g| {
            g.measure == measure
                && g.series == series
                && g.grantee == lead
                && matches!(g.status, GrantStatus::Requested | GrantStatus::Granted)
        });
        match open {
            Some(g) => Err(AppError::Invalid(format!(
                "{year}年第 {measure} 条措施使用 {series} 已有数据授权 {}（{}），不必重复申请",
                g.id,
                g.status.label()
            ))),
            None => Ok(()),
        }
    }

    async fn check_basis(&self, basis: &str) -> Result<()> {
        check_text("依据", basis, &self.limits().await?)?;
        if basis.trim().is_empty() {
            return Err(AppError::Invalid(
                "须写明依据（--basis）：数据所有部门的复函文号，或同意、拒绝、撤销的理由".into(),
            ));
        }
        Ok(())
    }
}
