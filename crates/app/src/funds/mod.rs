//! Money from award to recovery (资金台账). The awards are what the newest publication of a
//! year gives each winner; the funds journal (see [`jili_store::StoredFundEntry`]) records what
//! happened to them: disbursed (资金下达), used (资金使用情况, reported by the finance
//! department), ordered back (追回) when the result they rest on is overturned, and returned.
//! The ledger puts the two side by side per unit, measure and year, in exact 万元:
//!
//! ```text
//! 待下达 = 奖励 − (已下达 − 应追回)      (for a recovered award: 0)
//! 待追回 = 应追回 − 已追回
//! 结余   = 预算 − 已下达 + 已追回       (budget money not out with a unit)
//! ```
//!
//! so that 预算 = 结余 + 已下达 − 已追回 holds to the last 万元 for every measure and the year.
//!
//! Who: the office records everything; the finance department (省财政厅) may record
//! disbursements and use reports and read the ledger; the auditor reads it. Recovery corrects
//! a published result and is the office's alone (see [`recover`]).

pub mod export;
pub mod ledger;
pub mod record;
pub mod recover;

use crate::App;
use crate::error::{AppError, Result};
use jili_model::{Decimal, FundKind};
use jili_store::StoredFundEntry;
use std::collections::BTreeMap;

/// The department that pays awards out and reports their use, by its name in the notice.
pub const FINANCE: &str = "省财政厅";

/// One unit's award for a measure, as it stands: from the newest publication, with the
/// recoveries applied.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Award {
    pub measure: u32,
    pub unit: String,
    pub name: String,
    /// 万元; 0 for an award recovered.
    pub amount: Decimal,
    /// The award was ordered back (追回).
    pub revoked: bool,
    /// The unit took the place of this one (递补), by the programme's `[recovery] refill`.
    pub refilled_for: Option<String>,
}

/// Amounts in 万元, exact, parsed from user text: a positive decimal with at most 4 places and
/// at most 12 digits before the point (budgets are in the thousands of 万元; bounded before
/// anything is stored).
pub fn parse_amount(field: &str, text: &str) -> Result<Decimal> {
    let t = text.trim();
    let shape = !t.is_empty()
        && t.len() <= 17
        && t.chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.matches('.').count() <= 1
        && t.split('.').next().is_some_and(|i| !i.is_empty() && i.len() <= 12)
        && t.split('.').nth(1).is_none_or(|f| !f.is_empty() && f.len() <= 4);
    let value = if shape { Decimal::from_str_exact(t).ok() } else { None };
    match value {
        Some(v) if !v.is_zero() => Ok(v),
        Some(_) => Err(AppError::Invalid(format!("{field}应大于 0 万元"))),
        None => {
            Err(AppError::Invalid(format!("{field}“{t}”不是金额：以万元为单位写正数，最多 4 位小数，如 500 或 12.5")))
        }
    }
}

/// A date YYYY-MM-DD that exists on the calendar.
pub fn check_date(field: &str, text: &str) -> Result<String> {
    let t = text.trim();
    let parts: Vec<&str> = t.split('-').collect();
    let ok = t.len() == 10
        && parts.len() == 3
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
        && match (parts[0].parse::<i32>(), parts[1].parse::<u32>(), parts[2].parse::<u32>()) {
            (Ok(y), Ok(m), Ok(d)) => {
                (1..=12).contains(&m) && jili_model::date::civil(jili_model::date::days((y, m, d))) == (y, m, d)
            }
            _ => false,
        };
    if ok {
        Ok(t.to_string())
    } else {
        Err(AppError::Invalid(format!("{field}“{t}”应写成 YYYY-MM-DD 且是实际存在的日期，如 2024-09-30")))
    }
}

/// The sum of entries of `kind` per (measure, unit).
pub(crate) fn sums(entries: &[StoredFundEntry], kind: FundKind) -> BTreeMap<(u32, String), Decimal> {
    let mut out: BTreeMap<(u32, String), Decimal> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.kind == kind) {
        let v = Decimal::from_str_exact(&e.amount_wan).unwrap_or_default();
        *out.entry((e.measure, e.unit.clone())).or_default() += v;
    }
    out
}

impl App {
    /// The finance department's code ('' when the reference data has none: then only the
    /// office records funds).
    pub(crate) async fn finance_code(&self) -> Result<String> {
        Ok(self.catalogue().await?.department_by_name(FINANCE).map(|d| d.code.clone()).unwrap_or_default())
    }

    /// Whether the actor may record disbursements and use reports (for the forms a page shows).
    pub async fn may_record_funds(&self) -> Result<bool> {
        let finance = self.finance_code().await?;
        Ok(crate::access::allows(self.principal(), &crate::Action::RecordFunds { finance: &finance }))
    }

    /// Whether the actor may read the ledger (for the card on the work page).
    pub async fn may_read_funds(&self) -> Result<bool> {
        let finance = self.finance_code().await?;
        Ok(crate::access::allows(self.principal(), &crate::Action::ReadFunds { finance: &finance }))
    }

    /// Every award of `year` as it stands, by (measure, unit): the winners of the newest
    /// publication with their award, the recovered awards at 0, and the units moved up in
    /// their place with the award they took.
    pub(crate) async fn awards_here(
        &self,
        year: i32,
        entries: &[StoredFundEntry],
    ) -> Result<BTreeMap<(u32, String), Award>> {
        let catalogue = self.catalogue().await?;
        let mut out = BTreeMap::new();
        if let Some(p) = self.published(Some(year)).await? {
            for m in &p.body.measures {
                for w in &m.winners {
                    let amount = Decimal::from(w.award_wan.unwrap_or(0));
                    let award = Award {
                        measure: m.measure,
                        unit: w.code.clone(),
                        name: w.name.clone(),
                        amount,
                        revoked: false,
                        refilled_for: None,
                    };
                    out.insert((m.measure, w.code.clone()), award);
                }
            }
        }
        let name = |code: &str| catalogue.unit(code).map_or_else(|| code.to_string(), |u| u.name.clone());
        for e in entries.iter().filter(|e| e.kind == FundKind::Recover) {
            let revoked = out.entry((e.measure, e.unit.clone())).or_insert_with(|| Award {
                measure: e.measure,
                unit: e.unit.clone(),
                name: name(&e.unit),
                amount: Decimal::ZERO,
                revoked: true,
                refilled_for: None,
            });
            revoked.amount = Decimal::ZERO;
            revoked.revoked = true;
            if e.refill.is_empty() {
                continue;
            }
            let took = Decimal::from_str_exact(&e.award_wan).unwrap_or_default();
            let next = out.entry((e.measure, e.refill.clone())).or_insert_with(|| Award {
                measure: e.measure,
                unit: e.refill.clone(),
                name: name(&e.refill),
                amount: Decimal::ZERO,
                revoked: false,
                refilled_for: None,
            });
            if !next.revoked && next.amount.is_zero() {
                next.amount = took;
            }
            next.refilled_for = Some(e.unit.clone());
        }
        Ok(out)
    }
}
