//! The demo generator's inputs (`data/demo/profile.toml`).

use jili_model::{ModelError, Plate};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Everything the generator needs besides the units and series.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub seed: u64,
    pub years: Vec<i32>,
    pub plates: BTreeMap<Plate, PlateProfile>,
    pub changsha_factor: f64,
    pub zone_factor: f64,
    /// A typical county's 2021 value of an additive series, by unit of measure.
    pub totals: BTreeMap<String, f64>,
    #[serde(default)]
    pub series: BTreeMap<String, SeriesProfile>,
    #[serde(default)]
    pub planted: Vec<Planted>,
}

/// Size and growth of a plate.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlateProfile {
    pub size: f64,
    pub growth: f64,
}

/// How one series is made. Fields unused by a shape are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesProfile {
    pub shape: Option<Shape>,
    pub county: Option<f64>,
    pub offset: Option<f64>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub trend: Option<f64>,
    #[serde(default)]
    pub integer: bool,
    #[serde(default)]
    pub only_plates: Vec<Plate>,
    #[serde(default)]
    pub only_units: Vec<String>,
    /// A part of another series (税收收入 of 一般公共预算收入): the value is `share` of it, varied
    /// by unit, never more than 95% of it.
    pub part_of: Option<String>,
    pub share: Option<f64>,
}

/// The kinds of series the generator can make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    Total,
    Count,
    Growth,
    Level,
    PerCapita,
}

/// A deliberate problem in the demo data.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Planted {
    pub kind: PlantedKind,
    pub series: String,
    pub unit: String,
    pub period: i32,
    pub factor: Option<f64>,
}

/// What kind of problem was planted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlantedKind {
    /// An implausible year-on-year jump.
    Jump,
    /// A value left out.
    Missing,
    /// A 市州 value that disagrees with the sum of its counties.
    SumMismatch,
}

impl Profile {
    /// Read the profile file.
    pub fn from_toml(name: &str, text: &str) -> Result<Profile, ModelError> {
        toml::from_str(text).map_err(|e| {
            let at = jili_model::Location::file(name);
            let at = match e.span() {
                Some(s) => at.at_offset(text, s.start),
                None => at,
            };
            ModelError::Syntax { at, message: e.message().trim().to_string() }
        })
    }
}
