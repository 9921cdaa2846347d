//! What every provider file becomes before it is understood: sheets of typed cells, with merged
//! regions, whatever the format (XLSX, XLS, CSV in any encoding, SDMX-CSV).

pub use compact_str::CompactString;
use jili_model::Location;
use serde::Serialize;

/// One cell as the file holds it. Numbers stay as the file wrote them (text for CSV, binary
/// doubles for Excel); converting to exact decimals is the reader's job, cell by cell. Texts
/// of up to 24 bytes (names, codes, numbers as CSV writes them) live inside the cell itself:
/// a million-row file costs no allocation per cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    #[default]
    Empty,
    Text(CompactString),
    Number(f64),
    Bool(bool),
    /// A cell formatted as a date (rare in data files, so kept out of line).
    Date(Box<DateCell>),
    /// An Excel error value (`#DIV/0!`, `#N/A`, `#REF!` …).
    Error(Box<str>),
}

impl Cell {
    /// Whether the cell holds nothing (or only spaces).
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as its user sees it, for quoting in reports.
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.to_string(),
            Cell::Number(n) => number_text(*n),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(d) => d.shown.to_string(),
            Cell::Error(e) => e.to_string(),
        }
    }

    /// The text a cell holds (text, date and error cells), without copying it.
    pub fn text_ref(&self) -> Option<&str> {
        match self {
            Cell::Text(t) => Some(t),
            Cell::Error(e) => Some(e),
            Cell::Date(d) => Some(&d.shown),
            _ => None,
        }
    }

    /// Trimmed text of a text or number cell; `None` for other kinds.
    pub fn text(&self) -> Option<String> {
        match self {
            Cell::Text(t) => Some(t.trim().to_string()),
            Cell::Number(n) => Some(number_text(*n)),
            _ => None,
        }
    }
}

/// A date cell: the Excel serial and its calendar form (`2024-05-31`).
#[derive(Debug, Clone, PartialEq)]
pub struct DateCell {
    pub serial: f64,
    pub shown: CompactString,
}

impl Cell {
    /// A date cell.
    pub fn date(serial: f64, shown: impl Into<CompactString>) -> Cell {
        Cell::Date(Box::new(DateCell { serial, shown: shown.into() }))
    }
}

/// The shortest decimal text that reads back as `n` (Excel stores 0.1 as a double; users typed 0.1).
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// A rectangular region of merged cells (0-based, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Merge {
    pub first_row: usize,
    pub first_col: usize,
    pub last_row: usize,
    pub last_col: usize,
}

/// One sheet. Row and column indexes are 0-based here and 1-based in every message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grid {
    /// The worksheet's name; empty for CSV.
    pub name: String,
    pub rows: Vec<Vec<Cell>>,
    pub merges: Vec<Merge>,
    /// Row offset of `rows[0]` in the sheet (Excel ranges may start below row 1).
    pub first_row: usize,
    /// Column offset of every row's cell 0.
    pub first_col: usize,
    /// For CSV: the 1-based line each row starts on (quoted cells may span lines).
    pub lines: Vec<usize>,
}

impl Grid {
    /// The cell at (row, col) of `rows`, or an empty one.
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        static EMPTY: Cell = Cell::Empty;
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&EMPTY)
    }

    /// The widest row.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// 1-based sheet row of `rows[row]`.
    pub fn sheet_row(&self, row: usize) -> usize {
        self.lines.get(row).copied().unwrap_or(self.first_row + row + 1)
    }

    /// 1-based sheet column of cell `col`.
    pub fn sheet_col(&self, col: usize) -> usize {
        self.first_col + col + 1
    }

    /// The merged region's top-left cell value for (row, col), as Excel shows merged headers.
    pub fn merged_value(&self, row: usize, col: usize) -> &Cell {
        let (r, c) = (row + self.first_row, col + self.first_col);
        for m in &self.merges {
            if (m.first_row..=m.last_row).contains(&r) && (m.first_col..=m.last_col).contains(&c) {
                return self
                    .cell(m.first_row.saturating_sub(self.first_row), m.first_col.saturating_sub(self.first_col));
            }
        }
        self.cell(row, col)
    }
}

impl Workbook {
    /// Where sheet `sheet` is, as findings name it (CSV files have no sheet name).
    pub fn sheet_location(&self, sheet: usize) -> Location {
        let at = Location::file(&self.file);
        match self.sheets.get(sheet) {
            Some(grid) if self.format != Format::Csv => at.in_sheet(&grid.name),
            _ => at,
        }
    }

    /// Where a cell is (grid indexes, 0-based), naming `field` when it is not empty.
    pub fn location(&self, sheet: usize, row: usize, col: usize, field: &str) -> Location {
        let mut at = self.sheet_location(sheet);
        if let Some(grid) = self.sheets.get(sheet) {
            at = at.at_line(grid.sheet_row(row)).at_column(grid.sheet_col(col));
        }
        if !field.is_empty() {
            at = at.field(field);
        }
        at
    }
}

/// What kind of file the bytes were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    Xlsx,
    Xls,
    Csv,
}

impl Format {
    /// The name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Format::Xlsx => "XLSX",
            Format::Xls => "XLS",
            Format::Csv => "CSV",
        }
    }
}

/// A whole file: its visible sheets, and what was set aside while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    pub file: String,
    pub format: Format,
    /// The text encoding, for CSV (`UTF-8`, `GB18030` …).
    pub encoding: Option<&'static str>,
    pub sheets: Vec<Grid>,
    /// Hidden sheets, skipped (named in the report so nobody wonders where their data went).
    pub hidden: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_three_words() {
        // Twenty-four bytes a cell keeps a million-row file at a fraction of the memory a
        // String per cell took (32 bytes plus an allocation).
        assert_eq!(std::mem::size_of::<Cell>(), 24);
    }
}
