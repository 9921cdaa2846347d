//! A 填报模板 filled as a provider would in Excel: read the downloaded workbook, put a value
//! in each row's 本期数值 cell, and save it again with its hidden marker sheet (what a
//! spreadsheet program keeps). For the tests of the template round trip in every suite.

use std::io::Cursor;

/// The rows of a template's data sheet `sheet`, every cell as text (header first), and the
/// names of its sheets with whether each is visible.
pub fn read_template(bytes: &[u8], sheet: &str) -> (Vec<Vec<String>>, Vec<(String, bool)>) {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an XLSX workbook");
    let sheets =
        book.sheets_metadata().iter().map(|s| (s.name.clone(), s.visible == calamine::SheetVisible::Visible)).collect();
    let range = book.worksheet_range(sheet).expect("the data sheet");
    let rows = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    (rows, sheets)
}

/// The template with `value(row)` (the row's cells as text: unit code, unit name, series
/// code, …) written in the value column (`value_column`, 0-based) of every data row where it
/// gives one; `marker` is written as a hidden sheet.
pub fn fill_template(
    bytes: &[u8],
    sheet: &str,
    marker: &str,
    value_column: usize,
    value: impl Fn(&[String]) -> Option<f64>,
) -> Vec<u8> {
    let (rows, _) = read_template(bytes, sheet);
    let mut book = rust_xlsxwriter::Workbook::new();
    let out = book.add_worksheet().set_name(sheet).expect("a sheet name");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if c == value_column && r > 0 {
                continue;
            }
            out.write_string(r as u32, c as u16, cell).expect("a cell");
        }
        if r > 0
            && let Some(v) = value(row)
        {
            out.write_number(r as u32, value_column as u16, v).expect("a number");
        }
    }
    let hidden = book.add_worksheet().set_name(marker).expect("a sheet name");
    hidden.write_string(0, 0, "jili 填报模板").expect("a cell");
    hidden.set_hidden(true);
    book.save_to_buffer().expect("the workbook")
}
