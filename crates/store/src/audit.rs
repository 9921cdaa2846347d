//! The audit chain: every change appends an event whose hash covers the one before it and the
//! seal of what it changed (see [`crate::seal`]), so an edited or deleted event breaks the
//! chain, and an edited, deleted or inserted record no longer matches its last seal.

use crate::Store;
use crate::db::{Tx, on};
use crate::error::Result;
pub use crate::seal::hex;
use crate::seal::{self, Seal, SealAlgorithm, Seals};
use serde::Serialize;
use sqlx::FromRow;
use std::collections::BTreeMap;

/// Who made a change, and when (RFC 3339). The caller supplies the time: the store has no clock.
#[derive(Debug, Clone)]
pub struct Actor {
    pub name: String,
    pub at: String,
}

/// One stored audit event.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    /// The object changed (`batch/7`, `plan/2024/3/v2` …).
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
    /// The seals of the records as this event left them (JSON), and its digest (with the
    /// database's [`SealAlgorithm`]).
    pub content: String,
    pub content_hash: String,
}

/// The genesis value of `prev_hash`.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The fields an event's hash covers.
#[derive(Debug, Clone, Copy)]
pub struct EventFields<'a> {
    pub seq: i64,
    pub prev: &'a str,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: &'a str,
    pub content_hash: &'a str,
}

/// The hash of an event: the database's algorithm over its fields, each followed by a NUL.
pub fn event_hash(algorithm: SealAlgorithm, e: &EventFields<'_>) -> String {
    let mut h = algorithm.hasher();
    let seq = e.seq.to_string();
    for part in [&seq, e.prev, e.at, e.actor, e.action, e.subject, e.detail, e.content_hash] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.finish_hex()
}

/// Append an event inside the caller's transaction, sealing `objects` as they now stand.
pub(crate) async fn append(
    tx: &mut Tx,
    who: &Actor,
    action: &str,
    subject: &str,
    detail: &str,
    objects: &[String],
) -> Result<()> {
    let algorithm = seal::algorithm(tx).await?;
    let seals = seal::seal_except(tx, algorithm, objects, &[]).await?;
    append_sealed(tx, algorithm, who, action, subject, detail, &seals).await
}

/// [`append`] with seals the writer computed (see `seal::RowDigest`).
pub(crate) async fn append_sealed(
    tx: &mut Tx,
    algorithm: SealAlgorithm,
    who: &Actor,
    action: &str,
    subject: &str,
    detail: &str,
    seals: &Seals,
) -> Result<()> {
    let last: Option<(i64, String)> =
        on!(tx.conn(), |c| sqlx::query_as("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
            .fetch_optional(c)
            .await?);
    let (seq, prev) = last.map_or((1, GENESIS.to_string()), |(s, h)| (s + 1, h));
    let (content, content_hash) = seal::encode(algorithm, seals);
    let hash = event_hash(
        algorithm,
        &EventFields {
            seq,
            prev: &prev,
            at: &who.at,
            actor: &who.name,
            action,
            subject,
            detail,
            content_hash: &content_hash,
        },
    );
    on!(tx.conn(), |c| sqlx::query(
        "INSERT INTO audit_events (seq, at, actor, action, subject, detail, prev_hash, hash, content, content_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(seq)
    .bind(&who.at)
    .bind(&who.name)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .bind(&prev)
    .bind(&hash)
    .bind(&content)
    .bind(&content_hash)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// One thing `audit verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditProblem {
    /// The event concerned, when the problem is in the chain or names the last seal.
    pub seq: Option<i64>,
    /// The event or record concerned (`event/12`, `batch/7` …).
    pub object: String,
    /// What is wrong, in words for the auditor.
    pub what: String,
}

/// The outcome of `audit verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    pub events: usize,
    /// Objects whose records were re-hashed against their last seal.
    pub objects: usize,
    /// The newest event (sequence and hash): note it down, and a later verification can check
    /// that the log still reaches it (`jili audit verify --head SEQ:HASH`).
    pub head: Option<(i64, String)>,
    /// The hash of the chain and the seals, as the database records it.
    pub algorithm: SealAlgorithm,
    pub problems: Vec<AuditProblem>,
}

impl AuditReport {
    /// Whether the chain and every record are intact.
    pub fn is_intact(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Store {
    /// All audit events, oldest first.
    pub async fn audit_events(&self) -> Result<Vec<AuditEvent>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, AuditEvent>("SELECT * FROM audit_events ORDER BY seq")
            .fetch_all(p)
            .await?))
    }

    /// The events about one subject (`plan/2024/3/v2` …), oldest first.
    pub async fn audit_events_of(&self, subject: &str) -> Result<Vec<AuditEvent>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, AuditEvent>(
            "SELECT * FROM audit_events WHERE subject = $1 ORDER BY seq"
        )
        .bind(subject)
        .fetch_all(p)
        .await?))
    }

    /// Recompute the chain, then re-hash every record and compare it with the last seal the
    /// chain holds for it. Read-only, in one snapshot of the database.
    pub async fn verify_audit(&self) -> Result<AuditReport> {
        let mut tx = self.pool.snapshot().await?;
        let events = on!(tx.conn(), |c| sqlx::query_as::<_, AuditEvent>("SELECT * FROM audit_events ORDER BY seq")
            .fetch_all(c)
            .await?);
        let algorithm = seal::algorithm(&mut tx).await?;
        let now = seal::seal_all(&mut tx, algorithm).await?;
        let schema = seal::schema_problems(&mut tx).await?;
        tx.rollback().await?;

        let mut problems: Vec<AuditProblem> =
            schema.into_iter().map(|what| AuditProblem { seq: None, object: "schema".into(), what }).collect();
        let mut prev = GENESIS.to_string();
        let mut expected_seq = 1;
        let mut sealed: BTreeMap<String, (i64, Seal)> = BTreeMap::new();
        for e in &events {
            let at = |what: String| AuditProblem { seq: Some(e.seq), object: format!("event/{}", e.seq), what };
            if e.seq != expected_seq {
                problems.push(at(format!("事件序号不连续：应为 #{expected_seq}，实为 #{}（事件被删除或插入）", e.seq)));
            }
            if e.prev_hash != prev {
                problems.push(at("前一事件的哈希与记录不符：前一事件被改动、删除，或本事件被插入".into()));
            }
            let digest = if e.content.is_empty() { String::new() } else { algorithm.hex_digest(e.content.as_bytes()) };
            if digest != e.content_hash {
                problems.push(at("事件所记的记录摘要（content）被改动".into()));
            }
            let fields = EventFields {
                seq: e.seq,
                prev: &e.prev_hash,
                at: &e.at,
                actor: &e.actor,
                action: &e.action,
                subject: &e.subject,
                detail: &e.detail,
                content_hash: &e.content_hash,
            };
            if event_hash(algorithm, &fields) != e.hash {
                problems.push(at(format!(
                    "事件内容与其哈希不符（时间、操作人、动作、对象或说明被改动）：现为 {} {} {} {}",
                    e.at, e.actor, e.action, e.subject
                )));
            }
            if let Ok(seals) = serde_json::from_str::<Seals>(&e.content) {
                for (object, seal) in seals {
                    sealed.insert(object, (e.seq, seal));
                }
            }
            prev = e.hash.clone();
            expected_seq = e.seq + 1;
        }

        let mut objects = 0;
        for (object, (seq, seal)) in &sealed {
            objects += 1;
            let current = now.get(object).cloned().unwrap_or_default();
            for what in compare(seal, &current) {
                problems.push(AuditProblem { seq: Some(*seq), object: object.clone(), what });
            }
        }
        for (object, seal) in &now {
            if !sealed.contains_key(object) {
                let sections: Vec<&str> = seal.keys().map(String::as_str).take(4).collect();
                problems.push(AuditProblem {
                    seq: None,
                    object: object.clone(),
                    what: format!("该记录没有任何审计事件（绕过本系统写入）：{}", sections.join("、")),
                });
            }
        }
        let head = events.last().map(|e| (e.seq, e.hash.clone()));
        Ok(AuditReport { events: events.len(), objects, head, algorithm, problems })
    }
}

/// What differs between a record's last seal and what is stored now.
fn compare(sealed: &Seal, now: &Seal) -> Vec<String> {
    let mut out = Vec::new();
    if !sealed.is_empty() && now.is_empty() {
        out.push("记录已被删除".into());
        return out;
    }
    for (section, was) in sealed {
        match now.get(section) {
            None => out.push(format!("{section}：记录为 {was}，现已删除")),
            Some(is) if is != was => out.push(format!("{section}：记录为 {was}，现为 {is}")),
            Some(_) => {}
        }
    }
    for (section, is) in now {
        if !sealed.contains_key(section) {
            out.push(format!("{section}：记录中没有，现为 {is}（绕过本系统写入）"));
        }
    }
    out
}
