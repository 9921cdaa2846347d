//! `jili migrate`, `jili backup` and `jili restore` across the backends: everything, the audit
//! chain included, copied into an empty database, verified there, with the same content hash
//! and chain head; a backup of PostgreSQL is a SQLite file that restores into SQLite or
//! PostgreSQL; a tampered database is not carried over. The PostgreSQL half runs when
//! `JILI_TEST_PG_URL` is set.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{jili, jili_at, stderr, stdout};
use jili_testkit::{TestDb, TestPg};
use std::process::{Command, Output};

/// The content hash and chain head a copy's report ends with (the last ones printed: after a
/// migration, the target's), after checking that its verification passed.
fn copy_of(out: &Output) -> (String, String) {
    let text = stdout(out);
    assert!(out.status.success(), "{text}{}", stderr(out));
    let verified = text.lines().rev().find(|l| l.contains("审计核验通过")).unwrap();
    let head = verified.rsplit("链尾 ").next().unwrap().to_string();
    let hash = text.lines().rev().find_map(|l| l.trim().strip_prefix("内容指纹（sha256）：")).unwrap().to_string();
    (hash, head)
}

fn migrate(from: &str, to: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jili"))
        .args(["migrate", "--from", from, "--to", to])
        .env_remove("JILI_DATABASE_URL")
        .output()
        .expect("the jili binary runs")
}

#[test]
fn a_database_moves_between_backends_with_its_audit_chain() {
    let db = common::demo_db();
    let source = format!("sqlite:{}", db.url());
    // Backing up verifies the database and prints its hash and head.
    let original = copy_of(&jili(&db, &["backup", &db.dir().join("原.db").display().to_string()]));

    // SQLite to SQLite (the copy path, always tested); never into an existing database.
    let copy = db.dir().join("副本.db").display().to_string();
    let out = migrate(&source, &format!("sqlite:{copy}"));
    let text = stdout(&out);
    assert!(text.contains("已迁移到") && text.contains("observations") && text.contains("audit_events"), "{text}");
    assert_eq!(copy_of(&out), original);
    let again = migrate(&source, &format!("sqlite:{copy}"));
    assert!(!again.status.success() && stderr(&again).contains("已存在"), "{}", stderr(&again));
    let same = migrate(&source, &source);
    assert!(!same.status.success() && stderr(&same).contains("相同"), "{}", stderr(&same));

    let rt = tokio::runtime::Runtime::new().unwrap();
    let Some(pg) = rt.block_on(TestPg::new()) else { return };
    let pg_url = pg.url();

    // SQLite to PostgreSQL: same content, same chain head, verified there.
    let out = migrate(&source, &pg_url);
    assert_eq!(copy_of(&out), original);
    assert!(stdout(&out).contains(pg.schema()), "the target is named: {}", stdout(&out));
    let again = migrate(&source, &pg_url);
    assert!(!again.status.success() && stderr(&again).contains("不是空的"), "{}", stderr(&again));

    // A backup of PostgreSQL is a SQLite file that verifies on its own…
    let backup = db.dir().join("pg-备份.db").display().to_string();
    assert_eq!(copy_of(&jili_at(&pg_url, &["backup", &backup])), original);
    // …and restores into an empty PostgreSQL database and into a new SQLite file.
    let restored = rt.block_on(TestPg::new()).unwrap();
    assert_eq!(copy_of(&jili_at(&restored.url(), &["restore", &backup])), original);
    let back = TestDb::new();
    assert_eq!(copy_of(&migrate(&restored.url(), &format!("sqlite:{}", back.url()))), original);
    // The copies answer as the original does.
    let units = |out: Output| stdout(&out);
    assert_eq!(units(jili(&back, &["units", "--level", "市州"])), units(jili(&db, &["units", "--level", "市州"])));

    // A PostgreSQL database edited behind jili's back: its backup says so, is not restored, and
    // it is not migrated.
    rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&pg_url).await.unwrap();
        let done = sqlx::query("UPDATE plans SET status = 'draft' WHERE measure = 3").execute(&mut conn).await.unwrap();
        assert_eq!(done.rows_affected(), 1);
        conn.close().await.unwrap();
    });
    let tampered = db.dir().join("改过.db").display().to_string();
    let out = jili_at(&pg_url, &["backup", &tampered]);
    assert!(!out.status.success() && stdout(&out).contains("plans.status"), "{}", stdout(&out));
    let refused = rt.block_on(TestPg::new()).unwrap();
    let out = jili_at(&refused.url(), &["restore", &tampered]);
    assert!(!out.status.success() && stderr(&out).contains("审计核验未通过"), "{}", stderr(&out));
    let out = migrate(&pg_url, &refused.url());
    assert!(!out.status.success() && stderr(&out).contains("来源库的审计核验未通过"), "{}", stderr(&out));
    let left = rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&refused.url()).await.unwrap();
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        n
    });
    assert_eq!(left, 0, "nothing was restored or migrated: not even a table was made");
}
