//! Reference data and the programme.

use crate::*;

#[tokio::test]
async fn reference_data_reads_back_in_byte_order_and_is_replaced_by_code() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        store.put_reference(&me(), &departments(), &units(3), &series()).await.unwrap();
        // Byte order: upper case before lower case, digits before letters.
        let codes = |v: Vec<String>| v.join(" ");
        let depts = store.departments().await.unwrap();
        assert_eq!(codes(depts.iter().map(|d| d.code.clone()).collect()), "CZT FGW TJJ kjt", "{}", db.name());
        let units_read = store.units().await.unwrap();
        assert_eq!(
            codes(units_read.iter().map(|u| u.code.clone()).collect()),
            "430000 430100 430200 430300 YQ001",
            "{}",
            db.name()
        );
        let mut expected = units(3);
        expected.sort_by(|a, b| a.code.cmp(&b.code));
        assert_eq!(units_read, expected, "{}", db.name());
        let series_read = store.series().await.unwrap();
        assert_eq!(
            codes(series_read.iter().map(|s| s.code.clone()).collect()),
            "GDP GEN_BUDGET_REV IND_VA_GROWTH gdp_pc",
            "{}",
            db.name()
        );
        assert_eq!(series_read.iter().find(|s| s.code == "gdp_pc").unwrap(), &one_series("gdp_pc", "TJJ"));

        // Loading again replaces rows with the same code and keeps the others.
        let mut renamed = units(3);
        renamed[2].name = "改名市".into();
        renamed[2].plate = None;
        renamed[2].valid_to = Some("2024-12-31".into());
        store.put_reference(&who("2024-03-02T08:00:00Z"), &[], &renamed[2..3], &[]).await.unwrap();
        let after = store.units().await.unwrap();
        assert_eq!(after.len(), 5);
        assert_eq!(after.iter().find(|u| u.code == renamed[2].code).unwrap(), &renamed[2]);
        let events = store.audit_events().await.unwrap();
        assert_eq!(events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["reference.load"; 2]);
        assert_eq!(events[1].detail, "部门 0 个，单位 1 个，数据项 0 个");
        assert!(store.verify_audit().await.unwrap().is_intact());
        seen.push((db.name(), (depts, after, series_read, events)));
        store.close().await;
    }
    same("reference data and its audit events", &seen);
}

#[tokio::test]
async fn reference_data_breaking_a_foreign_key_is_refused_whole() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        // A series owned by no department: refused at once.
        let orphan = one_series("ORPHAN", "NOPE");
        let r1 = outcome(store.put_reference(&me(), &departments(), &units(1), &[orphan]).await);
        // A unit whose parent is missing: the check is deferred to the commit on both.
        let lost = unit("439900", "无上级", Level::City, Some("999999"));
        let r2 = outcome(store.put_reference(&me(), &departments(), &[lost], &[]).await);
        // A measure led by an unknown department.
        store.put_reference(&me(), &departments(), &units(1), &[]).await.unwrap();
        let mut p = programme(2024);
        p.measures[1].lead = "省不存在厅".into();
        let r3 = outcome(store.put_programme(&me(), &p).await);
        assert_eq!(r1, "database ForeignKeyViolation", "{}", db.name());
        assert_eq!(r2, "database ForeignKeyViolation", "{}", db.name());
        assert_eq!(r3, "database ForeignKeyViolation", "{}", db.name());
        // Nothing of the refused calls is stored, and no event records them.
        assert!(store.series().await.unwrap().is_empty());
        assert_eq!(store.units().await.unwrap().len(), 3);
        assert_eq!(store.programme(2024).await.unwrap(), None);
        assert_eq!(store.programme_years().await.unwrap(), Vec::<i32>::new());
        assert_eq!(store.audit_events().await.unwrap().len(), 1);
        assert!(store.verify_audit().await.unwrap().is_intact());
        seen.push((db.name(), (r1, r2, r3, store.audit_events().await.unwrap())));
        store.close().await;
    }
    same("refusals", &seen);
}

#[tokio::test]
async fn programmes_are_stored_replaced_and_listed_newest_first() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        store.put_reference(&me(), &departments(), &units(1), &series()).await.unwrap();
        assert_eq!(store.programme(2024).await.unwrap(), None);
        store.put_programme(&me(), &programme(2024)).await.unwrap();
        store.put_programme(&me(), &programme(2025)).await.unwrap();
        let mut fewer = programme(2024);
        fewer.measures.truncate(1);
        fewer.title = "修订后的方案".into();
        store.put_programme(&who("2024-06-01T00:00:00Z"), &fewer).await.unwrap();
        assert_eq!(store.programme(2024).await.unwrap(), Some(fewer.clone()), "{}", db.name());
        assert_eq!(store.programme(2025).await.unwrap(), Some(programme(2025)));
        assert_eq!(store.programme(2023).await.unwrap(), None);
        assert_eq!(store.programme_years().await.unwrap(), [2025, 2024]);
        let report = store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{}: {:?}", db.name(), report.problems);
        let subjects: Vec<String> = store.audit_events().await.unwrap().into_iter().map(|e| e.subject).collect();
        assert_eq!(subjects, ["reference", "programme/2024", "programme/2025", "programme/2024"]);
        seen.push((db.name(), (store.audit_events().await.unwrap(), report)));
        store.close().await;
    }
    same("programme history", &seen);
}
