//! The funds journal on each backend: a ceiling checked inside the write (nothing stored when
//! it would be exceeded), one recovery per award stored with its corrections, every entry in
//! the audit chain.

use crate::*;
use jili_model::{Decimal, FundKind};
use jili_store::{NewFundEntry, NewOverride};

fn entry<'a>(kind: FundKind, amount: &'a str) -> NewFundEntry<'a> {
    NewFundEntry {
        year: 2024,
        measure: 1,
        unit: "430100",
        kind,
        amount_wan: amount,
        doc_no: "湘财资〔2024〕1号",
        date: "2024-10-15",
        channel: "资金奖励",
        note: "",
        case_id: None,
        run_id: None,
        award_wan: "",
        refill: "",
    }
}

#[tokio::test]
async fn the_journal_keeps_its_ceilings_and_one_recovery_per_award() {
    for db in backends().await {
        let store = seeded(&db).await;
        let name = db.name();
        let award = Decimal::from(300);
        store.add_fund_entry(&me(), entry(FundKind::Disburse, "200.5"), award, "奖励金额").await.unwrap();
        let events = store.audit_events().await.unwrap().len();
        let over = store.add_fund_entry(&me(), entry(FundKind::Disburse, "99.6"), award, "奖励金额").await;
        let said = over.unwrap_err().to_string();
        assert!(said.contains("300.1") && said.contains("奖励金额 300"), "{name}: {said}");
        assert_eq!(store.audit_events().await.unwrap().len(), events, "{name}: nothing stored");
        store.add_fund_entry(&me(), entry(FundKind::Disburse, "99.5"), award, "奖励金额").await.unwrap();

        // A recovery with no run to correct here (the app passes the overrides it checked).
        let recover = NewFundEntry { award_wan: "300", note: "数据造假", ..entry(FundKind::Recover, "300") };
        let none: [NewOverride<'_>; 0] = [];
        store.add_recovery(&me(), recover, &none).await.unwrap();
        assert!(store.add_recovery(&me(), recover, &none).await.is_err(), "{name}: once per award");
        let all = store.fund_entries(2024).await.unwrap();
        let kinds: Vec<FundKind> = all.iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [FundKind::Disburse, FundKind::Disburse, FundKind::Recover], "{name}");
        assert_eq!((all[0].amount_wan.as_str(), all[2].award_wan.as_str()), ("200.5", "300"), "{name}");
        assert!(store.fund_entries(2023).await.unwrap().is_empty());
        let actions: Vec<String> = store.audit_events().await.unwrap().into_iter().map(|e| e.action).collect();
        assert_eq!(actions.iter().filter(|a| a.starts_with("fund.")).count(), 3, "{name}");
        assert!(store.verify_audit().await.unwrap().is_intact(), "{name}");
    }
}
