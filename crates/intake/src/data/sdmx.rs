//! SDMX-CSV 2.0 out (reading is the ordinary reader: its headers STRUCTURE, STRUCTURE_ID,
//! ACTION, REF_AREA, INDICATOR, TIME_PERIOD, OBS_VALUE, OBS_STATUS, UNIT_MEASURE are known).
//!
//! Layout: `STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MEASURE`
//! with STRUCTURE = `dataflow` and ACTION = `I` (information).

use jili_model::{Observation, Series};
use std::fmt::Write;

/// The dataflow jili publishes under.
pub const DATAFLOW: &str = "JILI:HUNAN_INCENTIVE(1.0)";

/// Write `observations` as SDMX-CSV 2.0. `series_of` gives each series (for its measure).
pub fn write<'a>(
    observations: impl IntoIterator<Item = &'a Observation>,
    series_of: impl Fn(&str) -> Option<&'a Series>,
) -> String {
    let mut out = String::from(
        "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MEASURE\n",
    );
    for o in observations {
        let measure = series_of(&o.series).map_or("", |s| s.unit.as_str());
        let _ = writeln!(
            out,
            "dataflow,{DATAFLOW},I,{},{},{},{},{},{}",
            o.unit,
            o.series,
            o.period.sdmx(),
            o.value,
            o.status.sdmx(),
            quote(measure)
        );
    }
    out
}

fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}
