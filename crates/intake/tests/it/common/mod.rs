//! The repository's own reference data as a catalogue, for reading providers' files in tests.
#![allow(dead_code)]

use jili_intake::data::{Finding, Mapping, Parsed, ReadOptions, Severity, open, read_workbook};
use jili_intake::{NamedBytes, ReferenceFiles, read_reference};
use jili_model::{Catalogue, Status};
use std::path::PathBuf;

fn data(path: &str) -> NamedBytes {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(path);
    NamedBytes::new(path, std::fs::read(&full).unwrap_or_else(|e| panic!("{path}: {e}")))
}

/// The bundled departments, divisions, parks and series.
pub fn catalogue() -> Catalogue {
    let files = ReferenceFiles {
        departments: vec![data("data/departments/hunan.csv")],
        divisions: vec![data("data/divisions/hunan.csv")],
        parks: vec![data("data/parks/hunan.csv")],
        series: vec![data("data/series/core.csv"), data("data/series/plans-a.csv"), data("data/series/plans-b.csv")],
    };
    let r = read_reference(&files).expect("bundled reference data reads");
    Catalogue::new(r.departments, r.units, r.series)
}

/// Read `bytes` as `provider`'s file with `mapping`.
pub fn parse_with(file: &str, bytes: &[u8], provider: &str, mapping: &Mapping) -> Parsed {
    let catalogue = catalogue();
    match open(file, bytes, None) {
        Ok(wb) => {
            read_workbook(&wb, &catalogue, &ReadOptions { provider, mapping, status: Status::Final, period: None })
        }
        Err(e) => panic!("{file} did not open: {e}"),
    }
}

/// Read as the statistics bureau (TJJ) with no mapping.
pub fn parse(file: &str, bytes: &[u8]) -> Parsed {
    parse_with(file, bytes, "TJJ", &Mapping::default())
}

/// The findings of one severity, as lines.
pub fn lines(parsed: &Parsed, severity: Severity) -> Vec<String> {
    parsed.findings.iter().filter(|f| f.severity == severity).map(Finding::line).collect()
}

/// (series, unit, period, value) of each observation.
pub fn values(parsed: &Parsed) -> Vec<String> {
    parsed.observations.iter().map(|o| format!("{} {} {} {}", o.series, o.unit, o.period, o.value)).collect()
}
