//! Plans, their versions and their review steps.

use crate::*;
use jili_model::PlanStatus::{self, Draft, Published, Returned, Submitted};

fn step<'a>(version: i64, to: PlanStatus) -> PlanStep<'a> {
    PlanStep { year: 2024, measure: 1, version, to, comment: "", checked_sha256: None }
}

fn plan<'a>(measure: u32, toml: &'a str) -> NewPlan<'a> {
    NewPlan { year: 2024, measure, status: Draft, example: measure == 2, source_name: "plan.toml", toml }
}

#[tokio::test]
async fn plan_versions_and_review_steps_behave_alike() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = seeded(&db).await;
        let name = db.name();
        assert_eq!(store.plan(2024, 1).await.unwrap(), None);
        assert_eq!(store.add_plan(&me(), plan(1, "v1")).await.unwrap(), 1);
        assert_eq!(store.add_plan(&me(), plan(1, "v2")).await.unwrap(), 2);
        assert_eq!(store.add_plan(&me(), plan(2, "m2")).await.unwrap(), 1);
        // A measure the programme does not have.
        let missing = outcome(store.add_plan(&me(), plan(9, "x")).await);
        assert_eq!(missing, "database ForeignKeyViolation", "{name}");

        store.update_draft(&me(), 2024, 1, 2, "edited.toml", "v2 edited").await.unwrap();
        let v2 = store.plan(2024, 1).await.unwrap().unwrap();
        assert_eq!((v2.version, v2.toml.as_str(), v2.source_name.as_str()), (2, "v2 edited", "edited.toml"));

        let mut refusals = Vec::new();
        let checked = Some("0000");
        let stale = PlanStep { checked_sha256: checked, ..step(2, Submitted) };
        refusals.push(outcome(store.plan_step(&me(), stale).await));
        let fresh = PlanStep { checked_sha256: Some(&v2.sha256), ..step(2, Submitted) };
        store.plan_step(&me(), fresh).await.unwrap();
        refusals.push(outcome(store.update_draft(&me(), 2024, 1, 2, "x.toml", "late edit").await));
        refusals.push(outcome(store.plan_step(&me(), step(2, Submitted)).await));
        refusals.push(outcome(store.plan_step(&me(), step(2, Published)).await));
        refusals.push(outcome(store.plan_step(&me(), step(7, Submitted)).await));
        let back = PlanStep { comment: "请补充数据来源", ..step(2, Returned) };
        store.plan_step(&who("2024-03-02T08:00:00Z"), back).await.unwrap();
        for r in &refusals {
            assert!(r.starts_with("conflict "), "{name}: {r}");
        }
        assert!(refusals[1].contains("不是草稿"), "{name}: {}", refusals[1]);

        let versions = store.plan_versions(2024, 1).await.unwrap();
        assert_eq!(versions.iter().map(|p| p.status.as_str()).collect::<Vec<_>>(), ["draft", "returned"]);
        let reviews = store.plan_reviews(2024, 1).await.unwrap();
        assert_eq!(reviews.iter().map(|r| r.step.as_str()).collect::<Vec<_>>(), ["submitted", "returned"]);
        assert_eq!(reviews[1].comment, "请补充数据来源");
        assert_eq!(reviews[1].at, "2024-03-02T08:00:00Z");
        let newest = store.plans(2024).await.unwrap();
        assert_eq!(
            newest.iter().map(|p| (p.measure, p.version, p.example)).collect::<Vec<_>>(),
            [(1, 2, false), (2, 1, true)]
        );
        assert_eq!(store.plans(2025).await.unwrap(), []);
        assert_eq!(Returned.label(), "已退回修改");
        let report = store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{name}: {:?}", report.problems);
        seen.push((name, (missing, refusals, versions, reviews, newest, store.audit_events().await.unwrap())));
        store.close().await;
    }
    same("plans, refusals, reviews and the audit log", &seen);
}
