//! Imports: revisions, unchanged values, 年报 confirming 快报, flags, mappings, the reads of
//! current and past values, settings; a large batch; a batch that fails midway.

use crate::*;
use jili_model::Status::{Final, Preliminary};
use sha2::{Digest, Sha256};

#[tokio::test]
async fn imports_count_and_keep_revisions_alike() {
    let hex = |d: &[u8]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let mut seen = Vec::new();
    for db in backends().await {
        let store = seeded(&db).await;
        let name = db.name();
        let first = batch(
            "TJJ",
            "快报.csv",
            vec![
                obs("GDP", "430100", "2023", "100.5", Preliminary),
                obs("GDP", "430200", "2023", "80", Final),
                obs("GDP", "430300", "2023", "1.5", Final),
                obs("gdp_pc", "430100", "2023-M06", "7.25", Final),
                obs("IND_VA_GROWTH", "YQ001", "2023-M01-06", "-3.10", Preliminary),
            ],
        );
        let at1 = who("2024-03-01T08:00:00Z");
        let s1 = store.import_batch(&at1, &first).await.unwrap();
        assert_eq!((s1.batch_id, s1.new, s1.revised, s1.unchanged, s1.confirmed), (1, 5, 0, 0, 0), "{name}");
        let second = batch(
            "TJJ",
            "年报.csv",
            vec![
                obs("GDP", "430100", "2023", "100.50", Final),     // 年报 confirms the 快报
                obs("GDP", "430200", "2023", "80.0", Preliminary), // a 快报 never demotes a 年报
                obs("GDP", "430300", "2023", "1.6", Final),        // revised
                obs("gdp_pc", "430100", "2023-M06", "7.25", Final), // unchanged
                obs("IND_VA_GROWTH", "YQ001", "2024", "0", Final), // new
            ],
        );
        let flags = vec![NewFlag {
            series: "GDP".into(),
            unit: "430300".into(),
            period: "2023".into(),
            code: "revised".into(),
            message: "修订幅度 6.7%".into(),
            prominent: false,
        }];
        let mapping = Some(("cols:a,b", "a = \"单位\"\n"));
        let new = NewBatch { batch: &second, reason: "年报更正", flags: &flags, mapping };
        let at2 = who("2024-05-01T08:00:00Z");
        let s2 = store.import(&at2, new).await.unwrap();
        assert_eq!((s2.batch_id, s2.new, s2.revised, s2.unchanged, s2.confirmed), (2, 1, 1, 2, 1), "{name}");
        // The same mapping key again replaces the saved one.
        let third = batch("TJJ", "空批次.csv", vec![]);
        let new = NewBatch { batch: &third, reason: "", flags: &[], mapping: Some(("cols:a,b", "b = 1\n")) };
        let s3 = store.import(&who("2024-06-01T08:00:00Z"), new).await.unwrap();
        assert_eq!((s3.batch_id, s3.new), (3, 0));

        let current = store.observations().await.unwrap();
        let keys: Vec<String> = current
            .iter()
            .map(|o| {
                format!(
                    "{}/{}/{}@{}r{}",
                    o.observation.series, o.observation.unit, o.observation.period, o.batch_id, o.revision
                )
            })
            .collect();
        assert_eq!(
            keys,
            [
                "GDP/430100/2023@2r2",
                "GDP/430200/2023@1r1",
                "GDP/430300/2023@2r2",
                "IND_VA_GROWTH/YQ001/2023-M01-06@1r1",
                "IND_VA_GROWTH/YQ001/2024@2r1",
                "gdp_pc/430100/2023-M06@1r1",
            ],
            "{name}"
        );
        let confirmed = &current[0].observation;
        assert_eq!((confirmed.value.to_string(), confirmed.status), ("100.50".into(), Final));
        let of = store.observations_of(&["GDP"]).await.unwrap();
        assert_eq!(of, current[..3]);
        let as_of = store.observations_as_of(&["GDP", "IND_VA_GROWTH"], 1).await.unwrap();
        assert_eq!(
            as_of.iter().map(|o| o.observation.value.to_string()).collect::<Vec<_>>(),
            ["100.5", "80", "1.5", "-3.10"]
        );
        assert_eq!(store.observations_as_of(&[], 2).await.unwrap(), []);
        let revisions = store.revisions("GDP", "430300", "2023").await.unwrap();
        assert_eq!(
            revisions.iter().map(|r| (r.revision, r.value.as_str(), r.batch_id)).collect::<Vec<_>>(),
            [(1, "1.5", 1), (2, "1.6", 2)]
        );
        assert_eq!(revisions[1].reason, "年报更正");
        assert_eq!(store.revisions("GDP", "430300", "2099").await.unwrap(), []);

        assert_eq!(store.last_batch().await.unwrap(), 3);
        let as_of_times = [
            store.batch_as_of("2024-02-29").await.unwrap(),
            store.batch_as_of("2024-03-01").await.unwrap(),
            store.batch_as_of("2024-05-01T08:00:00Z").await.unwrap(),
            store.batch_as_of("2024-05-01T07:59:59Z").await.unwrap(),
            store.batch_as_of("2025-01-01").await.unwrap(),
        ];
        assert_eq!(as_of_times, [0, 1, 2, 1, 3], "{name}");
        let batches = store.batches().await.unwrap();
        assert_eq!(
            batches.iter().map(|b| (b.id, b.rows, b.revised)).collect::<Vec<_>>(),
            [(1, 5, 0), (2, 5, 1), (3, 0, 0)]
        );
        // Each batch records the digest of every row it brought (stored or unchanged), which
        // identifies the file; the empty batch has the digest of nothing.
        for (b, sent) in batches.iter().zip([&first, &second, &third]) {
            let mut lines = String::new();
            for o in &sent.observations {
                let status = if o.status == Final { "final" } else { "preliminary" };
                lines.push_str(&format!("{}\t{}\t{}\t{}\t{status}\n", o.series, o.unit, o.period, o.value));
            }
            assert_eq!(b.sha256, hex(&Sha256::digest(lines.as_bytes())), "{name}: batch {}", b.id);
        }
        assert_eq!(batches[2].sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        let stored_flags = store.flags(None).await.unwrap();
        assert_eq!(store.flags(Some(2)).await.unwrap(), stored_flags);
        assert_eq!(store.flags(Some(1)).await.unwrap(), []);
        assert_eq!(stored_flags[0].message, "修订幅度 6.7%");
        assert_eq!(
            store.mapping("TJJ", "cols:a,b").await.unwrap(),
            Some(("b = 1\n".into(), "2024-06-01T08:00:00Z".into()))
        );
        assert_eq!(store.mapping("CZT", "cols:a,b").await.unwrap(), None);
        let mappings = store.mappings().await.unwrap();
        assert_eq!(mappings.len(), 1);
        let report = store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{name}: {:?}", report.problems);
        let history = (s1, s2, s3, current, as_of, revisions, batches, stored_flags, mappings);
        seen.push((name, (history, store.audit_events().await.unwrap())));
        store.close().await;
    }
    same("imports and their reads", &seen);
}

#[tokio::test]
async fn settings_are_stored_once_per_change_and_keep_every_character() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        assert_eq!(store.setting("checks").await.unwrap(), None);
        let value = "[规则]\n\tmax = 0.4 # 注释\\n\r\n'引号' \"双引号\" ✓";
        store.put_setting(&me(), "checks", value).await.unwrap();
        store.put_setting(&me(), "checks", value).await.unwrap();
        store.put_setting(&me(), "other", "").await.unwrap();
        assert_eq!(store.setting("checks").await.unwrap().as_deref(), Some(value), "{}", db.name());
        assert_eq!(store.setting("other").await.unwrap().as_deref(), Some(""));
        let events = store.audit_events().await.unwrap();
        assert_eq!(events.len(), 2, "{}: storing the same value again records nothing", db.name());
        assert!(store.verify_audit().await.unwrap().is_intact());
        seen.push((db.name(), events));
        store.close().await;
    }
    same("settings", &seen);
}

#[tokio::test]
async fn saved_mappings_are_listed_in_one_order() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = seeded(&db).await;
        // Saved at the same moment, in an order that is neither the key's nor its reverse.
        for (provider, signature, at) in
            [("TJJ", "b", 2), ("TJJ", "a", 2), ("CZT", "z", 3), ("TJJ", "c", 1), ("TJJ", "0", 2)]
        {
            let b = batch(provider, signature, vec![]);
            let new = NewBatch { batch: &b, reason: "", flags: &[], mapping: Some((signature, "m")) };
            store.import(&who(&format!("2024-03-0{at}T00:00:00Z")), new).await.unwrap();
        }
        let keys: Vec<String> =
            store.mappings().await.unwrap().into_iter().map(|m| format!("{}/{}", m.0, m.1)).collect();
        assert_eq!(keys, ["CZT/z", "TJJ/c", "TJJ/0", "TJJ/a", "TJJ/b"], "{}", db.name());
        seen.push((db.name(), keys));
        store.close().await;
    }
    same("the order of saved mappings", &seen);
}

/// 10 series × 50 units × 40 years.
fn large_batch() -> Batch {
    let mut observations = Vec::with_capacity(20_000);
    for s in 0..10 {
        for u in 1..=50 {
            for y in 1985..2025 {
                let value = format!("{}.{:02}", (s * 7919 + u * 104_729 + y) % 100_000, (u + y) % 100);
                let status = if y % 3 == 0 { Preliminary } else { Final };
                observations.push(obs(&format!("S{s:02}"), &format!("43{u:02}00"), &y.to_string(), &value, status));
            }
        }
    }
    batch("TJJ", "大批次.csv", observations)
}

#[tokio::test]
async fn a_batch_of_20000_observations_reads_back_whole() {
    let big = large_batch();
    let mut expected = big.observations.clone();
    expected
        .sort_by(|a, b| (&a.series, &a.unit, a.period.to_string()).cmp(&(&b.series, &b.unit, b.period.to_string())));
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        let many: Vec<Series> = (0..10).map(|s| one_series(&format!("S{s:02}"), "TJJ")).collect();
        store.put_reference(&me(), &departments(), &units(50), &many).await.unwrap();
        let started = std::time::Instant::now();
        let summary = store.import_batch(&me(), &big).await.unwrap();
        let took = started.elapsed();
        assert_eq!((summary.new, summary.revised, summary.unchanged), (20_000, 0, 0), "{}", db.name());
        let read = store.observations().await.unwrap();
        let values: Vec<&Observation> = read.iter().map(|o| &o.observation).collect();
        assert_eq!(values, expected.iter().collect::<Vec<_>>(), "{}", db.name());
        assert!(read.iter().all(|o| o.batch_id == summary.batch_id && o.revision == 1));
        let report = store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{}: {:?}", db.name(), report.problems);
        eprintln!("{}: 20 000 observations imported in {took:?}", db.name());
        seen.push((db.name(), (store.batches().await.unwrap(), store.audit_events().await.unwrap())));
        store.close().await;
    }
    same("the batch row and its audit event", &seen);
}

#[tokio::test]
async fn an_import_failing_midway_leaves_nothing_behind() {
    let (mut seen, mut refusals) = (Vec::new(), Vec::new());
    for db in backends().await {
        let store = seeded(&db).await;
        let name = db.name();
        let events_before = store.audit_events().await.unwrap();
        // Rows in key order: the unknown unit sorts last, after the good rows went in.
        let bad = batch(
            "TJJ",
            "坏批次.csv",
            vec![obs("GDP", "430100", "2023", "1", Final), obs("GDP", "ZZ9999", "2023", "2", Final)],
        );
        let flags = vec![NewFlag {
            series: String::new(),
            unit: String::new(),
            period: String::new(),
            code: "benford".into(),
            message: "首位数字分布异常".into(),
            prominent: false,
        }];
        let new = NewBatch { batch: &bad, reason: "", flags: &flags, mapping: Some(("sig", "m")) };
        let failed = outcome(store.import(&me(), new).await);
        let unknown_series = batch("TJJ", "y.csv", vec![obs("NOPE", "430100", "2023", "1", Final)]);
        let failed_series = outcome(store.import_batch(&me(), &unknown_series).await);
        // A batch from an unknown provider fails at its first row.
        let stranger = batch("NOBODY", "x.csv", vec![obs("GDP", "430100", "2023", "1", Final)]);
        let failed_provider = outcome(store.import_batch(&me(), &stranger).await);

        assert_eq!(store.batches().await.unwrap(), [], "{name}: no batch row");
        assert_eq!(store.observations().await.unwrap(), [], "{name}: no observations");
        assert_eq!(store.flags(None).await.unwrap(), [], "{name}: no flags");
        assert_eq!(store.mappings().await.unwrap(), [], "{name}: no mapping");
        assert_eq!(store.audit_events().await.unwrap(), events_before, "{name}: no audit event");
        assert_eq!(store.last_batch().await.unwrap(), 0);
        assert!(store.verify_audit().await.unwrap().is_intact());

        // The next good batch is stored as if the failures had never been.
        let good = batch("TJJ", "好批次.csv", vec![obs("GDP", "430100", "2023", "1", Final)]);
        let ok = store.import_batch(&me(), &good).await.unwrap();
        let after = (ok, store.batches().await.unwrap(), store.audit_events().await.unwrap());
        assert!(store.verify_audit().await.unwrap().is_intact());
        seen.push((name, after));
        store.close().await;
        assert_eq!(failed_provider, "database ForeignKeyViolation", "{name}");
        for r in [&failed, &failed_series] {
            assert!(!r.starts_with("ok"), "{name}: {r}");
        }
        refusals.push((name, [failed, failed_series, failed_provider]));
    }
    same("failed imports and the next one", &seen);
    // Compared last, once the database is closed, so that a difference fails the test cleanly.
    same("the refusals of batches naming an unknown unit, series, provider", &refusals);
}
