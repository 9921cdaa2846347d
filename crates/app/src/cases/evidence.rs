//! The evidence of a referral to discipline inspection (移送证据): the flags, every revision of
//! each flagged value (who sent it, when, from which file, why), the notes on the flags, and the
//! case's queries and answers — frozen into the referral step as a versioned JSON document, so
//! the audit chain seals what was handed over, whatever is stored later.

use crate::App;
use crate::error::Result;
use jili_store::{CaseRecord, StoredFlag};
use serde::{Deserialize, Serialize};

/// What a referral hands over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub case_id: i64,
    pub title: String,
    /// The department queried.
    pub provider: String,
    pub opened_by: String,
    pub opened_at: String,
    /// Why the office refers the case.
    pub referral: String,
    pub flags: Vec<EvidenceFlag>,
    pub histories: Vec<ValueHistory>,
    pub notes: Vec<EvidenceNote>,
    /// The case's steps before the referral: opening, queries, answers (and any waivers).
    pub steps: Vec<EvidenceStep>,
}

impl crate::document::Document for Evidence {
    const KIND: &'static str = "移送证据";
    const SCHEMA: u32 = 1;
}

/// A flag, as raised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceFlag {
    pub id: i64,
    pub batch_id: i64,
    pub series: String,
    pub unit: String,
    pub period: String,
    pub code: String,
    pub message: String,
}

/// A value's revisions, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueHistory {
    pub series: String,
    pub unit: String,
    pub period: String,
    pub revisions: Vec<EvidenceRevision>,
}

/// One revision of a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRevision {
    pub revision: i64,
    pub value: String,
    pub status: String,
    pub batch_id: i64,
    pub provider: String,
    pub source: String,
    pub imported_at: String,
    pub actor: String,
    pub reason: String,
}

/// A note a provider or the office wrote on a flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceNote {
    pub flag_id: i64,
    pub note: String,
    pub actor: String,
    pub at: String,
}

/// A step of the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceStep {
    pub step: String,
    pub label: String,
    pub text: String,
    pub batch_id: Option<i64>,
    pub actor: String,
    pub at: String,
}

/// The revisions of each value the flags are about (one per value, in flag order).
pub(crate) async fn histories(app: &App, flags: &[StoredFlag]) -> Result<Vec<ValueHistory>> {
    let mut out: Vec<ValueHistory> = Vec::new();
    for f in flags.iter().filter(|f| !f.series.is_empty() && !f.unit.is_empty()) {
        if out.iter().any(|h| h.series == f.series && h.unit == f.unit && h.period == f.period) {
            continue;
        }
        let revisions = app
            .store
            .revisions(&f.series, &f.unit, &f.period)
            .await?
            .into_iter()
            .map(|r| EvidenceRevision {
                revision: r.revision,
                value: r.value,
                status: r.status.as_str().to_string(),
                batch_id: r.batch_id,
                provider: r.provider,
                source: r.source,
                imported_at: r.imported_at,
                actor: r.actor,
                reason: r.reason,
            })
            .collect();
        out.push(ValueHistory { series: f.series.clone(), unit: f.unit.clone(), period: f.period.clone(), revisions });
    }
    Ok(out)
}

impl App {
    /// The evidence of `record` as it stands, for its referral with `reason`.
    pub(super) async fn evidence_of(&self, record: &CaseRecord, reason: &str) -> Result<Evidence> {
        let ids: Vec<i64> = record.flags.iter().map(|f| f.id).collect();
        let notes = self
            .store
            .flag_notes()
            .await?
            .into_iter()
            .filter(|n| ids.contains(&n.flag_id))
            .map(|n| EvidenceNote { flag_id: n.flag_id, note: n.note, actor: n.actor, at: n.at })
            .collect();
        let c = &record.case;
        Ok(Evidence {
            case_id: c.id,
            title: c.title.clone(),
            provider: c.provider.clone(),
            opened_by: c.opened_by.clone(),
            opened_at: c.opened_at.clone(),
            referral: reason.to_string(),
            flags: record
                .flags
                .iter()
                .map(|f| EvidenceFlag {
                    id: f.id,
                    batch_id: f.batch_id,
                    series: f.series.clone(),
                    unit: f.unit.clone(),
                    period: f.period.clone(),
                    code: f.code.clone(),
                    message: f.message.clone(),
                })
                .collect(),
            histories: histories(self, &record.flags).await?,
            notes,
            steps: record
                .steps
                .iter()
                .map(|s| EvidenceStep {
                    step: s.step.as_str().to_string(),
                    label: s.step.label().to_string(),
                    text: s.text.clone(),
                    batch_id: s.batch_id,
                    actor: s.actor.clone(),
                    at: s.at.clone(),
                })
                .collect(),
        })
    }
}
