//! Tables as files a statistician opens in Excel or WPS: CSV (UTF-8 with a byte-order mark) and
//! XLSX. Every text cell goes through [`safe_cell`], so a value that starts like a formula is
//! shown, never run.

use crate::cells::{Formats, Kind};
use crate::{ReportError, Result};
use jili_model::spreadsheet::safe_cell;

/// Rows as CSV, UTF-8 with a byte-order mark (Excel and WPS read it), every cell neutralised.
pub fn csv_file<const N: usize>(headers: &[&str; N], rows: &[[String; N]]) -> Result<Vec<u8>> {
    csv_named("数据", headers, rows)
}

/// [`csv_file`], its errors naming the file as `what` (审计日志 …).
pub(crate) fn csv_named<const N: usize>(what: &str, headers: &[&str; N], rows: &[[String; N]]) -> Result<Vec<u8>> {
    let bad = |e: csv::Error| ReportError(format!("{what}无法写成 CSV：{e}"));
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(headers).map_err(bad)?;
        for r in rows {
            w.write_record(r.iter().map(|c| safe_cell(c).into_owned())).map_err(bad)?;
        }
        w.flush().map_err(|e| ReportError(format!("{what}无法写成 CSV：{e}")))?;
    }
    Ok(out)
}

/// Rows as an XLSX workbook: sheet 主要指标数据 with bold headings, each column's cells written
/// as what its heading says they are ([`crate::cells::Kind`]: 数值 as numbers, times and days as
/// dates, the rest neutralised text), `widths` per column, and a sheet 说明 with the `about` lines.
pub fn xlsx_file<const N: usize>(
    headers: &[&str; N],
    rows: &[[String; N]],
    widths: &[u16; N],
    about: &[String],
) -> Result<Vec<u8>> {
    xlsx_sheet("主要指标数据", headers, rows, widths, about)
}

/// [`xlsx_file`] with the table on a sheet named `sheet` (逾期清单 …).
pub fn xlsx_sheet<const N: usize>(
    sheet: &str,
    headers: &[&str; N],
    rows: &[[String; N]],
    widths: &[u16; N],
    about: &[String],
) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let bad = |e: rust_xlsxwriter::XlsxError| ReportError(format!("数据无法写成 XLSX：{e}"));
    let kinds = headers.map(Kind::of);
    let formats = Formats::default();
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name(sheet).map_err(bad)?;
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(bad)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in row.iter().enumerate() {
            formats.write(sheet, r, c as u16, kinds[c], v).map_err(bad)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(bad)?;
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(bad)?;
    }
    let sheet = book.add_worksheet().set_name("说明").map_err(bad)?;
    for (r, l) in about.iter().enumerate() {
        sheet.write_string(r as u32, 0, safe_cell(l)).map_err(bad)?;
    }
    sheet.set_column_width(0, 100).map_err(bad)?;
    book.save_to_buffer().map_err(bad)
}
