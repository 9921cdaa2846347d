//! Readers for what arrives from outside: reference data (departments, divisions, parks, the
//! series catalogue), providers' data files ([`data`]: XLSX, XLS, CSV in any usual encoding,
//! SDMX-CSV, with their checks and anomaly flags) and analysts' tables ([`analyst`]). Readers
//! take bytes, never paths, and return either checked data or every problem with its file,
//! sheet, line, column and field — so a bad file changes nothing stored.
//!
//! ```
//! use jili_intake::read_departments;
//!
//! let csv = "# source: example\ncode,name,full_name,lead,provider\nTJJ,省统计局,湖南省统计局,0,1\n";
//! let departments = read_departments("departments.csv", csv.as_bytes()).unwrap();
//! assert!(departments[0].provider);
//!
//! let dup = format!("{csv}TJJ,省统计局,湖南省统计局,0,1\n");
//! let err = read_departments("departments.csv", dup.as_bytes()).unwrap_err();
//! assert!(err.to_string().contains("第 4 行"));
//! ```

pub mod analyst;
pub mod data;
mod error;
mod reference;
mod sheet;
mod table;

pub use error::IntakeError;
pub use reference::{
    NamedBytes, Reference, ReferenceFiles, read_departments, read_divisions, read_parks, read_reference, read_series,
};
