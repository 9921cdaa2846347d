//! The store's conformance suite: every test runs on SQLite and, when `JILI_TEST_PG_URL` names
//! a PostgreSQL server, on PostgreSQL too, each in a fresh database (or schema), and expects
//! the same behaviour from both.
#![allow(clippy::unwrap_used)]

use jili_store::Store;
use jili_testkit::backends;

#[tokio::test]
async fn a_fresh_database_is_empty_and_verifies_intact() {
    for db in backends().await {
        let store = Store::open(&db.url()).await.unwrap();
        assert_eq!(store.backend(), db.name());
        assert!(store.is_empty().await.unwrap(), "{}", db.name());
        let report = store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{}: {:?}", db.name(), report.problems);
        assert_eq!(report.events, 0);
        store.close().await;
    }
}
