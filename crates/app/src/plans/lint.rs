//! Plan lint with the data: the notice's rules ([`jili_model::plan::lint_plan`]) plus the
//! regional spread of a trial on last year's data — which plates and kinds of unit would win,
//! and a warning when one plate takes more than its share.

use crate::App;
use crate::error::Result;
use crate::runs::run::RunRequest;
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
    /// Lint a plan: the notice's rules, and the regional spread of a trial on last year's data
    /// (heavy work: see [`crate::workers`]).
    pub async fn lint_plan(&self, plan: &Plan, margin: f64) -> Result<LintReport> {
        let lead = self.lead_of(plan.header.year, plan.header.measure).await?;
        self.allow(crate::Action::DraftPlan { lead: &lead })?;
        let plan = plan.clone();
        self.heavy(crate::Work::Trial, move |app| async move { app.lint_here(&plan, margin).await }).await
    }

    async fn lint_here(&self, plan: &Plan, margin: f64) -> Result<LintReport> {
        let catalogue = self.catalogue().await?;
        let mut lints = lint_plan(plan, &catalogue);
        lints.extend(self.budget_lint(plan).await?);
        let ungranted = self.missing_grants(plan).await?;
        let spread = if ungranted.is_empty() { self.spread(plan, margin, &catalogue, &mut lints).await? } else { None };
        lints.extend(ungranted);
        Ok(LintReport { lints, spread })
    }

    /// The regional spread of a trial on last year's data, with its warnings. Only for plans
    /// whose lead may see their trials (every confidential series granted).
    async fn spread(
        &self,
        plan: &Plan,
        margin: f64,
        catalogue: &jili_model::Catalogue,
        lints: &mut Vec<Lint>,
    ) -> Result<Option<Spread>> {
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
        Ok(spread)
    }
}
