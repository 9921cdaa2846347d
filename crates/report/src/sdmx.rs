//! SDMX-CSV 2.0 out, the layout every statistics system reads: `STRUCTURE,STRUCTURE_ID,ACTION,
//! REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MEASURE`, with STRUCTURE =
//! `dataflow` and ACTION = `I` (information). jili's intake reads it back with its ordinary
//! reader (it knows these headers).

use crate::{ReportError, Result};
use jili_model::spreadsheet::safe_cell;
use jili_model::{Observation, Series};

/// The dataflow jili publishes under.
pub const DATAFLOW: &str = "JILI:HUNAN_INCENTIVE(1.0)";

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

/// Rows of (series, series name, unit, unit name, period, value, unit of measure) as SDMX-CSV
/// 2.0, every field quoted as CSV needs (a unit of measure or value with a comma, quote or line
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

/// The one writer: (REF_AREA, INDICATOR, TIME_PERIOD, OBS_VALUE, OBS_STATUS, UNIT_MEASURE) per
/// row under the header, each cell neutralised and quoted as CSV needs.
fn records(rows: impl Iterator<Item = [String; 6]>) -> Result<String> {
    let bad = |e: &dyn std::fmt::Display| ReportError(format!("数据无法写成 SDMX-CSV：{e}"));
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(SDMX_COLUMNS).map_err(|e| bad(&e))?;
    for [unit, series, period, value, status, measure] in rows {
        let cells = ["dataflow", DATAFLOW, "I", &unit, &series, &period, &value, &status, &measure];
        w.write_record(cells.map(|c| safe_cell(c).into_owned())).map_err(|e| bad(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| bad(&e))?;
    String::from_utf8(bytes).map_err(|e| bad(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdmx_fields_with_commas_and_quotes_round_trip_through_csv() {
        let row = |value: &str, measure: &str| {
            [
                "GDP".into(),
                "地区生产总值".into(),
                "430100".into(),
                "长沙市".into(),
                "2024".into(),
                value.into(),
                measure.into(),
            ]
        };
        let table = [row("1,234.5", "亿元, 现价"), row("7", "个\"重点\"项目"), row("8", "行\n两行")];
        let text = rows(&table).expect("writes");
        assert!(text.starts_with("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,"));
        let mut r = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(r.headers().expect("headers").len(), 9);
        let back: Vec<csv::StringRecord> = r.records().collect::<std::result::Result<_, _>>().expect("reads");
        assert_eq!(back.len(), 3);
        assert_eq!(&back[0][3], "430100");
        assert_eq!(&back[0][4], "GDP");
        assert_eq!(&back[0][6], "1,234.5");
        assert_eq!(&back[0][8], "亿元, 现价");
        assert_eq!(&back[1][8], "个\"重点\"项目");
        assert_eq!(&back[2][8], "行\n两行");
        assert_eq!(&back[0][7], "");
    }

    #[test]
    fn sdmx_text_a_spreadsheet_would_run_is_neutralised_and_numbers_stay() {
        let row = [
            "GDP".into(),
            "地区生产总值".into(),
            "430100".into(),
            "长沙市".into(),
            "2024".into(),
            "-2.3".into(),
            "=HYPERLINK(\"http://x\",\"y\")".into(),
        ];
        let text = rows(&[row]).expect("writes");
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let back: Vec<csv::StringRecord> = r.records().collect::<std::result::Result<_, _>>().expect("reads");
        assert_eq!(&back[0][6], "-2.3", "a negative value is data");
        assert_eq!(&back[0][8], "'=HYPERLINK(\"http://x\",\"y\")");
    }
}
