//! The data an evaluation reads: the units in scope and the current value of each series for each
//! unit and year. Built by the application from the store; the engine never reads the store.

use jili_model::{Level, Plate};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A unit as the engine needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct SnapshotUnit {
    pub code: String,
    pub name: String,
    pub level: Level,
    pub plate: Option<Plate>,
    /// The catalogue's kind (市辖区, 县, 国家级经开区 …), for peer groups by kind.
    pub kind: String,
}

/// Units and values. Values are indexed by series, then year, then unit position; NaN = missing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    units: Vec<SnapshotUnit>,
    positions: BTreeMap<String, usize>,
    series: BTreeMap<Arc<str>, Years>,
}

/// One series' values by year, then unit position.
type Years = BTreeMap<i32, Vec<f64>>;

/// A series looked up once, to be read many times.
#[derive(Debug, Clone)]
pub struct SeriesRef<'a> {
    pub name: Arc<str>,
    years: Option<&'a Years>,
}

impl SeriesRef<'_> {
    /// The value for the unit at `u` in a year; NaN when there is none.
    pub fn value(&self, u: usize, year: i32) -> f64 {
        self.years.and_then(|y| y.get(&year)).map_or(f64::NAN, |v| v[u])
    }
}

impl Snapshot {
    pub fn new(units: Vec<SnapshotUnit>) -> Snapshot {
        let positions = units.iter().enumerate().map(|(i, u)| (u.code.clone(), i)).collect();
        Snapshot { units, positions, series: BTreeMap::new() }
    }

    /// Record a value; returns false when the unit is not in the snapshot.
    pub fn insert(&mut self, series: &str, unit: &str, year: i32, value: f64) -> bool {
        let Some(&u) = self.positions.get(unit) else { return false };
        let n = self.units.len();
        let years = self.series.entry(Arc::from(series)).or_default();
        years.entry(year).or_insert_with(|| vec![f64::NAN; n])[u] = value;
        true
    }

    pub fn units(&self) -> &[SnapshotUnit] {
        &self.units
    }

    pub fn position(&self, code: &str) -> Option<usize> {
        self.positions.get(code).copied()
    }

    /// The value of a series for the unit at `u` in a year; NaN when there is none.
    pub fn value(&self, series: &str, u: usize, year: i32) -> f64 {
        self.series.get(series).and_then(|y| y.get(&year)).map_or(f64::NAN, |v| v[u])
    }

    /// Look a series up once. An unknown series reads as missing everywhere.
    pub fn series(&self, name: &str) -> SeriesRef<'_> {
        match self.series.get_key_value(name) {
            Some((k, years)) => SeriesRef { name: Arc::clone(k), years: Some(years) },
            None => SeriesRef { name: Arc::from(name), years: None },
        }
    }

    /// Whether any value of the series exists (for "no data at all" messages).
    pub fn has_series(&self, series: &str) -> bool {
        self.series.contains_key(series)
    }

    /// The number of stored values.
    pub fn len(&self) -> usize {
        self.series.values().flat_map(|y| y.values()).map(|v| v.iter().filter(|x| !x.is_nan()).count()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
