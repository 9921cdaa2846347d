//! The funds ledger (资金台账) of a year: per unit, per measure and for the year, from budget
//! to balance, in exact 万元 (see the identities in [`super`]).

use super::{Award, sums};
use crate::App;
use crate::access::Action;
use crate::error::Result;
use jili_model::{Decimal, FundKind};
use jili_store::StoredFundEntry;
use serde::Serialize;

/// What the ledger is asked for: a year (the newest programme's when `None`), and optionally
/// one measure and one unit.
#[derive(Debug, Clone, Default)]
pub struct LedgerQuery {
    pub year: Option<i32>,
    pub measure: Option<u32>,
    pub unit: Option<String>,
}

/// Amounts in 万元 for one unit's award, one measure or the year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Amounts {
    /// 奖励: the award as it stands (0 once recovered).
    pub awarded: Decimal,
    /// 已下达.
    pub disbursed: Decimal,
    /// 已使用 (reported by the finance department).
    pub used: Decimal,
    /// 应追回: what was ordered back (the amount disbursed when the award was recovered).
    pub to_recover: Decimal,
    /// 已追回.
    pub recovered: Decimal,
    /// 待下达 = 奖励 − (已下达 − 应追回).
    pub undisbursed: Decimal,
    /// 待追回 = 应追回 − 已追回.
    pub outstanding: Decimal,
}

impl Amounts {
    fn add(&mut self, o: &Amounts) {
        self.awarded += o.awarded;
        self.disbursed += o.disbursed;
        self.used += o.used;
        self.to_recover += o.to_recover;
        self.recovered += o.recovered;
        self.undisbursed += o.undisbursed;
        self.outstanding += o.outstanding;
    }

    /// The money out with units: 已下达 − 已追回.
    pub fn net_out(&self) -> Decimal {
        self.disbursed - self.recovered
    }
}

/// One unit's award in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitLine {
    pub measure: u32,
    pub unit: String,
    pub name: String,
    pub revoked: bool,
    pub refilled_for: Option<String>,
    pub amounts: Amounts,
}

impl UnitLine {
    /// The award's state in words, as the ledger's pages, exports and CLI show it.
    pub fn state(&self) -> String {
        match (&self.refilled_for, self.revoked) {
            (_, true) => "已追回".to_string(),
            (Some(f), false) => format!("递补（替代 {f}）"),
            (None, false) => "入选".to_string(),
        }
    }
}

/// One measure in the ledger: its budget line, the sum of its units, and the balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureLine {
    pub measure: u32,
    pub short: String,
    /// 预算 (0 when no budget line is set).
    pub budget: Decimal,
    pub amounts: Amounts,
    /// 结余 = 预算 − 已下达 + 已追回.
    pub balance: Decimal,
}

/// The ledger of a year (or the part asked for).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ledger {
    pub year: i32,
    pub units: Vec<UnitLine>,
    pub measures: Vec<MeasureLine>,
    /// The year: the sums of the measures shown.
    pub total: MeasureLine,
    /// Every journal entry behind the lines shown, oldest first.
    pub entries: Vec<StoredFundEntry>,
}

impl App {
    /// The funds ledger: the office, the auditor and the finance department.
    pub async fn funds_ledger(&self, q: &LedgerQuery) -> Result<Ledger> {
        let finance = self.finance_code().await?;
        self.allow(Action::ReadFunds { finance: &finance })?;
        let programme = self.programme(q.year).await?;
        let year = programme.year;
        if let Some(m) = q.measure {
            crate::plans::programme::measure_in(&programme, m)?;
        }
        let catalogue = self.catalogue().await?;
        if let Some(u) = q.unit.as_deref()
            && catalogue.unit(u).is_none()
        {
            return Err(crate::AppError::NotFound(format!("没有评价对象代码“{u}”：代码见 jili units")));
        }
        let entries = self.store.fund_entries(year).await?;
        let awards = self.awards_here(year, &entries).await?;
        let [disbursed, used, to_recover, recovered] =
            [FundKind::Disburse, FundKind::Use, FundKind::Recover, FundKind::Return].map(|k| sums(&entries, k));
        let mut keys: std::collections::BTreeSet<(u32, String)> = awards.keys().cloned().collect();
        keys.extend(entries.iter().map(|e| (e.measure, e.unit.clone())));
        // Measure lines always sum every unit of the measure (so that they balance); only the
        // unit lines and entries shown are narrowed to the unit asked for.
        let in_measure = |m: u32| q.measure.is_none_or(|x| x == m);
        let wanted = |m: u32, u: &str| in_measure(m) && q.unit.as_deref().is_none_or(|x| x == u);
        let mut units = Vec::new();
        for key in keys.into_iter().filter(|(m, _)| in_measure(*m)) {
            let get = |s: &std::collections::BTreeMap<(u32, String), Decimal>| s.get(&key).copied().unwrap_or_default();
            let award = awards.get(&key).cloned().unwrap_or_else(|| Award {
                measure: key.0,
                unit: key.1.clone(),
                name: catalogue.unit(&key.1).map_or_else(|| key.1.clone(), |u| u.name.clone()),
                amount: Decimal::ZERO,
                revoked: false,
                refilled_for: None,
            });
            let (d, r, c) = (get(&disbursed), get(&to_recover), get(&recovered));
            let amounts = Amounts {
                awarded: award.amount,
                disbursed: d,
                used: get(&used),
                to_recover: r,
                recovered: c,
                undisbursed: (award.amount - (d - r)).max(Decimal::ZERO),
                outstanding: r - c,
            };
            units.push(UnitLine {
                measure: key.0,
                unit: key.1.clone(),
                name: award.name,
                revoked: award.revoked,
                refilled_for: award.refilled_for,
                amounts,
            });
        }
        let mut measures = Vec::new();
        let mut total = MeasureLine {
            measure: 0,
            short: format!("{year}年合计"),
            budget: Decimal::ZERO,
            amounts: Amounts::default(),
            balance: Decimal::ZERO,
        };
        for m in programme.measures.iter().filter(|m| q.measure.is_none_or(|x| x == m.no)) {
            let budget = match self.store.budget(year, m.no).await? {
                Some((a, _)) => Decimal::from_str_exact(&a).unwrap_or_default(),
                None => Decimal::ZERO,
            };
            let mut amounts = Amounts::default();
            for u in units.iter().filter(|u| u.measure == m.no) {
                amounts.add(&u.amounts);
            }
            let line = MeasureLine {
                measure: m.no,
                short: m.short.clone(),
                budget,
                amounts,
                balance: budget - amounts.net_out(),
            };
            total.budget += line.budget;
            total.amounts.add(&line.amounts);
            total.balance += line.balance;
            measures.push(line);
        }
        units.retain(|u| wanted(u.measure, &u.unit));
        let entries = entries.into_iter().filter(|e| wanted(e.measure, &e.unit)).collect();
        Ok(Ledger { year, units, measures, total, entries })
    }
}
