//! The demo database: deterministic, labelled demo, plausible, with its planted problems.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use jili_app::demo::{Planted, PlantedKind, Profile};
use jili_app::{App, UnitFilter, bundled};
use jili_model::{Decimal, Level};
use std::collections::BTreeMap;

type Values = BTreeMap<(String, String, i32), f64>;

async fn values(app: &App) -> Values {
    app.raw_store()
        .observations()
        .await
        .unwrap()
        .into_iter()
        .map(|o| {
            let x = o.observation;
            ((x.series.into(), x.unit.into(), x.period.year), x.value.to_string().parse::<f64>().unwrap())
        })
        .collect()
}

fn get(v: &Values, series: &str, unit: &str, year: i32) -> Option<f64> {
    v.get(&(series.to_string(), unit.to_string(), year)).copied()
}

fn planted() -> Vec<Planted> {
    Profile::from_toml(bundled::DEMO_PROFILE.0, bundled::DEMO_PROFILE.1).unwrap().planted
}

#[tokio::test]
async fn two_builds_give_the_same_content() {
    let (_a, first) = common::empty_app().await;
    let one = first.build_demo(&|_| {}).await.unwrap();
    // The second build is the run's demo template: built the same way into another fresh
    // database (once per test run, so this test need not pay for one more build).
    let b = common::demo_db().await;
    let second = App::open(&b.url(), "测试").await.unwrap();
    let two = second.content_hash().await.unwrap();
    assert_eq!(one.content_hash, two);
    assert_eq!(one.content_hash.len(), 64);
    // Rebuilding over an existing database gives the same content again.
    let again = first.build_demo(&|_| {}).await.unwrap();
    assert_eq!(again.content_hash, one.content_hash);
    assert_eq!(first.content_hash().await.unwrap(), one.content_hash);
    // And the hash does see content: one more value changes it.
    let mut batch =
        jili_model::Batch { provider: "TJJ".into(), source: "test".into(), demo: true, observations: vec![] };
    batch.observations.push(jili_model::Observation {
        series: "GDP".into(),
        unit: "430102".into(),
        period: jili_model::Period::year(2020),
        value: Decimal::ONE,
        status: jili_model::Status::Final,
    });
    first.import_batch(&batch).await.unwrap();
    assert_ne!(first.content_hash().await.unwrap(), one.content_hash);
}

#[tokio::test]
async fn every_batch_is_demo_and_the_audit_chain_holds() {
    let app = common::demo_app().await;
    let batches = app.raw_store().batches().await.unwrap();
    assert!(batches.len() >= 10);
    assert!(batches.iter().all(|b| b.demo && b.source.contains("演示数据")));
    let report = app.raw_store().verify_audit().await.unwrap();
    assert!(report.is_intact(), "{:?}", report.problems);
    assert!(
        app.raw_store()
            .audit_events()
            .await
            .unwrap()
            .iter()
            .any(|e| e.action == "data.import" && e.detail.contains("演示数据"))
    );
}

#[tokio::test]
async fn magnitudes_are_plausible() {
    let app = common::demo_app().await;
    let v = values(&app).await;
    let cities =
        app.units(&UnitFilter { level: Some(Level::City), year: Some(2024), ..Default::default() }).await.unwrap();
    let gdp = |code: &str| get(&v, "GDP", code, 2024).unwrap();
    let largest = cities.iter().max_by(|a, b| gdp(&a.code).total_cmp(&gdp(&b.code))).unwrap();
    assert_eq!(largest.name, "长沙市");
    // GDP growth rates of a few per cent.
    let rates: Vec<f64> = v.iter().filter(|((s, _, y), _)| s == "GDP_GROWTH" && *y == 2024).map(|(_, x)| *x).collect();
    let mean = rates.iter().sum::<f64>() / rates.len() as f64;
    assert!((3.0..9.0).contains(&mean), "mean growth {mean}");
    // 大湘西 grows from a lower base faster than 长株潭 on average.
    let plate_mean = |plate: &str| {
        let units: Vec<String> =
            cities.iter().filter(|c| c.plate.unwrap().as_str() == plate).map(|c| c.code.clone()).collect();
        units.iter().map(|u| get(&v, "GDP_GROWTH", u, 2024).unwrap()).sum::<f64>() / units.len() as f64
    };
    assert!(plate_mean("大湘西") > plate_mean("长株潭"));
    // Accident counts: small whole numbers, some units with none.
    let accidents: Vec<f64> =
        v.iter().filter(|((s, _, _), _)| s == "SAFETY_MAJOR_ACCIDENTS").map(|(_, x)| *x).collect();
    assert!(accidents.iter().all(|x| x.fract() == 0.0 && *x >= 0.0 && *x < 10.0));
    assert!(accidents.iter().filter(|x| **x == 0.0).count() > accidents.len() / 2);
    assert!(accidents.iter().any(|x| *x > 0.0), "some unit should trip the safety veto");
}

#[tokio::test]
async fn every_series_a_plan_reads_has_data_for_its_units() {
    let app = common::demo_app().await;
    let v = values(&app).await;
    let catalogue = app.catalogue().await.unwrap();
    let programme = app.programme(Some(2024)).await.unwrap();
    for stored in app.plans(2024).await.unwrap() {
        let plan = jili_model::Plan::from_toml(&stored.source_name, &stored.toml, &programme, &catalogue).unwrap();
        let units: Vec<String> = catalogue
            .units()
            .filter(|u| {
                plan.header.units.contains(&u.level) && u.valid_in(2024) && !plan.header.exclude.contains(&u.code)
            })
            .map(|u| u.code.clone())
            .collect();
        for series in plan.series_read() {
            for year in [plan.header.base, plan.header.period] {
                let have = units.iter().filter(|u| get(&v, series, u, year).is_some()).count();
                let restricted = matches!(series, "LAKE_TP_CONC" | "WETLAND_PROTECTION_RATE");
                assert!(
                    restricted || have + 1 >= units.len(),
                    "measure {} {series} {year}: {have}/{}",
                    plan.header.measure,
                    units.len()
                );
                assert!(have > 0, "measure {} {series} {year}: no data", plan.header.measure);
            }
        }
    }
}

#[tokio::test]
async fn the_planted_problems_are_there_to_be_found() {
    let app = common::demo_app().await;
    let v = values(&app).await;
    let units = app.units(&UnitFilter::default()).await.unwrap();
    let planted = planted();
    assert_eq!(planted.len(), 3);
    for p in &planted {
        match p.kind {
            PlantedKind::Jump => {
                let now = get(&v, &p.series, &p.unit, p.period).unwrap();
                let before = get(&v, &p.series, &p.unit, p.period - 1).unwrap();
                assert!(now / before > 2.5, "jump {now}/{before}");
            }
            PlantedKind::Missing => {
                assert!(get(&v, &p.series, &p.unit, p.period).is_none());
                assert!(get(&v, &p.series, &p.unit, p.period - 1).is_some());
            }
            PlantedKind::SumMismatch => {
                let sum_of_children = |city: &str| -> f64 {
                    units
                        .iter()
                        .filter(|u| u.parent.as_deref() == Some(city) && matches!(u.level, Level::County | Level::Zone))
                        .filter_map(|u| get(&v, &p.series, &u.code, p.period))
                        .sum()
                };
                let off = get(&v, &p.series, &p.unit, p.period).unwrap() / sum_of_children(&p.unit);
                assert!((off - 1.08).abs() < 0.001, "planted mismatch {off}");
                // Every other 市州 agrees with its counties (to rounding).
                for city in units.iter().filter(|u| u.level == Level::City && u.code != p.unit) {
                    let ratio = get(&v, &p.series, &city.code, p.period).unwrap() / sum_of_children(&city.code);
                    assert!((ratio - 1.0).abs() < 1e-6, "{} {ratio}", city.name);
                }
            }
        }
    }
}

#[tokio::test]
async fn demo_values_are_possible_tax_within_revenue_and_incomes_growing_apart() {
    let app = common::demo_app().await;
    let v = values(&app).await;
    let mut checked = 0;
    for ((_, unit, year), tax) in v.iter().filter(|((s, _, _), _)| s == "TAX_REV") {
        if let Some(revenue) = get(&v, "GEN_BUDGET_REV", unit, *year) {
            assert!(*tax <= revenue * 0.95 + 1.0, "{unit} {year}: 税收 {tax} > 95% of 一般公共预算收入 {revenue}");
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
    // Two income series of one unit do not grow at exactly the same rate.
    let growth = |s: &str, u: &str| get(&v, s, u, 2024).unwrap() / get(&v, s, u, 2023).unwrap();
    let same = ["433127", "433101", "433122"]
        .iter()
        .filter(|u| (growth("RESIDENT_INCOME", u) - growth("POVERTY_POP_INCOME", u)).abs() < 1e-9)
        .count();
    assert_eq!(same, 0);
}
