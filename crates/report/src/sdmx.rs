//! SDMX-CSV 2.0 out, the layout every statistics system reads: `STRUCTURE,STRUCTURE_ID,ACTION,
//! REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MEASURE`, with STRUCTURE =
//! `dataflow`, STRUCTURE_ID = [`DATAFLOW`] (whose structure [`crate::sdmx_structure`] writes)
//! and ACTION = `I` (information). UNIT_MEASURE is the unit's code in that structure
//! (亿元 → `CNY_E8`, see [`jili_model::unit_measure`]), OBS_STATUS SDMX's code (A 年报, P 快报).
//! jili's intake reads it back with its ordinary reader (it knows these headers and codes).

use crate::{ReportError, Result};
use jili_model::spreadsheet::safe_cell;
use jili_model::{Observation, Series};

/// The agency that maintains jili's structures.
pub const AGENCY: &str = "HUNAN_JILI";
/// The dataflow's id.
pub const DATAFLOW_ID: &str = "DF_JILI";
/// The data structure definition's id.
pub const DSD_ID: &str = "DSD_JILI";
/// The version of the dataflow, its structure, concepts and jili's codelists.
pub const STRUCTURE_VERSION: &str = "1.0";
/// The dataflow jili publishes under, as SDMX-CSV's STRUCTURE_ID writes it.
pub const DATAFLOW: &str = "HUNAN_JILI:DF_JILI(1.0)";

/// The columns of an SDMX-CSV file.
pub const SDMX_COLUMNS: [&str; 9] = [
    "STRUCTURE",
    "STRUCTURE_ID",
    "ACTION",
    "REF_AREA",
    "INDICATOR",
    "TIME_PERIOD",
    "OBS_VALUE",
    "OBS_STATUS",
    "UNIT_MEASURE",
];

/// Rows of (series, series name, unit, unit name, period, value, unit of measure in Chinese) as
/// SDMX-CSV 2.0, every field quoted as CSV needs (a unit of measure or value with a comma, quote or line
/// break stays one field).
pub fn rows(rows: &[[String; 7]]) -> Result<String> {
    rows_with_status(rows, &[])
}

/// [`rows`] with each row's OBS_STATUS (`A` final, `P` preliminary, as the intake reads
/// them); rows past the end of `status` have none.
pub fn rows_with_status(rows: &[[String; 7]], status: &[&str]) -> Result<String> {
    records(rows.iter().enumerate().map(|(i, [series, _, unit, _, period, value, measure])| {
        let period = period.parse::<jili_model::Period>().map_or_else(|_| period.clone(), |x| x.sdmx());
        let observed = status.get(i).copied().unwrap_or("");
        [unit.clone(), series.clone(), period, value.clone(), observed.to_string(), measure.clone()]
    }))
}

/// Stored `observations` as SDMX-CSV 2.0, with their status; `series_of` gives each series (for
/// its unit of measure).
pub fn write<'a>(
    observations: impl IntoIterator<Item = &'a Observation>,
    series_of: impl Fn(&str) -> Option<&'a Series>,
) -> Result<String> {
    records(observations.into_iter().map(|o| {
        let measure = series_of(&o.series).map_or(String::new(), |s| s.unit.clone());
        [
            o.unit.to_string(),
            o.series.to_string(),
            o.period.sdmx(),
            o.value.to_string(),
            o.status.sdmx().into(),
            measure,
        ]
    }))
}

/// The one writer: (REF_AREA, INDICATOR, TIME_PERIOD, OBS_VALUE, OBS_STATUS, unit of measure in
/// Chinese) per row under the header, the unit written as its code, each cell neutralised and
/// quoted as CSV needs.
fn records(rows: impl Iterator<Item = [String; 6]>) -> Result<String> {
    let bad = |e: &dyn std::fmt::Display| ReportError(format!("数据无法写成 SDMX-CSV：{e}"));
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(SDMX_COLUMNS).map_err(|e| bad(&e))?;
    for [unit, series, period, value, status, measure] in rows {
        let measure = jili_model::unit_measure::unit_measure_code(&measure);
        let cells = ["dataflow", DATAFLOW, "I", &unit, &series, &period, &value, &status, &measure];
        w.write_record(cells.map(|c| safe_cell(c).into_owned())).map_err(|e| bad(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| bad(&e))?;
    String::from_utf8(bytes).map_err(|e| bad(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(value: &str, measure: &str) -> [String; 7] {
        [
            "GDP".into(),
            "地区生产总值".into(),
            "430100".into(),
            "长沙市".into(),
            "2024".into(),
            value.into(),
            measure.into(),
        ]
    }

    #[test]
    fn sdmx_fields_with_commas_and_quotes_round_trip_through_csv() {
        let table = [row("1,234.5", "亿元"), row("7", "个"), row("8", "%")];
        let text = rows_with_status(&table, &["A", "P"]).expect("writes");
        assert!(text.starts_with("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,"));
        let mut r = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(r.headers().expect("headers").len(), 9);
        let back: Vec<csv::StringRecord> = r.records().collect::<std::result::Result<_, _>>().expect("reads");
        assert_eq!(back.len(), 3);
        assert_eq!((&back[0][0], &back[0][1], &back[0][2]), ("dataflow", "HUNAN_JILI:DF_JILI(1.0)", "I"));
        assert_eq!(&back[0][3], "430100");
        assert_eq!(&back[0][4], "GDP");
        assert_eq!(&back[0][6], "1,234.5");
        assert_eq!((&back[0][7], &back[1][7], &back[2][7]), ("A", "P", ""), "a row without a status has none");
        assert_eq!((&back[0][8], &back[1][8], &back[2][8]), ("CNY_E8", "NUM_GE", "PC"), "units as codes");
    }

    #[test]
    fn sdmx_units_of_measure_are_codes_whatever_their_text() {
        let table = [row("1", "亿元, 现价"), row("2", "=HYPERLINK(\"http://x\",\"y\")"), row("3", "")];
        let text = rows(&table).expect("writes");
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let back: Vec<csv::StringRecord> = r.records().collect::<std::result::Result<_, _>>().expect("reads");
        for (i, unit) in ["亿元, 现价", "=HYPERLINK(\"http://x\",\"y\")"].into_iter().enumerate() {
            let code = &back[i][8];
            assert!(jili_model::unit_measure::is_sdmx_id(code), "{code}");
            assert_eq!(jili_model::unit_measure::unit_measure_of(code).as_deref(), Some(unit));
        }
        assert_eq!(&back[2][8], "", "no unit, no code");
    }

    #[test]
    fn sdmx_text_a_spreadsheet_would_run_is_neutralised_and_numbers_stay() {
        let mut bad = row("-2.3", "亿元");
        bad[0] = "=HYPERLINK(\"http://x\",\"y\")".into();
        let text = rows(&[bad]).expect("writes");
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let back: Vec<csv::StringRecord> = r.records().collect::<std::result::Result<_, _>>().expect("reads");
        assert_eq!(&back[0][6], "-2.3", "a negative value is data");
        assert_eq!(&back[0][4], "'=HYPERLINK(\"http://x\",\"y\")");
    }
}
