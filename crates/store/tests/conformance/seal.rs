//! SM3 seals: a database created with SM3 seals its records and hashes its chain with SM3 on
//! either backend, verifies, reports tampering, keeps its choice through a copy, and refuses to
//! change it once anything is recorded.

use crate::audit::behind_the_back;
use crate::*;
use jili_store::{SEAL_KEY, SealAlgorithm};
use jili_testkit::TestDb;

/// A store created with SM3 seals and populated.
async fn sm3_store(db: &TestBackend) -> Store {
    let store = open(db).await;
    assert_eq!(store.seal_algorithm().await.unwrap(), SealAlgorithm::Sha256, "the default");
    store.choose_seal_algorithm(&who("2024-04-01T08:00:00Z"), SealAlgorithm::Sm3).await.unwrap();
    populate(&store).await;
    store
}

#[tokio::test]
async fn an_sm3_database_seals_with_sm3_and_verifies_alike() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = sm3_store(&db).await;
        assert_eq!(store.seal_algorithm().await.unwrap(), SealAlgorithm::Sm3);
        let report = store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{}: {:?}", db.name(), report.problems);
        assert_eq!(report.algorithm, SealAlgorithm::Sm3);
        let events = store.audit_events().await.unwrap();
        // The choice is the first event; the seals name their algorithm.
        assert_eq!(events[0].action, "seal.choose");
        assert!(events.iter().any(|e| e.content.contains(" sm3:")), "{}: no SM3 row digest", db.name());
        assert!(events.iter().all(|e| !e.content.contains("sha256:")), "{}: a SHA-256 seal", db.name());
        // The event hash is SM3 over the fields, as documented.
        let first = &events[0];
        let fields = jili_store::EventFields {
            seq: first.seq,
            prev: &first.prev_hash,
            at: &first.at,
            actor: &first.actor,
            action: &first.action,
            subject: &first.subject,
            detail: &first.detail,
            content_hash: &first.content_hash,
        };
        assert_eq!(jili_store::event_hash(SealAlgorithm::Sm3, &fields), first.hash);
        assert_ne!(jili_store::event_hash(SealAlgorithm::Sha256, &fields), first.hash);
        assert_eq!(first.content_hash, SealAlgorithm::Sm3.hex_digest(first.content.as_bytes()));
        seen.push((db.name(), events));
        store.close().await;
    }
    same("the SM3 audit log", &seen);
}

#[tokio::test]
async fn tampering_with_an_sm3_database_is_reported() {
    for db in backends().await {
        let store = sm3_store(&db).await;
        behind_the_back(&db, "UPDATE observations SET value = '999' WHERE series = 'GDP' AND unit = '430200'").await;
        let problems = store.verify_audit().await.unwrap().problems;
        assert_eq!(problems.len(), 1, "{}: {problems:?}", db.name());
        assert!(problems[0].what.starts_with("observations:GDP：记录为 2 行 sm3:"), "{}: {problems:?}", db.name());
        // Switching the recorded algorithm back to SHA-256 does not hide anything: every event
        // then fails to verify.
        behind_the_back(&db, &format!("UPDATE settings SET value = 'sha256' WHERE key = '{SEAL_KEY}'")).await;
        let report = store.verify_audit().await.unwrap();
        assert_eq!(report.algorithm, SealAlgorithm::Sha256);
        assert!(report.problems.iter().any(|p| p.object == "event/1"), "{}: {:?}", db.name(), report.problems);
        // A name jili does not know is a corrupt database, not a fallback.
        behind_the_back(&db, &format!("UPDATE settings SET value = 'md5' WHERE key = '{SEAL_KEY}'")).await;
        let refused = outcome(store.verify_audit().await);
        assert!(refused.contains("md5"), "{}: {refused}", db.name());
        store.close().await;
    }
}

#[tokio::test]
async fn the_algorithm_is_chosen_once() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = sm3_store(&db).await;
        // The same choice again changes nothing; another is refused; so is the generic setter.
        let events = store.audit_events().await.unwrap().len();
        store.choose_seal_algorithm(&me(), SealAlgorithm::Sm3).await.unwrap();
        assert_eq!(store.audit_events().await.unwrap().len(), events);
        let other = outcome(store.choose_seal_algorithm(&me(), SealAlgorithm::Sha256).await);
        assert!(other.starts_with("conflict 该数据库已有"), "{}: {other}", db.name());
        let set = outcome(store.put_setting(&me(), SEAL_KEY, "sha256").await);
        assert!(set.starts_with("conflict 设置 seal.algorithm 只在建库时选定"), "{}: {set}", db.name());
        assert_eq!(store.seal_algorithm().await.unwrap(), SealAlgorithm::Sm3);
        seen.push((db.name(), (other, set)));
        store.close().await;

        // A SHA-256 database with events cannot become SM3 either.
        let fresh = match db.name() {
            "sqlite" => TestBackend::Sqlite(TestDb::new()),
            _ => TestBackend::Postgres(jili_testkit::TestPg::new().await.unwrap()),
        };
        let plain = open(&fresh).await;
        populate(&plain).await;
        let refused = outcome(plain.choose_seal_algorithm(&me(), SealAlgorithm::Sm3).await);
        assert!(refused.contains("摘要算法已定为 sha256"), "{}: {refused}", db.name());
        plain.close().await;
    }
    same("the refusals", &seen);
}

#[tokio::test]
async fn an_sm3_database_copies_to_either_backend_with_its_algorithm() {
    for from in backends().await {
        let source = sm3_store(&from).await;
        for to in backends().await {
            let what = format!("{} → {}", from.name(), to.name());
            let target = open(&to).await;
            source.copy_to(&target).await.unwrap();
            assert_eq!(target.seal_algorithm().await.unwrap(), SealAlgorithm::Sm3, "{what}");
            let (a, b) = (source.verify_audit().await.unwrap(), target.verify_audit().await.unwrap());
            assert!(b.is_intact(), "{what}: {:?}", b.problems);
            assert_eq!(a, b, "{what}");
            // The copy goes on sealing with SM3.
            let next = batch("TJJ", "next.csv", vec![obs("GDP", "430300", "2024", "3", Status::Final)]);
            target.import_batch(&me(), &next).await.unwrap();
            let last = target.audit_events().await.unwrap().pop().unwrap();
            assert!(last.content.contains(" sm3:"), "{what}: {}", last.content);
            assert!(target.verify_audit().await.unwrap().is_intact(), "{what}");
            target.close().await;
        }
        // SQLite's own backup (VACUUM INTO) carries the setting too.
        if from.name() == "sqlite" {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("backup.db").display().to_string();
            source.backup_to(&path).await.unwrap();
            let copy = Store::open(&path).await.unwrap();
            assert_eq!(copy.seal_algorithm().await.unwrap(), SealAlgorithm::Sm3);
            assert!(copy.verify_audit().await.unwrap().is_intact());
            copy.close().await;
        }
        source.close().await;
    }
}
