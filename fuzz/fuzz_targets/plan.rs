//! Any text, read as a lead department's plan file within the default limits: no panic, no
//! recursion past the nesting bound (a deep array is refused before the TOML parser sees it).
#![no_main]

use jili_model::Limits;
use jili_model::plan::PlanDraft;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = PlanDraft::parse_bounded("fuzz.toml", text, &Limits::default());
    }
});
