//! The checks every read of a provider's file must pass, shared by the fuzz targets (this
//! crate) and the intake crate's property tests (`crates/intake/tests/it/data_fuzz.rs` includes
//! this file by path), so the two hold readers to one standard and the fuzzers' copy cannot rot
//! unbuilt: every problem is located inside the file, findings are capped, and observations can
//! be compared regardless of order.

use encoding_rs::Encoding;
use jili_intake::IntakeError;
use jili_intake::data::{Format, Parsed, Severity, Workbook};
use jili_model::{Decimal, Observation, Period, Status};

/// Lines of a text file as a reader counts them (CRLF and a lone CR end a line too), counted
/// independently of the reader: line breaks are ASCII in UTF-8 and GB18030 alike; a BOM says
/// UTF-16; a forced encoding decodes everything.
pub fn line_count(bytes: &[u8], forced: Option<&'static Encoding>) -> usize {
    let text = match (forced, Encoding::for_bom(bytes)) {
        (None, Some((encoding, bom))) => encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned(),
        (Some(f), Some((encoding, bom))) if f == encoding => {
            f.decode_without_bom_handling(&bytes[bom..]).0.into_owned()
        }
        (Some(f), _) => f.decode_without_bom_handling(bytes).0.into_owned(),
        (None, None) => String::from_utf8_lossy(bytes).into_owned(),
    };
    text.replace("\r\n", "\n").replace('\r', "\n").matches('\n').count() + 1
}

/// Every problem of a failed `open` names the file; a line, if any, is one the file has.
pub fn check_error(err: &IntakeError, file: &str, lines: Option<usize>) {
    for p in err.problems() {
        let IntakeError::At { at, .. } = p else { unreachable!("problems() flattens") };
        assert_eq!(at.file, file);
        if let (Some(line), Some(lines)) = (at.line, lines) {
            assert!(line >= 1 && line as usize <= lines, "{p}: line {line} of {lines}");
        }
    }
}

/// Every finding names the file, and its line and column are inside the sheet it names (the
/// text's lines for CSV, the sheet's rows and columns for workbooks).
pub fn check_findings(parsed: &Parsed, wb: &Workbook, text_lines: Option<usize>) {
    assert!(parsed.findings.len() <= jili_intake::data::MAX_FINDINGS + 1, "findings are capped");
    assert_eq!(parsed.origins.len(), parsed.observations.len());
    let text_lines = if wb.format == Format::Csv { text_lines } else { None };
    for f in &parsed.findings {
        assert_eq!(f.at.file, wb.file, "{}", f.line());
        if f.at.line.is_none() && f.at.column.is_none() {
            continue;
        }
        // Sheets are named by name; a broken workbook can have several of one name.
        let grids: Vec<_> = match &f.at.sheet {
            Some(name) => wb.sheets.iter().filter(|g| g.name == *name).collect(),
            None => wb.sheets.first().into_iter().collect(),
        };
        if grids.is_empty() {
            let hidden = f.at.sheet.as_ref().is_some_and(|name| wb.hidden.contains(name));
            assert!(hidden && f.at.line.is_none(), "{}: no such sheet", f.line());
            continue;
        }
        if let Some(line) = f.at.line {
            let last =
                text_lines.unwrap_or_else(|| grids.iter().map(|g| g.first_row + g.rows.len()).max().unwrap_or(0));
            assert!(line >= 1 && line as usize <= last, "{}: line {line} of {last}", f.line());
        }
        if let Some(column) = f.at.column {
            let last = grids.iter().map(|g| g.first_col + g.width().max(1)).max().unwrap_or(0);
            assert!(column >= 1 && column as usize <= last, "{}: column {column} of {last}", f.line());
        }
    }
}

/// The error findings, as lines.
pub fn errors(parsed: &Parsed) -> Vec<String> {
    parsed.findings.iter().filter(|f| f.severity == Severity::Error).map(|f| f.line()).collect()
}

/// (series, unit, period, value, status), sorted: observations compared regardless of order.
pub fn sorted(observations: &[Observation]) -> Vec<(String, String, Period, Decimal, Status)> {
    let mut v: Vec<_> = observations
        .iter()
        .map(|o| (o.series.to_string(), o.unit.to_string(), o.period, o.value.normalize(), o.status))
        .collect();
    v.sort_by(|a, b| (&a.0, &a.1, a.2).cmp(&(&b.0, &b.1, b.2)));
    v
}
