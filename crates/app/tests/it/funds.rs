//! Money from award to recovery (issue 18): disbursements within the award, use reports from
//! the finance department, a recovery that corrects the publication without moving the next
//! unit up (unless the programme says so), and a ledger that balances.

use crate::common;
use jili_app::access::{Principal, Role};
use jili_app::funds::ledger::{Ledger, LedgerQuery};
use jili_app::funds::record::FundInput;
use jili_app::funds::recover::RecoveryInput;
use jili_app::{App, AppError};
use jili_model::Decimal;

const XIANGTAN: &str = "430300";
/// 第十九条 in the demo: 湘潭市 first of the 市州, 岳阳市 the best not selected.
const YUEYANG: &str = "430600";

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn input(unit: &str, amount: &str) -> FundInput {
    FundInput {
        year: Some(2024),
        measure: 19,
        unit: unit.into(),
        amount: amount.into(),
        doc_no: "湘财资〔2024〕88号".into(),
        date: "2024-10-15".into(),
        ..FundInput::default()
    }
}

fn recovery() -> RecoveryInput {
    RecoveryInput {
        year: Some(2024),
        measure: 19,
        unit: XIANGTAN.into(),
        reason: "经核查，报送的空气质量数据存在人为干预，评价结果不成立".into(),
        case_id: None,
        doc_no: "湘纪〔2025〕5号".into(),
        date: "2025-03-01".into(),
    }
}

/// The demo published once, with a budget line for measure 19; the office and a second office
/// user (publishing takes two).
async fn published(db: &jili_testkit::TestDb) -> (App, App) {
    let office = App::open(&db.url(), "办公厅（测试）").await.unwrap();
    let checker = office.acting_as(Principal::office("办公厅复核人（测试）"));
    let request = office.request_publication(Some(2024), "").await.unwrap();
    checker.confirm_publication(request).await.unwrap();
    office.set_budget(2024, 19, "2700", "湘财预〔2024〕1号").await.unwrap();
    (office, checker)
}

/// 预算 = 结余 + 已下达 − 已追回 for each measure and the year, and the units add up to their
/// measure.
fn assert_balances(ledger: &Ledger) {
    for m in ledger.measures.iter().chain(std::iter::once(&ledger.total)) {
        let a = &m.amounts;
        assert_eq!(m.budget, m.balance + a.disbursed - a.recovered, "measure {}: {m:?}", m.measure);
        assert_eq!(a.outstanding, a.to_recover - a.recovered);
    }
    for m in &ledger.measures {
        let units: Vec<_> = ledger.units.iter().filter(|u| u.measure == m.measure).collect();
        let sum =
            |f: fn(&jili_app::funds::ledger::Amounts) -> Decimal| units.iter().map(|u| f(&u.amounts)).sum::<Decimal>();
        assert_eq!(sum(|a| a.awarded), m.amounts.awarded, "measure {}", m.measure);
        assert_eq!(sum(|a| a.disbursed), m.amounts.disbursed);
        assert_eq!(sum(|a| a.recovered), m.amounts.recovered);
    }
    let sum = |f: fn(&jili_app::funds::ledger::MeasureLine) -> Decimal| ledger.measures.iter().map(f).sum::<Decimal>();
    assert_eq!(sum(|m| m.budget), ledger.total.budget);
    assert_eq!(sum(|m| m.balance), ledger.total.balance);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_disbursement_over_the_award_is_refused_with_nothing_stored() {
    let db = common::demo_db().await;
    let (office, _) = published(&db).await;
    office.disburse(&input(XIANGTAN, "200")).await.unwrap();
    let events = office.raw_store().audit_events().await.unwrap().len();
    let over = office.disburse(&input(XIANGTAN, "100.5")).await.unwrap_err().to_string();
    assert!(over.contains("超过奖励金额 300 万元") && over.contains("未作任何记录"), "{over}");
    let not_won = office.disburse(&input(YUEYANG, "1")).await.unwrap_err().to_string();
    assert!(not_won.contains("没有获得奖励"), "{not_won}");
    for (amount, date) in [("-5", "2024-10-15"), ("1e3", "2024-10-15"), ("0", "2024-10-15"), ("5", "2024-02-30")] {
        let bad = FundInput { date: date.into(), ..input(XIANGTAN, amount) };
        assert!(matches!(office.disburse(&bad).await, Err(AppError::Invalid(_))), "{amount} {date}");
    }
    assert_eq!(office.raw_store().audit_events().await.unwrap().len(), events, "nothing stored");
    assert_eq!(office.raw_store().fund_entries(2024).await.unwrap().len(), 1);
    // The rest of the award, to the last 万元, is accepted.
    office.disburse(&input(XIANGTAN, "100")).await.unwrap();

    // The finance department reports use; the auditor reads, changes nothing; a unit reads nothing.
    let finance = office.acting_as(Principal { name: "财政（测试）".into(), role: Role::Lead("CZT".into()) });
    finance.report_fund_use(&FundInput { note: "大气治理项目".into(), ..input(XIANGTAN, "120") }).await.unwrap();
    let too_much = finance.report_fund_use(&input(XIANGTAN, "181")).await.unwrap_err().to_string();
    assert!(too_much.contains("超过已下达金额 300 万元"), "{too_much}");
    let auditor = office.acting_as(Principal { name: "纪检（测试）".into(), role: Role::Auditor });
    assert!(matches!(auditor.disburse(&input(XIANGTAN, "1")).await, Err(AppError::Denied(_))));
    assert!(matches!(finance.recover_award(&recovery()).await, Err(AppError::Denied(_))));
    let unit = office.acting_as(Principal { name: "湘潭（测试）".into(), role: Role::Unit(XIANGTAN.into()) });
    assert!(matches!(unit.funds_ledger(&LedgerQuery::default()).await, Err(AppError::Denied(_))));
    let other = office.acting_as(Principal { name: "统计（测试）".into(), role: Role::Provider("TJJ".into()) });
    assert!(matches!(other.funds_ledger(&LedgerQuery::default()).await, Err(AppError::Denied(_))));
    let q = LedgerQuery { year: Some(2024), measure: Some(19), unit: Some(XIANGTAN.into()) };
    let ledger = auditor.funds_ledger(&q).await.unwrap();
    assert_eq!(ledger.units.len(), 1);
    let a = &ledger.units[0].amounts;
    assert_eq!((a.awarded, a.disbursed, a.used, a.undisbursed), (d("300"), d("300"), d("120"), d("0")));
    assert_eq!(ledger.measures[0].balance, d("2400"), "the measure line covers all its units");
    assert_balances(&auditor.funds_ledger(&LedgerQuery::default()).await.unwrap());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_recovery_corrects_the_publication_and_balances_the_ledger_without_moving_the_next_unit_up() {
    let db = common::demo_db().await;
    let (office, checker) = published(&db).await;
    let before = office.published(Some(2024)).await.unwrap().unwrap();
    let m19 = before.body.measures.iter().find(|m| m.measure == 19).unwrap();
    assert!(m19.winners.iter().any(|w| w.code == XIANGTAN) && !m19.winners.iter().any(|w| w.code == YUEYANG));
    let winners = m19.winners.len();
    office.disburse(&input(XIANGTAN, "200")).await.unwrap();

    // Evidence is required, and a case named must exist.
    let bare = RecoveryInput { doc_no: String::new(), ..recovery() };
    assert!(office.recover_award(&bare).await.unwrap_err().to_string().contains("须有依据"));
    let ghost = RecoveryInput { case_id: Some(999), ..recovery() };
    assert!(matches!(office.recover_award(&ghost).await, Err(AppError::NotFound(_))));

    let r = office.recover_award(&recovery()).await.unwrap();
    assert_eq!((r.award, r.to_recover, r.refill.clone()), (d("300"), d("200"), None));
    let request = r.request.expect("the correction is asked for");
    assert!(office.recover_award(&recovery()).await.unwrap_err().to_string().contains("已经追回过"));
    // Money cannot go out on a recovered award; what comes back is bounded by what is due.
    assert!(office.disburse(&input(XIANGTAN, "1")).await.unwrap_err().to_string().contains("已责令追回"));
    office.record_return(&input(XIANGTAN, "150")).await.unwrap();
    let over = office.record_return(&input(XIANGTAN, "51")).await.unwrap_err().to_string();
    assert!(over.contains("超过应追回金额 200 万元"), "{over}");

    // Another office user confirms: the publication shows the correction and its reason, and
    // nobody took 湘潭市's place.
    let corrected = checker.confirm_publication(request).await.unwrap();
    assert_eq!(corrected.version, 2);
    assert!(corrected.reason.contains("追回湘潭市的奖励"), "{}", corrected.reason);
    let m19 = corrected.body.measures.iter().find(|m| m.measure == 19).unwrap();
    assert_eq!(m19.winners.len(), winners - 1);
    assert!(!m19.winners.iter().any(|w| w.code == XIANGTAN || w.code == YUEYANG), "{:?}", m19.winners);
    let o = m19.overrides.iter().find(|o| o.unit == XIANGTAN).unwrap();
    assert!(o.outcome == "not" && o.reason.contains("人为干预"), "{o:?}");

    let ledger = office.funds_ledger(&LedgerQuery { measure: Some(19), ..LedgerQuery::default() }).await.unwrap();
    assert_balances(&ledger);
    let x = ledger.units.iter().find(|u| u.unit == XIANGTAN).unwrap();
    assert!(x.revoked);
    let a = &x.amounts;
    assert_eq!(
        (a.awarded, a.disbursed, a.to_recover, a.recovered, a.outstanding),
        (d("0"), d("200"), d("200"), d("150"), d("50"))
    );
    assert!(ledger.units.iter().all(|u| u.unit != YUEYANG), "the next unit has no award");
    let m = &ledger.measures[0];
    assert_eq!((m.budget, m.amounts.awarded, m.balance), (d("2700"), d("2400"), d("2650")));
    assert_eq!(ledger.entries.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(), ["disburse", "recover", "return"]);

    // Every step is audited and sealed.
    let events = office.raw_store().audit_events().await.unwrap();
    for action in ["fund.disburse", "fund.recover", "fund.return", "result.override"] {
        assert!(events.iter().any(|e| e.action == action), "{action}");
    }
    assert!(office.verify_audit(None).await.unwrap().is_intact());

    // The workbook holds the amounts as numbers.
    let bytes = jili_app::funds::export::ledger_workbook(&ledger).unwrap();
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut book, "措施").unwrap();
    assert_eq!(sheet.get_value((1, 2)), Some(&calamine::Data::Float(2700.0)), "{:?}", sheet.rows().nth(1));
    assert_eq!(sheet.get_value((1, 10)), Some(&calamine::Data::Float(2650.0)));
}

#[tokio::test(flavor = "multi_thread")]
async fn with_refill_the_next_unit_of_the_group_moves_up_with_the_award() {
    let db = common::demo_db().await;
    let (office, checker) = published(&db).await;
    let mut programme = office.programme(Some(2024)).await.unwrap();
    assert!(!programme.recovery.refill, "no refill by default");
    programme.recovery.refill = true;
    let actor = jili_store::Actor { name: "测试".into(), at: "2025-01-01T00:00:00Z".into() };
    office.raw_store().put_programme(&actor, &programme).await.unwrap();

    let r = office.recover_award(&recovery()).await.unwrap();
    assert_eq!(r.refill.as_ref().map(|(c, _)| c.as_str()), Some(YUEYANG));
    assert_eq!(r.to_recover, d("0"), "nothing was disbursed");
    let corrected = checker.confirm_publication(r.request.unwrap()).await.unwrap();
    let m19 = corrected.body.measures.iter().find(|m| m.measure == 19).unwrap();
    assert!(!m19.winners.iter().any(|w| w.code == XIANGTAN));
    let up = m19.winners.iter().find(|w| w.code == YUEYANG).expect("岳阳市 moves up");
    assert!(up.note.contains("更正"), "{up:?}");
    let o = m19.overrides.iter().find(|o| o.unit == YUEYANG).unwrap();
    assert!(o.outcome == "winner" && o.reason.starts_with("递补"), "{o:?}");

    // 岳阳市 takes 湘潭市's award and may be paid it, not more.
    office.disburse(&input(YUEYANG, "300")).await.unwrap();
    assert!(office.disburse(&input(YUEYANG, "1")).await.is_err());
    let ledger = office.funds_ledger(&LedgerQuery::default()).await.unwrap();
    let y = ledger.units.iter().find(|u| u.measure == 19 && u.unit == YUEYANG).unwrap();
    assert_eq!((y.amounts.awarded, y.refilled_for.as_deref()), (d("300"), Some(XIANGTAN)));
    assert_balances(&ledger);
    assert_eq!(ledger.measures.iter().find(|m| m.measure == 19).unwrap().amounts.awarded, d("2700"));
}
