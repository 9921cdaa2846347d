//! `cargo bench -p jili-engine`: the engine's speed on synthetic inputs of the sizes in issue 3.
//! `jili bench` prints the same figures next to the peers' (COINr, scikit-criteria, pymcdm).

use divan::{Bencher, black_box};
use jili_engine::index::{BuildOptions, Variation, build, uncertainty};
use jili_engine::mcda::{McdaMethod, WeightSpec, mcda};
use jili_engine::synthetic;
use jili_engine::{Options, evaluate_with};
use jili_model::{Direction, Normalise, WeightMethod};

fn main() {
    divan::main();
}

#[divan::bench]
fn asem_build(b: Bencher) {
    let (tree, data) = synthetic::asem_like(51, 1);
    b.bench(|| build(black_box(&tree), black_box(&data), &BuildOptions::default(), &Variation::default()));
}

#[divan::bench(sample_count = 10)]
fn asem_uncertainty_1000(b: Bencher) {
    let (tree, data) = synthetic::asem_like(51, 1);
    let alts = [Normalise::Minmax, Normalise::Percentile, Normalise::Zscore];
    b.bench(|| uncertainty(&tree, &data, &BuildOptions::default(), 1000, 7, 0.25, &alts));
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
