//! Verification cases (see [`jili_model::CaseStatus`]): a case, the flags it is about and its
//! steps are one object (`case/ID`). Each step is one transaction with its audit event, and
//! the store checks in that transaction that the step may follow the case's status.

use crate::Store;
use crate::audit::{self, Actor};
use crate::db::{Tx, on};
use crate::error::{Result, StoreError};
use crate::intake::StoredFlag;
use jili_model::{CaseStatus, CaseStep};
use serde::Serialize;
use sqlx::FromRow;

/// A case as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredCase {
    pub id: i64,
    pub title: String,
    /// The department queried: the one that provides the flagged series.
    pub provider: String,
    pub status: CaseStatus,
    pub opened_by: String,
    pub opened_at: String,
    /// Who resolved it, and when ('' while open).
    pub closed_by: String,
    pub closed_at: String,
}

/// One step of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredCaseStep {
    pub id: i64,
    pub case_id: i64,
    pub step: CaseStep,
    /// The query, the answer, or the reason of a resolution or waiver.
    pub text: String,
    /// A corrected upload the step points to.
    pub batch_id: Option<i64>,
    /// For a waiver: the publication request it was given with.
    pub request_id: Option<i64>,
    /// For a referral: the evidence as it stood (a JSON document; '' otherwise).
    pub evidence: String,
    pub actor: String,
    pub at: String,
}

/// A case with its flags and steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub case: StoredCase,
    pub flags: Vec<StoredFlag>,
    pub steps: Vec<StoredCaseStep>,
}

/// A step to add to a case.
#[derive(Debug, Clone, Copy)]
pub struct NewCaseStep<'a> {
    pub step: CaseStep,
    pub text: &'a str,
    pub batch_id: Option<i64>,
    pub evidence: &'a str,
}

#[derive(FromRow)]
struct CaseRow {
    id: i64,
    title: String,
    provider: String,
    status: String,
    opened_by: String,
    opened_at: String,
    closed_by: String,
    closed_at: String,
}

impl CaseRow {
    fn case(self) -> Result<StoredCase> {
        let status = self
            .status
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("核查案件 {} 的状态“{}”无法识别", self.id, self.status)))?;
        Ok(StoredCase {
            id: self.id,
            title: self.title,
            provider: self.provider,
            status,
            opened_by: self.opened_by,
            opened_at: self.opened_at,
            closed_by: self.closed_by,
            closed_at: self.closed_at,
        })
    }
}

#[derive(FromRow)]
struct StepRow {
    id: i64,
    case_id: i64,
    step: String,
    text: String,
    batch_id: Option<i64>,
    request_id: Option<i64>,
    evidence: String,
    actor: String,
    at: String,
}

impl StepRow {
    fn step(self) -> Result<StoredCaseStep> {
        let step = self
            .step
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("核查案件 {} 的步骤“{}”无法识别", self.case_id, self.step)))?;
        Ok(StoredCaseStep {
            id: self.id,
            case_id: self.case_id,
            step,
            text: self.text,
            batch_id: self.batch_id,
            request_id: self.request_id,
            evidence: self.evidence,
            actor: self.actor,
            at: self.at,
        })
    }
}

/// The statuses of a case not yet resolved, as SQL.
fn unresolved_sql() -> String {
    let words: Vec<String> =
        CaseStatus::ALL.iter().filter(|s| !s.resolved()).map(|s| format!("'{}'", s.as_str())).collect();
    words.join(", ")
}

async fn case_in(tx: &mut Tx, id: i64) -> Result<StoredCase> {
    let row: Option<CaseRow> =
        on!(tx.conn(), |c| sqlx::query_as("SELECT * FROM cases WHERE id = $1").bind(id).fetch_optional(c).await?);
    row.map(CaseRow::case)
        .transpose()?
        .ok_or_else(|| StoreError::Conflict(format!("没有编号为 {id} 的核查案件：编号见 jili case list")))
}

/// Add a step to case `id` inside the caller's transaction, if its status allows, with the
/// step's audit event.
async fn step_in(tx: &mut Tx, who: &Actor, id: i64, s: NewCaseStep<'_>, request: Option<i64>) -> Result<StoredCase> {
    let case = case_in(tx, id).await?;
    let Some(to) = case.status.after(s.step) else {
        return Err(StoreError::Conflict(format!(
            "核查案件 {id} 现为“{}”，不能再{}",
            case.status.label(),
            s.step.label()
        )));
    };
    on!(tx.conn(), |c| sqlx::query(
        "INSERT INTO case_steps (id, case_id, step, text, batch_id, request_id, evidence, actor, at) \
         VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM case_steps), $1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(s.step.as_str())
    .bind(s.text)
    .bind(s.batch_id)
    .bind(request)
    .bind(s.evidence)
    .bind(&who.name)
    .bind(&who.at)
    .execute(c)
    .await?
    .rows_affected());
    let (closed_by, closed_at) = if to.resolved() { (who.name.as_str(), who.at.as_str()) } else { ("", "") };
    if to != case.status {
        on!(tx.conn(), |c| sqlx::query("UPDATE cases SET status = $1, closed_by = $2, closed_at = $3 WHERE id = $4")
            .bind(to.as_str())
            .bind(closed_by)
            .bind(closed_at)
            .bind(id)
            .execute(c)
            .await?
            .rows_affected());
    }
    let object = format!("case/{id}");
    let mut detail = format!("核查案件 {id}（{}）{}：{}", case.title, s.step.label(), s.text);
    if let Some(b) = s.batch_id {
        detail.push_str(&format!("；更正批次 {b}"));
    }
    if let Some(r) = request {
        detail.push_str(&format!("；发布申请 {r}"));
    }
    if !s.evidence.is_empty() {
        let algorithm = crate::seal::algorithm(tx).await?;
        let digest = algorithm.hex_digest(s.evidence.as_bytes());
        detail.push_str(&format!("；移送证据 {algorithm}={digest}"));
    }
    if to != case.status {
        detail.push_str(&format!("；{} → {}", case.status.label(), to.label()));
    }
    let action = format!("case.{}", s.step.as_str());
    audit::append(tx, who, &action, &object, &detail, std::slice::from_ref(&object)).await?;
    Ok(StoredCase {
        status: to,
        closed_by: if to.resolved() { who.name.clone() } else { case.closed_by },
        closed_at: if to.resolved() { who.at.clone() } else { case.closed_at },
        ..case
    })
}

impl Store {
    /// Open a case on `flags`, to be put to `provider`; `note` says why (may be empty). A flag
    /// already in a case that is not resolved is refused. Returns the case's id.
    pub async fn open_case(&self, who: &Actor, title: &str, provider: &str, flags: &[i64], note: &str) -> Result<i64> {
        if flags.is_empty() {
            return Err(StoreError::Conflict("立案须选定至少一条数据疑点".into()));
        }
        let mut tx = self.write().await?;
        let busy = format!(
            "SELECT c.id FROM case_flags f JOIN cases c ON c.id = f.case_id WHERE f.flag_id = $1 AND c.status IN ({})",
            unresolved_sql()
        );
        for flag in flags {
            let exists: Option<i64> = on!(tx.conn(), |c| sqlx::query_scalar("SELECT id FROM flags WHERE id = $1")
                .bind(flag)
                .fetch_optional(c)
                .await?);
            if exists.is_none() {
                return Err(StoreError::Conflict(format!("没有编号为 {flag} 的数据疑点：编号见 jili data flags")));
            }
            let open: Option<i64> = on!(tx.conn(), |c| sqlx::query_scalar(sqlx::AssertSqlSafe(busy.clone()))
                .bind(flag)
                .fetch_optional(c)
                .await?);
            if let Some(case) = open {
                return Err(StoreError::Conflict(format!(
                    "数据疑点 {flag} 已在未办结的核查案件 {case} 中：请在该案件中处理（jili case show {case}）"
                )));
            }
        }
        let id: i64 = on!(tx.conn(), |c| {
            sqlx::query_scalar(
                "INSERT INTO cases (id, title, provider, status, opened_by, opened_at, closed_by, closed_at) \
                 VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM cases), $1, $2, $3, $4, $5, '', '') RETURNING id",
            )
            .bind(title)
            .bind(provider)
            .bind(CaseStatus::Open.as_str())
            .bind(&who.name)
            .bind(&who.at)
            .fetch_one(c)
            .await?
        });
        let mut sorted = flags.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        for flag in &sorted {
            on!(tx.conn(), |c| sqlx::query("INSERT INTO case_flags (case_id, flag_id) VALUES ($1, $2)")
                .bind(id)
                .bind(flag)
                .execute(c)
                .await?
                .rows_affected());
        }
        on!(tx.conn(), |c| sqlx::query(
            "INSERT INTO case_steps (id, case_id, step, text, batch_id, request_id, evidence, actor, at) \
             VALUES ((SELECT COALESCE(MAX(id), 0) + 1 FROM case_steps), $1, $2, $3, NULL, NULL, '', $4, $5)",
        )
        .bind(id)
        .bind(CaseStep::Open.as_str())
        .bind(note)
        .bind(&who.name)
        .bind(&who.at)
        .execute(c)
        .await?
        .rows_affected());
        let object = format!("case/{id}");
        let list: Vec<String> = sorted.iter().map(i64::to_string).collect();
        let detail = format!("立案核查 {id}：{title}（数据疑点 {}；询问 {provider}）{note}", list.join("、"));
        audit::append(&mut tx, who, "case.open", &object, &detail, std::slice::from_ref(&object)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Add a step to case `id` if its status allows (see [`CaseStatus::after`]).
    pub async fn add_case_step(&self, who: &Actor, id: i64, step: NewCaseStep<'_>) -> Result<StoredCase> {
        let mut tx = self.write().await?;
        let case = step_in(&mut tx, who, id, step, None).await?;
        tx.commit().await?;
        Ok(case)
    }

    /// Record a request to publish `year`'s results together with the office's reason for
    /// publishing while `cases` are open: one transaction, an event for the request and one
    /// for each case's waiver. Returns the request's id.
    pub async fn add_publication_request_waiving(
        &self,
        who: &Actor,
        year: i32,
        reason: &str,
        waiver: &str,
        cases: &[i64],
    ) -> Result<i64> {
        let mut tx = self.write().await?;
        let request = crate::publication_requests::insert_request(&mut tx, who, year, reason).await?;
        for id in cases {
            let step = NewCaseStep { step: CaseStep::Waive, text: waiver, batch_id: None, evidence: "" };
            step_in(&mut tx, who, *id, step, Some(request)).await?;
        }
        tx.commit().await?;
        Ok(request)
    }

    /// Every case, oldest first.
    pub async fn cases(&self) -> Result<Vec<StoredCase>> {
        let rows: Vec<CaseRow> =
            on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM cases ORDER BY id").fetch_all(p).await?);
        rows.into_iter().map(CaseRow::case).collect()
    }

    /// Which flags each case is about: (case, flag), by case.
    pub async fn case_flag_links(&self) -> Result<Vec<(i64, i64)>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as(
            "SELECT case_id, flag_id FROM case_flags ORDER BY case_id, flag_id"
        )
        .fetch_all(p)
        .await?))
    }

    /// Every step of every case, oldest first.
    pub async fn case_steps(&self) -> Result<Vec<StoredCaseStep>> {
        let rows: Vec<StepRow> =
            on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM case_steps ORDER BY id").fetch_all(p).await?);
        rows.into_iter().map(StepRow::step).collect()
    }

    /// One case with its flags and steps.
    pub async fn case(&self, id: i64) -> Result<Option<CaseRecord>> {
        let row: Option<CaseRow> = on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM cases WHERE id = $1")
            .bind(id)
            .fetch_optional(p)
            .await?);
        let Some(case) = row.map(CaseRow::case).transpose()? else { return Ok(None) };
        let sql = format!(
            "{} JOIN case_flags c ON c.flag_id = f.id WHERE c.case_id = $1 ORDER BY f.id",
            crate::intake::FLAGS
        );
        let flags: Vec<StoredFlag> =
            on!(self.pool.get(), |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.clone())).bind(id).fetch_all(p).await?);
        let steps: Vec<StepRow> =
            on!(self.pool.get(), |p| sqlx::query_as("SELECT * FROM case_steps WHERE case_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(p)
                .await?);
        let steps = steps.into_iter().map(StepRow::step).collect::<Result<_>>()?;
        Ok(Some(CaseRecord { case, flags, steps }))
    }
}
