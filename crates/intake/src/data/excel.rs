//! XLSX and XLS bytes → [`Grid`]s (calamine): cached values of formulas, merged regions, error
//! cells and date cells kept as such; hidden sheets set aside. Nothing the file declares is
//! trusted: the container is inspected first ([`zip_guard`](super::zip_guard),
//! [`xls_guard`](super::xls_guard)) and cells are streamed into a
//! [`SheetBuilder`](super::bounds::SheetBuilder) that refuses them at the [`Limits`].

use super::bounds::{Budget, SheetBuilder, broken, file_size, refuse};
use super::grid::{Cell, CompactString, Format, Grid, Merge, Workbook, number_text};
use super::{xls_guard, zip_guard};
use crate::error::IntakeError;
use calamine::{Data, DataRef, Dimensions, Reader, SheetVisible, Style, Xls, Xlsx, XlsxError, open_workbook_from_rs};
use jili_model::{Limits, Location};
use std::io::Cursor;

/// Read a workbook within `limits`. Formulas are read as the values Excel/WPS last calculated
/// and saved.
pub fn read_excel(file: &str, bytes: &[u8], format: Format, limits: &Limits) -> Result<Workbook, IntakeError> {
    file_size(file, bytes, limits)?;
    // calamine is a parser of a complex binary format; a malformed file must be an error for
    // the user, never a crash of the import.
    let outcome = std::panic::catch_unwind(|| match format {
        Format::Xls => xls_guard::inspect(file, bytes, limits).and_then(|clean| read_xls(file, &clean, limits)),
        _ => zip_guard::inspect(file, bytes, limits).and_then(|facts| read_xlsx(file, bytes, limits, facts.merges)),
    });
    outcome.unwrap_or_else(|_| Err(broken(file, "读取时出现内部错误")))
}

fn sheet_error(file: &str, sheet: &str, e: impl std::fmt::Display) -> IntakeError {
    IntakeError::at(Location::file(file).in_sheet(sheet), format!("无法读取工作表（{e}）：文件可能已损坏"))
}

fn too_many_sheets(file: &str, n: usize, limits: &Limits) -> Option<IntakeError> {
    (n as u64 > limits.sheets).then(|| {
        refuse(Location::file(file), "工作表数", n as u64, "sheets", limits, "请把要导入的工作表另存为一个新的工作簿")
    })
}

fn read_xlsx(file: &str, bytes: &[u8], limits: &Limits, merges: bool) -> Result<Workbook, IntakeError> {
    let mut x: Xlsx<Cursor<&[u8]>> =
        open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: XlsxError| broken(file, &e.to_string()))?;
    let metadata = x.sheets_metadata().to_vec();
    if let Some(e) = too_many_sheets(file, metadata.len(), limits) {
        return Err(e);
    }
    let mut workbook =
        Workbook { file: file.into(), format: Format::Xlsx, encoding: None, sheets: vec![], hidden: vec![] };
    let mut budget = Budget::default();
    for sheet in metadata {
        if sheet.visible != SheetVisible::Visible {
            workbook.hidden.push(sheet.name);
            continue;
        }
        let mut builder = SheetBuilder::new(file, Some(&sheet.name), limits);
        let mut percent_cells = Vec::new();
        let mut fractions = false;
        match x.worksheet_cells_reader(&sheet.name) {
            Ok(mut reader) => {
                let Dimensions { start, end } = reader.dimensions();
                builder.declared(start, end)?;
                let percent: Vec<bool> = reader.styles().iter().map(is_percent).collect();
                while let Some((c, style)) =
                    reader.next_cell_with_style_id().map_err(|e| sheet_error(file, &sheet.name, e))?
                {
                    let pos = c.get_position();
                    let cell = cell_ref(c.get_value());
                    if let Cell::Number(n) = cell {
                        fractions |= n != 0.0 && n.abs() < 1.0;
                        if percent.get(style).copied().unwrap_or(false) {
                            percent_cells.push(pos);
                        }
                    }
                    builder.put(&mut budget, pos.0, pos.1, cell)?;
                }
            }
            // A chart sheet or dialog sheet holds no cells.
            Err(XlsxError::NotAWorksheet(_)) => {}
            Err(e) => return Err(sheet_error(file, &sheet.name, e)),
        }
        let mut grid = builder.finish(sheet.name.clone());
        if fractions {
            as_percent(&mut grid, &percent_cells);
        }
        if merges {
            grid.merges = x.merge_cells_by_sheet_name(&sheet.name).unwrap_or_default().into_iter().map(merge).collect();
        }
        workbook.sheets.push(grid);
    }
    Ok(workbook)
}

fn read_xls(file: &str, clean: &[u8], limits: &Limits) -> Result<Workbook, IntakeError> {
    let mut x: Xls<Cursor<&[u8]>> =
        open_workbook_from_rs(Cursor::new(clean)).map_err(|e: calamine::XlsError| broken(file, &e.to_string()))?;
    let metadata = x.sheets_metadata().to_vec();
    if let Some(e) = too_many_sheets(file, metadata.len(), limits) {
        return Err(e);
    }
    let mut workbook =
        Workbook { file: file.into(), format: Format::Xls, encoding: None, sheets: vec![], hidden: vec![] };
    let mut budget = Budget::default();
    for sheet in metadata {
        if sheet.visible != SheetVisible::Visible {
            workbook.hidden.push(sheet.name);
            continue;
        }
        let range = x.worksheet_range(&sheet.name).map_err(|e| sheet_error(file, &sheet.name, e))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut builder = SheetBuilder::new(file, Some(&sheet.name), limits);
        for (r, c, data) in range.used_cells() {
            builder.put(&mut budget, row0 + r as u32, col0 + c as u32, cell(data))?;
        }
        drop(range);
        let mut grid = builder.finish(sheet.name.clone());
        grid.merges = x.merge_cells_by_sheet_name(&sheet.name).unwrap_or_default().into_iter().map(merge).collect();
        workbook.sheets.push(grid);
    }
    Ok(workbook)
}

/// Whether a style shows numbers as percentages.
fn is_percent(style: &Style) -> bool {
    style.number_format.as_ref().is_some_and(|f| {
        matches!(f.format_id, Some(9 | 10)) || f.format_code.replace("\"%\"", "").replace("\\%", "").contains('%')
    })
}

/// A cell formatted as a percentage shows 4.8% but holds 0.048; a provider means 4.8. Such
/// cells become the text they show (`4.8%`), read by the % rule of the value reader (which
/// accepts it only for series measured in %). Only sheets holding fractions are converted, as
/// before bounds were added, so a sheet of whole numbers reads as it always did.
fn as_percent(grid: &mut Grid, positions: &[(u32, u32)]) {
    for &(row, col) in positions {
        let (Some(r), Some(c)) =
            ((row as usize).checked_sub(grid.first_row), (col as usize).checked_sub(grid.first_col))
        else {
            continue;
        };
        let Some(cell) = grid.rows.get_mut(r).and_then(|line| line.get_mut(c)) else { continue };
        if let Cell::Number(n) = cell
            && let Ok(d) = number_text(*n).parse::<jili_model::Decimal>()
        {
            *cell = Cell::Text(format!("{}%", (d * jili_model::Decimal::ONE_HUNDRED).normalize()).into());
        }
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

fn date(dt: &calamine::ExcelDateTime) -> Cell {
    let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
    let shown = if (hh, mm, ss) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")
    };
    Cell::date(dt.as_f64(), shown)
}

/// A cell streamed from an XLSX sheet.
fn cell_ref(data: &DataRef<'_>) -> Cell {
    match data {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.as_str().into()),
        DataRef::SharedString(s) => Cell::Text(CompactString::from(*s)),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => date(dt),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::date(f64::NAN, s.as_str()),
        DataRef::Error(e) => Cell::Error(e.to_string().into()),
    }
}

/// A cell of an XLS sheet.
fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.as_str().into()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date(dt),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::date(f64::NAN, s.as_str()),
        Data::Error(e) => Cell::Error(e.to_string().into()),
    }
}
