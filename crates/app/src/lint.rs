//! Plan lint with the data: the notice's rules ([`jili_model::plan::lint_plan`]) plus the
//! regional spread of a trial on last year's data — which plates and kinds of unit would win,
//! and a warning when one plate takes more than its share.

use crate::App;
use crate::error::Result;
use crate::run::RunRequest;
use jili_engine::Outcome;
use jili_model::plan::{Lint, LintLevel, lint_plan};
use jili_model::{Plan, Plate};
use serde::Serialize;
use std::collections::BTreeMap;

/// By how much a plate's share of winners may exceed its share of units before a warning.
pub const SPREAD_MARGIN: f64 = 0.25;

/// Winners of a trial on last year's data, by plate and by kind of unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Spread {
    /// The year whose data the trial read.
    pub year: i32,
    /// Plate → (units evaluated, winners).
    pub plates: BTreeMap<String, (usize, usize)>,
    /// Kind (地级市, 县, 国家级经开区 …) → (units evaluated, winners).
    pub kinds: BTreeMap<String, (usize, usize)>,
}

/// The lint of a plan: the rules, then the spread (when last year's data allow a trial).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LintReport {
    pub lints: Vec<Lint>,
    pub spread: Option<Spread>,
}

impl LintReport {
    /// Whether the plan may be submitted.
    pub fn passes(&self) -> bool {
        !self.lints.iter().any(|l| l.level == LintLevel::Error)
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
    async fn budget_lint(&self, plan: &Plan) -> Result<Option<Lint>> {
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
                "第 {measure} 条措施还没有登记预算额度，无法核对奖励金额：由省政府办公厅用 jili budget set {measure} 金额 --basis 依据 登记"
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

    /// Lint a plan: the notice's rules, and the regional spread of a trial on last year's data.
    pub async fn lint_plan(&self, plan: &Plan, margin: f64) -> Result<LintReport> {
        let catalogue = self.catalogue().await?;
        let mut lints = lint_plan(plan, &catalogue);
        lints.extend(self.budget_lint(plan).await?);
        let mut last = plan.clone();
        last.header.period -= 1;
        last.header.base -= 1;
        let request = RunRequest { samples: Some(0), ..RunRequest::default() };
        let spread = match self.trial(&last, &request).await {
            Ok(result) => {
                let mut spread = Spread { year: last.header.period, plates: BTreeMap::new(), kinds: BTreeMap::new() };
                for u in result.units.iter().filter(|u| u.group.is_some()) {
                    let Some(unit) = catalogue.unit(&u.code) else { continue };
                    let won = usize::from(u.outcome == Outcome::Winner);
                    let plate = unit.plate.map_or("（无板块）", Plate::as_str).to_string();
                    let p = spread.plates.entry(plate).or_default();
                    *p = (p.0 + 1, p.1 + won);
                    let k = spread.kinds.entry(unit.kind.clone()).or_default();
                    *k = (k.0 + 1, k.1 + won);
                }
                let (units, winners): (usize, usize) =
                    spread.plates.values().fold((0, 0), |(a, b), (u, w)| (a + u, b + w));
                if winners > 0 {
                    for (plate, (u, w)) in &spread.plates {
                        let (unit_share, win_share) = (*u as f64 / units as f64, *w as f64 / winners as f64);
                        if win_share > unit_share + margin {
                            lints.push(Lint {
                                level: LintLevel::Warning,
                                rule: "regional-spread",
                                at: "groups".into(),
                                message: format!(
                                    "按 {} 年数据试算，{plate}板块占入选的 {:.0}%（{w}/{winners}），而只占评价单位的 {:.0}%（{u}/{units}）：指标应体现区域差异（长株潭、洞庭湖、湘南、大湘西），可考虑分板块设组或加入特色性指标",
                                    spread.year,
                                    win_share * 100.0,
                                    unit_share * 100.0
                                ),
                            });
                        }
                    }
                }
                Some(spread)
            }
            // No data for last year yet (the engine cannot evaluate): the rules alone.
            Err(crate::AppError::Invalid(_) | crate::AppError::NotFound(_)) => None,
            Err(e) => return Err(e),
        };
        Ok(LintReport { lints, spread })
    }
}
