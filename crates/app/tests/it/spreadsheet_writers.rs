//! Every writer of jili's CSV and XLSX files passes its text through the one neutralising
//! function, `jili_model::spreadsheet::safe_cell` (issue 20): a source file that writes CSV
//! records or XLSX cells and does not use it fails here, so a new export cannot forget it. The
//! behaviour itself is tested through real downloads (crates/web/tests/sessions.rs,
//! crates/app/tests/sessions.rs, crates/cli/tests/sessions.rs).

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_csv_and_xlsx_writer_neutralises_formulas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["crates/app/src", "crates/web/src", "crates/cli/src", "crates/bench/src", "crates/intake/src/data"] {
        sources(&root.join(dir), &mut files);
    }
    let writes = ["write_record(", "write_string(", "write_string_with_format("];
    let mut writers = Vec::new();
    let mut forgot = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        if writes.iter().any(|w| text.contains(w)) {
            writers.push(file.display().to_string());
            if !text.contains("safe_cell(") {
                forgot.push(file.display().to_string());
            }
        }
    }
    assert!(writers.len() >= 6, "the writers were found: {writers:?}");
    assert!(forgot.is_empty(), "these write CSV or XLSX cells without safe_cell: {forgot:?}");
}
