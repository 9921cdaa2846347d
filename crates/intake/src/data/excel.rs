//! XLSX and XLS bytes → [`Grid`]s (calamine): cached values of formulas, merged regions, error
//! cells and date cells kept as such; hidden sheets set aside.

use super::grid::{Cell, Format, Grid, Merge, Workbook, number_text};
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
        let mut rows: Vec<Vec<Cell>> = range.rows().map(|r| r.iter().map(cell).collect()).collect();
        percent_cells(&mut sheets, &sheet.name, &mut rows, first_row, first_col);
        let merges = merges(&mut sheets, &sheet.name).into_iter().map(merge).collect();
        workbook.sheets.push(Grid { name: sheet.name, rows, merges, first_row, first_col, lines: Vec::new() });
    }
    Ok(workbook)
}

/// A cell formatted as a percentage shows 4.8% but holds 0.048; a provider means 4.8. Such
/// cells become the text they show (`4.8%`), read by the % rule of the value reader (which
/// accepts it only for series measured in %). Styles are read only when a sheet has fractions.
fn percent_cells(
    sheets: &mut Sheets<Cursor<&[u8]>>,
    name: &str,
    rows: &mut [Vec<Cell>],
    first_row: usize,
    first_col: usize,
) {
    let fractions = rows.iter().flatten().any(|c| matches!(c, Cell::Number(n) if *n != 0.0 && n.abs() < 1.0));
    let Sheets::Xlsx(x) = sheets else { return };
    if !fractions {
        return;
    }
    let Ok(styles) = x.worksheet_style(name) else { return };
    for (r, row) in rows.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            let Cell::Number(n) = cell else { continue };
            let Some(style) = styles.get(((r + first_row) as u32, (c + first_col) as u32)) else { continue };
            let percent = style.number_format.as_ref().is_some_and(|f| {
                matches!(f.format_id, Some(9 | 10))
                    || f.format_code.replace("\"%\"", "").replace("\\%", "").contains('%')
            });
            if percent && let Ok(d) = number_text(*n).parse::<jili_model::Decimal>() {
                *cell = Cell::Text(format!("{}%", (d * jili_model::Decimal::ONE_HUNDRED).normalize()));
            }
        }
    }
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
