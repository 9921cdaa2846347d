//! Published numbers the engine must reproduce, quoted as the issue gives them.

use jili_engine::aggregate::{combine, copeland};
use jili_engine::mcda::{DecisionMatrix, McdaMethod, WeightSpec, mcda};
use jili_engine::normalise::{Scaler, normalise};
use jili_engine::outlier::winsorise;
use jili_engine::weights::{critic, entropy, weights};
use jili_model::{Aggregation, Direction, Normalise, WeightMethod};

/// Rows as written in the papers → columns.
fn columns(rows: &[&[f64]]) -> Vec<Vec<f64>> {
    (0..rows[0].len()).map(|j| rows.iter().map(|r| r[j]).collect()).collect()
}

fn close(got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() <= tol, "got {got:?}, want {want:?} (±{tol})");
    }
}

fn unit_sum(w: Vec<f64>) -> Vec<f64> {
    let t: f64 = w.iter().sum();
    w.into_iter().map(|x| x / t).collect()
}

#[test]
fn entropy_weights_xu_2004() {
    let m = columns(&[
        &[30.0, 30.0, 38.0, 29.0],
        &[19.0, 54.0, 86.0, 29.0],
        &[19.0, 15.0, 85.0, 28.9],
        &[68.0, 70.0, 60.0, 29.0],
    ]);
    close(&unit_sum(entropy(&m, "t").unwrap()), &[0.4630, 0.3992, 0.1378, 0.0000], 5e-5);
}

#[test]
fn entropy_weights_zavadskas_podvezko_2016() {
    let m =
        columns(&[&[3.0, 100.0, 10.0, 7.0], &[2.5, 80.0, 8.0, 5.0], &[1.8, 50.0, 20.0, 11.0], &[2.2, 70.0, 12.0, 9.0]]);
    close(&unit_sum(entropy(&m, "t").unwrap()), &[0.1146, 0.1981, 0.4185, 0.2689], 5e-5);
}

#[test]
fn critic_weights_diakoulaki_1995() {
    let m = columns(&[
        &[61.0, 1.08, 4.33],
        &[20.7, 0.26, 4.34],
        &[16.3, 1.98, 2.53],
        &[9.0, 3.29, 1.65],
        &[5.4, 2.77, 2.33],
        &[4.0, 4.12, 1.21],
        &[-6.1, 3.52, 2.10],
        &[-34.6, 3.31, 0.98],
    ]);
    close(&unit_sum(critic(&m, &[Direction::Higher; 3])), &[0.20222554, 0.48090173, 0.31687273], 5e-8);
}

#[test]
fn topsis_hwang_yoon_1981() {
    let m = DecisionMatrix {
        alternatives: (1..=4).map(|i| format!("A{i}")).collect(),
        criteria: (1..=6).map(|i| format!("C{i}")).collect(),
        columns: columns(&[
            &[2.0, 1500.0, 20000.0, 5.5, 5.0, 9.0],
            &[2.5, 2700.0, 18000.0, 6.5, 3.0, 5.0],
            &[1.8, 2000.0, 21000.0, 4.5, 7.0, 7.0],
            &[2.2, 1800.0, 20000.0, 5.0, 5.0, 5.0],
        ]),
    };
    let mut types = [Direction::Higher; 6];
    types[3] = Direction::Lower;
    let r = mcda(&m, &types, &WeightSpec::Given(vec![0.2, 0.1, 0.1, 0.1, 0.2, 0.3]), McdaMethod::Topsis, None).unwrap();
    // Published to three decimals (truncated: 0.6135 appears as 0.613), so within 0.001.
    close(&r.scores, &[0.643, 0.268, 0.613, 0.312], 1e-3);
    assert_eq!(r.ranking, [1, 4, 2, 3]);
}

#[test]
fn topsis_tzeng_huang_2011() {
    let m = DecisionMatrix {
        alternatives: (1..=4).map(|i| format!("A{i}")).collect(),
        criteria: (1..=3).map(|i| format!("C{i}")).collect(),
        columns: columns(&[&[5.0, 8.0, 4.0], &[7.0, 6.0, 8.0], &[8.0, 8.0, 6.0], &[7.0, 4.0, 6.0]]),
    };
    let r =
        mcda(&m, &[Direction::Higher; 3], &WeightSpec::Given(vec![0.3, 0.4, 0.3]), McdaMethod::Topsis, None).unwrap();
    close(&r.scores, &[0.5037, 0.6581, 0.7482, 0.3340], 5e-5);
}

#[test]
fn coinr_distance_to_target() {
    let s = Scaler { target: Some(10.0), ..Scaler::new(Normalise::Target) };
    close(&normalise(&[0.0, 5.0, 11.0], &s, "t").unwrap(), &[0.0, 0.5, 1.1], 1e-12);
}

#[test]
fn coinr_goalposts() {
    let s = Scaler { low: Some(0.0), high: Some(10.0), scale: 1.0, ..Scaler::new(Normalise::Goalposts) };
    close(&normalise(&[1.0, 11.0, -1.0], &s, "t").unwrap(), &[0.1, 1.0, 0.0], 1e-12);
}

#[test]
fn coinr_weighted_geometric_mean_and_its_error() {
    let g = combine(Aggregation::Gmean, &[1.0, 2.0, 3.0], &[1.0, 1.0, 2.0]).unwrap();
    assert!((g - 2.059767).abs() < 5e-7, "{g}");
    assert_eq!(combine(Aggregation::Gmean, &[1.0, 0.0, 3.0], &[1.0, 1.0, 2.0]), Err(0.0));
    assert_eq!(combine(Aggregation::Gmean, &[1.0, -2.0, 3.0], &[1.0, 1.0, 2.0]), Err(-2.0));
}

#[test]
fn coinr_weighted_harmonic_mean() {
    let h = combine(Aggregation::Hmean, &[1.0, 2.0, 3.0], &[2.0, 1.0, 1.0]).unwrap();
    assert!((h - 1.411765).abs() < 5e-7, "{h}");
}

#[test]
fn coinr_weighted_mean_skips_missing() {
    let a = combine(Aggregation::Amean, &[1.0, f64::NAN, 3.0], &[1.0, 1.0, 2.0]).unwrap();
    assert!((a - 2.333333).abs() < 5e-7, "{a}");
}

#[test]
fn coinr_copeland() {
    let m = columns(&[&[1.0, 3.0, 2.0], &[2.0, 2.0, 3.0], &[3.0, 1.0, 1.0], &[4.0, 5.0, 4.0]]);
    assert_eq!(copeland(&m, &[1.0, 1.0, 1.0]), [-1.0, 1.0, -3.0, 3.0]);
}

#[test]
fn coinr_winsorising() {
    let mut xs: Vec<f64> = (1..=10).map(f64::from).chain([100.0]).collect();
    winsorise(&mut xs);
    assert!((xs[10] - 10.0).abs() < 1e-12, "{xs:?}");
}

#[test]
fn all_zero_weights_are_a_clear_error() {
    let err = weights(WeightMethod::Fixed, &[vec![1.0], vec![2.0]], &[Direction::Higher; 2], &[0.0, 0.0], "市州组")
        .unwrap_err();
    assert!(err.to_string().contains("权重全部为零"), "{err}");
}
