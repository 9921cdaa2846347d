//! `jili backup` and `jili restore`: a consistent copy that verifies, restored only into a new
//! file and only when its audit chain verifies; the restored database has the same content hash.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{jili, stderr, stdout};
use jili_testkit::TestDb;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};

fn hash_of(text: &str) -> String {
    text.lines().find_map(|l| l.trim().strip_prefix("内容指纹（sha256）：")).unwrap_or_default().to_string()
}

#[test]
fn a_backup_is_restored_into_a_new_file_with_the_same_content_and_a_tampered_one_is_refused() {
    let db = common::demo_db();
    let original = hash_of(&stdout(&jili(&db, &["status"])));
    assert_eq!(original.len(), 64);

    let backup = db.dir().join("备份.db");
    let backup = backup.to_str().unwrap();
    let out = jili(&db, &["backup", backup]);
    assert!(out.status.success(), "{}", stderr(&out));
    let t = stdout(&out);
    assert!(t.contains("已备份") && t.contains("审计核验通过"), "{t}");
    assert_eq!(hash_of(&t), original);
    let again = jili(&db, &["backup", backup]);
    assert!(!again.status.success() && stderr(&again).contains("已存在"), "never overwrites a backup");

    // Restored into a new file: same content, chain intact.
    let target = TestDb::new();
    let out = jili(&target, &["restore", backup]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(hash_of(&stdout(&out)), original);
    assert_eq!(hash_of(&stdout(&jili(&target, &["status"]))), original);
    assert!(stdout(&jili(&target, &["audit", "verify"])).contains("审计核验通过"));
    // Never over an existing database.
    let out = jili(&target, &["restore", backup]);
    assert!(!out.status.success() && stderr(&out).contains("已存在"), "{}", stderr(&out));

    // A backup edited behind jili's back is not restored, and nothing is left behind.
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let mut conn = SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(backup)).await.unwrap();
        sqlx::query("UPDATE plans SET status = 'draft' WHERE measure = 3").execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    });
    let fresh = TestDb::new();
    let out = jili(&fresh, &["restore", backup]);
    assert!(!out.status.success());
    let e = stderr(&out);
    assert!(e.contains("审计核验未通过") && e.contains("plans.status") && e.contains("未恢复"), "{e}");
    assert!(!fresh.path().exists(), "no database was created");
    assert_eq!(std::fs::read_dir(fresh.dir()).unwrap().count(), 0, "no scratch file left");
}
