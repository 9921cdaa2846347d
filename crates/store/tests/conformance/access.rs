//! Sessions ended by disabling a user, by a new password and by logging out everywhere; the
//! access log written and searched.

use crate::*;

const T: i64 = 1_700_000_000;

#[tokio::test]
async fn a_token_from_before_a_user_was_disabled_does_not_come_back() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        let name = db.name();
        store.add_user(&me(), &user("zhang", "office")).await.unwrap();
        store.add_user(&me(), &user("li", "lead")).await.unwrap();
        store.create_session("li-phone", "li", "c1", T, T + 3600).await.unwrap();
        store.create_session("li-desk", "li", "c2", T, T + 3600).await.unwrap();
        store.create_session("zhang-desk", "zhang", "c3", T, T + 3600).await.unwrap();
        assert!(store.session("li-desk", T + 1).await.unwrap().is_some(), "{name}");

        store.set_user_disabled(&me(), "li", true).await.unwrap();
        store.set_user_disabled(&me(), "li", false).await.unwrap();
        // Enabled again, within the sessions' lifetime: the old tokens are gone for good.
        assert_eq!(store.session("li-phone", T + 2).await.unwrap(), None, "{name}");
        assert_eq!(store.session("li-desk", T + 2).await.unwrap(), None, "{name}");
        let other = store.session("zhang-desk", T + 2).await.unwrap().map(|s| s.user.name);
        assert_eq!(other.as_deref(), Some("zhang"), "{name}: another user's session is untouched");
        // A new login after enabling works as ever.
        store.create_session("li-new", "li", "c4", T + 3, T + 3600).await.unwrap();
        assert!(store.session("li-new", T + 4).await.unwrap().is_some(), "{name}");
        let report = store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{name}: {:?}", report.problems);
        seen.push((name, store.audit_events().await.unwrap()));
        store.close().await;
    }
    same("disabling and enabling", &seen);
}

#[tokio::test]
async fn a_new_password_ends_the_other_sessions_and_is_audited_without_the_hash() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        let name = db.name();
        store.add_user(&me(), &user("li", "lead")).await.unwrap();
        store.add_user(&me(), &user("wang", "auditor")).await.unwrap();
        for (token, who) in [("a", "li"), ("b", "li"), ("c", "li"), ("w", "wang")] {
            store.create_session(token, who, "csrf", T, T + 3600).await.unwrap();
        }
        // As long as a real one (97 characters): the seal keeps a digest of it, not the text.
        let new_hash =
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRmb3JqaWxp$2kq0H5sB8r6O0m6c8B7Oq6mY2m8j5dV3n2t0sV8Qx0E";
        // The user changes their own from session "a": the others end, "a" stays.
        let ended = store.set_password(&who("2024-03-02T00:00:00Z"), "li", new_hash, false, Some("a")).await.unwrap();
        assert_eq!(ended, 2, "{name}");
        assert!(store.session("a", T + 1).await.unwrap().is_some(), "{name}: the changing session stays");
        assert_eq!(store.session("b", T + 1).await.unwrap(), None, "{name}");
        assert_eq!(store.user("li").await.unwrap().unwrap().password, new_hash);
        // The office resets it: every session of the user ends, the other user's stay.
        let ended =
            store.set_password(&who("2024-03-03T00:00:00Z"), "li", "$argon2id$reset", true, None).await.unwrap();
        assert_eq!(ended, 1, "{name}");
        assert_eq!(store.session("a", T + 1).await.unwrap(), None, "{name}");
        assert!(store.session("w", T + 1).await.unwrap().is_some(), "{name}");
        let unknown = outcome(store.set_password(&me(), "nobody", new_hash, true, None).await);
        assert!(unknown.starts_with("conflict 没有用户“nobody”"), "{name}: {unknown}");

        // Logging out everywhere, or everywhere else.
        for token in ["d", "e"] {
            store.create_session(token, "li", "csrf", T, T + 3600).await.unwrap();
        }
        assert_eq!(store.end_sessions_of("li", Some("d")).await.unwrap(), 1, "{name}");
        assert!(store.session("d", T + 1).await.unwrap().is_some());
        assert_eq!(store.end_sessions_of("li", None).await.unwrap(), 1, "{name}");
        assert_eq!(store.end_sessions_of("li", None).await.unwrap(), 0, "{name}: nothing left");
        assert!(store.session("w", T + 1).await.unwrap().is_some(), "{name}");

        let events = store.audit_events().await.unwrap();
        let changes: Vec<(&str, &str, &str)> = events
            .iter()
            .filter(|e| e.action.starts_with("user.") && e.action != "user.add")
            .map(|e| (e.action.as_str(), e.subject.as_str(), e.detail.as_str()))
            .collect();
        assert_eq!(
            changes,
            [
                ("user.password", "user/li", "本人修改密码；结束其他会话 2 个"),
                ("user.reset", "user/li", "重置密码；结束其会话 1 个")
            ],
            "{name}"
        );
        for e in &events {
            assert!(
                !e.detail.contains("argon2") && !e.content.contains("2kq0H5sB8r6O0m6c8B7Oq6mY2m8j"),
                "{name}: {e:?}"
            );
        }
        let report = store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{name}: {:?}", report.problems);
        seen.push((name, events));
        store.close().await;
    }
    same("password changes", &seen);
}

fn row<'a>(at: &'a str, user: &'a str, client: &'a str, event: &'a str, outcome: &'a str) -> NewAccess<'a> {
    NewAccess {
        at,
        user_name: user,
        role: if user == "zhang" { "office" } else { "" },
        scope: "",
        client,
        event,
        target: "/work/users",
        outcome,
        detail: "说明，含\"引号\"与\n换行",
    }
}

#[tokio::test]
async fn the_access_log_is_written_and_searched_alike() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        let name = db.name();
        let rows = [
            row("2024-05-01T00:00:00Z", "zhang", "10.0.0.5", "login", "ok"),
            row("2024-05-01T08:00:00Z", "Zhang", "10.0.0.50", "login", "unknown_user"),
            row("2024-05-02T00:00:00Z", "zhang", "10.0.1.9", "refused", "denied"),
            row("2024-05-03T23:59:59Z", "li", "2001:db8::7", "login", "wrong_password"),
            row("2024-05-04T00:00:00Z", "zhang", "10.0.0.5", "logout", "ok"),
        ];
        let mut ids = Vec::new();
        for r in &rows {
            ids.push(store.record_access(r).await.unwrap());
        }
        assert_eq!(ids, [1, 2, 3, 4, 5], "{name}");
        let q = |f: &dyn Fn(&mut AccessQuery)| {
            let mut q = AccessQuery { limit: 100, ..AccessQuery::default() };
            f(&mut q);
            q
        };
        let ids_of = |entries: Vec<jili_store::AccessEntry>| entries.into_iter().map(|e| e.id).collect::<Vec<_>>();
        let everything = store.access_log(&q(&|_| {})).await.unwrap();
        assert_eq!(everything.iter().map(|e| e.id).collect::<Vec<_>>(), [5, 4, 3, 2, 1], "{name}: newest first");
        assert_eq!(everything[4].detail, "说明，含\"引号\"与\n换行");
        let searches = [
            ("user, exactly and case-sensitively", q(&|q| q.user = "zhang".into()), vec![5, 3, 1]),
            ("event", q(&|q| q.event = "login".into()), vec![4, 2, 1]),
            ("outcome", q(&|q| q.outcome = "ok".into()), vec![5, 1]),
            ("client, exactly", q(&|q| q.client = "10.0.0.5".into()), vec![5, 1]),
            ("client prefix", q(&|q| q.client_prefix = "10.0.0.".into()), vec![5, 2, 1]),
            ("client prefix, IPv6", q(&|q| q.client_prefix = "2001:".into()), vec![4]),
            ("from (inclusive)", q(&|q| q.from = "2024-05-02T00:00:00Z".into()), vec![5, 4, 3]),
            ("to (exclusive)", q(&|q| q.to = "2024-05-02T00:00:00Z".into()), vec![2, 1]),
            (
                "all at once",
                q(&|q| {
                    q.user = "zhang".into();
                    q.event = "login".into();
                    q.outcome = "ok".into();
                    q.client_prefix = "10.".into();
                    q.from = "2024-04-30T16:00:00Z".into();
                    q.to = "2024-05-01T16:00:00Z".into();
                }),
                vec![1],
            ),
            ("a page", q(&|q| (q.limit, q.offset) = (2, 1)), vec![4, 3]),
            ("past the end", q(&|q| q.offset = 10), vec![]),
            ("nothing", q(&|q| q.user = "nobody".into()), vec![]),
        ];
        let mut found = Vec::new();
        for (what, query, want) in searches {
            let got = ids_of(store.access_log(&query).await.unwrap());
            assert_eq!(got, want, "{name}: {what}");
            let count = store.access_log_count(&query).await.unwrap();
            let unpaged =
                ids_of(store.access_log(&AccessQuery { limit: 100, offset: 0, ..query.clone() }).await.unwrap());
            assert_eq!(count as usize, unpaged.len(), "{name}: {what}: the count ignores the page");
            found.push((what, got, count));
        }
        // Once per client, outcome and window.
        let limited =
            NewAccess { outcome: "too_many_attempts", ..row("2024-05-05T00:00:00Z", "li", "10.9.9.9", "login", "") };
        let once = [
            store.record_access_once(&limited, "2024-05-04T23:45:00Z").await.unwrap(),
            store
                .record_access_once(&NewAccess { at: "2024-05-05T00:01:00Z", ..limited }, "2024-05-04T23:46:00Z")
                .await
                .unwrap(),
            store
                .record_access_once(&NewAccess { client: "10.9.9.8", ..limited }, "2024-05-04T23:45:00Z")
                .await
                .unwrap(),
            store
                .record_access_once(&NewAccess { at: "2024-05-05T00:20:00Z", ..limited }, "2024-05-05T00:05:00Z")
                .await
                .unwrap(),
        ];
        assert_eq!(once, [true, false, true, true], "{name}");
        let q = AccessQuery { outcome: "too_many_attempts".into(), limit: 10, ..AccessQuery::default() };
        assert_eq!(store.access_log_count(&q).await.unwrap(), 3, "{name}");
        // Not records: the audit log has nothing of it, and verification is untroubled.
        assert!(store.audit_events().await.unwrap().is_empty(), "{name}");
        let report = store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{name}: {:?}", report.problems);
        assert!(!store.is_empty().await.unwrap(), "{name}: the access log is content a copy must not overwrite");
        seen.push((name, (everything, found)));
        store.close().await;
    }
    same("the access log", &seen);
}
