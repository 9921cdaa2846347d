//! The inference rule for plans: a plan may read another department's series that is
//! 原则上不向社会公布 only under that department's data grant ([`Grant`]). Without one, the
//! scores of a trial would let the lead compute the values (one indicator on min–max is the
//! values, rescaled), so lint refuses the plan and a lead's trial is refused.

use super::lint::{Lint, LintLevel};
use super::types::Plan;
use crate::catalogue::Catalogue;
use crate::grant::{Grant, GrantStatus};
use crate::series::Series;

/// The other departments' confidential series `plan` reads (indicators, ratio denominators,
/// vetoes, group sizes), each once, in code order. `lead` is the lead department's code.
pub fn confidential_reads<'a>(plan: &Plan, catalogue: &'a Catalogue, lead: &str) -> Vec<&'a Series> {
    plan.series_read()
        .into_iter()
        .filter_map(|code| catalogue.series(code))
        .filter(|s| !s.public && s.owner != lead)
        .collect()
}

/// Whether `grants` hold one in force for `series` in `plan`'s measure and year, to `lead`.
pub fn granted(grants: &[Grant], plan: &Plan, lead: &str, series: &str) -> bool {
    grants.iter().any(|g| {
        g.status == GrantStatus::Granted
            && g.year == plan.header.year
            && g.measure == plan.header.measure
            && g.grantee == lead
            && g.series == series
    })
}

/// The confidential series of other departments `plan` reads without a grant in force.
pub fn ungranted<'a>(plan: &Plan, catalogue: &'a Catalogue, lead: &str, grants: &[Grant]) -> Vec<&'a Series> {
    confidential_reads(plan, catalogue, lead).into_iter().filter(|s| !granted(grants, plan, lead, &s.code)).collect()
}

/// One lint error per confidential series of another department that `plan` reads without a
/// grant in force.
pub fn lint_grants(plan: &Plan, catalogue: &Catalogue, lead: &str, grants: &[Grant]) -> Vec<Lint> {
    ungranted(plan, catalogue, lead, grants)
        .into_iter()
        .map(|s| {
            let owner = catalogue.department(&s.owner).map_or(s.owner.as_str(), |d| d.name.as_str());
            Lint {
                level: LintLevel::Error,
                rule: "confidential-without-grant",
                at: format!("series.{}", s.code),
                message: format!(
                    "数据项 {}（{}）由{owner}提供，原则上不向社会公布：试算得分会让牵头单位推算出其数值，须先取得{owner}对 {} 年第 {} 条措施的数据授权（jili grant request {} {} {} --reason …，或在“数据授权”页申请），或改用可公开的数据项",
                    s.code, s.name, plan.header.year, plan.header.measure, plan.header.year, plan.header.measure, s.code
                ),
            }
        })
        .collect()
}
