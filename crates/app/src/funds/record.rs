//! Recording what happens to an award's money: a disbursement (资金下达), a use report
//! (资金使用情况) and a returned amount (追回到账). Each is checked against what it may not
//! exceed, and the store checks again in its transaction: nothing is stored on bad input.

use super::{check_date, parse_amount, sums};
use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use jili_model::{Decimal, FundKind};
use jili_store::NewFundEntry;

/// A disbursement, a use report or a returned amount, as entered.
#[derive(Debug, Clone, Default)]
pub struct FundInput {
    /// The newest programme's year when `None`.
    pub year: Option<i32>,
    pub measure: u32,
    pub unit: String,
    /// 万元, exact decimal text.
    pub amount: String,
    /// The document (文号): the disbursement notice, the finance department's report, the
    /// receipt of the money returned.
    pub doc_no: String,
    /// YYYY-MM-DD: the document's date.
    pub date: String,
    /// Disbursement: the channel (e.g. 转移支付); the measure's reward channel when empty.
    pub channel: String,
    /// Use report: what the money was used for.
    pub note: String,
}

impl App {
    /// Record a disbursement of `input.unit`'s award: the sum disbursed may not exceed the
    /// award as it stands. The office or the finance department. Returns the entry's id.
    pub async fn disburse(&self, input: &FundInput) -> Result<i64> {
        self.record_fund(FundKind::Disburse, input).await
    }

    /// Record the finance department's report of how much of the award was used: the sum
    /// reported may not exceed what was disbursed. Returns the entry's id.
    pub async fn report_fund_use(&self, input: &FundInput) -> Result<i64> {
        self.record_fund(FundKind::Use, input).await
    }

    /// Record money returned after a recovery order: the sum returned may not exceed what was
    /// ordered back. The office (it ordered the recovery). Returns the entry's id.
    pub async fn record_return(&self, input: &FundInput) -> Result<i64> {
        self.record_fund(FundKind::Return, input).await
    }

    async fn record_fund(&self, kind: FundKind, input: &FundInput) -> Result<i64> {
        let finance = self.finance_code().await?;
        match kind {
            FundKind::Return => self.allow(Action::Publish)?,
            _ => self.allow(Action::RecordFunds { finance: &finance })?,
        }
        let limits = self.limits().await?;
        crate::limits::check_name("文号", &input.doc_no, &limits)?;
        crate::limits::check_name("资金渠道", &input.channel, &limits)?;
        crate::limits::check_text("说明", &input.note, &limits)?;
        let amount = parse_amount("金额", &input.amount)?;
        let date = check_date("日期", &input.date)?;
        let doc_no = input.doc_no.trim();
        if doc_no.is_empty() {
            return Err(AppError::Invalid(format!("请写明{}所依据的文号（--doc）", kind.label())));
        }
        let programme = self.programme(input.year).await?;
        let year = programme.year;
        let measure = crate::plans::programme::measure_in(&programme, input.measure)?;
        let unit = input.unit.trim();
        let catalogue = self.catalogue().await?;
        let Some(u) = catalogue.unit(unit) else {
            return Err(AppError::Invalid(format!("没有评价对象代码“{unit}”：代码见 jili units")));
        };
        let entries = self.store.fund_entries(year).await?;
        let key = (measure.no, unit.to_string());
        let awards = self.awards_here(year, &entries).await?;
        let award = awards.get(&key);
        let what = format!("{year}年第 {} 条措施{}", measure.no, u.name);
        let (ceiling, label) = match kind {
            FundKind::Disburse => match award {
                Some(a) if a.revoked => {
                    return Err(AppError::Invalid(format!("{what}的奖励已责令追回，不能再下达资金")));
                }
                Some(a) => (a.amount, "奖励金额"),
                None => {
                    return Err(AppError::Invalid(format!(
                        "{what}没有获得奖励：资金只能下达给已发布结果中的入选单位（见 jili funds ledger）"
                    )));
                }
            },
            FundKind::Use => (sums(&entries, FundKind::Disburse).get(&key).copied().unwrap_or_default(), "已下达金额"),
            FundKind::Return => {
                let due = sums(&entries, FundKind::Recover).get(&key).copied();
                match due {
                    Some(d) => (d, "应追回金额"),
                    None => {
                        return Err(AppError::Invalid(format!(
                            "{what}没有责令追回的记录：请先用 jili funds recover 登记追回"
                        )));
                    }
                }
            }
            FundKind::Recover => return Err(AppError::Invalid("追回请用 jili funds recover".into())),
        };
        let channel = match (kind, input.channel.trim()) {
            (FundKind::Disburse, "") => measure.channel.clone(),
            (FundKind::Disburse, c) => c.to_string(),
            _ => String::new(),
        };
        let amount_text = amount.normalize().to_string();
        let entry = NewFundEntry {
            year,
            measure: measure.no,
            unit,
            kind,
            amount_wan: &amount_text,
            doc_no,
            date: &date,
            channel: &channel,
            note: input.note.trim(),
            case_id: None,
            run_id: None,
            award_wan: "",
            refill: "",
        };
        // The store checks the same ceiling again inside its transaction.
        let ceiling: Decimal = ceiling;
        Ok(self.store.add_fund_entry(&self.actor(), entry, ceiling, label).await?)
    }
}
