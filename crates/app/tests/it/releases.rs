//! Regular data releases (定期通报主要指标数据, issue 16 part 4): public series only, immutable,
//! corrections as new versions with their reasons, the calendar as data, results publications
//! citing the release they rest on, and only the office releasing.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use jili_app::access::{Principal, Role};
use jili_app::{App, AppError};
use jili_model::{Batch, Decimal, Period};
use std::str::FromStr;

/// The office on a private copy of the demo database (quarterly demo data, no release yet).
async fn office() -> (jili_testkit::TestDb, App) {
    let db = common::demo_db().await;
    let app = App::open(&db.url(), "测试").await.unwrap();
    (db, app)
}

/// Revise one stored quarterly value by `factor` (a provider's new revision).
async fn revise(app: &App, series: &str, unit: &str, period: &str, factor: &str) -> Decimal {
    let period: Period = period.parse().unwrap();
    let now = app
        .raw_store()
        .observations_of(&[series])
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.observation.unit.as_str() == unit && o.observation.period == period);
    let mut o = now.unwrap().observation;
    o.value = (o.value * Decimal::from_str(factor).unwrap()).round_dp(1);
    let owner = if series == "SME_LOAN_Q" { "RMYH" } else { "TJJ" };
    let batch =
        Batch { provider: owner.into(), source: "修订.csv".into(), demo: true, observations: vec![o.clone()] };
    app.import_batch(&batch).await.unwrap();
    o.value
}

fn invalid(r: Result<impl std::fmt::Debug, AppError>) -> String {
    match r {
        Err(AppError::Invalid(m)) => m,
        other => panic!("expected a refusal of the input, got {other:?}"),
    }
}

#[tokio::test]
async fn a_release_holds_the_public_series_up_to_its_cutoff_and_nothing_confidential() {
    let (_db, app) = office().await;
    // The confidential quarterly series has values in the store…
    let secret = app.raw_store().observations_of(&["SME_LOAN_Q"]).await.unwrap();
    assert!(!secret.is_empty(), "the demo stores the confidential quarterly series");
    let r = app.make_release(None, "2024-Q3").await.unwrap();
    assert_eq!(
        (r.summary.calendar.as_str(), r.summary.version, r.summary.reason.as_str()),
        ("quarterly", 1, "首次通报")
    );
    assert_eq!(r.summary.cutoff_label, "2024年第3季度");
    // …and none of them is released.
    let codes: Vec<&str> = r.body.series.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(codes, ["GDP_Q", "RETAIL_SALES_Q"]);
    assert!(r.body.values.iter().all(|v| v.series != "SME_LOAN_Q"));
    // Two years of quarters up to the cut-off: 2023-Q1 … 2024-Q3, 14 cities each.
    let mut periods: Vec<&str> = r.body.values.iter().map(|v| v.period.as_str()).collect();
    periods.dedup();
    periods.sort_unstable();
    periods.dedup();
    assert_eq!(periods, ["2023-Q1", "2023-Q2", "2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3"]);
    assert_eq!(r.body.values.len(), 2 * 7 * 14);
    assert!(r.body.demo, "demo data are labelled");
    let catalogue = app.catalogue().await.unwrap();
    let annual = app.make_release(Some("annual"), "2024").await.unwrap();
    assert!(!annual.body.values.is_empty());
    for v in &annual.body.values {
        assert!(catalogue.series(&v.series).unwrap().public, "{} is confidential", v.series);
        assert!(v.period.parse::<Period>().unwrap().is_annual());
    }
    // The downloads carry the same values and no confidential series.
    let csv = String::from_utf8(app.release_csv(&r).await.unwrap()).unwrap();
    assert_eq!(csv.lines().count(), 1 + r.body.values.len());
    assert!(csv.starts_with("\u{feff}数据项代码,数据项,单位代码,单位,时期,数值,计量单位,状态"));
    assert!(!csv.contains("SME_LOAN_Q"));
    let sdmx = app.release_sdmx(&r).await.unwrap();
    assert!(sdmx.lines().skip(1).all(|l| l.contains(",A,") || l.contains(",P,")), "OBS_STATUS is filled");
    assert!(sdmx.contains(",GDP_Q,2024-Q3,"));
    // A period not yet over cannot be a cut-off, nor can a cut-off of another frequency.
    assert!(invalid(app.make_release(None, "2099-Q1").await).contains("才结束"));
    assert!(invalid(app.make_release(Some("quarterly"), "2024").await).contains("截止期应是一个季度"));
}

#[tokio::test]
async fn a_release_is_never_changed_and_a_correction_is_a_new_version_that_keeps_the_old() {
    let (_db, app) = office().await;
    let first = app.make_release(None, "2024-Q3").await.unwrap();
    let stored = app.raw_store().release(first.summary.id).await.unwrap().unwrap();
    // Made once: a second make is refused, and so is a correction with nothing to correct.
    assert!(invalid(app.make_release(None, "2024-Q3").await).contains("已通报第 1 版"));
    assert!(invalid(app.correct_release(None, "2024-Q3", "复核").await).contains("无需更正"));
    assert!(invalid(app.correct_release(None, "2024-Q3", "  ").await).contains("必须写明原因"));
    assert!(invalid(app.correct_release(None, "2024-Q2", "复核").await).contains("还没有通报"));

    // A provider revises one value: the correction is version 2 with its reason.
    let old = first.body.values.iter().find(|v| v.series == "GDP_Q" && v.unit == "430200" && v.period == "2024-Q3");
    let old = old.unwrap().value.clone();
    let new = revise(&app, "GDP_Q", "430200", "2024-Q3", "1.03").await;
    let reason = "省统计局修订了株洲市第3季度地区生产总值";
    let second = app.correct_release(None, "2024-Q3", reason).await.unwrap();
    assert_eq!((second.summary.version, second.summary.reason.as_str()), (2, reason));
    let value = |r: &jili_app::DataRelease| {
        r.body
            .values
            .iter()
            .find(|v| v.series == "GDP_Q" && v.unit == "430200" && v.period == "2024-Q3")
            .unwrap()
            .value
            .clone()
    };
    assert_eq!(value(&second), new.to_string());
    assert_ne!(value(&second), old);

    // The first version is still readable as it was, marked corrected, pointing at the newest.
    let again = app.data_release(first.summary.id).await.unwrap();
    assert_eq!(value(&again), old);
    assert!(again.summary.superseded && !second.summary.superseded);
    assert_eq!((again.summary.newest_id, again.summary.newest_version), (second.summary.id, 2));
    assert_eq!(again.versions.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(
        app.raw_store().release(first.summary.id).await.unwrap().unwrap(),
        stored,
        "the stored row never changes"
    );
    assert_ne!(second.summary.sha256, first.summary.sha256);
    let listed: Vec<(i64, bool)> =
        app.data_releases().await.unwrap().iter().map(|r| (r.version, r.superseded)).collect();
    assert_eq!(listed, [(2, false), (1, true)], "newest first");

    // A confidential value revised changes nothing released: no correction is due.
    revise(&app, "SME_LOAN_Q", "430100", "2024-Q3", "1.5").await;
    assert!(invalid(app.correct_release(None, "2024-Q3", "复核").await).contains("无需更正"));

    // Each release and correction is in the audit chain, which verifies.
    let events = app.raw_store().audit_events().await.unwrap();
    let actions: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| e.action.starts_with("release"))
        .map(|e| (e.action.as_str(), e.subject.as_str()))
        .collect();
    assert_eq!(
        actions,
        [("release", "release/quarterly/2024-Q3/v1"), ("release.correct", "release/quarterly/2024-Q3/v2")]
    );
    assert!(events.iter().any(|e| e.action == "release.correct" && e.detail.contains(reason)));
    assert!(app.raw_store().verify_audit().await.unwrap().is_intact());
}

#[tokio::test]
async fn a_results_publication_cites_the_newest_release_and_old_bodies_still_read() {
    let (_db, app) = office().await;
    app.make_release(None, "2024-Q4").await.unwrap();
    let annual = app.make_release(Some("annual"), "2024").await.unwrap();
    let p = common::publish(&app, Some(2024), "").await.unwrap();
    let cited = p.body.data_release.clone().expect("the publication cites a release");
    assert_eq!((cited.id, cited.version), (annual.summary.id, 1));
    assert_eq!(cited.sha256, annual.summary.sha256);
    assert_eq!(cited.title(), "主要指标数据年度通报（2024年）第 1 版");
    // The results notice names the release it rests on, with its digest.
    let notice = app.notice(Some(2024)).await.unwrap().unwrap();
    let said = notice.provenance.join("\n");
    assert!(said.contains("《主要指标数据年度通报（2024年）第 1 版》") && said.contains(&cited.sha256), "{said}");
    // A body stored before releases existed (no data_release) still parses.
    let stored = app.raw_store().latest_publication(2024).await.unwrap().unwrap();
    let mut old: serde_json::Value = serde_json::from_str(&stored.body).unwrap();
    old.as_object_mut().unwrap().remove("data_release");
    let body: jili_app::publication::publish::PublicationBody = serde_json::from_value(old).unwrap();
    assert_eq!(body.data_release, None);
    // A newer release alone is no reason to publish the same results again.
    app.make_release(None, "2024-Q3").await.unwrap();
    assert!(invalid(common::publish(&app, Some(2024), "引用新的数据通报").await).contains("相同"));
}

#[tokio::test]
async fn only_the_office_releases_and_anyone_reads_releases() {
    let (_db, app) = office().await;
    let made = app.make_release(None, "2024-Q1").await.unwrap();
    let (file, text) = jili_app::bundled::RELEASE_CALENDAR;
    let others = [
        Principal { name: "li".into(), role: Role::Lead("FGW".into()) },
        Principal { name: "wang".into(), role: Role::Provider("TJJ".into()) },
        Principal { name: "zhao".into(), role: Role::Auditor },
        Principal { name: "chen".into(), role: Role::Unit("430100".into()) },
        Principal::public(),
    ];
    let before = app.raw_store().audit_events().await.unwrap().len();
    for who in others {
        let as_them = app.acting_as(who.clone());
        let denied = |r: Result<String, AppError>| matches!(r, Err(AppError::Denied(_)));
        assert!(denied(as_them.make_release(None, "2024-Q2").await.map(|r| r.summary.cutoff)), "{who:?}");
        assert!(denied(as_them.correct_release(None, "2024-Q1", "更正").await.map(|r| r.summary.cutoff)), "{who:?}");
        assert!(denied(as_them.load_release_calendar(file, text).await.map(|c| c.releases[0].id.clone())), "{who:?}");
        // Reading what was released is public.
        assert_eq!(as_them.data_release(made.summary.id).await.unwrap().body.values, made.body.values);
        assert_eq!(as_them.data_releases().await.unwrap().len(), 1);
        assert!(!as_them.release_schedule(None).await.unwrap().releases.is_empty());
    }
    assert_eq!(app.raw_store().audit_events().await.unwrap().len(), before, "refusals change nothing");
}

#[tokio::test]
async fn the_calendar_is_data_checked_against_the_catalogue() {
    let (_db, app) = office().await;
    let (_, bundled) = app.release_calendar().await.unwrap();
    assert_eq!(bundled.releases.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["quarterly", "annual"]);
    let bad = "[[releases]]\nid = \"q\"\nname = \"季度通报\"\nfrequency = \"季\"\nseries = [\"SME_LOAN_Q\"]\nyears = 1\ndue_days = 30\n";
    assert!(invalid(app.load_release_calendar("日程.toml", bad).await).contains("不向社会公布"));
    let own = "[[releases]]\nid = \"gdp\"\nname = \"地区生产总值季度通报\"\nfrequency = \"季\"\nseries = [\"GDP_Q\"]\nyears = 1\ndue_days = 20\n";
    app.load_release_calendar("日程.toml", own).await.unwrap();
    assert!(app.raw_store().audit_events().await.unwrap().last().unwrap().subject.ends_with("release_calendar"));
    let r = app.make_release(None, "2024-Q2").await.unwrap();
    assert_eq!((r.summary.calendar.as_str(), r.summary.name.as_str()), ("gdp", "地区生产总值季度通报"));
    assert_eq!(r.body.series.len(), 1);
    assert_eq!(r.body.values.len(), 2 * 14, "one year: 2024-Q1 and Q2");
    assert_eq!(r.body.due, "2024-07-20");
    // The schedule shows the release made for its cut-off, and an annual cut-off has no entry now.
    let view = app.release_schedule(Some(&[2024])).await.unwrap();
    let states: Vec<(&str, &str)> =
        view.releases[0].cutoffs.iter().map(|c| (c.cutoff.as_str(), c.state.as_str())).collect();
    assert_eq!(
        states,
        [("2024-Q1", "逾期未通报"), ("2024-Q2", "已通报"), ("2024-Q3", "逾期未通报"), ("2024-Q4", "逾期未通报")]
    );
    assert!(invalid(app.make_release(None, "2024").await).contains("没有年度通报"));
}

#[tokio::test]
async fn the_demo_portal_has_quarterly_releases_a_correction_and_a_cited_annual_release() {
    let (_db, app) = office().await;
    app.prepare_demo_portal().await.unwrap();
    let all = app.data_releases().await.unwrap();
    let shown: Vec<(String, i64, bool)> = all.iter().map(|r| (r.cutoff.clone(), r.version, r.superseded)).collect();
    assert_eq!(
        shown,
        [
            ("2024".to_string(), 1, false),
            ("2024-Q3".to_string(), 2, false),
            ("2024-Q4".to_string(), 1, false),
            ("2024-Q3".to_string(), 1, true),
            ("2024-Q2".to_string(), 1, false),
            ("2024-Q1".to_string(), 1, false),
        ]
    );
    assert!(all.iter().all(|r| r.demo), "demo releases are labelled 演示");
    assert!(all[1].reason.starts_with("演示："));
    let p = app.published(Some(2024)).await.unwrap().unwrap();
    assert_eq!(p.body.data_release.as_ref().map(|d| d.id), Some(all[0].id));
    // A rebuild is not stopped by the demo's own releases.
    assert!(app.raw_store().office_records().await.unwrap().iter().all(|(what, _)| *what != "数据通报"));
}
