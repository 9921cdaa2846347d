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
    assert!(app.programme_diff(2019, 2024).await.is_err());
}
