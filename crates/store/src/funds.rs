//! The funds journal (资金台账): what happened to each unit's award of a measure and year,
//! one append-only entry at a time (see [`jili_model::FundKind`]). Each entry is its own
//! object (`fund/ID`), written in one transaction with its audit event; the ceilings the app
//! computed (an award, what was disbursed) are checked again inside that transaction, against
//! the entries already stored, so two clerks recording at once cannot together exceed them.

use crate::Store;
use crate::audit::{self, Actor};
use crate::db::{Tx, on};
use crate::error::{Result, StoreError};
use jili_model::{Decimal, FundKind};
use serde::Serialize;
use sqlx::FromRow;

/// A journal entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredFundEntry {
    pub id: i64,
    pub year: i32,
    pub measure: u32,
    pub unit: String,
    pub kind: FundKind,
    /// 万元, exact decimal text.
    pub amount_wan: String,
    pub doc_no: String,
    pub date: String,
    pub channel: String,
    pub note: String,
    pub case_id: Option<i64>,
    pub run_id: Option<i64>,
    /// For a recovery: the award revoked (万元, exact text).
    pub award_wan: String,
    /// For a recovery: the unit moved up in the recovered unit's place ('' when none).
    pub refill: String,
    pub actor: String,
    pub at: String,
}

/// An entry to record. `amount_wan` is exact decimal text the app has checked.
#[derive(Debug, Clone, Copy)]
pub struct NewFundEntry<'a> {
    pub year: i32,
    pub measure: u32,
    pub unit: &'a str,
    pub kind: FundKind,
    pub amount_wan: &'a str,
    pub doc_no: &'a str,
    pub date: &'a str,
    pub channel: &'a str,
    pub note: &'a str,
    pub case_id: Option<i64>,
    pub run_id: Option<i64>,
    pub award_wan: &'a str,
    pub refill: &'a str,
}

/// A result corrected together with a recovery: `outcome` is `winner` or `not`.
#[derive(Debug, Clone, Copy)]
pub struct NewOverride<'a> {
    pub run_id: i64,
    pub unit: &'a str,
    pub outcome: &'a str,
    pub reason: &'a str,
}

#[derive(FromRow)]
struct EntryRow {
    id: i64,
    year: i64,
    measure: i64,
    unit: String,
    kind: String,
    amount_wan: String,
    doc_no: String,
    date: String,
    channel: String,
    note: String,
    case_id: Option<i64>,
    run_id: Option<i64>,
    award_wan: String,
    refill: String,
    actor: String,
    at: String,
}

impl EntryRow {
    fn entry(self) -> Result<StoredFundEntry> {
        let kind = self
            .kind
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("资金台账第 {} 条的类别“{}”无法识别", self.id, self.kind)))?;
        Ok(StoredFundEntry {
            id: self.id,
            year: i32::try_from(self.year).unwrap_or_default(),
            measure: u32::try_from(self.measure).unwrap_or_default(),
            unit: self.unit,
            kind,
            amount_wan: self.amount_wan,
            doc_no: self.doc_no,
            date: self.date,
            channel: self.channel,
            note: self.note,
            case_id: self.case_id,
            run_id: self.run_id,
            award_wan: self.award_wan,
            refill: self.refill,
            actor: self.actor,
            at: self.at,
        })
    }
}

/// The sum of `kind` entries already stored for one award, inside the transaction.
async fn sum_in(tx: &mut Tx, e: &NewFundEntry<'_>, kind: FundKind) -> Result<(Decimal, usize)> {
    let amounts: Vec<String> = on!(tx.conn(), |c| sqlx::query_scalar(
        "SELECT amount_wan FROM fund_entries WHERE year = $1 AND measure = $2 AND unit = $3 AND kind = $4"
    )
    .bind(i64::from(e.year))
    .bind(i64::from(e.measure))
    .bind(e.unit)
    .bind(kind.as_str())
    .fetch_all(c)
    .await?);
    let mut sum = Decimal::ZERO;
    for a in &amounts {
        let v = Decimal::from_str_exact(a).map_err(|_| StoreError::Corrupt(format!("资金台账金额“{a}”不是数字")))?;
        sum = sum.checked_add(v).ok_or_else(|| StoreError::Corrupt("资金台账金额合计溢出".into()))?;
    }
    Ok((sum, amounts.len()))
}

async fn insert_in(tx: &mut Tx, who: &Actor, e: &NewFundEntry<'_>) -> Result<i64> {
    let id: i64 = on!(tx.conn(), |c| {
        sqlx::query_scalar(
            "INSERT INTO fund_entries (id, year, measure, unit, kind, amount_wan, doc_no, date, channel, note, \
             case_id, run_id, award_wan, refill, actor, at) \
             VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM fund_entries), $1, $2, $3, $4, $5, $6, $7, $8, $9, \
             $10, $11, $12, $13, $14, $15) RETURNING id",
        )
        .bind(i64::from(e.year))
        .bind(i64::from(e.measure))
        .bind(e.unit)
        .bind(e.kind.as_str())
        .bind(e.amount_wan)
        .bind(e.doc_no)
        .bind(e.date)
        .bind(e.channel)
        .bind(e.note)
        .bind(e.case_id)
        .bind(e.run_id)
        .bind(e.award_wan)
        .bind(e.refill)
        .bind(&who.name)
        .bind(&who.at)
        .fetch_one(c)
        .await?
    });
    let object = format!("fund/{id}");
    let mut detail = format!("{}年第 {} 条措施 {} {} {} 万元", e.year, e.measure, e.unit, e.kind.label(), e.amount_wan);
    for (label, value) in [("文号", e.doc_no), ("日期", e.date), ("渠道", e.channel), ("说明", e.note)] {
        if !value.is_empty() {
            detail.push_str(&format!("；{label}：{value}"));
        }
    }
    if let Some(case) = e.case_id {
        detail.push_str(&format!("；核查案件 {case}"));
    }
    if !e.refill.is_empty() {
        detail.push_str(&format!("；递补 {}", e.refill));
    }
    let action = format!("fund.{}", e.kind.as_str());
    audit::append(tx, who, &action, &object, &detail, std::slice::from_ref(&object)).await?;
    Ok(id)
}

impl Store {
    /// Record a disbursement, a use report or a returned amount, refused when the entries of
    /// the same kind for the award would then exceed `ceiling` (万元): the award for a
    /// disbursement, what was disbursed for a use, what is to be recovered for a return.
    /// `what` names the ceiling in the refusal. Returns the entry's id.
    pub async fn add_fund_entry(
        &self,
        who: &Actor,
        entry: NewFundEntry<'_>,
        ceiling: Decimal,
        what: &str,
    ) -> Result<i64> {
        let amount = Decimal::from_str_exact(entry.amount_wan)
            .map_err(|_| StoreError::Conflict(format!("金额“{}”不是数字", entry.amount_wan)))?;
        let mut tx = self.write().await?;
        let (before, _) = sum_in(&mut tx, &entry, entry.kind).await?;
        let after = before.checked_add(amount).unwrap_or(Decimal::MAX);
        if after > ceiling {
            return Err(StoreError::Conflict(format!(
                "{}年第 {} 条措施 {} 的{}将合计 {} 万元，超过{} {} 万元（已记 {} 万元，本次 {} 万元）：请核对金额，未作任何记录",
                entry.year,
                entry.measure,
                entry.unit,
                entry.kind.label(),
                after.normalize(),
                what,
                ceiling.normalize(),
                before.normalize(),
                amount.normalize()
            )));
        }
        let id = insert_in(&mut tx, who, &entry).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Record a recovery order together with the corrections of the published run it rests on
    /// (the recovered unit taken out, and the unit moved up, if any): one transaction. Refused
    /// when the award was already ordered back. Returns the entry's id.
    pub async fn add_recovery(
        &self,
        who: &Actor,
        entry: NewFundEntry<'_>,
        overrides: &[NewOverride<'_>],
    ) -> Result<i64> {
        let mut tx = self.write().await?;
        let (_, count) = sum_in(&mut tx, &entry, FundKind::Recover).await?;
        if count > 0 {
            return Err(StoreError::Conflict(format!(
                "{}年第 {} 条措施 {} 的奖励已责令追回过：追回到账请用 jili funds return",
                entry.year, entry.measure, entry.unit
            )));
        }
        for o in overrides {
            crate::publication::insert_override(&mut tx, who, o.run_id, o.unit, o.outcome, o.reason).await?;
        }
        let id = insert_in(&mut tx, who, &entry).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every journal entry of `year`, oldest first.
    pub async fn fund_entries(&self, year: i32) -> Result<Vec<StoredFundEntry>> {
        let rows: Vec<EntryRow> =
            on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM fund_entries WHERE year = $1 ORDER BY id")
                .bind(i64::from(year))
                .fetch_all(p)
                .await?);
        rows.into_iter().map(EntryRow::entry).collect()
    }
}
