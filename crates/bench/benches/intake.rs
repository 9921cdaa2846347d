//! `cargo bench -p jili-bench --bench intake`: reading providers' files at the sizes in issue 4
//! (1,000,000 CSV rows on one core; a 100,000-row workbook). `jili bench` prints the same
//! figures with the store's insert rate and the end-to-end import into SQLite.

use divan::{Bencher, black_box};
use jili_app::bundled;
use jili_bench::intake::{CSV_ROWS, XLSX_ROWS, long_csv, long_rows, long_xlsx};
use jili_intake::data::checks::{CheckConfig, value_rules};
use jili_intake::data::{Mapping, ReadOptions, open, read_workbook};
use jili_model::{Catalogue, Status};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn catalogue() -> Catalogue {
    let r = jili_intake::read_reference(&bundled::reference_files()).expect("bundled reference data");
    Catalogue::new(r.departments, r.units, r.series)
}

fn read(file: &str, bytes: &[u8], catalogue: &Catalogue) -> usize {
    let wb = open(file, bytes, None).expect("the benchmark file opens");
    let mapping = Mapping::default();
    let options = ReadOptions { provider: "TJJ", mapping: &mapping, status: Status::Final, period: None };
    let parsed = read_workbook(&wb, catalogue, &options);
    parsed.observations.len() + value_rules(&parsed.observations, catalogue, &CheckConfig::default()).len()
}

#[divan::bench(sample_count = 5)]
fn csv_parse_map_validate_1m(b: Bencher) {
    let catalogue = catalogue();
    let csv = long_csv(&long_rows(&catalogue, CSV_ROWS));
    b.bench(|| read("bench.csv", black_box(&csv), &catalogue));
}

#[divan::bench(sample_count = 5)]
fn xlsx_read_100k(b: Bencher) {
    let catalogue = catalogue();
    let xlsx = long_xlsx(&long_rows(&catalogue, XLSX_ROWS)).expect("workbook");
    b.bench(|| read("bench.xlsx", black_box(&xlsx), &catalogue));
}
