//! Observations: (series, unit, period) → value, arriving in import batches.

pub use crate::period::Period;
pub use compact_str::CompactString;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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

    /// The word a Chinese reader knows: 快报 or 年报（终审）.
    pub fn label(self) -> &'static str {
        match self {
            Status::Preliminary => "快报",
            Status::Final => "年报",
        }
    }

    /// Read a status cell as providers write it: 快报/初步/初步核算/preliminary/P (SDMX) or
    /// 年报/正式/最终/终审/final/A (SDMX's normal value).
    pub fn parse(text: &str) -> Option<Status> {
        match text.trim() {
            "快报" | "初步" | "初步核算" | "预计" | "preliminary" | "P" | "p" => Some(Status::Preliminary),
            "年报" | "正式" | "最终" | "最终核实" | "终审" | "final" | "A" | "a" | "F" => {
                Some(Status::Final)
            }
            _ => None,
        }
    }

    /// SDMX's OBS_STATUS code: P (provisional) or A (normal).
    pub fn sdmx(self) -> &'static str {
        match self {
            Status::Preliminary => "P",
            Status::Final => "A",
        }
    }
}

/// One value. `value` is exact as reported; a missing value is simply absent from a batch.
/// Codes are short (`GDP`, `430100`) and kept inside the value: a million-value import makes no
/// allocation per code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    pub series: CompactString,
    pub unit: CompactString,
    pub period: Period,
    pub value: Decimal,
    pub status: Status,
}

/// What identifies an observation: (series, unit, period).
pub type ObservationKey = (CompactString, CompactString, Period);

impl Observation {
    /// Its (series, unit, period).
    pub fn key(&self) -> ObservationKey {
        (self.series.clone(), self.unit.clone(), self.period)
    }
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
