//! Any bytes, read as a text file (CSV in any encoding and delimiter): no panic, and every
//! problem is located on a line the file has.
#![no_main]

use jili_fuzz::{check_error, check_findings, line_count, read};
use jili_intake::data::open;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Workbooks are the xlsx target's.
    if data.starts_with(b"PK\x03\x04") || data.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return;
    }
    let lines = line_count(data, None);
    match open("fuzz.csv", data, None) {
        Ok(wb) => check_findings(&read(&wb), &wb, Some(lines)),
        Err(e) => check_error(&e, "fuzz.csv", Some(lines)),
    }
});
