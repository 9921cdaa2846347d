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

    /// The word a data release (定期通报) prints in its 状态 column: 初步 or 最终.
    pub fn release_label(self) -> &'static str {
        match self {
            Status::Preliminary => "初步",
            Status::Final => "最终",
        }
    }

    /// Whether a value arriving with this status is a new revision of an equal value already
    /// stored with status `stored`: only a 年报 confirming a 快报. The same status again is
    /// nothing new, and a 快报 never demotes a 年报. (A different value is always a revision.)
    pub fn confirms(self, stored: Status) -> bool {
        stored == Status::Preliminary && self == Status::Final
    }
}

/// A stored status word that is neither `preliminary` nor `final`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的数据状态“{0}”：应为 preliminary 或 final")]
pub struct UnknownObservationStatus(pub String);

/// A status as stored: only the two words of [`Status::as_str`] (what providers write is read
/// by the more lenient [`Status::parse`]).
impl TryFrom<&str> for Status {
    type Error = UnknownObservationStatus;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        [Status::Preliminary, Status::Final]
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or_else(|| UnknownObservationStatus(s.to_string()))
    }
}

impl TryFrom<String> for Status {
    type Error = UnknownObservationStatus;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Status::try_from(s.as_str())
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

#[cfg(test)]
mod tests {
    use super::Status;

    #[test]
    fn a_stored_status_reads_back_only_from_its_word() {
        for s in [Status::Preliminary, Status::Final] {
            assert_eq!(Status::try_from(s.as_str().to_string()), Ok(s));
            assert_eq!(serde_json::to_string(&s).ok(), Some(format!("\"{}\"", s.as_str())));
        }
        assert!(Status::try_from("快报").is_err() && Status::try_from("Final").is_err());
        assert_eq!(Status::parse("快报"), Some(Status::Preliminary), "providers' words are read by parse");
    }

    #[test]
    fn only_a_final_figure_confirms_a_preliminary_one() {
        assert!(Status::Final.confirms(Status::Preliminary));
        assert!(!Status::Preliminary.confirms(Status::Final), "a 快报 never demotes a 年报");
        assert!(!Status::Final.confirms(Status::Final) && !Status::Preliminary.confirms(Status::Preliminary));
    }
}
