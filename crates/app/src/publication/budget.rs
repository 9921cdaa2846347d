//! Budget lines: the amount a measure's rewards must fit within (万元, exact decimals), set by
//! the office with the document it comes from, checked when a plan is submitted and when
//! results are published.

use crate::App;
use crate::error::Result;
use jili_model::plan::{Lint, LintLevel, Plan};
use serde::Serialize;

/// A measure's budget line beside what its newest plan can pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetLine {
    pub measure: u32,
    pub short: String,
    /// 万元, exact text as entered; `None` when not set.
    pub amount_wan: Option<String>,
    pub basis: String,
    /// The version of the plan the payout is read from, and the most it can pay (`None`: no
    /// plan, or a per-winner reward without a quota).
    pub plan_version: Option<i64>,
    pub most_wan: Option<u64>,
}

impl BudgetLine {
    /// Whether the plan can pay more than the line.
    pub fn exceeded(&self) -> bool {
        let line = self.amount_wan.as_deref().and_then(|a| jili_model::Decimal::from_str_exact(a).ok());
        matches!((line, self.most_wan), (Some(l), Some(m)) if jili_model::Decimal::from(m) > l)
    }
}

impl App {
    /// Set a measure's budget line in 万元 (an exact decimal), naming the document it comes from.
    pub async fn set_budget(&self, year: i32, measure: u32, amount_wan: &str, basis: &str) -> Result<()> {
        self.allow(crate::Action::Configure)?;
        let amount = amount_wan.trim();
        let Ok(value) = jili_model::Decimal::from_str_exact(amount) else {
            return Err(crate::AppError::Invalid(format!(
                "预算额度“{amount}”不是数字：以万元为单位填写，如 3000 或 1250.5"
            )));
        };
        if !value.is_sign_positive() || value.is_zero() {
            return Err(crate::AppError::Invalid(format!("预算额度应大于 0 万元，实为 {amount}")));
        }
        if basis.trim().is_empty() {
            return Err(crate::AppError::Invalid("请写明预算额度的依据（--basis），如预算批复文号".into()));
        }
        self.lead_of(year, measure).await?;
        Ok(self.store.put_budget(&self.actor(), year, measure, amount, basis.trim()).await?)
    }

    /// A measure's budget line (万元, exact text) and its basis, for its lead department, the
    /// office and the auditor.
    pub async fn budget(&self, year: i32, measure: u32) -> Result<Option<(String, String)>> {
        let lead = self.lead_of(year, measure).await?;
        self.allow(crate::Action::ReadPlans { lead: &lead })?;
        Ok(self.store.budget(year, measure).await?)
    }

    /// Rewards within the measure's budget line: an error when the most the plan can pay
    /// exceeds it, a warning when there is no budget line or nothing bounds the payout.
    pub(crate) async fn budget_lint(&self, plan: &Plan) -> Result<Option<Lint>> {
        let (year, measure) = (plan.header.year, plan.header.measure);
        let pays = plan.rewards.iter().any(|r| r.amount != jili_model::plan::Amount::None);
        if !pays {
            return Ok(None);
        }
        let budget = self.store.budget(year, measure).await?;
        let most = jili_model::plan::max_payout_wan(plan);
        let warn = |message: String| Lint { level: LintLevel::Warning, rule: "budget", at: "rewards".into(), message };
        Ok(match (budget, most) {
            (None, _) => Some(warn(format!(
                "第 {measure} 条措施还没有登记预算额度，无法核对奖励金额：请省政府办公厅登记预算额度（命令行 jili budget set {measure} 金额 --basis 依据）"
            ))),
            (Some(_), None) => {
                Some(warn("有按个奖励的分组没有名额上限，最高奖励总额无法确定：请为每个发放资金的分组设定名额".into()))
            }
            (Some((amount, basis)), Some(most)) => {
                let budget = jili_model::Decimal::from_str_exact(&amount).unwrap_or_default();
                (jili_model::Decimal::from(most) > budget).then(|| Lint {
                    level: LintLevel::Error,
                    rule: "budget",
                    at: "rewards".into(),
                    message: format!(
                        "奖励最多需 {most} 万元，超出本措施预算额度 {amount} 万元（依据：{basis}）：请减少名额或奖励金额"
                    ),
                })
            }
        })
    }

    /// Every measure's budget line beside what its newest readable plan can pay.
    pub async fn budget_lines(&self, year: Option<i32>) -> Result<Vec<BudgetLine>> {
        let programme = self.programme(year).await?;
        let mut out = Vec::new();
        for m in &programme.measures {
            let (amount_wan, basis) = match self.budget(programme.year, m.no).await? {
                Some((a, b)) => (Some(a), b),
                None => (None, String::new()),
            };
            let plan = self.plan(Some(programme.year), m.no).await.ok();
            out.push(BudgetLine {
                measure: m.no,
                short: m.short.clone(),
                amount_wan,
                basis,
                plan_version: plan.as_ref().map(|v| v.stored.version),
                most_wan: plan.as_ref().and_then(|v| jili_model::plan::max_payout_wan(&v.plan)),
            });
        }
        Ok(out)
    }
}
