//! Property tests: the reference readers never panic, whatever bytes arrive, and every error
//! they return points into the file.

use jili_intake::{IntakeError, read_departments, read_divisions, read_series};
use proptest::prelude::*;

const DIVISIONS: &str = include_str!("../../../../data/divisions/hunan.csv");
const DEPARTMENTS: &str = include_str!("../../../../data/departments/hunan.csv");
const SERIES: &str = include_str!("../../../../data/series/core.csv");

fn lines_of(text: &[u8]) -> usize {
    text.iter().filter(|b| **b == b'\n').count() + 1
}

fn check_located(err: &IntakeError, name: &str, max_line: usize) {
    for p in err.problems() {
        let IntakeError::At { at, .. } = p else { unreachable!("problems() flattens") };
        assert_eq!(at.file, name);
        assert!(at.line.is_none_or(|l| l >= 1 && l as usize <= max_line), "line {:?} of {max_line}", at.line);
    }
}

/// A valid file with one byte range replaced by arbitrary bytes.
fn mutated(base: &'static str) -> impl Strategy<Value = Vec<u8>> {
    (0..base.len(), 0usize..40, proptest::collection::vec(any::<u8>(), 0..40)).prop_map(move |(at, cut, insert)| {
        let mut bytes = base.as_bytes().to_vec();
        let end = (at + cut).min(bytes.len());
        bytes.splice(at..end, insert);
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn divisions_reader_never_panics(bytes in mutated(DIVISIONS)) {
        if let Err(e) = read_divisions("d.csv", &bytes) {
            check_located(&e, "d.csv", lines_of(&bytes));
        }
    }

    #[test]
    fn departments_reader_never_panics(bytes in mutated(DEPARTMENTS)) {
        if let Err(e) = read_departments("p.csv", &bytes) {
            check_located(&e, "p.csv", lines_of(&bytes));
        }
    }

    #[test]
    fn series_reader_never_panics(bytes in mutated(SERIES)) {
        let departments = read_departments("p.csv", DEPARTMENTS.as_bytes()).unwrap();
        if let Err(e) = read_series("s.csv", &bytes, &departments) {
            check_located(&e, "s.csv", lines_of(&bytes));
        }
    }

    #[test]
    fn any_bytes_at_all(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = read_divisions("x.csv", &bytes);
        let _ = read_departments("x.csv", &bytes);
    }
}
