//! The funds ledger (资金台账) as an XLSX workbook: one sheet per level (the year's measures,
//! each unit's award, the journal entries) and a sheet 说明. Amounts are written as numbers,
//! so that a reader can sum them; text cells are neutralised as everywhere else.

use crate::{ReportError, Result};
use jili_model::Decimal;
use jili_model::spreadsheet::safe_cell;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// A cell: text, or an amount in 万元 (written as a number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Amount(Decimal),
}

/// One sheet of the workbook.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub widths: Vec<u16>,
    pub rows: Vec<Vec<Cell>>,
}

/// The sheets, then 说明 with `about`. Amounts keep up to 4 decimal places as entered; an
/// amount that does not fit a spreadsheet number exactly (more than 15 significant digits,
/// far beyond any budget in 万元) is written as text rather than rounded.
pub fn ledger_xlsx(sheets: &[Sheet], about: &[String]) -> Result<Vec<u8>> {
    let bad = |e: XlsxError| ReportError(format!("资金台账无法写成 XLSX：{e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.####");
    for s in sheets {
        let sheet = book.add_worksheet().set_name(s.name).map_err(bad)?;
        for (c, h) in s.headers.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(bad)?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(t) => sheet.write_string(r, c, safe_cell(t)).map_err(bad)?,
                    Cell::Amount(d) => match exact_f64(*d) {
                        Some(x) => sheet.write_number_with_format(r, c, x, &money).map_err(bad)?,
                        None => sheet.write_string(r, c, d.normalize().to_string()).map_err(bad)?,
                    },
                };
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(bad)?;
        for (c, w) in s.widths.iter().enumerate() {
            sheet.set_column_width(c as u16, *w).map_err(bad)?;
        }
    }
    let sheet = book.add_worksheet().set_name("说明").map_err(bad)?;
    for (r, l) in about.iter().enumerate() {
        sheet.write_string(r as u32, 0, safe_cell(l)).map_err(bad)?;
    }
    sheet.set_column_width(0, 100).map_err(bad)?;
    book.save_to_buffer().map_err(bad)
}

/// `d` as an f64 when the number reads back as the same decimal.
fn exact_f64(d: Decimal) -> Option<f64> {
    let text = d.normalize().to_string();
    let x: f64 = text.parse().ok()?;
    let back = Decimal::from_str_exact(&format!("{x}")).ok()?;
    (x.is_finite() && back.normalize() == d.normalize()).then_some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_numbers_only_when_exact() {
        assert_eq!(exact_f64(Decimal::new(12505, 1)), Some(1250.5));
        assert_eq!(exact_f64(Decimal::from(3000)), Some(3000.0));
        let huge = Decimal::from_str_exact("1234567890123456.78").unwrap_or_default();
        assert_eq!(exact_f64(huge), None);
    }
}
