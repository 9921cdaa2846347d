//! An SM3 demo database (`jili demo --seal sm3`): its audit chain, seals and content hash are
//! SM3 and say so; `audit verify` passes and fails after tampering; backup, restore and
//! migration (to PostgreSQL when `JILI_TEST_PG_URL` is set) carry the algorithm and verify.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{jili, jili_at, stderr, stdout};
use jili_testkit::{TestDb, TestPg};
use std::process::{Command, Output};

/// The SM3 content hash a report prints (the last one: after a migration, the target's).
fn sm3_hash(out: &Output) -> String {
    let text = stdout(out);
    assert!(out.status.success(), "{text}{}", stderr(out));
    text.lines().rev().find_map(|l| l.trim().strip_prefix("内容指纹（sm3）：")).unwrap_or_default().to_string()
}

#[test]
fn an_sm3_demo_verifies_backs_up_restores_and_migrates() {
    let db = TestDb::new();
    let out = jili(&db, &["demo", "--no-serve", "--seal", "sm3"]);
    let hash = sm3_hash(&out);
    assert_eq!(hash.len(), 64, "{}", stdout(&out));
    // Not the SHA-256 demo's hash: the content is the same, the algorithm is not.
    let sha = stdout(&jili(&common::demo_db(), &["status"]));
    assert!(!sha.contains(&hash) && sha.contains("内容指纹（sha256）："), "{sha}");
    assert_eq!(sm3_hash(&jili(&db, &["status"])), hash);
    let verified = stdout(&jili(&db, &["audit", "verify"]));
    assert!(verified.contains("审计核验通过") && verified.contains("摘要算法 sm3"), "{verified}");
    let json: serde_json::Value = serde_json::from_str(&stdout(&jili(&db, &["status", "--json"]))).unwrap();
    assert_eq!(json["seal_algorithm"], "sm3");

    // The choice is made once.
    let again = jili(&db, &["init", "--seal", "sha256"]);
    assert!(!again.status.success());
    let bad = jili(&TestDb::new(), &["init", "--seal", "md5"]);
    assert!(!bad.status.success() && stderr(&bad).contains("--seal 只能是 sha256 或 sm3"), "{}", stderr(&bad));

    // Backup and restore carry the algorithm.
    let backup = db.dir().join("sm3-备份.db").display().to_string();
    let out = jili(&db, &["backup", &backup]);
    assert_eq!(sm3_hash(&out), hash);
    assert!(stdout(&out).contains("摘要算法：sm3"), "{}", stdout(&out));
    let restored = TestDb::new();
    assert_eq!(sm3_hash(&jili(&restored, &["restore", &backup])), hash);
    assert!(stdout(&jili(&restored, &["audit", "verify"])).contains("摘要算法 sm3"));

    // Migration to PostgreSQL and back, when a server is there.
    let rt = tokio::runtime::Runtime::new().unwrap();
    if let Some(pg) = rt.block_on(TestPg::new()) {
        let migrate = |from: &str, to: &str| {
            Command::new(env!("CARGO_BIN_EXE_jili"))
                .args(["migrate", "--from", from, "--to", to])
                .env_remove("JILI_DATABASE_URL")
                .output()
                .unwrap()
        };
        assert_eq!(sm3_hash(&migrate(&format!("sqlite:{}", db.url()), &pg.url())), hash);
        let there = stdout(&jili_at(&pg.url(), &["audit", "verify"]));
        assert!(there.contains("审计核验通过") && there.contains("摘要算法 sm3"), "{there}");
        let back = TestDb::new();
        assert_eq!(sm3_hash(&migrate(&pg.url(), &format!("sqlite:{}", back.url()))), hash);
    } else {
        println!("注意：未设置 JILI_TEST_PG_URL，SM3 库迁移到 PostgreSQL 的部分已跳过");
    }

    // Edited behind jili's back: verification fails and names the record.
    rt.block_on(async {
        use sqlx::Connection;
        let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(db.path());
        let mut conn = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
        sqlx::query("UPDATE plans SET status = 'draft' WHERE measure = 3").execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    });
    let out = jili(&db, &["audit", "verify"]);
    assert!(!out.status.success());
    let t = stdout(&out);
    assert!(t.contains("摘要算法 sm3") && t.contains("plans.status"), "{t}");
}
