//! CSV and tab-separated text → a [`Grid`]: any encoding, any delimiter among `,` `;` tab.

use super::bounds::{Budget, SheetBuilder, file_size, refuse};
use super::decode::decode;
use super::grid::{Cell, Format, Grid, Workbook};
use crate::error::IntakeError;
use csv_core::ReadRecordResult;
use encoding_rs::Encoding;
use jili_model::{Limits, Location};
use std::borrow::Cow;

/// Read delimited text within `limits`. `encoding` forces one (`--encoding`); otherwise it is
/// detected.
pub fn read_text(
    file: &str,
    bytes: &[u8],
    encoding: Option<&'static Encoding>,
    limits: &Limits,
) -> Result<Workbook, IntakeError> {
    file_size(file, bytes, limits)?;
    let (text, encoding) = decode(file, bytes, encoding)?;
    let head = text.trim_start().get(..text.trim_start().len().min(400)).unwrap_or("").to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<table") {
        return Err(IntakeError::at(
            Location::file(file),
            "这是网页（HTML）格式，只是扩展名为 .xls：请在 Excel/WPS 中打开后“另存为”Excel 工作簿（.xlsx）再导入",
        ));
    }
    if head.starts_with("<?xml") {
        return Err(IntakeError::at(
            Location::file(file),
            "这是 XML 格式（如 Excel 2003 XML 表格），不是 .xls/.xlsx：请在 Excel/WPS 中打开后另存为 .xlsx 再导入",
        ));
    }
    if let Some(line) = unclosed_quote(&text) {
        return Err(IntakeError::at(
            Location::file(file).at_line(line),
            "本行有一个没有配对的英文双引号（\"），其后的内容都会被当作一个单元格：请删除多余的引号，或把单元格中的引号写成两个（\"\"）",
        ));
    }
    // Excel for Mac ends lines with a bare CR; a CR before LF is read as part of the line end.
    let text: Cow<'_, str> =
        if has_bare_cr(&text) { text.replace("\r\n", "\n").replace('\r', "\n").into() } else { text };
    let grid = records(file, &text, delimiter(&text), limits)?;
    Ok(Workbook {
        file: file.to_string(),
        format: Format::Csv,
        encoding: Some(encoding.name()),
        sheets: vec![grid],
        hidden: Vec::new(),
    })
}

/// Whether some CR is not followed by LF.
fn has_bare_cr(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'\r', b).any(|i| b.get(i + 1) != Some(&b'\n'))
}

/// Split `text` into records and cells: a record longer than `line_bytes` or wider than
/// `columns` is refused when it is met, before anything is kept of it.
fn records(file: &str, text: &str, delimiter: u8, limits: &Limits) -> Result<Grid, IntakeError> {
    let input = text.as_bytes();
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let cap = |limit: u64| usize::try_from(limit).unwrap_or(usize::MAX).min(input.len()) + 1;
    let mut out = vec![0u8; cap(limits.line_bytes)];
    let mut ends = vec![0usize; cap(limits.columns)];
    let mut builder = SheetBuilder::new(file, None, limits);
    let mut budget = Budget::default();
    let mut lines = Vec::new();
    let (mut pos, mut skipped, mut row) = (0usize, 0u64, 0u32);
    loop {
        // Blank lines are no records; skipping them here keeps each record's first line exact.
        while let Some(b @ (b'\n' | b'\r')) = input.get(pos) {
            skipped += u64::from(*b == b'\n');
            pos += 1;
        }
        let line = usize::try_from(reader.line() + skipped).unwrap_or(usize::MAX);
        let at = || Location::file(file).at_line(line);
        let start = pos;
        let (mut nout, mut nend) = (0usize, 0usize);
        let ended = loop {
            let (res, nin, o, e) = reader.read_record(&input[pos..], &mut out[nout..], &mut ends[nend..]);
            pos += nin;
            (nout, nend) = (nout + o, nend + e);
            match res {
                ReadRecordResult::InputEmpty => continue,
                ReadRecordResult::Record => break false,
                ReadRecordResult::End => break true,
                ReadRecordResult::OutputFull => {
                    let fix = "请检查这一行是否缺少换行，或删除单元格中的长文字";
                    return Err(refuse(at(), "本行的大小", 0, "line_bytes", limits, fix));
                }
                ReadRecordResult::OutputEndsFull => {
                    let fix = "请检查分隔符（逗号）是否多余，或把宽表拆成几个文件";
                    return Err(refuse(at(), "本行的列数", 0, "columns", limits, fix));
                }
            }
        };
        if ended {
            break;
        }
        if u64::from(row) >= limits.rows {
            return Err(refuse(at(), "行数", u64::from(row) + 1, "rows", limits, "请把数据分成几个文件"));
        }
        lines.push(line);
        // Without quotes a field is the text between delimiters: taken from the (valid UTF-8)
        // text itself, with no second check of its encoding.
        let quoted = memchr::memchr(b'"', &input[start..pos]).is_some();
        let mut cells = Vec::with_capacity(nend);
        let mut from = 0;
        for (col, &end) in ends[..nend].iter().enumerate() {
            let plain = if quoted { None } else { text.get(start + from + col..start + end + col) };
            let field = match plain {
                Some(f) => f,
                None => std::str::from_utf8(&out[from..end]).map_err(|_| {
                    IntakeError::at(at().at_column(col + 1), "单元格中有不完整的字符：请另存为“CSV UTF-8”后重新导入")
                })?,
            };
            from = end;
            cells.push(if field.is_empty() { Cell::Empty } else { Cell::Text(field.into()) });
        }
        builder.put_row(&mut budget, row, line, cells)?;
        row += 1;
    }
    let mut grid = builder.finish(String::new());
    grid.lines = lines.split_off(grid.first_row.min(lines.len()));
    Ok(grid)
}

/// The line of a quote that is never closed, if any (the csv crate would read the rest of the
/// file into one cell).
fn unclosed_quote(text: &str) -> Option<usize> {
    if !text.contains('"') {
        return None;
    }
    let mut open: Option<usize> = None;
    let mut line = 1;
    let mut at_cell_start = true;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match (open, b) {
            (Some(_), b'"') if bytes.get(i + 1) == Some(&b'"') => i += 1,
            (Some(_), b'"') => open = None,
            (None, b'"') if at_cell_start => open = Some(line),
            _ => {}
        }
        if b == b'\n' {
            line += 1;
        }
        at_cell_start = open.is_none() && matches!(b, b',' | b';' | b'\t' | b'\n');
        i += 1;
    }
    open
}

/// The delimiter among `,` `;` tab that splits the first lines most consistently.
fn delimiter(text: &str) -> u8 {
    // The first 64 KiB show the delimiter; a file that is one long line is not scanned whole.
    let mut end = text.len().min(64 * 1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let lines: Vec<&str> = text[..end].lines().filter(|l| !l.trim().is_empty()).take(20).collect();
    let mut best = (b',', 0usize);
    for d in [b',', b'\t', b';'] {
        let counts: Vec<usize> = lines.iter().map(|l| l.bytes().filter(|b| *b == d).count()).collect();
        let most = counts.iter().copied().max().unwrap_or(0);
        // Lines that have the delimiter at all should mostly agree on how many.
        let agreeing = counts.iter().filter(|c| **c == most).count();
        let score = if most == 0 { 0 } else { agreeing * 1000 + most };
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_detected() {
        assert_eq!(delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(delimiter("a;b;c\n1,5;2;3\n"), b';');
        assert_eq!(delimiter("地区\t数值\n长沙\t1,234\n"), b'\t');
        assert_eq!(delimiter("单位：万元\n地区,数值\n长沙,1\n"), b',');
    }

    #[test]
    fn refusals_name_the_line_of_the_file() {
        let limits = Limits { columns: 3, ..Limits::default() };
        let text = "a,b\n\n\"x\ny\",2\n1,2,3,4\n";
        let err = read_text("w.csv", text.as_bytes(), None, &limits).unwrap_err().to_string();
        assert!(err.contains("第 5 行") && err.contains("columns"), "{err}");
        let limits = Limits { cells: 4, ..Limits::default() };
        let err = read_text("c.csv", text.as_bytes(), None, &limits).unwrap_err().to_string();
        assert!(err.contains("第 5 行") && err.contains("cells"), "{err}");
    }

    #[test]
    fn rows_keep_their_lines() {
        let wb = read_text("a.csv", "a,b\n\"x\ny\",2\n3,4\n".as_bytes(), None, &Limits::default()).unwrap();
        assert_eq!(wb.sheets[0].lines, vec![1, 2, 4]);
        assert_eq!(wb.sheets[0].sheet_row(2), 4);
        assert_eq!(wb.encoding, Some("UTF-8"));
    }
}
