//! Properties the engine must keep for any input: bounded scales stay bounded, a better value
//! never lowers a unit's own score, input order changes nothing, money is exact, runs are
//! reproducible, and TOPSIS's fast path equals the textbook computation.

use jili_engine::aggregate::topsis;
use jili_engine::funds::share;
use jili_engine::index::{BuildOptions, Built, UnitTable, Variation, build};
use jili_engine::mcda::{DecisionMatrix, MatrixNormalise, McdaMethod, WeightSpec, mcda};
use jili_engine::normalise::{Scaler, normalise};
use jili_engine::{Options, Snapshot, SnapshotUnit, evaluate_with, synthetic};
use jili_model::composite::{Branch, Composite, Leaf, Node, NodeKind};
use jili_model::{Aggregation, Direction, Normalise, WeightMethod};
use proptest::collection::vec;
use proptest::prelude::*;

/// Values as data has them: wide and narrow ranges, small integers (ties) and gaps (NaN).
fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => -1e9..1e9f64,
        3 => -10.0..10.0f64,
        2 => (0..5i32).prop_map(f64::from),
        1 => Just(f64::NAN),
    ]
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![Just(Direction::Higher), Just(Direction::Lower)]
}

/// `m` units by four indicators, with fixed weights for the leaves and the two pillars.
fn table_and_weights() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<f64>)> {
    (2usize..12).prop_flat_map(|m| (vec(vec(value(), m), 4), vec(0.1..5.0f64, 6)))
}

/// Leaves 0–3; pillars 4 (leaves 0, 1) and 5 (leaves 2, 3); root 6. Min-max, arithmetic mean,
/// fixed weights at every node.
fn tree(w: &[f64]) -> Composite {
    let leaf = |i: usize, parent: usize| Node {
        code: format!("I{i}"),
        name: format!("指标{i}"),
        level: 1,
        parent: Some(parent),
        weight: w[i],
        kind: NodeKind::Indicator(Leaf::default()),
    };
    let branch = |code: &str, level: u32, parent: Option<usize>, weight: f64| Node {
        code: code.into(),
        name: code.into(),
        level,
        parent,
        weight,
        kind: NodeKind::Aggregate(Branch { aggregate: Aggregation::Amean, weights: WeightMethod::Fixed }),
    };
    Composite {
        nodes: vec![
            leaf(0, 4),
            leaf(1, 4),
            leaf(2, 5),
            leaf(3, 5),
            branch("P0", 2, Some(6), w[4]),
            branch("P1", 2, Some(6), w[5]),
            branch("Index", 3, None, 1.0),
        ],
    }
}

fn table(columns: Vec<Vec<f64>>) -> UnitTable {
    let m = columns[0].len();
    UnitTable {
        codes: (0..m).map(|u| format!("U{u:02}")).collect(),
        names: (0..m).map(|u| format!("单位{u}")).collect(),
        columns,
    }
}

fn built(c: &Composite, data: &UnitTable, normalise: Normalise) -> Built {
    build(c, data, &BuildOptions { normalise, scale: 100.0 }, &Variation::default())
        .expect("a tree with fixed weights builds")
}

/// Equal, or both missing.
fn same(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-12 * a.abs().max(1.0)
}

/// The snapshot with its units in the order `perm` (series `S000`‥ and `years` as `national` makes).
fn reordered(snap: &Snapshot, perm: &[usize], series: usize, years: std::ops::RangeInclusive<i32>) -> Snapshot {
    let units: Vec<SnapshotUnit> = perm.iter().map(|&i| snap.units()[i].clone()).collect();
    let mut out = Snapshot::new(units);
    for &u in perm {
        for s in 0..series {
            let name = format!("S{s:03}");
            for y in years.clone() {
                let v = snap.value(&name, u, y);
                if !v.is_nan() {
                    out.insert(&name, &snap.units()[u].code, y, v);
                }
            }
        }
    }
    out
}

fn json(r: &jili_engine::RunResult) -> String {
    serde_json::to_string(r).expect("a result serialises")
}

/// `share` takes any scores (negative or missing count as 0), so huge finite ones must not
/// overflow its fixed-point integer arithmetic either.
#[test]
fn a_pool_is_paid_exactly_even_for_huge_scores() {
    for scores in [vec![1e30], vec![1e40, 1e40], vec![f64::MAX, 1.0]] {
        let s = share(1000, &scores);
        assert_eq!(s.iter().sum::<u64>(), 1000, "{scores:?} → {s:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Min-max and percentile onto [0, scale], goalposts onto [0, scale], efficacy onto [60, 100];
    /// a missing value stays missing and a present one stays present.
    #[test]
    fn bounded_scales_stay_in_range(
        xs in vec(value(), 0..30),
        direction in direction(),
        scale in 1.0..1000.0f64,
        low in -1e6..1e6f64,
        width in 1e-3..1e6f64,
    ) {
        let cases = [
            (Normalise::Minmax, None, (0.0, scale)),
            (Normalise::Percentile, None, (0.0, scale)),
            (Normalise::Goalposts, Some([low, low + width]), (0.0, scale)),
            (Normalise::Efficacy, Some([low, low + width]), (60.0, 100.0)),
            (Normalise::Efficacy, None, (60.0, 100.0)),
        ];
        for (method, bounds, (lo, hi)) in cases {
            let s = Scaler {
                direction,
                scale,
                low: bounds.map(|b| b[0]),
                high: bounds.map(|b| b[1]),
                ..Scaler::new(method)
            };
            let out = normalise(&xs, &s, "t").unwrap();
            prop_assert_eq!(out.len(), xs.len());
            for (x, y) in xs.iter().zip(&out) {
                prop_assert_eq!(x.is_nan(), y.is_nan(), "{:?}: {} → {}", method, x, y);
                prop_assert!(y.is_nan() || (lo <= *y && *y <= hi), "{:?}: {} → {} outside [{}, {}]", method, x, y, lo, hi);
            }
        }
    }

    /// Raising one unit's value of a benefit indicator never lowers that unit's composite (min-max,
    /// arithmetic means, fixed weights). Other units may fall when it becomes the new maximum.
    #[test]
    fn a_better_value_never_lowers_the_own_composite(
        (mut columns, w) in table_and_weights(),
        pick in any::<proptest::sample::Index>(),
        j in 0..4usize,
        bump in 0.0..1e6f64,
    ) {
        let u = pick.index(columns[0].len());
        if columns[j][u].is_nan() {
            columns[j][u] = 0.0;
        }
        let c = tree(&w);
        let before = built(&c, &table(columns.clone()), Normalise::Minmax);
        columns[j][u] += bump;
        let after = built(&c, &table(columns), Normalise::Minmax);
        let (b, a) = (before.nodes[c.root()][u], after.nodes[c.root()][u]);
        prop_assert!(a >= b, "unit {} indicator {}: composite {} → {} after +{}", u, j, b, a, bump);
    }

    /// Listing the units in another order gives each unit the same node values and rank.
    #[test]
    fn unit_order_does_not_change_a_composite(
        (columns, w, perm) in table_and_weights().prop_flat_map(|(c, w)| {
            let m = c[0].len();
            (Just(c), Just(w), Just((0..m).collect::<Vec<usize>>()).prop_shuffle())
        }),
        method in prop_oneof![Just(Normalise::Minmax), Just(Normalise::Percentile), Just(Normalise::Rank)],
    ) {
        let c = tree(&w);
        let data = table(columns);
        let moved = UnitTable {
            codes: perm.iter().map(|&i| data.codes[i].clone()).collect(),
            names: perm.iter().map(|&i| data.names[i].clone()).collect(),
            columns: data.columns.iter().map(|col| perm.iter().map(|&i| col[i]).collect()).collect(),
        };
        let (a, b) = (built(&c, &data, method), built(&c, &moved, method));
        for (new, &old) in perm.iter().enumerate() {
            for node in 0..c.nodes.len() {
                prop_assert!(same(a.nodes[node][old], b.nodes[node][new]), "node {} unit {}", node, old);
            }
            prop_assert_eq!(a.rank[old], b.rank[new]);
        }
    }

    /// A pool is always paid out exactly, whatever the scores (negative, zero, missing).
    #[test]
    fn a_pool_is_paid_exactly(
        pool in 0..1_000_000u64,
        scores in vec(prop_oneof![4 => 0.0..100.0f64, 1 => Just(0.0), 1 => Just(-5.0), 1 => Just(f64::NAN)], 1..20),
    ) {
        let s = share(pool, &scores);
        prop_assert_eq!(s.len(), scores.len());
        prop_assert_eq!(s.iter().sum::<u64>(), pool);
    }

    /// Each share is within 1 万元 of its exact proportional quota pool·score/Σscore. Scores
    /// carry three decimals (as published), so the quota is an exact fraction k·pool/K.
    #[test]
    fn each_share_is_within_one_of_its_quota(
        pool in 0..10_000_000u64,
        milli in vec(1..100_000u64, 1..20),
    ) {
        let scores: Vec<f64> = milli.iter().map(|&k| k as f64 / 1000.0).collect();
        let s = share(pool, &scores);
        let total: u64 = milli.iter().sum();
        for (&got, &k) in s.iter().zip(&milli) {
            // |got − pool·k/K| < 1  ⇔  |got·K − pool·k| < K, in integers.
            let diff = (i128::from(got) * i128::from(total) - i128::from(pool) * i128::from(k)).abs();
            prop_assert!(diff < i128::from(total), "share {} of {} for {}/{}", got, pool, k, total);
        }
    }

    /// TOPSIS after vector, min-max or max normalisation (mcda's affine fast path) equals
    /// normalising the matrix by hand and running TOPSIS on the benefit columns.
    #[test]
    fn topsis_fast_path_equals_the_normalised_matrix(
        (columns, types, given) in (2usize..10, 1usize..5).prop_flat_map(|(m, n)| (
            vec(vec(1.0..100.0f64, m), n),
            vec(direction(), n),
            vec(0.1..1.0f64, n),
        )),
        kind in prop_oneof![Just(MatrixNormalise::Vector), Just(MatrixNormalise::Minmax), Just(MatrixNormalise::Max)],
    ) {
        let m = DecisionMatrix {
            alternatives: (0..columns[0].len()).map(|i| format!("A{i}")).collect(),
            criteria: (0..columns.len()).map(|j| format!("C{j}")).collect(),
            columns: columns.clone(),
        };
        let r = mcda(&m, &types, &WeightSpec::Given(given), McdaMethod::Topsis, Some(kind)).unwrap();
        let benefit: Vec<Vec<f64>> = columns
            .iter()
            .zip(&types)
            .map(|(c, t)| {
                let higher = *t == Direction::Higher;
                let (min, max) = c.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &x| (lo.min(x), hi.max(x)));
                let norm = c.iter().map(|x| x * x).sum::<f64>().sqrt();
                c.iter()
                    .map(|&x| match (kind, higher) {
                        (MatrixNormalise::Vector, true) => x / norm,
                        (MatrixNormalise::Vector, false) => 1.0 - x / norm,
                        (MatrixNormalise::Minmax, true) => (x - min) / (max - min),
                        (MatrixNormalise::Minmax, false) => (max - x) / (max - min),
                        (MatrixNormalise::Max, true) => x / max,
                        (_, _) => 1.0 - x / max,
                    })
                    .collect()
            })
            .collect();
        let want = topsis(&benefit, &r.weights);
        prop_assert_eq!(r.scores.len(), want.len());
        for (g, w) in r.scores.iter().zip(&want) {
            prop_assert!((g - w).abs() <= 1e-9, "{:?}: fast {:?} vs normalised {:?}", kind, r.scores, want);
        }
    }
}

proptest! {
    // Each case runs whole evaluations with Monte Carlo; a few cases are enough.
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// The same seed gives the same bytes, and threads change nothing.
    #[test]
    fn same_seed_same_bytes_and_parallel_equals_serial(data_seed in 0..1000u64, seed in any::<u64>()) {
        let (snap, plan) = synthetic::national(60, 20, 4, 2024, data_seed);
        let parallel = Options { samples: Some(24), parallel: true };
        let serial = Options { samples: Some(24), parallel: false };
        let a = json(&evaluate_with(&plan, &snap, seed, &parallel).unwrap());
        let b = json(&evaluate_with(&plan, &snap, seed, &parallel).unwrap());
        let c = json(&evaluate_with(&plan, &snap, seed, &serial).unwrap());
        prop_assert!(a == b, "two runs with seed {} differ", seed);
        prop_assert!(a == c, "parallel and serial runs with seed {} differ", seed);
    }

    /// The order of the units in the snapshot changes nothing in the result, robustness included.
    #[test]
    fn snapshot_order_does_not_change_the_result(
        data_seed in 0..1000u64,
        perm in Just((0..40).collect::<Vec<usize>>()).prop_shuffle(),
    ) {
        let (snap, plan) = synthetic::national(40, 10, 3, 2024, data_seed);
        let moved = reordered(&snap, &perm, 10, 2022..=2024);
        let options = Options { samples: Some(16), parallel: true };
        let a = evaluate_with(&plan, &snap, 11, &options).unwrap();
        let b = evaluate_with(&plan, &moved, 11, &options).unwrap();
        prop_assert!(json(&a) == json(&b), "results differ after reordering the snapshot's units");
    }
}
