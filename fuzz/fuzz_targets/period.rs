//! Any text as a period: no panic, and a period read back from its canonical form (Display)
//! and from its label (2024年第1季度) is the same period.
#![no_main]

use jili_model::Period;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(p) = text.parse::<Period>() {
        assert!((1949..=2200).contains(&p.year), "{text:?} → {p}");
        assert_eq!(p.to_string().parse::<Period>(), Ok(p), "{text:?} → {p}");
        assert_eq!(p.label().parse::<Period>(), Ok(p), "{text:?} → {}", p.label());
    }
});
