//! The notice's 总量、增量、比率 and the other bases: from series values to an indicator's value.

use crate::snapshot::Snapshot;
use jili_model::plan::{Basis, Indicator};
use serde::Serialize;

/// One value read from the data, kept so that every number can be traced to its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    pub series: String,
    pub year: i32,
    /// `None` where the data has no value.
    pub value: Option<f64>,
}

/// An indicator's value for one unit, with what it was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Transformed {
    pub value: f64,
    pub readings: Vec<Reading>,
}

/// Compute the indicator's value for the unit at `u`. NaN when an input is missing or the
/// formula is undefined (a rate over a zero base).
pub fn transform(ind: &Indicator, snap: &Snapshot, u: usize, period: i32, base: i32) -> Transformed {
    let mut readings = Vec::new();
    let mut read = |series: &str, year: i32| {
        let v = snap.value(series, u, year);
        readings.push(Reading { series: series.to_string(), year, value: (!v.is_nan()).then_some(v) });
        v
    };
    let s = ind.series.as_str();
    let value = match &ind.basis {
        Basis::Total | Basis::Level | Basis::ScoreImprovement => read(s, period),
        Basis::Increment => read(s, period) - read(s, base),
        Basis::Rate => {
            let (now, then) = (read(s, period), read(s, base));
            if then == 0.0 { f64::NAN } else { (now / then - 1.0) * 100.0 }
        }
        Basis::Ratio(r) => {
            let (num, den) = (read(s, period), read(&r.denominator, period));
            if den == 0.0 { f64::NAN } else { num / den * r.factor }
        }
        Basis::Average => {
            let values: Vec<f64> = (base..=period).map(|y| read(s, y)).collect();
            values.iter().sum::<f64>() / values.len() as f64
        }
        Basis::Cagr => {
            let (now, then) = (read(s, period), read(s, base));
            let years = f64::from(period - base);
            if then <= 0.0 || now < 0.0 { f64::NAN } else { ((now / then).powf(1.0 / years) - 1.0) * 100.0 }
        }
        Basis::Improvement => read(s, period) - read(s, period - 1),
    };
    Transformed { value: if value.is_finite() { value } else { f64::NAN }, readings }
}

/// For 得分提升幅度: last year's value, to be normalised beside this year's.
pub fn previous(ind: &Indicator, snap: &Snapshot, u: usize, period: i32) -> Transformed {
    let v = snap.value(&ind.series, u, period - 1);
    Transformed {
        value: v,
        readings: vec![Reading { series: ind.series.clone(), year: period - 1, value: (!v.is_nan()).then_some(v) }],
    }
}
