//! Any bytes, opened as a provider's file (XLSX and XLS by their magic): no panic, and every
//! finding is inside the sheet it names. Seeds: `seeds/xlsx`.
#![no_main]

use jili_fuzz::{allow_caught_panics, check_error, check_findings, read};
use jili_intake::data::open;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    allow_caught_panics();
    match open("fuzz.xlsx", data, None) {
        Ok(wb) => check_findings(&read(&wb), &wb, None),
        Err(e) => check_error(&e, "fuzz.xlsx", None),
    }
});
