//! Data-driven weights inside plans: characteristic indicators leave gaps, and the Monte Carlo
//! perturbs weights whatever the method.

use jili_engine::{Options, evaluate_with, synthetic};
use jili_model::WeightMethod;

#[test]
fn data_driven_weights_work_with_characteristic_indicators() {
    // Indicator 8 of the synthetic plan applies to 大湘西 only, so no unit has every indicator.
    let (snap, mut plan) = synthetic::national(80, 20, 4, 2024, 3);
    for method in [WeightMethod::Equal, WeightMethod::Entropy, WeightMethod::Critic, WeightMethod::Sd] {
        plan.method.weights = method;
        let r = evaluate_with(&plan, &snap, 1, &Options { samples: Some(0), parallel: false })
            .unwrap_or_else(|e| panic!("{method:?}: {e}"));
        for g in &r.groups {
            let total: f64 = g.weights.iter().sum();
            assert!((total - 1.0).abs() < 1e-9 && g.weights.iter().all(|w| w.is_finite() && *w >= 0.0), "{method:?}");
        }
        assert!(r.units.iter().all(|u| u.score.is_some()), "{method:?}");
    }
}

#[test]
fn weight_uncertainty_applies_to_data_driven_weights_too() {
    let (snap, mut plan) = synthetic::national(80, 20, 4, 2024, 3);
    plan.method.weights = WeightMethod::Entropy;
    let sensitivity = |spread: f64, plan: &mut jili_model::Plan| {
        plan.method.weight_spread = spread;
        let r = evaluate_with(plan, &snap, 7, &Options { samples: Some(64), parallel: true }).unwrap();
        r.robustness.unwrap().sensitivity.into_iter().find(|s| s.choice == "权重").unwrap().total
    };
    assert!(sensitivity(0.0, &mut plan).abs() < 1e-12, "no spread, no weight effect");
    assert!(sensitivity(0.5, &mut plan) > 0.0, "entropy weights move with the Monte Carlo factors");
}
