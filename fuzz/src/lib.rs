//! What the fuzz targets share: the bundled catalogue (read once), reading a workbook as the
//! statistics bureau, and the checks every read must pass (findings located inside the file,
//! an SDMX round trip that gives back the same observations).

mod invariants;

pub use invariants::{check_error, check_findings, errors, line_count, sorted};
use jili_intake::data::{Mapping, Parsed, ReadOptions, Workbook, read_workbook};
use jili_intake::{NamedBytes, ReferenceFiles, read_reference};
use jili_model::{Catalogue, Status};
use std::sync::OnceLock;

/// The bundled departments, divisions, parks and series, read once per process.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        let data = |name: &str, bytes: &[u8]| NamedBytes::new(name, bytes);
        let files = ReferenceFiles {
            departments: vec![data("data/departments/hunan.csv", include_bytes!("../../data/departments/hunan.csv"))],
            divisions: vec![data("data/divisions/hunan.csv", include_bytes!("../../data/divisions/hunan.csv"))],
            parks: vec![data("data/parks/hunan.csv", include_bytes!("../../data/parks/hunan.csv"))],
            series: vec![
                data("data/series/core.csv", include_bytes!("../../data/series/core.csv")),
                data("data/series/plans-a.csv", include_bytes!("../../data/series/plans-a.csv")),
                data("data/series/plans-b.csv", include_bytes!("../../data/series/plans-b.csv")),
            ],
        };
        let r = read_reference(&files).unwrap_or_else(|e| panic!("bundled reference data: {e}"));
        Catalogue::new(r.departments, r.units, r.series)
    })
}

/// Read a workbook as the statistics bureau (TJJ) with no mapping.
pub fn read(wb: &Workbook) -> Parsed {
    let mapping = Mapping::default();
    read_workbook(
        wb,
        catalogue(),
        &ReadOptions { provider: "TJJ", mapping: &mapping, status: Status::Final, period: None },
    )
}

/// Whether a panic raised and caught inside `open` (calamine's, turned into an error for the
/// user) is tolerated: set `JILI_FUZZ_ALLOW_CAUGHT=1`. By default libfuzzer-sys aborts on any
/// panic, caught or not, which reports calamine's own panics as crashes.
pub fn allow_caught_panics() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        if std::env::var_os("JILI_FUZZ_ALLOW_CAUGHT").is_some() {
            // An uncaught panic still aborts: libfuzzer-sys catches it at the target's edge.
            std::panic::set_hook(Box::new(|info| eprintln!("{info}")));
        }
    });
}
