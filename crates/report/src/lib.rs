//! jili's files for people and other systems, apart from the use-cases that compute what goes
//! into them (as ripgrep keeps its searcher and its printer apart): the results notice as a Word
//! document in the GB/T 9704 layout ([`notice`]), tables as CSV and XLSX ([`table`]), data as
//! SDMX-CSV 2.0 ([`sdmx`]) with its SDMX-ML 3.0 structure ([`sdmx_structure`]), the audit and access logs as CSV and XLSX ([`logs`]), the analyst
//! commands' tables as CSV and JSON ([`analyst`]). Every cell a spreadsheet might run as a formula
//! is neutralised.
//!
//! ```
//! let csv = jili_report::table::csv_file(&["单位", "数值"], &[["长沙市".to_string(), "=1+1".to_string()]]).unwrap();
//! let text = String::from_utf8(csv).unwrap();
//! assert!(text.starts_with('\u{feff}'), "a byte-order mark, for Excel and WPS");
//! assert!(text.contains("'=1+1"), "a formula is shown, not run");
//! ```

pub mod analyst;
pub mod cells;
pub mod funds;
pub mod logs;
pub mod notice;
pub mod sdmx;
pub mod sdmx_structure;
pub mod table;
pub mod template;

/// A file that could not be written, in words for the person who asked for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReportError(pub String);

/// Shorthand for the writers' results.
pub type Result<T> = std::result::Result<T, ReportError>;
