//! Recovery (追回): a published award is overturned — typically because the unit's data were
//! found falsified — and its money ordered back. The office records it with its evidence (a
//! verification case and/or a document); in one store transaction the published run is
//! corrected through the existing correction path (an override with a public reason, so the
//! next publication and the portal show the correction) and the amount disbursed is entered as
//! to be recovered. The next unit does not move up unless the programme says so
//! (`[recovery] refill = true`, see [`jili_model::RecoveryRule`]): then the best-ranked
//! unit of the same peer group not selected takes the place and the award, also as a public
//! correction. The corrected publication is then asked for; another office user confirms it
//! (publishing takes two).

use super::{check_date, sums};
use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use jili_engine::Outcome;
use jili_model::{Decimal, FundKind};
use jili_store::{NewFundEntry, NewOverride};
use serde::Serialize;

/// A recovery as entered.
#[derive(Debug, Clone, Default)]
pub struct RecoveryInput {
    pub year: Option<i32>,
    pub measure: u32,
    pub unit: String,
    /// Why, as it will be published (no confidential values, no names of people).
    pub reason: String,
    /// The verification case the finding comes from, if any.
    pub case_id: Option<i64>,
    /// The decision or finding (文号), if any; a case or a document is required.
    pub doc_no: String,
    /// YYYY-MM-DD: the date of the decision.
    pub date: String,
}

/// What a recovery did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recovery {
    /// The journal entry.
    pub id: i64,
    pub unit_name: String,
    /// The award revoked and the amount to recover (what was disbursed), 万元.
    pub award: Decimal,
    pub to_recover: Decimal,
    /// The unit moved up in its place (code, name), when the programme refills.
    pub refill: Option<(String, String)>,
    /// The publication request made for the correction, if one could be made.
    pub request: Option<i64>,
    /// What the office does next, in Chinese.
    pub next: String,
}

impl App {
    /// Record a recovery (see the module docs). The office only.
    pub async fn recover_award(&self, input: &RecoveryInput) -> Result<Recovery> {
        self.allow(Action::Publish)?;
        let limits = self.limits().await?;
        crate::limits::check_text("追回原因", &input.reason, &limits)?;
        crate::limits::check_name("文号", &input.doc_no, &limits)?;
        let reason = input.reason.trim();
        if reason.is_empty() {
            return Err(AppError::Invalid("追回必须写明原因（--reason），原因将随更正公开".into()));
        }
        let doc_no = input.doc_no.trim();
        if input.case_id.is_none() && doc_no.is_empty() {
            return Err(AppError::Invalid(
                "追回须有依据：写明核查案件编号（--case）或认定文件的文号（--doc），或两者都写".into(),
            ));
        }
        let date = check_date("日期", &input.date)?;
        if let Some(case) = input.case_id
            && self.store.case(case).await?.is_none()
        {
            return Err(AppError::NotFound(format!("没有编号为 {case} 的核查案件：编号见 jili case list")));
        }
        let programme = self.programme(input.year).await?;
        let year = programme.year;
        let measure = crate::plans::programme::measure_in(&programme, input.measure)?.no;
        let unit = input.unit.trim();
        let Some(published) = self.published(Some(year)).await? else {
            return Err(AppError::Invalid(format!("{year}年还没有发布结果：只有已发布的奖励才谈得上追回")));
        };
        let Some(pm) = published.body.measures.iter().find(|m| m.measure == measure) else {
            return Err(AppError::Invalid(format!(
                "{year}年第 {}版发布中没有第 {measure} 条措施的结果",
                published.version
            )));
        };
        let entries = self.store.fund_entries(year).await?;
        let key = (measure, unit.to_string());
        let awards = self.awards_here(year, &entries).await?;
        let Some(award) = awards.get(&key).filter(|a| !a.revoked) else {
            let why = if awards.get(&key).is_some_and(|a| a.revoked) {
                "的奖励已经追回过"
            } else {
                "不是已发布的入选单位"
            };
            return Err(AppError::Invalid(format!("{unit}在{year}年第 {measure} 条措施中{why}，无可追回")));
        };
        let name = award.name.clone();
        // The correction goes into the run the next publication uses (the newest of the plan
        // in force: the published one, or a later run of the same plan).
        let run = self.run_to_correct(year, measure).await?.unwrap_or(pm.run);
        let public = format!("追回奖励：{reason}");
        let still_winner = self.winner_in(run, unit).await?;
        if still_winner {
            self.check_override(run, unit, false, &public).await?;
        }
        let refill = if programme.recovery.refill { self.next_in_line(run, unit).await? } else { None };
        let refill_reason = refill.as_ref().map(|(_, n)| {
            format!("递补：{name}因“{reason}”被追回奖励，按{year}年激励方案的规定由同组排名下一位的{n}递补")
        });
        if let (Some((code, _)), Some(why)) = (&refill, &refill_reason) {
            self.check_override(run, code, true, why).await?;
        }
        let to_recover = sums(&entries, FundKind::Disburse).get(&key).copied().unwrap_or_default();
        let (amount_text, award_text) = (to_recover.normalize().to_string(), award.amount.normalize().to_string());
        let refill_code = refill.as_ref().map_or("", |(c, _)| c.as_str());
        let entry = NewFundEntry {
            year,
            measure,
            unit,
            kind: FundKind::Recover,
            amount_wan: &amount_text,
            doc_no,
            date: &date,
            channel: "",
            note: reason,
            case_id: input.case_id,
            run_id: Some(run),
            award_wan: &award_text,
            refill: refill_code,
        };
        let mut overrides = Vec::new();
        if still_winner {
            overrides.push(NewOverride { run_id: run, unit, outcome: "not", reason: &public });
        }
        if let (Some((code, _)), Some(why)) = (&refill, &refill_reason) {
            overrides.push(NewOverride { run_id: run, unit: code, outcome: "winner", reason: why });
        }
        let id = self.store.add_recovery(&self.actor(), entry, &overrides).await?;
        let (request, next) = self.request_correction(year, &name, reason).await;
        Ok(Recovery { id, unit_name: name, award: award.amount, to_recover, refill, request, next })
    }

    /// The newest run of the plan in force of `measure`: the one the next publication uses.
    async fn run_to_correct(&self, year: i32, measure: u32) -> Result<Option<i64>> {
        let version = self.plan_in_force(year, measure).await?.stored.version;
        Ok(self
            .store
            .runs()
            .await?
            .into_iter()
            .rev()
            .find(|r| r.year == year && r.measure == i64::from(measure) && r.plan_version == version)
            .map(|r| r.id))
    }

    /// Whether `unit` wins in `run`, its corrections applied.
    async fn winner_in(&self, run: i64, unit: &str) -> Result<bool> {
        let stored = self.store.run(run).await?.ok_or_else(|| AppError::NotFound(format!("没有运行 {run}")))?;
        let result = crate::runs::parsed::run_result(&stored)?;
        let overrides = self.store.overrides(run).await?;
        Ok(match overrides.iter().rev().find(|o| o.unit == unit) {
            Some(o) => o.outcome == "winner",
            None => result.units.iter().any(|u| u.code == unit && u.outcome == Outcome::Winner),
        })
    }

    /// The best-ranked unit of `unit`'s peer group in `run` that was not selected and is not a
    /// winner by a correction: the one a refill moves up.
    async fn next_in_line(&self, run: i64, unit: &str) -> Result<Option<(String, String)>> {
        let stored = self.store.run(run).await?.ok_or_else(|| AppError::NotFound(format!("没有运行 {run}")))?;
        let result = crate::runs::parsed::run_result(&stored)?;
        let overrides = self.store.overrides(run).await?;
        let now_winner = |code: &str, outcome: Outcome| match overrides.iter().rev().find(|o| o.unit == code) {
            Some(o) => o.outcome == "winner",
            None => outcome == Outcome::Winner,
        };
        let group = result.units.iter().find(|u| u.code == unit).and_then(|u| u.group.clone());
        let next = result
            .units
            .iter()
            .filter(|u| u.group == group && u.outcome == Outcome::NotSelected && !now_winner(&u.code, u.outcome))
            .filter_map(|u| u.rank.map(|r| (r, u)))
            .min_by_key(|(r, _)| *r)
            .map(|(_, u)| (u.code.clone(), u.name.clone()));
        Ok(next)
    }

    /// Ask for the corrected publication, or say why it was not asked for.
    async fn request_correction(&self, year: i32, name: &str, reason: &str) -> (Option<i64>, String) {
        let why = format!("更正：追回{name}的奖励（{reason}）");
        match self.pending_publication(year).await {
            Ok(Some(open)) => {
                return (
                    None,
                    format!(
                        "已有待确认的发布申请 {}：其确认发布时即包含本次更正；请另一位办公厅用户确认（jili publish --confirm {}）",
                        open.id, open.id
                    ),
                );
            }
            Err(e) => return (None, format!("未能查看发布申请（{e}）：请用 jili publish --reason 申请更正发布")),
            Ok(None) => {}
        }
        match self.request_publication(Some(year), &why).await {
            Ok(id) => (
                Some(id),
                format!(
                    "已申请更正发布（申请 {id}）：请另一位办公厅用户确认（jili publish --confirm {id}），门户随即显示更正及原因"
                ),
            ),
            Err(e) => (None, format!("更正已记录，但未能申请更正发布：{e}。处理后请用 jili publish --reason 申请")),
        }
    }
}
