//! The bundled reference data: Hunan's divisions, parks, departments and series.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use jili_app::{AppError, UnitFilter};
use jili_intake::{NamedBytes, ReferenceFiles};
use jili_model::{Level, Plate};

fn filter(level: Level) -> UnitFilter {
    UnitFilter { level: Some(level), year: Some(2024), ..UnitFilter::default() }
}

#[tokio::test]
async fn fourteen_cities_and_122_counties_with_the_published_counts() {
    let (_db, app) = common::reference_app().await;
    let cities = app.units(&filter(Level::City)).await.unwrap();
    let counties = app.units(&filter(Level::County)).await.unwrap();
    assert_eq!(cities.len(), 14);
    assert_eq!(counties.len(), 122);
    let per_city: Vec<usize> = cities
        .iter()
        .map(|c| counties.iter().filter(|u| u.parent.as_deref() == Some(c.code.as_str())).count())
        .collect();
    assert_eq!(per_city, [9, 9, 5, 12, 12, 9, 9, 4, 6, 11, 11, 12, 5, 8]);
    let kinds: Vec<&str> = cities.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "自治州").count(), 1);
    for c in &counties {
        assert!(["市辖区", "县级市", "县", "自治县"].contains(&c.kind.as_str()), "{} {}", c.code, c.kind);
    }
}

#[tokio::test]
async fn plates_follow_the_notice_and_children_inherit_them() {
    let (_db, app) = common::reference_app().await;
    let all = app.units(&UnitFilter::default()).await.unwrap();
    let plate_of = |code: &str| all.iter().find(|u| u.code == code).unwrap().plate;
    let expected = [
        (Plate::ChangZhuTan, &["430100", "430200", "430300"][..]),
        (Plate::Dongting, &["430600", "430700", "430900"][..]),
        (Plate::Xiangnan, &["430400", "431000", "431100"][..]),
        (Plate::Xiangxi, &["430500", "430800", "431200", "431300", "433100"][..]),
    ];
    for (plate, codes) in expected {
        for code in codes {
            assert_eq!(plate_of(code), Some(plate), "{code}");
        }
    }
    for u in all.iter().filter(|u| matches!(u.level, Level::County | Level::Zone | Level::Park)) {
        let parent = u.parent.as_deref().unwrap();
        assert_eq!(u.plate, plate_of(parent), "{} {} under {parent}", u.code, u.name);
    }
}

#[tokio::test]
async fn retired_qiyang_county_is_not_valid_in_2024() {
    let (_db, app) = common::reference_app().await;
    let all = app.units(&UnitFilter::default()).await.unwrap();
    let old = all.iter().find(|u| u.code == "431121").expect("祁阳县 kept for old data");
    let new = all.iter().find(|u| u.code == "431181").unwrap();
    assert!(old.valid_in(2020) && !old.valid_in(2021) && !old.valid_in(2024));
    assert!(new.valid_in(2024) && !new.valid_in(2020));
    let counties_2024 = app.units(&filter(Level::County)).await.unwrap();
    assert!(!counties_2024.iter().any(|u| u.code == "431121"));
}

#[tokio::test]
async fn zones_and_parks_are_loaded_with_sources() {
    let (_db, app) = common::reference_app().await;
    let zones = app.units(&filter(Level::Zone)).await.unwrap();
    let names: Vec<&str> = zones.iter().map(|z| z.name.as_str()).collect();
    assert_eq!(zones.len(), 5, "{names:?}");
    for part in ["屈原", "西洞庭", "大通湖", "回龙圩", "洪江"] {
        assert!(names.iter().any(|n| n.contains(part)), "{part} missing from {names:?}");
    }
    let parks = app.units(&filter(Level::Park)).await.unwrap();
    assert!(parks.len() >= 19, "national parks at least: {}", parks.len());
    assert!(parks.iter().filter(|p| p.kind == "国家级经开区").count() >= 10);
    assert!(parks.iter().filter(|p| p.kind == "国家级高新区").count() >= 9);
    assert!(parks.iter().all(|p| !p.source.is_empty()));
}

#[tokio::test]
async fn every_series_is_owned_by_a_providing_department() {
    let (_db, app) = common::reference_app().await;
    let catalogue = app.catalogue().await.unwrap();
    let mut n = 0;
    for s in catalogue.all_series() {
        let owner = catalogue.department(&s.owner).unwrap_or_else(|| panic!("{} owner {}", s.code, s.owner));
        assert!(owner.provider, "{}", s.code);
        n += 1;
    }
    assert!(n >= 100, "{n} series");
    assert_eq!(catalogue.departments().filter(|d| d.lead).count(), 12);
}

fn files_with_divisions(text: String) -> ReferenceFiles {
    let mut files = jili_app::bundled::reference_files();
    files.divisions = vec![NamedBytes::new("bad/divisions.csv", text.into_bytes())];
    files
}

#[tokio::test]
async fn a_duplicate_division_code_is_rejected_with_file_line_and_field_and_nothing_is_stored() {
    let (_db, app) = common::empty_app().await;
    let (_, original) = jili_app::bundled::DIVISIONS[0];
    let line = original.lines().find(|l| l.starts_with("430102,")).unwrap();
    let dup_line = original.lines().count() + 1;
    let err = app.load_reference(&files_with_divisions(format!("{original}{line}\n"))).await.unwrap_err();
    let AppError::Intake(e) = &err else { panic!("{err}") };
    let text = e.to_string();
    assert!(text.contains("bad/divisions.csv"), "{text}");
    assert!(text.contains(&format!("第 {dup_line} 行")), "{text}");
    assert!(text.contains("字段 code") && text.contains("430102"), "{text}");
    assert!(app.units(&UnitFilter::default()).await.unwrap().is_empty());
    assert!(app.raw_store().departments().await.unwrap().is_empty(), "nothing half-loaded");
}

#[tokio::test]
async fn a_county_on_the_wrong_plate_is_rejected() {
    let (_db, app) = common::empty_app().await;
    let (_, original) = jili_app::bundled::DIVISIONS[0];
    let bad = original
        .replace("430102,芙蓉区,芙蓉区,县市区,市辖区,430100,长株潭", "430102,芙蓉区,芙蓉区,县市区,市辖区,430100,湘南");
    assert_ne!(bad, original);
    let err = app.load_reference(&files_with_divisions(bad)).await.unwrap_err().to_string();
    assert!(err.contains("字段 plate") && err.contains("芙蓉区"), "{err}");
}

#[tokio::test]
async fn bundled_file_lists_match_the_data_folder() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");
    let listed = |files: jili_app::bundled::Files| files.iter().map(|(p, _)| p.to_string()).collect::<Vec<_>>();
    let on_disk = |dir: &str, ext: &str| {
        let mut v: Vec<String> = std::fs::read_dir(format!("{root}/{dir}"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(ext))
            .map(|n| format!("data/{dir}/{n}"))
            .collect();
        v.sort();
        v
    };
    assert_eq!(listed(jili_app::bundled::PLANS), on_disk("plans/2024", ".toml"));
    assert_eq!(listed(jili_app::bundled::SERIES), on_disk("series", ".csv"));
    let mut programmes = listed(jili_app::bundled::PROGRAMMES);
    programmes.extend(listed(jili_app::bundled::EARLIER_PROGRAMMES));
    programmes.sort();
    assert_eq!(programmes, on_disk("programmes", ".toml"));
}
