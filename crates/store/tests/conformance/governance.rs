//! Runs, budgets, publications, commendations, overrides, users, web sessions, failed logins
//! and notes on flags.

use crate::*;

fn run(result: &str, data_batch: i64, seed: u64) -> NewRun<'_> {
    NewRun {
        year: 2024,
        measure: 1,
        plan_version: 1,
        plan_sha256: "plan-sha",
        data_sha256: "data-sha",
        seed,
        samples: 500,
        result,
        data_batch,
        engine: "0.1.0",
    }
}

#[tokio::test]
async fn runs_overrides_budgets_publications_and_commendations_behave_alike() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = seeded(&db).await;
        let name = db.name();
        assert_eq!(store.latest_run(2024, 1).await.unwrap(), None);
        assert_eq!((store.run_count().await.unwrap(), store.newest_runs(5).await.unwrap()), (0, vec![]));
        assert_eq!(store.latest_publication_version(2024).await.unwrap(), None, "{name}");
        let a = store.add_run(&me(), run("{\"a\":1}", 0, u64::MAX)).await.unwrap();
        let b = store.add_run(&who("2024-03-02T00:00:00Z"), run("{\"b\":2}", 0, 42)).await.unwrap();
        assert_eq!((a, b), (1, 2), "{name}");
        let first = store.run(a).await.unwrap().unwrap();
        assert_eq!(first.seed as u64, u64::MAX, "{name}: the seed's bits survive");
        assert_eq!(first.data_batch, Some(0));
        assert_eq!(store.latest_run(2024, 1).await.unwrap().unwrap().id, b);
        assert_eq!(store.latest_run(2024, 2).await.unwrap(), None);
        assert_eq!(store.run(99).await.unwrap(), None);
        let runs = store.runs().await.unwrap();
        assert_eq!(store.run_count().await.unwrap(), 2, "{name}");
        let newest = store.newest_runs(1).await.unwrap();
        assert_eq!(newest.iter().map(|r| r.id).collect::<Vec<_>>(), [b], "{name}: the newest first");
        assert_eq!(store.newest_runs(5).await.unwrap(), runs.iter().rev().cloned().collect::<Vec<_>>());

        let o1 = store.add_override(&me(), a, "430100", "winner", "复核后列入").await.unwrap();
        let o2 = store.add_override(&me(), a, "430200", "not", "数据造假").await.unwrap();
        let overrides = store.overrides(a).await.unwrap();
        assert_eq!(
            overrides.iter().map(|o| (o.id, o.outcome.as_str())).collect::<Vec<_>>(),
            [(o1, "winner"), (o2, "not")]
        );
        assert_eq!(store.overrides(b).await.unwrap(), []);

        assert_eq!(store.budget(2024, 1).await.unwrap(), None);
        store.put_budget(&me(), 2024, 1, "1000", "湘财预〔2024〕1号").await.unwrap();
        store.put_budget(&me(), 2024, 1, "1000", "湘财预〔2024〕1号").await.unwrap();
        store.put_budget(&me(), 2024, 1, "1000.00", "湘财预〔2024〕2号").await.unwrap();
        assert_eq!(store.budget(2024, 1).await.unwrap(), Some(("1000.00".into(), "湘财预〔2024〕2号".into())));

        let p1 = store.add_publication(&me(), 2024, "首次发布", "{\"demo\":true}").await.unwrap();
        let p2 = store.add_publication(&me(), 2024, "更正", "{\"demo\":false}").await.unwrap();
        let p3 = store.add_publication(&me(), 2023, "补发", "{}").await.unwrap();
        assert_eq!((p1.1, p2.1, p3.1), (1, 2, 1), "{name}: versions count per year");
        let versions = (
            store.latest_publication_version(2024).await.unwrap(),
            store.latest_publication_version(2023).await.unwrap(),
            store.latest_publication_version(2025).await.unwrap(),
        );
        assert_eq!(versions, (Some(2), Some(1), None), "{name}");
        let publications = store.publications(2024).await.unwrap();
        assert_eq!(publications.iter().map(|p| p.reason.as_str()).collect::<Vec<_>>(), ["首次发布", "更正"]);
        let heads = store.publication_heads().await.unwrap();
        assert_eq!(heads.len(), 3);
        assert!(heads[0].starts_with("2023/1/") && heads[2].starts_with("2024/2/"), "{name}: {heads:?}");

        let c1 = store.add_commendation(&me(), 2024, "430300", "国务院综合督查", "演示：经验").await.unwrap();
        let c2 = store.add_commendation(&me(), 2024, "YQ001", "省政府综合督查", "园区做法").await.unwrap();
        let commendations = store.commendations(2024).await.unwrap();
        assert_eq!(commendations.iter().map(|c| c.id).collect::<Vec<_>>(), [c1, c2]);
        assert_eq!(store.commendations(2023).await.unwrap(), []);
        // Refusals last: on PostgreSQL a refused insert still uses up an id of the table's
        // sequence (sequences do not roll back), so ids after it would differ from SQLite's.
        let bad = [
            outcome(store.add_override(&me(), 99, "430100", "winner", "无此运行").await),
            outcome(store.add_override(&me(), a, "NOPE", "winner", "无此单位").await),
            outcome(store.add_commendation(&me(), 2024, "NOPE", "省政府综合督查", "x").await),
        ];
        for r in &bad {
            assert_eq!(r, "database ForeignKeyViolation", "{name}");
        }
        // Demo commendations and demo publications are not office records; the rest are.
        let records = store.office_records().await.unwrap();
        assert_eq!(records, [("发布", 2), ("通报表扬", 1), ("结果更正", 2)], "{name}");
        let report = store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{name}: {:?}", report.problems);
        let ids = (a, b, o1, o2, c1, c2, p1, p2, p3);
        seen.push((
            name,
            (ids, bad, runs, overrides, publications, heads, commendations, store.audit_events().await.unwrap()),
        ));
        store.close().await;
    }
    same("governance records", &seen);
}

#[tokio::test]
async fn users_sessions_and_login_failures_behave_alike() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        let name = db.name();
        for (u, role) in [("zhang", "office"), ("Wang", "auditor"), ("李四", "unit"), ("demo-fgw", "lead")] {
            store.add_user(&me(), &user(u, role)).await.unwrap();
        }
        let mut refusals = vec![outcome(store.add_user(&me(), &user("zhang", "unit")).await)];
        refusals.push(outcome(store.set_user_disabled(&me(), "nobody", true).await));
        refusals.push(outcome(store.set_user_disabled(&me(), "zhang", false).await));
        store.set_user_disabled(&me(), "Wang", true).await.unwrap();
        refusals.push(outcome(store.set_user_disabled(&me(), "Wang", true).await));
        assert!(refusals.iter().all(|r| r.starts_with("conflict ")), "{name}: {refusals:?}");
        let users = store.users().await.unwrap();
        let names: Vec<&str> = users.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["Wang", "demo-fgw", "zhang", "李四"], "{name}: byte order");
        assert!(store.user("Wang").await.unwrap().unwrap().disabled);
        assert_eq!(store.user("wang").await.unwrap(), None, "{name}: names are case-sensitive");
        assert_eq!(store.office_records().await.unwrap(), [("用户", 3)]);

        // Sessions: live until they expire, and only for an enabled user.
        let t = 1_700_000_000;
        store.create_session("h1", "zhang", "c1", t, t + 100).await.unwrap();
        store.create_session("h2", "Wang", "c2", t, t + 100).await.unwrap();
        let no_user = outcome(store.create_session("h3", "nobody", "c3", t, t + 100).await);
        let duplicate = outcome(store.create_session("h1", "zhang", "c4", t, t + 100).await);
        let live = store.session("h1", t + 99).await.unwrap().unwrap();
        assert_eq!((live.user.name.as_str(), live.csrf.as_str()), ("zhang", "c1"));
        assert_eq!(store.session("h1", t + 100).await.unwrap(), None, "{name}: expired");
        assert_eq!(store.session("h2", t + 1).await.unwrap(), None, "{name}: disabled user");
        assert_eq!(store.session("nope", t).await.unwrap(), None);
        // A new session clears expired ones; ending a session twice is fine.
        store.create_session("h4", "zhang", "c5", t + 200, t + 300).await.unwrap();
        store.set_user_disabled(&me(), "Wang", false).await.unwrap();
        assert_eq!(store.session("h2", t + 1).await.unwrap(), None, "{name}: expired sessions were removed");
        store.end_session("h4").await.unwrap();
        store.end_session("h4").await.unwrap();
        assert_eq!(store.session("h4", t + 201).await.unwrap(), None);

        // Failed logins: counted since a time, forgotten on request, pruned after a day.
        let day = 86_400;
        let f1 = store.record_login_failure("zhang", t).await.unwrap();
        let f2 = store.record_login_failure("zhang", t + 10).await.unwrap();
        store.record_login_failure("10.0.0.1", t + 10).await.unwrap();
        assert_eq!(store.login_failures("zhang", t).await.unwrap(), 2);
        assert_eq!(store.login_failures("zhang", t + 5).await.unwrap(), 1);
        store.forget_login_attempts(&[f2, 12345]).await.unwrap();
        assert_eq!(store.login_failures("zhang", 0).await.unwrap(), 1);
        store.record_login_failure("other", t + day + 1).await.unwrap();
        assert_eq!(store.login_failures("zhang", 0).await.unwrap(), 0, "{name}: older than a day");
        assert_eq!(store.login_failures("10.0.0.1", 0).await.unwrap(), 1);
        assert_ne!(f1, f2);

        // Sessions and failed logins are not records: only the user changes are in the log.
        let actions: Vec<String> = store.audit_events().await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["user.add", "user.add", "user.add", "user.add", "user.disable", "user.enable"]);
        assert!(store.verify_audit().await.unwrap().is_intact());
        seen.push((name, (refusals, users, no_user, duplicate, store.audit_events().await.unwrap())));
        store.close().await;
    }
    same("users, sessions and their refusals", &seen);
}

#[tokio::test]
async fn notes_on_flags_behave_alike() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = seeded(&db).await;
        let flag = NewFlag {
            series: "GDP".into(),
            unit: "430100".into(),
            period: "2023".into(),
            code: "jump".into(),
            message: "跳变".into(),
            prominent: true,
        };
        let flags = [flag.clone(), NewFlag { prominent: false, ..flag }];
        let b = batch("TJJ", "f.csv", vec![obs("GDP", "430100", "2023", "1", Status::Final)]);
        let batch_id = store
            .import(&me(), NewBatch { batch: &b, reason: "", flags: &flags, mapping: None })
            .await
            .unwrap()
            .batch_id;
        let stored = store.flags(Some(batch_id)).await.unwrap();
        assert_eq!(stored.iter().map(|f| f.prominent).collect::<Vec<_>>(), [true, false]);
        let missing = outcome(store.add_flag_note(&me(), 999, "无此提示").await);
        assert!(missing.starts_with("conflict 没有编号为 999 的异常提示"), "{}: {missing}", db.name());
        let n1 = store.add_flag_note(&me(), stored[1].id, "口径调整").await.unwrap();
        let n2 = store.add_flag_note(&me(), stored[0].id, "已核实").await.unwrap();
        let notes = store.flag_notes().await.unwrap();
        assert_eq!(
            notes.iter().map(|n| (n.id, n.flag_id)).collect::<Vec<_>>(),
            [(n1, stored[1].id), (n2, stored[0].id)]
        );
        assert!(store.verify_audit().await.unwrap().is_intact());
        seen.push((db.name(), (stored, missing, notes, store.audit_events().await.unwrap())));
        store.close().await;
    }
    same("flags and notes", &seen);
}
