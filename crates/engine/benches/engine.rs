//! `cargo bench -p jili-engine`: the engine's speed on synthetic inputs of the sizes in issue 3.
//! `jili bench` prints the same figures next to the peers' (COINr, scikit-criteria, pymcdm).

use divan::{Bencher, black_box};
use jili_engine::index::{BuildOptions, Variation, build};
use jili_engine::mcda::{McdaMethod, WeightSpec, mcda};
use jili_engine::synthetic;
use jili_engine::uncertain::{Inputs, Space, default_spec, sensitivity, uncertainty};
use jili_engine::{Options, evaluate_with};
use jili_model::composite::{Composite, UnitColumns, UnitTable};
use jili_model::pipeline::{Pipeline, Treat};
use jili_model::uncertainty::{NormaliseChoice, Uncertain, WeightNoise};
use jili_model::{Aggregation, Direction, Normalise, WeightMethod};

fn main() {
    divan::main();
}

#[divan::bench]
fn asem_build(b: Bencher) {
    let (tree, data) = synthetic::asem_like(51, 1);
    b.bench(|| build(black_box(&tree), black_box(&data), &BuildOptions::default(), &Variation::default()));
}

/// The analysis inputs of a synthetic composite with no steps before normalising.
fn inputs<'a>(tree: &'a Composite, raw: &'a UnitTable, extra: &'a UnitColumns, base: &'a Pipeline) -> Inputs<'a, 'a> {
    Inputs { tree, raw, extra, base, options: BuildOptions::default() }
}

#[divan::bench(sample_count = 10)]
fn asem_uncertainty_1000(b: Bencher) {
    let (tree, data) = synthetic::asem_like(51, 1);
    let spec = default_spec(&tree, Normalise::Minmax);
    let (extra, base) = (UnitColumns::default(), Pipeline::default());
    b.bench(|| {
        let space = Space::new(inputs(&tree, &data, &extra, &base), &spec, 1000, 7);
        space.and_then(|s| uncertainty(&s, 1000, &[0.05, 0.95], false))
    });
}

/// COINr's sensitivity vignette design: four choices, N = 100 (600 builds), 100 bootstrap draws.
#[divan::bench(sample_count = 10)]
fn asem_sobol_100(b: Bencher) {
    let (tree, data) = synthetic::asem_like(51, 1);
    let spec = Uncertain {
        weights: Some(WeightNoise { spread: 0.25, levels: vec![2, 3], sets: None }),
        normalise: vec![
            NormaliseChoice { method: Normalise::Minmax, low: Some(1.0), high: Some(100.0) },
            NormaliseChoice { method: Normalise::Zscore, low: Some(10.0), high: Some(2.0) },
        ],
        aggregate: vec![Aggregation::Amean, Aggregation::Gmean],
        treat: (1..=5).map(|max| Treat::Winsorise { max }).collect(),
        ..Uncertain::default()
    };
    let (extra, base) = (UnitColumns::default(), Pipeline::default());
    b.bench(|| {
        let space = Space::new(inputs(&tree, &data, &extra, &base), &spec, 100, 7);
        space.and_then(|s| sensitivity(&s, 100, 100, &[0.05, 0.95], false))
    });
}

#[divan::bench(sample_count = 20)]
fn entropy_topsis_3000x200(b: Bencher) {
    let m = synthetic::matrix(3000, 200, 1);
    let types = vec![Direction::Higher; 200];
    b.bench(|| mcda(&m, &types, &WeightSpec::Method(WeightMethod::Entropy), McdaMethod::Topsis, None));
}

#[divan::bench(sample_count = 10)]
fn national_plan_2844x200x5(b: Bencher) {
    let (snap, plan) = synthetic::national(2844, 200, 5, 2024, 1);
    let options = Options { samples: Some(0), parallel: true };
    b.bench(|| evaluate_with(&plan, &snap, 1, &options));
}
