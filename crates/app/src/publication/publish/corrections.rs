//! What the office adds to a publication besides the runs: commendations (通报表扬) and, where
//! it must, overrides of one unit's result — always with a reason, always public.

use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use jili_engine::Outcome;

impl App {
    /// Record a commendation for the next publication: a 市州 or county whose practice one of
    /// the notice's inspections affirmed.
    pub async fn commend(&self, year: i32, unit: &str, inspection: &str, practice: &str) -> Result<i64> {
        self.allow(Action::Publish)?;
        let limits = self.limits().await?;
        crate::limits::check_name("督查名称", inspection, &limits)?;
        crate::limits::check_text("典型做法", practice, &limits)?;
        let catalogue = self.catalogue().await?;
        let Some(u) = catalogue.unit(unit) else {
            return Err(AppError::Invalid(format!("没有评价对象代码“{unit}”：代码见门户的单位页面或 jili units")));
        };
        let programme = self.programme(Some(year)).await?;
        let levels = programme.commendation.map(|c| c.levels).unwrap_or_default();
        if !levels.contains(&u.level) {
            let names: Vec<&str> = levels.iter().map(|l| l.as_str()).collect();
            return Err(AppError::Invalid(format!(
                "{}是{}：{year}年通报表扬的对象是{}",
                u.name,
                u.level.as_str(),
                names.join("、")
            )));
        }
        // The sources are the programme's (`rules.commendation_sources`), not jili's.
        let sources = &programme.rules.commendation_sources;
        let Some(inspection) = sources.iter().find(|i| **i == inspection.trim()) else {
            return Err(AppError::Invalid(format!(
                "督查“{inspection}”不在通知所列范围（{year}年激励方案的 rules.commendation_sources）：通报表扬只适用于{}中被肯定的典型经验做法，请照写其一",
                sources.join("和")
            )));
        };
        let practice = practice.trim();
        if practice.is_empty() {
            return Err(AppError::Invalid("请写明受表扬的典型经验做法（--practice）".into()));
        }
        let twice = self
            .store
            .commendations(year)
            .await?
            .into_iter()
            .any(|c| c.unit == unit && c.inspection == *inspection && c.practice == practice);
        if twice {
            return Err(AppError::Invalid(format!("{}的这项通报表扬已经登记过", u.name)));
        }
        Ok(self.store.add_commendation(&self.actor(), year, unit, inspection, practice).await?)
    }

    /// Override one unit's outcome in the run a publication would use (the newest run of the
    /// plan in force) — the only way a result changes without a new run. Only a unit that was
    /// evaluated and not selected can be added; a vetoed or ineligible unit cannot: its data or
    /// the plan must be corrected and the measure run again.
    pub async fn override_result(&self, run: i64, unit: &str, winner: bool, reason: &str) -> Result<i64> {
        self.allow(Action::Publish)?;
        self.check_override(run, unit, winner, reason).await?;
        let outcome = if winner { "winner" } else { "not" };
        Ok(self.store.add_override(&self.actor(), run, unit, outcome, reason.trim()).await?)
    }

    /// Whether [`App::override_result`] may change `unit`'s outcome in `run` (a recovery checks
    /// its corrections with it before it stores them together with its ledger entry).
    pub(crate) async fn check_override(&self, run: i64, unit: &str, winner: bool, reason: &str) -> Result<()> {
        crate::limits::check_text("更正原因", reason, &self.limits().await?)?;
        if reason.trim().is_empty() {
            return Err(AppError::Invalid("更正评价结果必须写明原因（--reason），原因将公开".into()));
        }
        let stored = self.store.run(run).await?.ok_or_else(|| {
            AppError::NotFound(format!("没有运行 {run}：运行号见 jili audit log 中动作为 run 的事件"))
        })?;
        let measure = u32::try_from(stored.measure).unwrap_or_default();
        let in_force = self.plan_in_force(stored.year, measure).await?.stored.version;
        let newest = self
            .store
            .runs()
            .await?
            .into_iter()
            .rev()
            .find(|r| r.year == stored.year && r.measure == stored.measure && r.plan_version == in_force)
            .map_or(0, |r| r.id);
        if newest != run {
            return Err(AppError::Invalid(format!(
                "运行 {run} 不是第 {measure} 条措施现行方案（第 {in_force} 版）最新的运行（应为运行 {newest}）：只能更正将要发布的结果"
            )));
        }
        let result = crate::runs::parsed::run_result(&stored)?;
        let Some(u) = result.units.iter().find(|u| u.code == unit) else {
            return Err(AppError::Invalid(format!("运行 {run} 的评价对象中没有 {unit}")));
        };
        let name = u.name.as_str();
        let outcome = u.outcome;
        let now_winner = match self.store.overrides(run).await?.iter().rev().find(|o| o.unit == unit) {
            Some(o) => o.outcome == "winner",
            None => outcome == Outcome::Winner,
        };
        if now_winner == winner {
            let state = if winner { "已是入选单位" } else { "本来就未入选" };
            return Err(AppError::Invalid(format!("{name}在运行 {run} 中{state}，无需更正")));
        }
        if winner && !matches!(outcome, Outcome::Winner | Outcome::NotSelected) {
            let why = if outcome == Outcome::Vetoed {
                "被一票否决"
            } else {
                "不具备入选资格（数据缺失、低于最低分或未分组）"
            };
            return Err(AppError::Invalid(format!(
                "{name}{why}，不能通过更正列入：如所依据的数据有误，应由数据提供部门更正数据后重新运行"
            )));
        }
        Ok(())
    }
}
