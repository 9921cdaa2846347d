//! The 2024 programme as data, checked against the notice itself.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use jili_model::Level;
use std::collections::BTreeSet;

#[tokio::test]
async fn twenty_measures_twelve_leads_and_the_unit_kinds_read_from_the_text() {
    let (_db, app) = common::reference_app().await;
    let p = app.programme(Some(2024)).await.unwrap();
    assert_eq!(p.doc_no, "湘政办发〔2024〕16号");
    assert_eq!(p.date, "2024-05-29");
    assert_eq!(p.measures.len(), 20);
    let leads: BTreeSet<&str> = p.measures.iter().map(|m| m.lead.as_str()).collect();
    assert_eq!(leads.len(), 12);
    assert_eq!(p.leads.len(), 12);
    let levels = |no: u32| p.measure(no).unwrap().levels.clone();
    assert_eq!(levels(1), [Level::County]);
    for no in [8, 9, 15] {
        assert_eq!(levels(no), [Level::City], "measure {no}");
    }
    assert_eq!(levels(12), [Level::Park]);
    assert_eq!(levels(3), [Level::City, Level::County]);
    assert_eq!(p.measure(7).unwrap().channel, "创新型省份建设专项资金");
    assert_eq!(p.measure(16).unwrap().lead, "省应急管理厅");
    assert_eq!(p.commendation.as_ref().unwrap().kind, "通报表扬");
}

#[tokio::test]
async fn every_measure_text_and_lead_is_verbatim_from_the_notice() {
    let (_db, app) = common::reference_app().await;
    let notice = common::notice();
    let p = app.programme(None).await.unwrap();
    for m in &p.measures {
        let sentence = format!("{}(牵头单位:{})", m.text, m.lead);
        assert!(notice.contains(&sentence), "measure {} not verbatim: {sentence}", m.no);
    }
    assert!(notice.contains(&p.commendation.unwrap().text));
}

#[tokio::test]
async fn a_malformed_programme_names_file_and_line_and_stores_nothing() {
    let (_db, app) = common::empty_app().await;
    app.load_reference(&jili_app::bundled::reference_files()).await.unwrap();
    let (_, text) = jili_app::bundled::PROGRAMMES[0];
    let line = text.lines().position(|l| l.starts_with("date = ")).unwrap() + 1;
    let bad = text.replacen("date = \"2024-05-29\"", "date = 2024-05-29-", 1);
    let err = app.load_programme("bad/programme.toml", &bad).await.unwrap_err().to_string();
    assert!(err.contains("bad/programme.toml") && err.contains(&format!("第 {line} 行")), "{err}");
    assert!(app.raw_store().programme_years().await.unwrap().is_empty());

    let unknown_lead = text.replacen("lead = \"省科技厅\"", "lead = \"省科学院\"", 1);
    let err = app.load_programme("bad/programme.toml", &unknown_lead).await.unwrap_err().to_string();
    assert!(err.contains("省科学院") && err.contains("第 7 条"), "{err}");
    assert!(app.raw_store().programme_years().await.unwrap().is_empty());
}

/// The 2024 notice reports its own change: 46 items and 26 lead units in 2023, 20 and 12 now.
#[tokio::test]
async fn programme_diff_2023_2024_reports_the_notices_counts() {
    let (_db, app) = common::reference_app().await;
    let d = app.programme_diff(2023, 2024).await.unwrap();
    assert_eq!(d.measures, (46, 20));
    assert_eq!(d.leads, (26, 12));
    assert_eq!(d.complete, (false, true), "the 2023 file lists only the items whose text is known");
    let kinds: Vec<(&str, Vec<u32>, Vec<u32>)> =
        d.changes.iter().map(|c| (c.kind, c.from.clone(), c.to.clone())).collect();
    assert!(kinds.contains(&("拆分", vec![2], vec![2, 12])), "{kinds:?}");
    assert!(kinds.contains(&("牵头单位调整", vec![1], vec![1])), "{kinds:?}");
    assert!(kinds.contains(&("延续", vec![3], vec![3])), "{kinds:?}");
    // Against an incomplete 2023 list, a 2024 measure with no known predecessor is not called new.
    assert!(kinds.contains(&("未能对应", vec![], vec![20])), "{kinds:?}");
    assert!(!kinds.iter().any(|k| k.0 == "新增"));
    // The 2023 items pay in their own words, so each continued item's channel changed.
    let channels: Vec<&str> = d.changes.iter().filter(|c| c.kind == "奖励渠道调整").map(|c| c.text.as_str()).collect();
    assert!(channels.contains(&"给予资金奖励，并在政策、项目上予以支持 → 资金奖励"), "{channels:?}");
    assert!(app.programme_diff(2019, 2024).await.is_err());
}

/// The 2024 file's rules: its six channels and two inspections as data, no indicator limit (the
/// notice sets none), and the named unit kinds admit what their names say.
#[tokio::test]
async fn the_2024_rules_are_data_in_the_programme() {
    let (_db, app) = common::reference_app().await;
    let r = app.programme(Some(2024)).await.unwrap().rules;
    assert_eq!(r.channels.len(), 6);
    assert_eq!(r.commendation_sources, ["国务院综合督查", "省政府综合督查"]);
    assert_eq!(r.indicators, jili_model::IndicatorLimits::default());
    assert!(
        r.indicators.problem(1).is_none() && r.indicators.problem(14).is_none() && r.indicators.problem(0).is_some()
    );
    let national = r.kind("国家级园区").unwrap();
    assert!(national.admits(Level::Park, "国家级高新区") && !national.admits(Level::Park, "省级高新区"));
    assert!(r.kind("市辖区").unwrap().admits(Level::County, "市辖区"));
    assert!(r.vetoes.is_empty() && r.cap.is_none());
}

/// A programme whose kind admits a unit kind no unit has is refused with the field, and a veto
/// on an unknown series likewise; nothing is stored.
#[tokio::test]
async fn a_programme_is_checked_against_the_catalogue() {
    let (_db, app) = common::reference_app().await;
    let (_, text) = jili_app::bundled::PROGRAMMES[0];
    let typo = text
        .replacen("unit_kinds = [\"市辖区\"]", "unit_kinds = [\"市辖 区\"]", 1)
        .replace("year = 2024", "year = 2030");
    let err = app.check_programme("typo.toml", &typo).await.unwrap_err().to_string();
    assert!(err.contains("rules.kinds[3]") && err.contains("市辖 区") && err.contains("县级市"), "{err}");
    let veto = text.replace("year = 2024", "year = 2030").replacen(
        "[[rules.kinds]]",
        "[[rules.vetoes]]\nwhen = { series = \"NO_SUCH\", above = 0 }\nreason = \"r\"\nbasis = \"b\"\n\n[[rules.kinds]]",
        1,
    );
    let err = app.import_programme("veto.toml", &veto, false).await.unwrap_err().to_string();
    assert!(err.contains("rules.vetoes[1]") && err.contains("NO_SUCH"), "{err}");
    assert!(!app.programme_years().await.unwrap().contains(&2030));
    // A correct new year imports; again only with replace; a year with plans never.
    let ok = text.replace("year = 2024", "year = 2030");
    assert!(!app.import_programme("2030.toml", &ok, false).await.unwrap().replaced);
    assert!(app.import_programme("2030.toml", &ok, false).await.unwrap_err().to_string().contains("--replace"));
    assert!(app.import_programme("2030.toml", &ok, true).await.unwrap().replaced);
}

/// A programme-wide veto (`[[rules.vetoes]]`) applies to a plan that has no veto of its own,
/// and the explanation says it comes from the programme.
#[tokio::test]
async fn a_programme_wide_veto_applies_to_every_measure() {
    let db = common::demo_db().await;
    let app = jili_app::App::open(&db.url(), "测试").await.unwrap();
    let (_, text) = jili_app::bundled::PROGRAMMES[0];
    let programme = text.replace("year = 2024", "year = 2031").replacen(
        "[[rules.kinds]]",
        "[[rules.vetoes]]\nwhen = { series = \"SAFETY_MAJOR_ACCIDENTS\", above = 0 }\nreason = \"发生较大及以上生产安全事故\"\nbasis = \"测试：全省统一\"\n\n[[rules.kinds]]",
        1,
    );
    app.import_programme("2031.toml", &programme, false).await.unwrap();
    let plan = include_str!("../../../../data/plans/2024/measure-03.toml").replace("year = 2024", "year = 2031");
    let own = "[[vetoes]]\nwhen = { series = \"SAFETY_MAJOR_ACCIDENTS\", above = 0 }\nreason = \"发生较大及以上生产安全事故\"\nbasis = \"本方案第五条（示例）：评价年度内发生较大及以上生产安全事故的地区不予激励\"\n";
    assert!(plan.contains(own), "the example plan's own veto is removed for the test");
    let plan = plan.replace(own, "");
    let checked = app.check_plan("m3.toml", &plan).await.unwrap();
    assert_eq!(checked.vetoes.len(), 1, "the programme's veto, the plan having none");
    let trial = app.trial_plan("m3.toml", &plan, Some(0)).await.unwrap();
    let changsha = trial.result.units.iter().find(|u| u.code == "430100").unwrap();
    assert_eq!(changsha.outcome, jili_engine::Outcome::Vetoed, "{changsha:?}");
    let why = changsha.reason.clone().unwrap_or_default();
    assert!(why.contains("全省统一否决，2031年激励方案"), "{why}");
    assert_eq!(changsha.vetoes[0].basis, "测试：全省统一");
    // Under the 2024 programme (no programme-wide veto) the same plan vetoes nobody.
    let plain = app.trial_plan("m3.toml", &plan.replace("year = 2031", "year = 2024"), Some(0)).await.unwrap();
    assert!(plain.result.units.iter().all(|u| u.vetoes.is_empty()));
}
