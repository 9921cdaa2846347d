//! Where in a user's file something is, so an error can point at it.

use std::fmt;

/// A place in an input file: every error a user sees carries one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The file name as the user knows it (e.g. `data/plans/2024/measure-03.toml`).
    pub file: String,
    /// The worksheet, for workbooks.
    pub sheet: Option<String>,
    /// 1-based line, where known (u32 keeps errors small; no file has 4 billion lines).
    pub line: Option<u32>,
    /// 1-based column, where known.
    pub column: Option<u32>,
    /// The field or column header, where known.
    pub field: Option<String>,
}

impl Location {
    /// A location in `file` with nothing more precise yet.
    pub fn file(file: impl Into<String>) -> Self {
        Self { file: file.into(), ..Self::default() }
    }

    /// The same location on a worksheet.
    pub fn in_sheet(mut self, sheet: impl Into<String>) -> Self {
        self.sheet = Some(sheet.into());
        self
    }

    /// The same location at a 1-based line.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(u32::try_from(line).unwrap_or(u32::MAX));
        self
    }

    /// The same location at a 1-based column.
    pub fn at_column(mut self, column: usize) -> Self {
        self.column = Some(u32::try_from(column).unwrap_or(u32::MAX));
        self
    }

    /// The same location naming a field.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// The location of a byte offset in `text`: line and column counted in characters.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        self.at_line(line).at_column(column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "文件 {}", self.file)?;
        if let Some(sheet) = &self.sheet {
            write!(f, " 工作表“{sheet}”")?;
        }
        if let Some(line) = self.line {
            write!(f, " 第 {line} 行")?;
        }
        if let Some(column) = self.column {
            write!(f, " 第 {column} 列")?;
            // Spreadsheet users find a cell by its letters (C5); CSV opened in Excel too.
            if self.sheet.is_some() || self.field.is_none() {
                write!(
                    f,
                    "（{}{}）",
                    column_letters(column as usize),
                    self.line.map_or(String::new(), |l| l.to_string())
                )?;
            }
        }
        if let Some(field) = &self.field {
            write!(f, " 字段 {field}")?;
        }
        Ok(())
    }
}

/// A 1-based column number as spreadsheet letters: 1 → A, 27 → AA.
pub fn column_letters(column: usize) -> String {
    let mut n = column.max(1);
    let mut letters = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        letters.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    letters.iter().rev().map(|b| *b as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_maps_to_line_and_character_column() {
        let text = "a = 1\n名称 = x\n";
        let at = Location::file("f.toml").at_offset(text, text.find('x').unwrap());
        assert_eq!((at.line, at.column), (Some(2), Some(6)));
        assert_eq!(at.to_string(), "文件 f.toml 第 2 行 第 6 列（F2）");
    }

    #[test]
    fn sheets_show_the_cell_reference() {
        let at = Location::file("a.xlsx").in_sheet("表1").at_line(5).at_column(3).field("数值");
        assert_eq!(at.to_string(), "文件 a.xlsx 工作表“表1” 第 5 行 第 3 列（C5） 字段 数值");
        assert_eq!(
            (column_letters(26), column_letters(27), column_letters(703)),
            ("Z".into(), "AA".into(), "AAA".into())
        );
    }
}
