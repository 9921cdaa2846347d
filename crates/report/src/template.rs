//! The 填报模板 (data-request template) as an XLSX workbook: a sheet 填报 with one row per unit
//! and series the provider owes for a period (codes, names, unit of measure, last period's value
//! for reference, an empty 本期数值 cell that accepts numbers only), a sheet 填报说明, and the
//! hidden marker sheet by which intake recognises a filled template. The layout lives in
//! [`jili_model::template`], shared with the reader.

use crate::{ReportError, Result};
use jili_model::spreadsheet::safe_cell;
use jili_model::template as t;

/// One row to fill: a unit and a series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRow {
    pub unit: String,
    pub unit_name: String,
    pub series: String,
    pub series_name: String,
    /// The series' unit of measure (亿元, % …).
    pub measure: String,
    /// The period owed, canonical (`2024`).
    pub period: String,
    /// Last period's current value, for reference ('' when none is stored).
    pub last: String,
}

/// What the template is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The providing department's code and name.
    pub provider: String,
    pub provider_name: String,
    pub period: String,
    pub rows: Vec<TemplateRow>,
    /// The instructions, one line each.
    pub instructions: Vec<String>,
    /// When it was made, as people read it (Beijing time, labelled; shown on the marker sheet).
    pub made_at: String,
}

/// The template as XLSX bytes.
pub fn template_xlsx(template: &Template) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Workbook};
    let bad = |e: rust_xlsxwriter::XlsxError| ReportError(format!("填报模板无法写成 XLSX：{e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let grey = Format::new().set_font_color(rust_xlsxwriter::Color::Gray);
    let sheet = book.add_worksheet().set_name(t::DATA_SHEET).map_err(bad)?;
    for (c, h) in t::HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(bad)?;
    }
    for (r, row) in template.rows.iter().enumerate() {
        let r = r as u32 + 1;
        let cells = [&row.unit, &row.unit_name, &row.series, &row.series_name, &row.measure, &row.period, &row.last];
        for (c, v) in cells.iter().enumerate() {
            let v = safe_cell(v);
            if c == 6 {
                match v.parse::<f64>() {
                    Ok(x) if x.is_finite() => sheet.write_number_with_format(r, 6, x, &grey).map_err(bad)?,
                    _ => sheet.write_string_with_format(r, 6, v, &grey).map_err(bad)?,
                };
            } else {
                sheet.write_string(r, c as u16, v).map_err(bad)?;
            }
        }
    }
    if !template.rows.is_empty() {
        let numbers = DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
            .set_input_title("本期数值")
            .map_err(bad)?
            .set_input_message("请填写数字（按“计量单位”列的单位），不要填写单位或文字；没有数据请留空。")
            .map_err(bad)?
            .set_error_title("只能填写数字")
            .map_err(bad)?
            .set_error_message("本期数值只能是数字。没有数据请留空，并在报送时说明。")
            .map_err(bad)?;
        let last = template.rows.len() as u32;
        sheet.add_data_validation(1, t::VALUE_COLUMN, last, t::VALUE_COLUMN, &numbers).map_err(bad)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(bad)?;
    for (c, w) in [10u16, 16, 18, 28, 10, 8, 16, 14].iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(bad)?;
    }
    let sheet = book.add_worksheet().set_name(t::INSTRUCTIONS_SHEET).map_err(bad)?;
    for (r, l) in template.instructions.iter().enumerate() {
        sheet.write_string(r as u32, 0, safe_cell(l)).map_err(bad)?;
    }
    sheet.set_column_width(0, 110).map_err(bad)?;
    let sheet = book.add_worksheet().set_name(t::MARKER_SHEET).map_err(bad)?;
    let marker = [
        "jili 填报模板（请勿修改或删除本工作表）".to_string(),
        format!("提供部门：{} {}", template.provider, template.provider_name),
        format!("期别：{}", template.period),
        format!("生成时间：{}", template.made_at),
    ];
    for (r, l) in marker.iter().enumerate() {
        sheet.write_string(r as u32, 0, safe_cell(l)).map_err(bad)?;
    }
    sheet.set_hidden(true);
    book.save_to_buffer().map_err(bad)
}
