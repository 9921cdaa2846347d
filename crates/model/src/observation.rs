//! Observations: (series, unit, period) → value, arriving in import batches.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A reporting period. Annual for now; quarters and months arrive with the intake issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Period {
    pub year: i32,
}

impl Period {
    /// The calendar year `year`.
    pub fn year(year: i32) -> Self {
        Self { year }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.year)
    }
}

/// Preliminary figures may be revised; final ones are what a run should use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Preliminary,
    Final,
}

impl Status {
    /// The word stored and shown (`preliminary` / `final`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Preliminary => "preliminary",
            Status::Final => "final",
        }
    }
}

/// One value. `value` is exact as reported; a missing value is simply absent from a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    pub series: String,
    pub unit: String,
    pub period: Period,
    pub value: Decimal,
    pub status: Status,
}

/// A set of observations from one provider that is stored all or nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// The providing department's code.
    pub provider: String,
    /// What the batch came from (a file name, or the demo generator and its seed).
    pub source: String,
    /// Invented data, labelled 演示数据 wherever it shows.
    pub demo: bool,
    pub observations: Vec<Observation>,
}
