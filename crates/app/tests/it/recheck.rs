//! Re-checks of stored data (issue 22): the demo's planted problems are flagged from the start,
//! a second re-check adds nothing, an incremental one reads only what changed, and a
//! cross-source breach is the office's and the auditor's, never either provider's.

use crate::common::{demo_app, demo_db, observation};
use jili_app::access::{Principal, Role};
use jili_app::{App, AppError, RecheckRequest};
use jili_model::Batch;

fn as_provider(app: &App, code: &str) -> App {
    app.acting_as(Principal { name: format!("测试{code}"), role: Role::Provider(code.into()) })
}

#[tokio::test]
async fn the_demo_flags_its_three_planted_problems() {
    let app = demo_app().await;
    let flags = app.flags(None).await.unwrap();
    for (series, unit, code) in [
        ("RETAIL_SALES", "431022", "yoy-jump"),      // 宜章县 ×3
        ("RD_INTENSITY", "433127", "missing-value"), // 永顺县 left out
        ("GEN_BUDGET_REV", "430400", "county-sum"),  // 衡阳市 ×1.08
    ] {
        let hit = flags.iter().find(|f| f.series == series && f.unit == unit && f.period == "2024" && f.code == code);
        let hit = hit.unwrap_or_else(|| panic!("no {code} flag on {series} {unit} 2024"));
        assert!(hit.recheck.is_some() && !hit.office_only, "raised by the demo's re-check, for its provider too");
    }
    // Few false alarms: the note in docs/data-checks.md explains the rest; a jump in the count
    // means a check or a default changed.
    assert!(flags.len() < 250, "{} flags on the demo", flags.len());
}

#[tokio::test]
async fn a_second_recheck_adds_nothing_and_an_incremental_one_reads_what_changed() {
    let db = demo_db().await;
    let app = App::open(&db.url(), "测试").await.unwrap();
    let before = app.flags(None).await.unwrap().len();
    let again = app.recheck(&RecheckRequest { all: true, ..Default::default() }).await.unwrap();
    assert_eq!(again.added_total(), 0, "{:?}", again.added);
    assert!(again.found > 0 && again.checked > 60_000, "{again:?}");
    assert_eq!(app.flags(None).await.unwrap().len(), before);
    let nothing = app.recheck(&RecheckRequest::default()).await.unwrap();
    assert_eq!((nothing.id, nothing.series), (None, 0), "nothing imported since: nothing to read");

    // A batch bringing a jump (岳阳县 retail sales ×4): the next re-check reads that series only.
    let old = app.history("RETAIL_SALES", "430621", "2024").await.unwrap();
    let value: jili_model::Decimal = old.last().unwrap().value.parse().unwrap();
    let o = observation("RETAIL_SALES", "430621", 2024, &(value * jili_model::Decimal::from(4)).to_string());
    let batch = Batch { provider: "TJJ".into(), source: "补报.csv".into(), demo: false, observations: vec![o] };
    app.import_batch(&batch).await.unwrap();
    let r = app.recheck(&RecheckRequest::default()).await.unwrap();
    assert_eq!(r.series, 1, "{r:?}");
    assert!(r.scope.contains("之后有变动"), "{}", r.scope);
    let flags = app.flags(None).await.unwrap();
    assert!(flags.iter().any(|f| f.unit == "430621" && f.code == "yoy-jump" && f.recheck == r.id));
    let report = app.verify_audit(None).await.unwrap();
    assert!(report.is_intact(), "{:?}", report.problems);
    let events = app.audit_events().await.unwrap();
    let said = format!("新增 {} 条", r.added_total());
    assert!(events.iter().any(|e| e.action == "data.recheck" && e.detail.contains(&said)), "the re-check is audited");
    // The county's jump also breaks 岳阳市's county sum.
    assert!(r.added.contains_key("county-sum"), "{r:?}");
}

#[tokio::test]
async fn a_cross_source_breach_is_seen_by_the_office_not_by_either_provider() {
    let db = demo_db().await;
    let app = App::open(&db.url(), "测试").await.unwrap();
    // 税务局 reports 长沙县's industrial taxes at ten times 财政厅's whole tax take.
    let tax = app.history("TAX_REV", "430121", "2024").await.unwrap();
    let tax: jili_model::Decimal = tax.last().unwrap().value.parse().unwrap();
    let o = observation("IND_TAX_REV", "430121", 2024, &(tax * jili_model::Decimal::from(10)).to_string());
    let batch = Batch { provider: "SWJ".into(), source: "工业税收.csv".into(), demo: false, observations: vec![o] };
    app.import_batch(&batch).await.unwrap();
    let r = app.recheck(&RecheckRequest { series: vec!["IND_TAX_REV".into()], ..Default::default() }).await.unwrap();
    assert_eq!(r.added.get("cross-source"), Some(&1), "{r:?}");
    let flags = app.flags(None).await.unwrap();
    let cross = flags.iter().find(|f| f.code == "cross-source").unwrap();
    assert!(cross.office_only && cross.unit == "430121");
    assert!(cross.message.contains("省税务局") && cross.message.contains("省财政厅"), "{}", cross.message);
    let auditor = app.acting_as(Principal { name: "纪检".into(), role: Role::Auditor });
    assert!(auditor.flags(None).await.unwrap().iter().any(|f| f.code == "cross-source"));
    for provider in ["SWJ", "CZT"] {
        let seen = as_provider(&app, provider).flags_of(provider).await.unwrap();
        assert!(seen.iter().all(|(f, _)| f.code != "cross-source"), "{provider} sees the comparison");
    }
    // Nor may a provider re-check.
    let refused = as_provider(&app, "SWJ").recheck(&RecheckRequest::default()).await;
    assert!(matches!(refused, Err(AppError::Denied(_))), "{refused:?}");
}
