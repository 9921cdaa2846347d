//! Evaluating the example plans on the demo data, through the store.
#![allow(clippy::unwrap_used)]

use crate::common;

use jili_app::RunRequest;
use jili_app::engine::Outcome;

#[tokio::test]
async fn the_demo_build_evaluated_every_measure_and_a_rerun_gives_the_same_bytes() {
    let app = common::demo_app().await;
    // Other tests in this binary add runs to the shared demo database; the demo's are the first 20.
    let stored: Vec<_> = app.raw_store().runs().await.unwrap().into_iter().take(20).collect();
    let measures: Vec<i64> = stored.iter().map(|r| r.measure).collect();
    assert_eq!(measures, (1..=20).collect::<Vec<i64>>(), "jili demo evaluates all 20 measures");
    // Same plan, same data, same seed and samples → the same result, byte for byte.
    let first = stored.iter().find(|r| r.measure == 3).unwrap();
    let again = app.run(3, &RunRequest { samples: Some(first.samples as u32), ..RunRequest::default() }).await.unwrap();
    assert_eq!(again.result_sha256, first.result_sha256);
    assert_eq!(again.data_sha256, first.data_sha256);
    // Every run is in the audit chain, which still verifies.
    let events = app.raw_store().audit_events().await.unwrap();
    assert!(events.iter().filter(|e| e.action == "run").count() >= 21, "each run is audited");
    let report = app.raw_store().verify_audit().await.unwrap();
    assert!(report.is_intact(), "{:?}", report.problems);
}

#[tokio::test]
async fn every_measure_has_winners_awards_within_quota_and_traceable_numbers() {
    let app = common::demo_app().await;
    let reports = app.run_all(&RunRequest { samples: Some(0), ..RunRequest::default() }).await.unwrap();
    assert_eq!(reports.len(), 20);
    for r in &reports {
        let res = &r.result;
        assert!(res.robustness.is_none(), "samples = 0 means no robustness analysis");
        for g in &res.groups {
            assert!(!g.winners.is_empty(), "measure {} group {} has no winner", res.measure, g.id);
            if let Some(q) = g.quota {
                assert!(g.winners.len() <= q as usize);
            }
            assert!((g.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
        let paid: u64 = res.units.iter().filter_map(|u| u.award.as_ref()).map(|a| a.amount_wan).sum();
        assert_eq!(paid, res.total_wan);
        for u in &res.units {
            if u.outcome == Outcome::Winner {
                assert!(u.vetoes.is_empty(), "a vetoed unit never wins");
            }
            // Every value used can be traced to the readings it came from.
            for (s, info) in u.indicators.iter().zip(&res.indicators) {
                if s.value.is_some() {
                    assert!(s.readings.iter().any(|x| x.series.as_ref() == info.series), "{} {}", u.code, info.id);
                }
            }
            if let Some(score) = u.score {
                let sum: f64 = u.indicators.iter().map(|s| s.contribution).sum();
                // Arithmetic plans: contributions add up to the composite.
                assert!((sum - score).abs() < 1e-6, "measure {} unit {}: {sum} vs {score}", res.measure, u.code);
            }
        }
    }
}

#[tokio::test]
async fn the_pool_of_measure_13_is_paid_out_exactly() {
    let app = common::demo_app().await;
    let r = app.run(13, &RunRequest { samples: Some(0), ..RunRequest::default() }).await.unwrap();
    let county: u64 = r
        .result
        .units
        .iter()
        .filter(|u| u.group.as_deref() == Some("县市区"))
        .filter_map(|u| u.award.as_ref())
        .map(|a| a.amount_wan)
        .sum();
    assert_eq!(county, 1500);
    // Each share says how it was reached.
    for u in r.result.units.iter().filter(|u| u.group.as_deref() == Some("县市区")) {
        if let Some(a) = &u.award {
            let p = a.pool.as_ref().unwrap();
            assert_eq!(p.pool_wan, 1500);
            let exact = p.score / p.total_score * 1500.0;
            assert!((a.amount_wan as f64 - exact).abs() < 1.0, "{}: {} vs {exact}", u.code, a.amount_wan);
        }
    }
}

#[tokio::test]
async fn vetoes_carry_their_evidence() {
    let app = common::demo_app().await;
    let r = app.run(3, &RunRequest { samples: Some(0), ..RunRequest::default() }).await.unwrap();
    let vetoed: Vec<_> = r.result.units.iter().filter(|u| u.outcome == Outcome::Vetoed).collect();
    assert!(!vetoed.is_empty(), "the demo data has accidents");
    for u in vetoed {
        let v = &u.vetoes[0];
        assert_eq!(v.series, "SAFETY_MAJOR_ACCIDENTS");
        assert_eq!(v.period, 2024);
        assert!(v.value > 0.0);
        assert!(v.basis.contains("本方案"));
        assert!(u.award.is_none() && u.gap.is_none());
    }
}

#[tokio::test]
async fn an_unknown_measure_is_a_clear_error() {
    let app = common::demo_app().await;
    let err = app.run(21, &RunRequest::default()).await.unwrap_err().to_string();
    assert!(err.contains("没有第 21 条"), "{err}");
}

#[tokio::test]
async fn a_unit_can_recompute_its_min_max_scores_from_the_group_range() {
    let app = common::demo_app().await;
    let r = app.run(3, &RunRequest { samples: Some(0), ..RunRequest::default() }).await.unwrap().result;
    let mut checked = 0;
    for u in &r.units {
        let Some(g) = r.groups.iter().find(|g| Some(&g.id) == u.group.as_ref()) else { continue };
        for (j, s) in u.indicators.iter().enumerate() {
            let (Some(v), Some(score), Some([lo, hi])) = (s.value, s.score, g.ranges[j]) else { continue };
            // Measure 3 scores every indicator by min-max onto 0–100, higher is better.
            assert!(((v - lo) / (hi - lo) * 100.0 - score).abs() < 1e-9, "{} {}", u.code, r.indicators[j].id);
            checked += 1;
        }
    }
    assert!(checked > 900, "{checked}");
}
