//! Data releases: versions per (calendar, cut-off), bodies kept as written with their digest,
//! every release and correction in the audit chain, nothing changed after it is stored.

use crate::*;
use sha2::{Digest, Sha256};

fn release<'a>(calendar: &'a str, cutoff: &'a str, reason: &'a str, body: &'a str) -> NewRelease<'a> {
    NewRelease { calendar, cutoff, title: "主要指标数据通报", demo: true, reason, body }
}

#[tokio::test]
async fn releases_are_versioned_per_cutoff_sealed_and_never_changed() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = seeded(&db).await;
        let name = db.name();
        assert_eq!((store.newest_release().await.unwrap(), store.release(1).await.unwrap()), (None, None));
        let body = "{\"values\":[{\"series\":\"GDP\",\"value\":\"1.5\"}]}";
        let q3 = store.add_release(&me(), release("quarterly", "2024-Q3", "首次通报", body)).await.unwrap();
        let annual = NewRelease { demo: false, ..release("annual", "2023", "首次通报", "{}") };
        let year = store.add_release(&me(), annual).await.unwrap();
        let corrected = "{\"values\":[{\"series\":\"GDP\",\"value\":\"1.6\"}]}";
        let later = who("2024-11-20T02:00:00Z");
        let q3v2 =
            store.add_release(&later, release("quarterly", "2024-Q3", "更正：核实后修订", corrected)).await.unwrap();
        assert_eq!((q3, year, q3v2), ((1, 1), (2, 1), (3, 2)), "{name}: versions count per (calendar, cut-off)");

        // The first version is still there, word for word, with the digest of its body.
        let first = store.release(1).await.unwrap().unwrap();
        let head = &first.head;
        assert_eq!((first.body.as_str(), head.version, head.reason.as_str()), (body, 1, "首次通报"));
        assert_eq!((head.title.as_str(), head.demo), ("主要指标数据通报", true));
        assert_eq!(head.sha256, jili_store::hex(&Sha256::digest(body.as_bytes())), "{name}");
        let versions = store.release_versions("quarterly", "2024-Q3").await.unwrap();
        assert_eq!(versions.iter().map(|v| (v.id, v.version)).collect::<Vec<_>>(), [(1, 1), (3, 2)]);
        assert_eq!(versions[1].released_at, "2024-11-20T02:00:00Z");
        assert_eq!(store.release_versions("quarterly", "2024-Q2").await.unwrap(), []);
        let heads = store.release_heads().await.unwrap();
        assert_eq!(heads.iter().map(|h| (h.id, h.demo)).collect::<Vec<_>>(), [(1, true), (2, false), (3, true)]);
        assert_eq!(store.newest_release().await.unwrap().unwrap().head.id, 3, "{name}: the one made last");

        // A release and its correction are each an audit event sealing the stored row.
        let events = store.audit_events().await.unwrap();
        let made: Vec<(&str, &str)> = events
            .iter()
            .filter(|e| e.action.starts_with("release"))
            .map(|e| (e.action.as_str(), e.subject.as_str()))
            .collect();
        assert_eq!(
            made,
            [
                ("release", "release/quarterly/2024-Q3/v1"),
                ("release", "release/annual/2023/v1"),
                ("release.correct", "release/quarterly/2024-Q3/v2")
            ],
            "{name}"
        );
        // A release of real data is an office record a demo rebuild must not erase.
        assert_eq!(store.office_records().await.unwrap(), [("数据通报", 1)], "{name}");
        assert!(store.verify_audit().await.unwrap().is_intact(), "{name}");
        seen.push((name, (heads, first, events)));
        store.close().await;
    }
    same("data releases", &seen);
}
