//! How a table's cells go into XLSX: as what they are, so that Excel and WPS sort, filter and
//! sum them — a sequence number or a value as a number, a time as a date-time cell, a deadline
//! as a date — and everything else as neutralised text ([`safe_cell`]). A column's kind follows
//! its Chinese heading; a cell that does not read as its kind stays text, as it was given.
//! Codes (单位代码 430100, 数据项代码) are text: they are names, not quantities.

use jili_model::spreadsheet::safe_cell;
use rust_xlsxwriter::{ExcelDateTime, Format, Worksheet, XlsxError};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// 序号, 编号, 数值, 事件序号.
    Number,
    /// A time stored in UTC (ISO 8601, `2024-05-01T08:00:00Z`) shown this many hours ahead of
    /// UTC (Beijing time: 8; a heading that says UTC: 0), or a time already shown as
    /// `2024年5月1日 16:00`.
    Time {
        ahead_hours: u8,
    },
    /// A day, `2024-05-01` (截止日期).
    Day,
}

impl Kind {
    /// The kind of a column from its heading.
    pub fn of(heading: &str) -> Kind {
        match heading {
            "序号" | "编号" | "数值" | "事件序号" => Kind::Number,
            h if h.starts_with("时间") && h.contains("UTC") => Kind::Time { ahead_hours: 0 },
            h if h.starts_with("时间") => Kind::Time { ahead_hours: 8 },
            h if h.ends_with("日期") => Kind::Day,
            _ => Kind::Text,
        }
    }
}

/// A time cell's value: an ISO 8601 UTC time moved `hours` ahead (8 for Beijing time), or a
/// Chinese `YYYY年M月D日 HH:MM` taken as it is.
pub fn date_time(text: &str, hours: f64) -> Option<ExcelDateTime> {
    let t = text.trim();
    if let Some((ymd, hm)) = t.split_once('日') {
        let (y, rest) = ymd.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        let (h, min) = hm.trim().split_once(':')?;
        return ExcelDateTime::from_ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
            .ok()?
            .and_hms(h.parse().ok()?, min.parse().ok()?, 0)
            .ok();
    }
    if !(t.len() >= 19 && t.as_bytes().get(10) == Some(&b'T') && t.ends_with('Z')) {
        return None;
    }
    let utc = ExcelDateTime::parse_from_str(t).ok()?;
    ExcelDateTime::from_serial_datetime(utc.to_excel() + hours / 24.0).ok()
}

/// The formats of typed cells, made once per workbook.
#[derive(Debug)]
pub struct Formats {
    time: Format,
    day: Format,
}

impl Default for Formats {
    fn default() -> Self {
        Formats {
            time: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            day: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }
}

impl Formats {
    /// Write `value` at (`row`, `col`) as `kind`.
    pub fn write(&self, sheet: &mut Worksheet, row: u32, col: u16, kind: Kind, value: &str) -> Result<(), XlsxError> {
        match kind {
            Kind::Number => {
                if let Ok(x) = value.trim().parse::<f64>()
                    && x.is_finite()
                {
                    sheet.write_number(row, col, x)?;
                    return Ok(());
                }
            }
            Kind::Time { ahead_hours } => {
                if let Some(t) = date_time(value, f64::from(ahead_hours)) {
                    sheet.write_datetime_with_format(row, col, &t, &self.time)?;
                    return Ok(());
                }
            }
            Kind::Day => {
                if let Ok(d) = ExcelDateTime::parse_from_str(value.trim())
                    && value.trim().len() == 10
                {
                    sheet.write_datetime_with_format(row, col, &d, &self.day)?;
                    return Ok(());
                }
            }
            Kind::Text => {}
        }
        sheet.write_string(row, col, safe_cell(value))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_take_their_kind_from_their_heading() {
        assert_eq!(Kind::of("序号"), Kind::Number);
        assert_eq!(Kind::of("时间（UTC）"), Kind::Time { ahead_hours: 0 });
        assert_eq!(Kind::of("时间（北京时间）"), Kind::Time { ahead_hours: 8 });
        assert_eq!(Kind::of("截止日期"), Kind::Day);
        assert_eq!(Kind::of("单位代码"), Kind::Text);
    }

    #[test]
    fn times_read_as_iso_utc_or_as_shown_in_chinese() {
        let serial = |t: Option<ExcelDateTime>| t.map(|t| (t.to_excel() * 1440.0).round() as i64);
        let beijing = serial(ExcelDateTime::from_ymd(2026, 11, 30).and_then(|d| d.and_hms(6, 32, 0)).ok());
        assert_eq!(serial(date_time("2026-11-29T22:32:00Z", 8.0)), beijing, "UTC moved to Beijing time");
        assert_eq!(serial(date_time("2026年11月30日 06:32", 8.0)), beijing, "shown Beijing time as it is");
        assert_eq!(date_time("昨天", 8.0).map(|t| t.to_excel()), None);
        assert_eq!(date_time("2026-11-29", 8.0).map(|t| t.to_excel()), None, "a day is not a time");
    }
}
