//! The hash the audit chain and the record seals use: SHA-256, or SM3 (GB/T 32905, the
//! national standard some offices must use). It is chosen once, when a database is created, and
//! recorded in the database itself (the setting `seal.algorithm`), so every writer, `audit
//! verify`, a backup, a restore and a migration read the same choice from the data they carry.
//! A database without the setting is SHA-256: every database made before SM3 existed.

use crate::db::{Tx, on};
use crate::error::{Result, StoreError};
use serde::Serialize;
use sha2::Digest;

/// The settings key that records the algorithm (refused by `put_setting`: it is chosen once).
pub const SEAL_KEY: &str = "seal.algorithm";

/// The hash of the audit chain and the record seals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SealAlgorithm {
    /// SHA-256 (FIPS 180-4), the default.
    #[default]
    Sha256,
    /// SM3 (GB/T 32905-2016, GM/T 0004-2012).
    Sm3,
}

impl SealAlgorithm {
    /// Every algorithm, for listing the choices in messages.
    pub const ALL: [SealAlgorithm; 2] = [SealAlgorithm::Sha256, SealAlgorithm::Sm3];

    /// The name stored in the database and written before a digest (`sm3:…`).
    pub fn as_str(self) -> &'static str {
        match self {
            SealAlgorithm::Sha256 => "sha256",
            SealAlgorithm::Sm3 => "sm3",
        }
    }

    /// The algorithm named `name` (`sha256`, `sm3`; any case; `sha-256` too).
    pub fn parse(name: &str) -> Option<SealAlgorithm> {
        match name.trim().to_ascii_lowercase().as_str() {
            "sha256" | "sha-256" => Some(SealAlgorithm::Sha256),
            "sm3" => Some(SealAlgorithm::Sm3),
            _ => None,
        }
    }

    /// A fresh hasher of this algorithm.
    pub fn hasher(self) -> Hasher {
        match self {
            SealAlgorithm::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            SealAlgorithm::Sm3 => Hasher::Sm3(sm3::Sm3::new()),
        }
    }

    /// The digest of `bytes`, lower-case hex.
    pub fn hex_digest(self, bytes: &[u8]) -> String {
        let mut h = self.hasher();
        h.update(bytes);
        h.finish_hex()
    }
}

impl std::fmt::Display for SealAlgorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for SealAlgorithm {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<SealAlgorithm> {
        SealAlgorithm::parse(s).ok_or_else(|| {
            StoreError::Conflict(format!("不认识的摘要算法“{s}”：可选 sha256（默认）或 sm3（国密 GB/T 32905）"))
        })
    }
}

/// An incremental digest of either algorithm (both are 256-bit).
#[derive(Debug, Clone)]
pub enum Hasher {
    Sha256(sha2::Sha256),
    Sm3(sm3::Sm3),
}

impl Hasher {
    /// Feed bytes.
    pub fn update(&mut self, bytes: impl AsRef<[u8]>) {
        match self {
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sm3(h) => h.update(bytes),
        }
    }

    /// The digest, lower-case hex.
    pub fn finish_hex(self) -> String {
        match self {
            Hasher::Sha256(h) => super::hex(&h.finalize()),
            Hasher::Sm3(h) => super::hex(&h.finalize()),
        }
    }
}

/// The algorithm this database was created with, read inside a transaction (so a writer and
/// the verifier see the same choice as the rows they seal). A stored name jili does not know is
/// a corrupt database, not a reason to fall back.
pub(crate) async fn of(tx: &mut Tx) -> Result<SealAlgorithm> {
    let stored: Option<String> = on!(tx.conn(), |c| sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
        .bind(SEAL_KEY)
        .fetch_optional(c)
        .await?);
    match stored {
        None => Ok(SealAlgorithm::Sha256),
        Some(name) => SealAlgorithm::parse(&name).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "设置 {SEAL_KEY} 的值“{name}”不是 jili 认识的摘要算法（sha256 或 sm3）：数据库在本系统之外被改动过"
            ))
        }),
    }
}

impl crate::Store {
    /// The algorithm of this database's audit chain and seals.
    pub async fn seal_algorithm(&self) -> Result<SealAlgorithm> {
        let mut tx = self.pool.snapshot().await?;
        let algorithm = of(&mut tx).await;
        tx.rollback().await?;
        algorithm
    }

    /// Choose the algorithm of a new database, before anything is recorded in it; the choice is
    /// itself the first audit event (sealed with the algorithm chosen). Choosing the algorithm the
    /// database already has changes nothing; choosing another once the audit log holds events is
    /// refused — the chain already written would no longer verify.
    pub async fn choose_seal_algorithm(&self, who: &crate::Actor, algorithm: SealAlgorithm) -> Result<()> {
        let mut tx = self.write().await?;
        let current = of(&mut tx).await?;
        if current == algorithm {
            return tx.rollback().await;
        }
        let events: i64 =
            on!(tx.conn(), |c| sqlx::query_scalar("SELECT COUNT(*) FROM audit_events").fetch_one(c).await?);
        if events > 0 {
            return Err(StoreError::Conflict(format!(
                "该数据库已有 {events} 条审计记录，摘要算法已定为 {current}，不能改为 {algorithm}：\
                 算法在建库时选定（jili init --seal {algorithm} 或 jili demo --seal {algorithm}，用一个新的数据库）"
            )));
        }
        on!(tx.conn(), |c| sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(SEAL_KEY)
        .bind(algorithm.as_str())
        .execute(c)
        .await?
        .rows_affected());
        let object = format!("setting/{SEAL_KEY}");
        let detail = format!("审计链与记录封存使用 {algorithm}");
        crate::audit::append(&mut tx, who, "seal.choose", &object, &detail, std::slice::from_ref(&object)).await?;
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GB/T 32905-2016, appendix A: example 1 ("abc") and example 2 ("abcd" × 16, 64 bytes).
    #[test]
    fn sm3_gives_the_published_test_vectors() {
        assert_eq!(
            SealAlgorithm::Sm3.hex_digest(b"abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        let message = "abcd".repeat(16);
        assert_eq!(message.len(), 64);
        assert_eq!(
            SealAlgorithm::Sm3.hex_digest(message.as_bytes()),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
        );
        // Fed in pieces, the same digest.
        let mut h = SealAlgorithm::Sm3.hasher();
        h.update("ab");
        h.update("c");
        assert_eq!(h.finish_hex(), SealAlgorithm::Sm3.hex_digest(b"abc"));
    }

    /// FIPS 180-4's "abc", so the default is still what it was.
    #[test]
    fn sha256_is_unchanged() {
        assert_eq!(
            SealAlgorithm::Sha256.hex_digest(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn names_round_trip() {
        for a in SealAlgorithm::ALL {
            assert_eq!(SealAlgorithm::parse(a.as_str()), Some(a));
        }
        assert_eq!(SealAlgorithm::parse("SM3"), Some(SealAlgorithm::Sm3));
        assert_eq!(SealAlgorithm::parse("md5"), None);
        assert!("md5".parse::<SealAlgorithm>().is_err());
    }
}
