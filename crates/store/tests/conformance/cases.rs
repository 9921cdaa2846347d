//! Verification cases: opened, stepped, refused and waived alike on both backends, each step in
//! the audit log and sealed with the case.

use crate::*;
use jili_model::{CaseStatus, CaseStep};
use jili_store::NewCaseStep;

fn step(step: CaseStep, text: &str) -> NewCaseStep<'_> {
    NewCaseStep { step, text, batch_id: None, evidence: "" }
}

/// A seeded store with one batch of two flags; returns the flags' ids.
async fn flagged(store: &Store) -> Vec<i64> {
    let flag = |unit: &str| NewFlag {
        series: "GDP".into(),
        unit: unit.into(),
        period: "2023".into(),
        code: "outlier-in-group".into(),
        message: "明显高于同组".into(),
        prominent: false,
    };
    let flags = [flag("430100"), flag("430200")];
    let b = batch("TJJ", "tjj.csv", vec![obs("GDP", "430100", "2023", "900", Status::Final)]);
    let id =
        store.import(&me(), NewBatch { batch: &b, reason: "", flags: &flags, mapping: None }).await.unwrap().batch_id;
    store.flags(Some(id)).await.unwrap().iter().map(|f| f.id).collect()
}

#[tokio::test]
async fn a_case_steps_forward_and_refuses_alike() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = seeded(&db).await;
        let name = db.name();
        let flags = flagged(&store).await;
        let none = outcome(store.open_case(&me(), "空", "TJJ", &[], "").await);
        let missing = outcome(store.open_case(&me(), "无此疑点", "TJJ", &[99], "").await);
        let id = store.open_case(&me(), "GDP 核查", "TJJ", &flags, "两个市州同时偏高").await.unwrap();
        assert_eq!(id, 1, "{name}");
        let busy = outcome(store.open_case(&me(), "重复", "TJJ", &flags[..1], "").await);
        assert!(busy.contains("已在未办结的核查案件 1"), "{name}: {busy}");
        let early = outcome(store.add_case_step(&me(), id, step(CaseStep::Answer, "未询问先答复")).await);
        assert!(early.contains("不能再答复"), "{name}: {early}");
        let q = store.add_case_step(&who("2024-05-01T00:00:00Z"), id, step(CaseStep::Query, "请说明")).await.unwrap();
        assert_eq!(q.status, CaseStatus::Queried, "{name}");
        let answer = NewCaseStep { batch_id: Some(1), ..step(CaseStep::Answer, "数值属实") };
        store.add_case_step(&me(), id, answer).await.unwrap();
        let closed =
            store.add_case_step(&who("2024-05-02T00:00:00Z"), id, step(CaseStep::Explain, "说明合理")).await.unwrap();
        assert_eq!(
            (closed.status, closed.closed_at.as_str()),
            (CaseStatus::Explained, "2024-05-02T00:00:00Z"),
            "{name}"
        );
        let after = outcome(store.add_case_step(&me(), id, step(CaseStep::Refer, "再移送")).await);
        assert!(after.contains("现为“已说明”"), "{name}: {after}");
        let unknown = outcome(store.add_case_step(&me(), 7, step(CaseStep::Query, "?")).await);
        assert!(unknown.contains("没有编号为 7"), "{name}: {unknown}");
        // Resolved: its flags may go into a new case, which a publication request can waive.
        let again = store.open_case(&me(), "再次核查", "TJJ", &flags[..1], "").await.unwrap();
        let request = store.add_publication_request_waiving(&me(), 2024, "", "不影响入选", &[again]).await.unwrap();
        let refused = outcome(store.add_publication_request_waiving(&me(), 2024, "", "x", &[id]).await);
        assert!(refused.contains("现为“已说明”"), "{name}: {refused}");
        assert_eq!(store.publication_requests().await.unwrap().len(), 1, "{name}: the refused request is not kept");
        let record = store.case(id).await.unwrap().unwrap();
        let steps: Vec<CaseStep> = record.steps.iter().map(|s| s.step).collect();
        assert_eq!(steps, [CaseStep::Open, CaseStep::Query, CaseStep::Answer, CaseStep::Explain], "{name}");
        assert_eq!(record.flags.len(), 2, "{name}");
        let waived = store.case(again).await.unwrap().unwrap();
        assert_eq!(waived.steps.last().map(|s| (s.step, s.request_id)), Some((CaseStep::Waive, Some(request))));
        assert_eq!(waived.case.status, CaseStatus::Open, "{name}: a waiver leaves the case open");
        let events: Vec<String> = store.audit_events().await.unwrap().into_iter().map(|e| e.action).collect();
        let case_events: Vec<&String> = events.iter().filter(|a| a.starts_with("case.")).collect();
        assert_eq!(
            case_events,
            ["case.open", "case.query", "case.answer", "case.explain", "case.open", "case.waive"],
            "{name}"
        );
        assert!(store.verify_audit().await.unwrap().is_intact(), "{name}");
        seen.push((
            name,
            (
                none,
                missing,
                busy,
                early,
                after,
                unknown,
                refused,
                store.cases().await.unwrap(),
                store.case_flag_links().await.unwrap(),
            ),
        ));
    }
    same("cases", &seen);
}
