//! Copying a whole database between backends, clearing, emptiness and SQLite's backup.

use crate::*;
use jili_testkit::TestDb;

/// A fresh database on the backend named (`sqlite` or `postgres`).
async fn fresh(name: &str) -> TestBackend {
    match name {
        "sqlite" => TestBackend::Sqlite(TestDb::new()),
        _ => TestBackend::Postgres(jili_testkit::TestPg::new().await.unwrap()),
    }
}

async fn copy_and_compare(from: &TestBackend, to: &TestBackend) {
    let what = format!("{} → {}", from.name(), to.name());
    let source = open(from).await;
    populate(&source).await;
    let target = open(to).await;
    let report = source.copy_to(&target).await.unwrap();
    assert_eq!(report.rows(), report.tables.iter().map(|(_, n)| n).sum::<u64>());
    let events = source.audit_events().await.unwrap().len() as u64;
    assert_eq!(report.tables.iter().find(|(t, _)| *t == "audit_events").unwrap().1, events, "{what}");
    assert_eq!(report.tables.iter().find(|(t, _)| *t == "observations").unwrap().1, 4, "{what}");
    let (a, b) = (source.verify_audit().await.unwrap(), target.verify_audit().await.unwrap());
    assert!(b.is_intact(), "{what}: {:?}", b.problems);
    assert_eq!(a, b, "{what}: the verification");
    assert_eq!(source.audit_events().await.unwrap(), target.audit_events().await.unwrap(), "{what}");
    let (ra, rb) = (read_all(&source).await, read_all(&target).await);
    for ((name, x), (_, y)) in ra.iter().zip(&rb) {
        assert_eq!(x, y, "{what}: {name}");
    }
    // The copy goes on as the source would: ids continue after the copied ones.
    let next = (
        source.add_commendation(&me(), 2024, "430100", "x", "y").await.unwrap(),
        target.add_commendation(&me(), 2024, "430100", "x", "y").await.unwrap(),
    );
    assert_eq!(next.0, next.1, "{what}: the next id");
    let batch_next = batch("TJJ", "next.csv", vec![obs("GDP", "430300", "2024", "3", Status::Final)]);
    let bs = source.import_batch(&me(), &batch_next).await.unwrap();
    let bt = target.import_batch(&me(), &batch_next).await.unwrap();
    assert_eq!(bs, bt, "{what}: the next batch");
    assert_eq!(source.audit_events().await.unwrap(), target.audit_events().await.unwrap(), "{what}");
    assert!(target.verify_audit().await.unwrap().is_intact());

    // A copy never writes over something.
    let again = outcome(source.copy_to(&target).await);
    assert!(again.starts_with("conflict 目标数据库不是空的"), "{what}: {again}");
    source.close().await;
    target.close().await;
}

#[tokio::test]
async fn copies_between_backends_are_identical_and_verify() {
    // SQLite → SQLite always; SQLite ↔ PostgreSQL and PostgreSQL → PostgreSQL when tested.
    let names: Vec<&str> = backends().await.iter().map(|b| b.name()).collect();
    for from in &names {
        for to in &names {
            copy_and_compare(&fresh(from).await, &fresh(to).await).await;
        }
    }
}

#[tokio::test]
async fn a_copy_into_a_non_empty_database_is_refused_alike() {
    let mut seen = Vec::new();
    for db in backends().await {
        let source = open(&db).await;
        populate(&source).await;
        let other = fresh(db.name()).await;
        let target = open(&other).await;
        target.record_login_failure("x", 1).await.unwrap();
        assert!(!target.is_empty().await.unwrap(), "{}: a failed login is content", db.name());
        let refused = outcome(source.copy_to(&target).await);
        assert!(target.audit_events().await.unwrap().is_empty());
        seen.push((db.name(), refused));
        source.close().await;
        target.close().await;
    }
    same("the refusal", &seen);
}

#[tokio::test]
async fn clear_empties_everything_and_ids_start_again() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        populate(&store).await;
        store.clear().await.unwrap();
        assert!(store.is_empty().await.unwrap(), "{}", db.name());
        assert!(store.verify_audit().await.unwrap().is_intact());
        populate(&store).await;
        let report = store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{}: {:?}", db.name(), report.problems);
        seen.push((db.name(), read_all(&store).await));
        store.close().await;
    }
    same("a database refilled after clearing", &seen);
}

#[tokio::test]
async fn a_sqlite_backup_is_a_verified_copy_and_never_overwrites() {
    for db in backends().await {
        let store = open(&db).await;
        populate(&store).await;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("backup.db").display().to_string();
        match db {
            TestBackend::Sqlite(_) => {
                store.backup_to(&path).await.unwrap();
                let refused = outcome(store.backup_to(&path).await);
                assert!(refused.starts_with("conflict 备份文件"), "{refused}");
                let copy = Store::open(&path).await.unwrap();
                assert_eq!(read_all(&copy).await, read_all(&store).await);
                assert!(copy.verify_audit().await.unwrap().is_intact());
                copy.close().await;
            }
            // PostgreSQL has no VACUUM INTO: it is backed up with copy_to into a SQLite file.
            TestBackend::Postgres(_) => {
                let refused = outcome(store.backup_to(&path).await);
                assert!(refused.starts_with("conflict PostgreSQL 库的备份是复制到"), "{refused}");
                assert!(!std::path::Path::new(&path).exists());
            }
        }
        store.close().await;
    }
}
