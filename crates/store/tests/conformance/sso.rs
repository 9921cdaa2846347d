//! Single sign-on as stored: logins under way used once, expired or over the limit refused,
//! and a provider's subject linked to one user, added once and brought up to date.

use crate::*;
use jili_store::{PendingSso, SsoUserChange};

fn pending(next: &str, expires_at: i64) -> PendingSso {
    PendingSso { nonce: "n-1".into(), verifier: "v-1".into(), next: next.into(), expires_at }
}

#[tokio::test]
async fn sso_logins_and_subjects_behave_alike() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        let name = db.name();
        let t = 1_700_000_000;
        // A login under way is taken once; an expired one is not given back.
        assert!(store.begin_sso("s1", &pending("/work", t + 600), t, 10).await.unwrap());
        assert!(store.begin_sso("s2", &pending("/work/plans", t + 10), t, 10).await.unwrap());
        let taken = store.take_sso("s1", t + 1).await.unwrap();
        assert_eq!(taken, Some(pending("/work", t + 600)), "{name}");
        assert_eq!(store.take_sso("s1", t + 2).await.unwrap(), None, "{name}: used once");
        assert_eq!(store.take_sso("s2", t + 10).await.unwrap(), None, "{name}: expired");
        assert_eq!(store.take_sso("s2", t).await.unwrap(), None, "{name}: taken even when expired");
        // Past the limit no more are added; expired ones make room.
        assert!(store.begin_sso("s3", &pending("/", t + 100), t, 2).await.unwrap());
        assert!(store.begin_sso("s4", &pending("/", t + 100), t, 2).await.unwrap());
        assert!(!store.begin_sso("s5", &pending("/", t + 100), t, 2).await.unwrap(), "{name}: full");
        assert!(store.begin_sso("s6", &pending("/", t + 300), t + 100, 2).await.unwrap(), "{name}: expired removed");

        // A subject's first login adds its user; the same claims change nothing; new ones
        // update the user, which stays one user.
        let mut u = user("sso.li", "lead");
        u.scope = "FGW".into();
        u.password = "!sso".into();
        let (stored, change) = store.sso_user(&me(), "https://idp", "sub-1", &u).await.unwrap();
        assert_eq!((stored.name.as_str(), change), ("sso.li", SsoUserChange::Added), "{name}");
        let (_, again) = store.sso_user(&me(), "https://idp", "sub-1", &u).await.unwrap();
        assert_eq!(again, SsoUserChange::Same);
        let moved =
            StoredUser { role: "provider".into(), scope: "TJJ".into(), name: "sso.li-renamed".into(), ..u.clone() };
        let (now, change) = store.sso_user(&me(), "https://idp", "sub-1", &moved).await.unwrap();
        assert_eq!((now.name.as_str(), now.role.as_str(), now.scope.as_str()), ("sso.li", "provider", "TJJ"), "{name}");
        assert_eq!(change, SsoUserChange::Updated { before: "lead（FGW）".into() });
        assert_eq!(store.sso_user_name("https://idp", "sub-1").await.unwrap().as_deref(), Some("sso.li"));
        assert_eq!(store.sso_user_name("https://idp", "sub-2").await.unwrap(), None);
        // Another subject cannot take a name that is in use.
        let taken = outcome(store.sso_user(&me(), "https://idp", "sub-2", &u).await);
        assert!(taken.starts_with("conflict "), "{name}: {taken}");
        let actions: Vec<String> = store.audit_events().await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["user.add", "user.sso"], "{name}");
        assert!(store.verify_audit().await.unwrap().is_intact(), "{name}");
        seen.push((name, (taken, store.users().await.unwrap(), store.audit_events().await.unwrap())));
        store.close().await;
    }
    same("single sign-on", &seen);
}
