//! XLSX and XLS bytes → [`Grid`]s (calamine): cached values of formulas, merged regions, error
//! cells and date cells kept as such; hidden sheets set aside.

use super::grid::{Cell, Format, Grid, Merge, Workbook};
use crate::error::IntakeError;
use calamine::{Data, Dimensions, Reader, SheetVisible, Sheets, Xls, Xlsx, open_workbook_from_rs};
use jili_model::Location;
use std::io::Cursor;

/// Read a workbook. Formulas are read as the values Excel/WPS last calculated and saved.
pub fn read_excel(file: &str, bytes: &[u8], format: Format) -> Result<Workbook, IntakeError> {
    // calamine is a parser of a complex binary format; a malformed file must be an error for
    // the user, never a crash of the import.
    let outcome = std::panic::catch_unwind(|| read(file, bytes, format));
    outcome.unwrap_or_else(|_| Err(broken(file, "读取时出现内部错误")))
}

fn broken(file: &str, why: &str) -> IntakeError {
    IntakeError::at(
        Location::file(file),
        format!("无法打开工作簿（{why}）：文件可能已损坏或不是 Excel 文件；请在 Excel/WPS 中打开后另存为 .xlsx 再导入"),
    )
}

fn read(file: &str, bytes: &[u8], format: Format) -> Result<Workbook, IntakeError> {
    let cursor = Cursor::new(bytes);
    let mut sheets: Sheets<Cursor<&[u8]>> = match format {
        Format::Xls => {
            Sheets::Xls(open_workbook_from_rs::<Xls<_>, _>(cursor).map_err(|e| broken(file, &e.to_string()))?)
        }
        _ => Sheets::Xlsx(open_workbook_from_rs::<Xlsx<_>, _>(cursor).map_err(|e| broken(file, &e.to_string()))?),
    };
    let metadata = sheets.sheets_metadata().to_vec();
    let mut workbook =
        Workbook { file: file.to_string(), format, encoding: None, sheets: Vec::new(), hidden: Vec::new() };
    for sheet in metadata {
        if sheet.visible != SheetVisible::Visible {
            workbook.hidden.push(sheet.name);
            continue;
        }
        let range = sheets.worksheet_range(&sheet.name).map_err(|e| {
            IntakeError::at(
                Location::file(file).in_sheet(&sheet.name),
                format!("无法读取工作表（{e}）：文件可能已损坏"),
            )
        })?;
        let (first_row, first_col) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let rows = range.rows().map(|r| r.iter().map(cell).collect()).collect();
        let merges = merges(&mut sheets, &sheet.name).into_iter().map(merge).collect();
        workbook.sheets.push(Grid { name: sheet.name, rows, merges, first_row, first_col, lines: Vec::new() });
    }
    Ok(workbook)
}

fn merges(sheets: &mut Sheets<Cursor<&[u8]>>, name: &str) -> Vec<Dimensions> {
    match sheets {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn merge(d: Dimensions) -> Merge {
    Merge {
        first_row: d.start.0 as usize,
        first_col: d.start.1 as usize,
        last_row: d.end.0 as usize,
        last_col: d.end.1 as usize,
    }
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
            let shown = if (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{d:02}")
            } else {
                format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
            };
            Cell::Date { serial: dt.as_f64(), shown }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Date { serial: f64::NAN, shown: s.clone() },
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}
