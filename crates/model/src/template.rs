//! The layout of a 填报模板 (data-request template, issue 18): the sheet names, the columns and
//! the hidden marker sheet, in one place for the writer (`jili_report::template`) and the
//! reader (intake recognises a filled template by the marker and reads it with no questions).

/// The sheet the provider fills.
pub const DATA_SHEET: &str = "填报";
/// The instructions sheet.
pub const INSTRUCTIONS_SHEET: &str = "填报说明";
/// The hidden sheet that marks the workbook as jili's template (its cells name the provider,
/// the period and the template's version, for people; the reader needs only its name).
pub const MARKER_SHEET: &str = "jili_template_v1";

/// The columns of the data sheet, in order.
pub const HEADERS: [&str; 8] =
    ["单位代码", "单位名称", "数据项代码", "数据项名称", "计量单位", "期别", "上期数值（参考）", "本期数值"];

/// The column read as the unit, the series, the period, the unit of measure and the value.
pub const UNIT: &str = HEADERS[0];
pub const SERIES: &str = HEADERS[2];
pub const MEASURE: &str = HEADERS[4];
pub const PERIOD: &str = HEADERS[5];
pub const VALUE: &str = HEADERS[7];
/// The 0-based index of the value column (where the data validation is).
pub const VALUE_COLUMN: u16 = 7;
