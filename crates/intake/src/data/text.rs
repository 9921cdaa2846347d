//! CSV and tab-separated text → a [`Grid`]: any encoding, any delimiter among `,` `;` tab.

use super::decode::decode;
use super::grid::{Cell, Format, Grid, Workbook};
use crate::error::IntakeError;
use encoding_rs::Encoding;
use jili_model::Location;

/// Read delimited text. `encoding` forces one (`--encoding`); otherwise it is detected.
pub fn read_text(file: &str, bytes: &[u8], encoding: Option<&'static Encoding>) -> Result<Workbook, IntakeError> {
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
    // Excel for Mac ends lines with a bare CR.
    let text = if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n") } else { text };
    let delimiter = delimiter(&text);
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut grid = Grid::default();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line() as usize);
                grid.lines.push(line);
                grid.rows.push(
                    record.iter().map(|c| if c.is_empty() { Cell::Empty } else { Cell::Text(c.to_string()) }).collect(),
                );
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                return Err(IntakeError::at(
                    Location::file(file).at_line(line),
                    format!("CSV 格式错误（{e}）：请检查未配对的引号"),
                ));
            }
        }
    }
    Ok(Workbook {
        file: file.to_string(),
        format: Format::Csv,
        encoding: Some(encoding.name()),
        sheets: vec![grid],
        hidden: Vec::new(),
    })
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
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(20).collect();
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
    fn rows_keep_their_lines() {
        let wb = read_text("a.csv", "a,b\n\"x\ny\",2\n3,4\n".as_bytes(), None).unwrap();
        assert_eq!(wb.sheets[0].lines, vec![1, 2, 4]);
        assert_eq!(wb.sheets[0].sheet_row(2), 4);
        assert_eq!(wb.encoding, Some("UTF-8"));
    }
}
