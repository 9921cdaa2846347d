//! Reading a small UTF-8 CSV with `#` comment lines and a fixed header, keeping line numbers.

use crate::error::IntakeError;
use crate::sheet::Sheet;
use jili_model::Location;

/// One data row: its 1-based line in the file and its cells by header name.
#[derive(Debug)]
pub(crate) struct Row<'a> {
    pub line: usize,
    file: &'a str,
    headers: &'a [&'a str],
    cells: Vec<String>,
}

impl Row<'_> {
    /// The trimmed cell under `header`.
    pub fn get(&self, header: &str) -> &str {
        self.headers.iter().position(|h| *h == header).and_then(|i| self.cells.get(i)).map_or("", |s| s.trim())
    }

    /// The location of `header` in this row, for errors.
    pub fn at(&self, header: &str) -> Location {
        Location::file(self.file).at_line(self.line).field(header)
    }

    /// The cell, or an error when it is empty.
    pub fn required(&self, header: &str) -> Result<String, IntakeError> {
        let v = self.get(header);
        if v.is_empty() {
            Err(IntakeError::at(self.at(header), format!("“{header}”不能为空")))
        } else {
            Ok(v.to_string())
        }
    }

    /// A 0/1 flag.
    pub fn flag(&self, header: &str) -> Result<bool, IntakeError> {
        match self.get(header) {
            "1" | "true" | "是" => Ok(true),
            "0" | "false" | "否" => Ok(false),
            other => Err(IntakeError::at(self.at(header), format!("“{other}”应为 1（是）或 0（否）"))),
        }
    }
}

/// Parse `bytes` as CSV whose header is exactly `headers`. Lines starting with `#` are comments
/// (each reference file names its source there).
pub(crate) fn read<'a>(file: &'a str, bytes: &[u8], headers: &'a [&'a str]) -> Result<Vec<Row<'a>>, IntakeError> {
    let sheet = Sheet::parse(file, bytes, true)?;
    if !sheet.headers.iter().map(String::as_str).eq(headers.iter().copied()) {
        return Err(IntakeError::at(
            Location::file(file).field("表头"),
            format!("表头应为 {}，实际为 {}", headers.join(","), sheet.headers.join(",")),
        ));
    }
    Ok(sheet.rows.into_iter().map(|(line, cells)| Row { line, file, headers, cells }).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_count_comment_lines() {
        let text = "# source\n# more\na,b\n1,2\n3,4\n";
        let rows = read("t.csv", text.as_bytes(), &["a", "b"]).unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), vec![4, 5]);
        assert_eq!(rows[1].get("b"), "4");
    }

    #[test]
    fn wrong_header_and_ragged_rows_are_errors() {
        let err = read("t.csv", b"a,c\n1,2\n", &["a", "b"]).unwrap_err().to_string();
        assert!(err.contains("表头应为 a,b"), "{err}");
        let err = read("t.csv", b"a,b\n1,2,3\n", &["a", "b"]).unwrap_err().to_string();
        assert!(err.contains("第 2 行") && err.contains("3 列"), "{err}");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let err = read("t.csv", b"a,b\n1,\xff\n", &["a", "b"]).unwrap_err().to_string();
        assert!(err.contains("第 2 行") && err.contains("UTF-8"), "{err}");
    }
}
