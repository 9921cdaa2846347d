//! The audit log and the access log as files for 纪检监察 and the office: CSV (UTF-8 with a
//! byte-order mark) and XLSX workbooks whose sheets have their own layouts (the audit log with
//! the result of verifying it, the access log with what the export holds). The use-cases read
//! the logs, check who may export them and record the export; this writes what they hand over.
//! Every text cell goes through [`safe_cell`].

use crate::cells::{Formats, Kind};
use crate::table::csv_named;
use crate::{ReportError, Result};
use jili_model::spreadsheet::safe_cell;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The columns of an exported audit log, in Chinese.
pub const AUDIT_HEADERS: [&str; 9] =
    ["序号", "时间（UTC）", "操作人", "动作", "对象", "说明", "记录摘要", "前一哈希", "本事件哈希"];

/// The columns of an exported access log. The first, 编号, is the entry's number.
pub const ACCESS_HEADERS: [&str; 12] = [
    "编号",
    "时间（UTC）",
    "时间（北京时间）",
    "用户",
    "角色",
    "范围",
    "客户端地址",
    "事件",
    "对象",
    "结果",
    "说明",
    "代码（事件/结果）",
];

/// What verifying the audit log found, for the workbook's 核验结果 sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCheck {
    /// Events whose hash chain was recomputed.
    pub events: usize,
    /// Objects whose records were re-hashed against their last seal.
    pub objects: usize,
    /// Each problem: the event's sequence number (empty when none), the object, what is wrong.
    pub problems: Vec<[String; 3]>,
}

/// The audit log as CSV, oldest event first.
pub fn audit_csv(rows: &[[String; 9]]) -> Result<Vec<u8>> {
    csv_named("审计日志", &AUDIT_HEADERS, rows)
}

/// The audit log as an XLSX workbook: the events (sheet 审计日志), and the result of verifying
/// them (sheet 核验结果).
pub fn audit_xlsx(rows: &[[String; 9]], check: &AuditCheck) -> Result<Vec<u8>> {
    let bad = |e: XlsxError| ReportError(format!("审计日志无法写成 XLSX：{e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("审计日志").map_err(bad)?;
    // A workbook is read by people: its times in Beijing time, as date-time cells (the CSV, a
    // machine export, keeps UTC).
    let mut headers = AUDIT_HEADERS;
    headers[1] = "时间（北京时间）";
    let (kinds, formats) = (headers.map(Kind::of), Formats::default());
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(bad)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            formats.write(sheet, r as u32 + 1, c as u16, kinds[c], v).map_err(bad)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(bad)?;
    for (c, w) in [6, 21, 18, 16, 24, 60, 20, 20, 20].iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(bad)?;
    }
    let sheet = book.add_worksheet().set_name("核验结果").map_err(bad)?;
    let verdict = if check.problems.is_empty() {
        format!("完整：{} 个事件的哈希链与 {} 个记录均与日志相符", check.events, check.objects)
    } else {
        format!("发现 {} 处问题", check.problems.len())
    };
    sheet.write_string_with_format(0, 0, &verdict, &bold).map_err(bad)?;
    for (c, h) in ["事件序号", "对象", "问题"].iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *h, &bold).map_err(bad)?;
    }
    for (r, [seq, object, what]) in check.problems.iter().enumerate() {
        let r = r as u32 + 3;
        formats.write(sheet, r, 0, Kind::Number, seq).map_err(bad)?;
        sheet.write_string(r, 1, safe_cell(object)).map_err(bad)?;
        sheet.write_string(r, 2, safe_cell(what)).map_err(bad)?;
    }
    sheet.set_column_width(1, 24).map_err(bad)?;
    sheet.set_column_width(2, 100).map_err(bad)?;
    book.save_to_buffer().map_err(bad)
}

/// The access log as CSV, in the order given.
pub fn access_csv(rows: &[[String; 12]]) -> Result<Vec<u8>> {
    csv_named("访问日志", &ACCESS_HEADERS, rows)
}

/// The access log as an XLSX workbook: the entries (sheet 访问日志, 编号 as a number, the times as
/// date-time cells in UTC and in Beijing time as their headings say), and
/// `about` (what the export holds) on sheet 说明.
pub fn access_xlsx(rows: &[[String; 12]], about: &[String]) -> Result<Vec<u8>> {
    let bad = |e: XlsxError| ReportError(format!("访问日志无法写成 XLSX：{e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = book.add_worksheet().set_name("访问日志").map_err(bad)?;
    let (kinds, formats) = (ACCESS_HEADERS.map(Kind::of), Formats::default());
    for (c, h) in ACCESS_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold).map_err(bad)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            formats.write(sheet, r as u32 + 1, c as u16, kinds[c], v).map_err(bad)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(bad)?;
    for (c, w) in [8, 21, 20, 16, 14, 10, 16, 14, 30, 18, 50, 26].iter().enumerate() {
        sheet.set_column_width(c as u16, *w).map_err(bad)?;
    }
    let info = book.add_worksheet().set_name("说明").map_err(bad)?;
    for (r, line) in about.iter().enumerate() {
        info.write_string(r as u32, 0, safe_cell(line)).map_err(bad)?;
    }
    info.set_column_width(0, 90).map_err(bad)?;
    book.save_to_buffer().map_err(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<const N: usize>(cells: [&str; N]) -> [String; N] {
        cells.map(str::to_string)
    }

    #[test]
    fn the_logs_as_csv_start_with_a_bom_and_neutralise_formulas() {
        let audit = audit_csv(&[row(["1", "2024-05-01T00:00:00Z", "=x", "a", "b", "c", "d", "e", "f"])]);
        let text = String::from_utf8(audit.unwrap_or_default()).unwrap_or_default();
        assert!(text.starts_with("\u{feff}序号,时间（UTC）") && text.contains(",'=x,"), "{text}");
        let access = access_csv(&[row(["7", "t", "b", "@u", "r", "s", "c", "e", "o", "x", "d", "e/x"])]);
        let text = String::from_utf8(access.unwrap_or_default()).unwrap_or_default();
        assert!(text.starts_with("\u{feff}编号,") && text.contains("\n7,t,b,'@u,"), "{text}");
    }

    #[test]
    fn the_workbooks_are_written() {
        let check = AuditCheck { events: 1, objects: 0, problems: vec![row(["", "plan/1", "+bad"])] };
        let book = audit_xlsx(&[row(["1", "t", "a", "b", "c", "d", "e", "f", "g"])], &check);
        assert!(book.is_ok_and(|b| b.starts_with(b"PK")));
        let book =
            access_xlsx(&[row(["1", "t", "b", "u", "r", "s", "c", "e", "o", "x", "d", "e/x"])], &["说明".into()]);
        assert!(book.is_ok_and(|b| b.starts_with(b"PK")));
    }
}
