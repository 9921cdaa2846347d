//! How much one input may cost before jili refuses it. Every reader checks these bounds
//! *before* it allocates, so one department's bad file — or one curious visitor — cannot take
//! the province's system down. The defaults are sized for a real province with headroom (a
//! 1,000,000-row CSV or a 100,000-row workbook of 30 columns imports); the office can set its
//! own (`jili limits load`), and every refusal names the limit, the file and where.

use crate::error::{ModelError, toml_error};
use crate::location::Location;
use serde::{Deserialize, Serialize};

/// The bounds on one input. Counts are per file (or per request) unless the name says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Bytes of an uploaded or imported file.
    pub file_bytes: u64,
    /// Files inside an XLSX (a zip archive).
    pub zip_entries: u64,
    /// Bytes an XLSX may expand to, all its parts together (checked while inflating).
    pub expanded_bytes: u64,
    /// How many times larger than its compressed size one part of an XLSX may expand
    /// (checked once the part has expanded past 1 MiB: small parts compress very well).
    pub compression_ratio: u64,
    /// Worksheets in a workbook.
    pub sheets: u64,
    /// Rows of one worksheet or CSV file.
    pub rows: u64,
    /// Columns of one worksheet or CSV row.
    pub columns: u64,
    /// Non-empty cells in one file, all sheets together.
    pub cells: u64,
    /// Cells of one worksheet's used range (rows × columns, empty cells included): what a
    /// reader must hold for the sheet.
    pub used_range: u64,
    /// Bytes of one cell's text.
    pub cell_bytes: u64,
    /// Bytes of one line of a CSV file.
    pub line_bytes: u64,
    /// Distinct strings an XLSX declares or holds in its shared-strings part.
    pub shared_strings: u64,
    /// Merged regions in one worksheet.
    pub merges: u64,
    /// Bytes of a plan (TOML or JSON) or a programme file.
    pub plan_bytes: u64,
    /// Indicators of one plan.
    pub plan_indicators: u64,
    /// Peer groups, vetoes or reward lines of one plan (each counted on its own).
    pub plan_items: u64,
    /// Characters of one free-text field: notes, reasons, review comments, practice.
    pub text_chars: u64,
    /// Characters of a name: a user's, a file's label, a short title.
    pub name_chars: u64,
}

const MIB: u64 = 1024 * 1024;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            file_bytes: 64 * MIB,
            zip_entries: 1000,
            expanded_bytes: 256 * MIB,
            compression_ratio: 200,
            sheets: 100,
            rows: 1_048_576,
            columns: 2000,
            cells: 5_000_000,
            used_range: 6_000_000,
            cell_bytes: 128 * 1024,
            line_bytes: MIB,
            shared_strings: 1_000_000,
            merges: 10_000,
            plan_bytes: 256 * 1024,
            plan_indicators: 200,
            plan_items: 100,
            text_chars: 2000,
            name_chars: 100,
        }
    }
}

/// One limit: its key in the limits file and what it bounds, in Chinese.
#[derive(Debug, Clone, Copy)]
pub struct LimitInfo {
    pub key: &'static str,
    pub label: &'static str,
    pub value: u64,
    /// Whether the value is a number of bytes (shown with KiB/MiB).
    pub bytes: bool,
}

impl Limits {
    /// Every limit with its key, label and value, in file order.
    pub fn entries(&self) -> Vec<LimitInfo> {
        let l = self;
        let e = |key, label, value, bytes| LimitInfo { key, label, value, bytes };
        vec![
            e("file_bytes", "文件大小", l.file_bytes, true),
            e("zip_entries", "XLSX 压缩包内的文件数", l.zip_entries, false),
            e("expanded_bytes", "XLSX 解压后的总大小", l.expanded_bytes, true),
            e("compression_ratio", "XLSX 单个部件的解压倍数", l.compression_ratio, false),
            e("sheets", "工作表数", l.sheets, false),
            e("rows", "每个工作表（或 CSV）的行数", l.rows, false),
            e("columns", "每行的列数", l.columns, false),
            e("cells", "非空单元格总数", l.cells, false),
            e("used_range", "每个工作表的使用范围（行×列）", l.used_range, false),
            e("cell_bytes", "单元格文字大小", l.cell_bytes, true),
            e("line_bytes", "CSV 每行大小", l.line_bytes, true),
            e("shared_strings", "XLSX 共享字符串数", l.shared_strings, false),
            e("merges", "每个工作表的合并单元格区域数", l.merges, false),
            e("plan_bytes", "方案或年度激励方案文件大小", l.plan_bytes, true),
            e("plan_indicators", "方案的指标数", l.plan_indicators, false),
            e("plan_items", "方案的分组、否决项或奖励项数（各自计）", l.plan_items, false),
            e("text_chars", "说明、理由、意见等文字的字数", l.text_chars, false),
            e("name_chars", "名称（用户名、文件名等）的字数", l.name_chars, false),
        ]
    }

    /// Read an office's limits file. Keys left out keep their defaults; an unknown key or a
    /// zero is an error naming the line.
    pub fn from_toml(file: &str, text: &str) -> Result<Limits, ModelError> {
        if text.len() as u64 > 64 * 1024 {
            return Err(ModelError::invalid(Location::file(file), "上限文件超过 64 KiB：它只应有十几行 key = 数值"));
        }
        let limits: Limits = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
        let zeros: Vec<ModelError> = limits
            .entries()
            .into_iter()
            .filter(|e| e.value == 0)
            .map(|e| {
                let line = text.lines().position(|l| l.trim_start().starts_with(e.key)).map_or(1, |i| i + 1);
                ModelError::invalid(
                    Location::file(file).at_line(line).field(e.key),
                    format!("{}（{}）不能为 0：删去这一行即用默认值", e.label, e.key),
                )
            })
            .collect();
        if zeros.is_empty() { Ok(limits) } else { Err(ModelError::several(zeros)) }
    }

    /// The limits as a file an office can edit, every key with its label.
    pub fn to_toml(&self) -> String {
        let mut out = String::from("# jili 的输入上限（超过即拒绝，并说明是哪一项上限）。删去一行即用默认值。\n");
        for e in self.entries() {
            out.push_str(&format!("{} = {}    # {}\n", e.key, e.value, e.label));
        }
        out
    }
}

/// A number with thousands separators, or bytes in KiB/MiB/GiB: how refusals show a limit.
pub fn show_amount(value: u64, bytes: bool) -> String {
    if bytes {
        const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
        for (name, size) in UNITS {
            if value >= size {
                let whole = value / size;
                let tenth = (value % size) * 10 / size;
                return if tenth == 0 { format!("{whole} {name}") } else { format!("{whole}.{tenth} {name}") };
            }
        }
        return format!("{value} 字节");
    }
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limits_file_overrides_some_keys_and_keeps_the_rest() {
        let l = Limits::from_toml("limits.toml", "cells = 100\nfile_bytes = 2048\n").unwrap();
        assert_eq!((l.cells, l.file_bytes, l.rows), (100, 2048, Limits::default().rows));
        let round = Limits::from_toml("x", &l.to_toml()).unwrap();
        assert_eq!(round, l);
    }

    #[test]
    fn unknown_keys_and_zeros_name_the_line() {
        let err = Limits::from_toml("limits.toml", "rows = 10\ncelss = 5\n").unwrap_err().to_string();
        assert!(err.contains("第 2 行") && err.contains("celss"), "{err}");
        let err = Limits::from_toml("limits.toml", "rows = 10\ncells = 0\n").unwrap_err().to_string();
        assert!(err.contains("第 2 行") && err.contains("不能为 0"), "{err}");
    }

    #[test]
    fn amounts_read_as_people_write_them() {
        assert_eq!(show_amount(5_000_000, false), "5,000,000");
        assert_eq!(show_amount(999, false), "999");
        assert_eq!(show_amount(64 * MIB, true), "64 MiB");
        assert_eq!(show_amount(1536, true), "1.5 KiB");
        assert_eq!(show_amount(100, true), "100 字节");
    }
}
