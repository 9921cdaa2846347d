//! The audit chain: every change appends an event whose hash covers the one before it, so a
//! deleted or edited event breaks the chain.

use crate::Store;
use crate::error::Result;
use sha2::{Digest, Sha256};
use sqlx::{FromRow, SqliteConnection};

/// Who made a change, and when (RFC 3339). The caller supplies the time: the store has no clock.
#[derive(Debug, Clone)]
pub struct Actor {
    pub name: String,
    pub at: String,
}

/// One stored audit event.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The genesis value of `prev_hash`.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The hash of an event given the previous hash.
pub fn event_hash(prev: &str, at: &str, actor: &str, action: &str, subject: &str, detail: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, at, actor, action, subject, detail] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    hex(&h.finalize())
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Append an event inside the caller's transaction.
pub(crate) async fn append(
    conn: &mut SqliteConnection,
    who: &Actor,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<()> {
    let prev: Option<String> = sqlx::query_scalar("SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    let prev = prev.unwrap_or_else(|| GENESIS.to_string());
    let hash = event_hash(&prev, &who.at, &who.name, action, subject, detail);
    sqlx::query("INSERT INTO audit_events (at, actor, action, subject, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&who.at)
        .bind(&who.name)
        .bind(action)
        .bind(subject)
        .bind(detail)
        .bind(&prev)
        .bind(&hash)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// All audit events, oldest first.
    pub async fn audit_events(&self) -> Result<Vec<AuditEvent>> {
        Ok(sqlx::query_as::<_, AuditEvent>("SELECT * FROM audit_events ORDER BY seq").fetch_all(&self.pool).await?)
    }

    /// The first event whose hash does not match its content or predecessor, if any.
    pub async fn verify_audit(&self) -> Result<Option<i64>> {
        let mut prev = GENESIS.to_string();
        for e in self.audit_events().await? {
            let expected = event_hash(&prev, &e.at, &e.actor, &e.action, &e.subject, &e.detail);
            if e.prev_hash != prev || e.hash != expected {
                return Ok(Some(e.seq));
            }
            prev = e.hash;
        }
        Ok(None)
    }
}
