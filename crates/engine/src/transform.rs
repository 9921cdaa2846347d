//! The notice's 总量、增量、比率 and the other bases: from series values to an indicator's value.

use crate::snapshot::{SeriesRef, Snapshot};
use jili_model::plan::{Basis, Indicator};
use serde::Serialize;
use std::sync::Arc;

/// One value read from the data, kept so that every number can be traced to its source.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Reading {
    pub series: Arc<str>,
    pub year: i32,
    /// `None` where the data has no value.
    pub value: Option<f64>,
}

/// An indicator with its series looked up in the snapshot.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    pub indicator: &'a Indicator,
    pub series: SeriesRef<'a>,
    pub denominator: Option<SeriesRef<'a>>,
}

impl<'a> Inputs<'a> {
    pub fn new(indicator: &'a Indicator, snap: &'a Snapshot) -> Inputs<'a> {
        let denominator = match &indicator.basis {
            Basis::Ratio(r) => Some(snap.series(&r.denominator)),
            _ => None,
        };
        Inputs { indicator, series: snap.series(&indicator.series), denominator }
    }
}

/// Compute the indicator's value for the unit at `u`. NaN when an input is missing or the
/// formula is undefined (a rate over a zero base). With `readings`, every value read is recorded
/// there, for the explanation.
pub fn transform(inputs: &Inputs, u: usize, period: i32, base: i32, mut readings: Option<&mut Vec<Reading>>) -> f64 {
    let mut read = |series: &SeriesRef, year: i32| {
        let v = series.value(u, year);
        if let Some(r) = readings.as_deref_mut() {
            r.push(Reading { series: Arc::clone(&series.name), year, value: (!v.is_nan()).then_some(v) });
        }
        v
    };
    let s = &inputs.series;
    let ind = inputs.indicator;
    let value = match &ind.basis {
        Basis::Total | Basis::Level => read(s, period),
        // This year's and last year's values are both read; the difference is of their scores.
        Basis::ScoreImprovement => {
            let now = read(s, period);
            read(s, period - 1);
            now
        }
        Basis::Increment => read(s, period) - read(s, base),
        Basis::Rate => {
            let (now, then) = (read(s, period), read(s, base));
            if then == 0.0 { f64::NAN } else { (now / then - 1.0) * 100.0 }
        }
        Basis::Ratio(r) => {
            let num = read(s, period);
            let den = inputs.denominator.as_ref().map_or(f64::NAN, |d| read(d, period));
            if den == 0.0 { f64::NAN } else { num / den * r.factor }
        }
        Basis::Average => {
            let mut total = 0.0;
            for y in base..=period {
                total += read(s, y);
            }
            total / f64::from(period - base + 1)
        }
        Basis::Cagr => {
            let (now, then) = (read(s, period), read(s, base));
            let years = f64::from(period - base);
            if then <= 0.0 || now < 0.0 { f64::NAN } else { ((now / then).powf(1.0 / years) - 1.0) * 100.0 }
        }
        Basis::Improvement => read(s, period) - read(s, period - 1),
    };
    if value.is_finite() { value } else { f64::NAN }
}
