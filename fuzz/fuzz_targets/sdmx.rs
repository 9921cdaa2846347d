//! Any bytes after an SDMX-CSV header line: read as the statistics bureau, the observations
//! written back with `sdmx::write` and read again give the same observations, with no error.
#![no_main]

use jili_fuzz::{catalogue, check_error, check_findings, errors, line_count, read, sorted};
use jili_intake::data::open;
use jili_report::sdmx;
use jili_model::Observation;
use libfuzzer_sys::fuzz_target;

const HEADER: &[u8] =
    b"STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MEASURE\n";

fuzz_target!(|data: &[u8]| {
    let mut bytes = HEADER.to_vec();
    bytes.extend_from_slice(data);
    let lines = line_count(&bytes, None);
    let wb = match open("fuzz.csv", &bytes, None) {
        Ok(wb) => wb,
        Err(e) => return check_error(&e, "fuzz.csv", Some(lines)),
    };
    let first = read(&wb);
    check_findings(&first, &wb, Some(lines));
    let observations: Vec<Observation> = first.observations;
    if observations.is_empty() {
        return;
    }
    let text = sdmx::write(&observations, |code| catalogue().series(code)).expect("SDMX-CSV is written");
    let wb = open("again.csv", text.as_bytes(), None).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let again = read(&wb);
    check_findings(&again, &wb, Some(line_count(text.as_bytes(), None)));
    assert_eq!(errors(&again), Vec::<String>::new(), "{text}");
    assert_eq!(sorted(&again.observations), sorted(&observations), "{text}");
});
