//! Data grants: requested, decided, listed and refused alike on both backends, each change in
//! the audit log.

use crate::*;
use jili_model::GrantStatus;
use jili_store::NewGrant;

fn request<'a>(series: &'a str, status: GrantStatus) -> NewGrant<'a> {
    NewGrant {
        year: 2024,
        measure: 1,
        series,
        owner: "CZT",
        grantee: "FGW",
        status,
        reason: "方案使用该数据项",
        basis: if status == GrantStatus::Granted { "湘财函〔2024〕12号" } else { "" },
    }
}

#[tokio::test]
async fn grants_are_requested_decided_and_refused_alike() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = seeded(&db).await;
        let name = db.name();
        assert_eq!(store.grants(None).await.unwrap(), [], "{name}");
        let a = store.add_grant(&me(), request("GEN_BUDGET_REV", GrantStatus::Requested)).await.unwrap();
        let b = store.add_grant(&me(), request("GDP", GrantStatus::Granted)).await.unwrap();
        assert_eq!((a, b), (1, 2), "{name}");
        let given = store.decide_grant(&who("2024-05-01T00:00:00Z"), a, GrantStatus::Granted, "同意").await.unwrap();
        assert_eq!(
            (given.status, given.basis.as_str(), given.decided_at.as_str()),
            (GrantStatus::Granted, "同意", "2024-05-01T00:00:00Z")
        );
        let again = outcome(store.decide_grant(&me(), a, GrantStatus::Declined, "").await);
        assert!(again.contains("不能改为“未同意”"), "{name}: {again}");
        let missing = outcome(store.decide_grant(&me(), 99, GrantStatus::Granted, "").await);
        assert!(missing.contains("没有编号为 99"), "{name}: {missing}");
        store.decide_grant(&me(), b, GrantStatus::Revoked, "改用公开数据").await.unwrap();
        let unknown = outcome(store.add_grant(&me(), request("NO_SUCH", GrantStatus::Requested)).await);
        assert!(!unknown.starts_with("ok"), "{name}: a grant of an unknown series is refused: {unknown}");
        let all = store.grants(Some(2024)).await.unwrap();
        assert_eq!(store.grants(Some(2023)).await.unwrap(), [], "{name}");
        let events: Vec<String> = store.audit_events().await.unwrap().into_iter().map(|e| e.action).collect();
        let grant_events: Vec<&String> = events.iter().filter(|a| a.starts_with("grant.")).collect();
        assert_eq!(grant_events, ["grant.request", "grant.record", "grant.granted", "grant.revoked"], "{name}");
        assert!(store.verify_audit().await.unwrap().is_intact(), "{name}");
        seen.push((name, (all, again, missing, unknown)));
    }
    same("grants", &seen);
}
