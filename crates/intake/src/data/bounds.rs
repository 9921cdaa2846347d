//! Building sheets within the [`Limits`]: every reader (XLSX, XLS, CSV) puts its cells through
//! a [`SheetBuilder`], which refuses a cell before it would allocate beyond a limit — so the
//! memory a file can cost is bounded by the limits, not by what the file declares.

use super::grid::{Cell, Grid};
use crate::error::IntakeError;
use jili_model::{Limits, Location, column_letters, show_amount};

/// A workbook that cannot be opened at all (the container or its parts do not read).
pub(crate) fn broken(file: &str, why: &str) -> IntakeError {
    IntakeError::at(
        Location::file(file),
        format!("无法打开工作簿（{why}）：文件可能已损坏或不是 Excel 文件；请在 Excel/WPS 中打开后另存为 .xlsx 再导入"),
    )
}

/// A refusal: what exceeded which limit, where, and what to do about it. `actual` is the amount
/// met, or 0 when only "more than the limit" is known.
pub(crate) fn refuse(at: Location, what: &str, actual: u64, key: &str, limits: &Limits, fix: &str) -> IntakeError {
    let info = limits.entries().into_iter().find(|e| e.key == key);
    let (limit, bytes) = info.map_or((0, false), |e| (e.value, e.bytes));
    let actual = if actual == 0 { String::new() } else { format!(" {}", show_amount(actual, bytes)) };
    IntakeError::at(
        at,
        format!(
            "{what}{actual} 超过上限 {}（{key}）：{fix}。上限由省政府办公厅设定，见 jili limits show",
            show_amount(limit, bytes)
        ),
    )
}

/// A file within `file_bytes`.
pub(crate) fn file_size(file: &str, bytes: &[u8], limits: &Limits) -> Result<(), IntakeError> {
    if bytes.len() as u64 > limits.file_bytes {
        let fix = "请按年度或数据项把数据分成几个文件";
        return Err(refuse(Location::file(file), "文件大小", bytes.len() as u64, "file_bytes", limits, fix));
    }
    Ok(())
}

/// What a whole file has used so far, across its sheets.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    /// Non-empty cells kept.
    pub cells: u64,
}

/// One sheet being read: rows of cells from column `first_col`, grown only within the limits.
#[derive(Debug)]
pub(crate) struct SheetBuilder<'a> {
    file: &'a str,
    /// The sheet's name as messages show it (empty for CSV).
    sheet: Option<&'a str>,
    limits: &'a Limits,
    rows: Vec<Vec<Cell>>,
    /// Cell slots held by `rows` (empty ones included): the used range actually allocated.
    slots: u64,
    min_row: u32,
    min_col: u32,
    max_row: u32,
    max_col: u32,
}

impl<'a> SheetBuilder<'a> {
    pub fn new(file: &'a str, sheet: Option<&'a str>, limits: &'a Limits) -> SheetBuilder<'a> {
        let (min_row, min_col, max_row, max_col) = (u32::MAX, u32::MAX, 0, 0);
        SheetBuilder { file, sheet, limits, rows: Vec::new(), slots: 0, min_row, min_col, max_row, max_col }
    }

    fn at(&self, row: u32, col: u32) -> Location {
        self.at_line(row as usize + 1, col)
    }

    /// A location by the line a reader knows (a CSV record's first line).
    fn at_line(&self, line: usize, col: u32) -> Location {
        let at = Location::file(self.file);
        let at = match self.sheet {
            Some(s) => at.in_sheet(s),
            None => at,
        };
        at.at_line(line).at_column(col as usize + 1)
    }

    /// Refuse a used range declared before any cell is read (an XLSX `<dimension>`, an XLS
    /// DIMENSIONS record): an absurd declaration is refused whether or not cells follow.
    pub fn declared(&self, first: (u32, u32), last: (u32, u32)) -> Result<(), IntakeError> {
        let rows = u64::from(last.0.saturating_sub(first.0)) + 1;
        let cols = u64::from(last.1.saturating_sub(first.1)) + 1;
        let range = format!(
            "{}{}:{}{}",
            column_letters(first.1 as usize + 1),
            first.0 + 1,
            column_letters(last.1 as usize + 1),
            last.0 + 1
        );
        if rows.saturating_mul(cols) > self.limits.used_range || rows > self.limits.rows || cols > self.limits.columns {
            return Err(refuse(
                self.at(first.0, first.1),
                &format!(
                    "工作表声明的使用范围 {range}（{} 行 × {} 列）共",
                    show_amount(rows, false),
                    show_amount(cols, false)
                ),
                rows.saturating_mul(cols),
                "used_range",
                self.limits,
                "请删除数据区域以外带格式的空行和空列（选中后右键“删除”），或只把数据复制到新工作簿后再导入",
            ));
        }
        Ok(())
    }

    /// Put a cell at 0-based (row, col). Empty cells are not kept.
    pub fn put(&mut self, budget: &mut Budget, row: u32, col: u32, cell: Cell) -> Result<(), IntakeError> {
        if cell.is_empty() {
            return Ok(());
        }
        let limits = self.limits;
        if u64::from(row) >= limits.rows {
            return Err(refuse(
                self.at(row, col),
                "行号",
                u64::from(row) + 1,
                "rows",
                limits,
                "请把数据分成几个文件，或删除多余的行",
            ));
        }
        if u64::from(col) >= limits.columns {
            return Err(refuse(
                self.at(row, col),
                "列号",
                u64::from(col) + 1,
                "columns",
                limits,
                "请删除数据区域右侧多余的列，或把宽表拆成几个文件",
            ));
        }
        if let Some(t) = cell.text_ref()
            && t.len() as u64 > limits.cell_bytes
        {
            return Err(refuse(
                self.at(row, col),
                "单元格文字大小",
                t.len() as u64,
                "cell_bytes",
                limits,
                "数据文件的单元格只应有名称、代码或数值，请删除其中的长文字",
            ));
        }
        budget.cells += 1;
        if budget.cells > limits.cells {
            return Err(refuse(
                self.at(row, col),
                "非空单元格数",
                budget.cells,
                "cells",
                limits,
                "请按年度或数据项把数据分成几个文件导入",
            ));
        }
        self.seen(row, col, col, row as usize + 1)?;
        let (r, c) = (row as usize, col as usize);
        if r >= self.rows.len() {
            self.rows.resize_with(r + 1, Vec::new);
        }
        let line = &mut self.rows[r];
        if c >= line.len() {
            let grow = (c + 1 - line.len()) as u64;
            if self.slots + grow > limits.used_range {
                return Err(refuse(
                    self.at(row, col),
                    "工作表的使用范围（含其中的空单元格）已有",
                    self.slots + grow,
                    "used_range",
                    limits,
                    "请删除数据区域以外的零散内容和带格式的空行、空列，或只把数据复制到新工作簿后再导入",
                ));
            }
            self.slots += grow;
            line.resize(c + 1, Cell::Empty);
        }
        line[c] = cell;
        Ok(())
    }

    /// Put a whole row at 0-based `row` (a CSV record starting on `line` of the file: cells from
    /// column 0, in order). The same limits as [`SheetBuilder::put`], checked once per row.
    pub fn put_row(
        &mut self,
        budget: &mut Budget,
        row: u32,
        line: usize,
        mut cells: Vec<Cell>,
    ) -> Result<(), IntakeError> {
        let Some(last) = cells.iter().rposition(|c| !c.is_empty()) else { return Ok(()) };
        cells.truncate(last + 1);
        let limits = self.limits;
        if u64::from(row) >= limits.rows {
            let fix = "请把数据分成几个文件，或删除多余的行";
            return Err(refuse(self.at_line(line, 0), "行号", u64::from(row) + 1, "rows", limits, fix));
        }
        if cells.len() as u64 > limits.columns {
            let fix = "请检查分隔符是否多余，或把宽表拆成几个文件";
            return Err(refuse(self.at_line(line, 0), "本行的列数", cells.len() as u64, "columns", limits, fix));
        }
        let mut first = None;
        for (col, cell) in cells.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            first.get_or_insert(col);
            budget.cells += 1;
            if let Some(t) = cell.text_ref()
                && t.len() as u64 > limits.cell_bytes
            {
                let fix = "数据文件的单元格只应有名称、代码或数值，请删除其中的长文字";
                return Err(refuse(
                    self.at_line(line, col as u32),
                    "单元格文字大小",
                    t.len() as u64,
                    "cell_bytes",
                    limits,
                    fix,
                ));
            }
        }
        if budget.cells > limits.cells {
            let fix = "请按年度或数据项把数据分成几个文件导入";
            return Err(refuse(self.at_line(line, 0), "非空单元格数", budget.cells, "cells", limits, fix));
        }
        self.slots += cells.len() as u64;
        if self.slots > limits.used_range {
            let fix = "请按年度或数据项把数据分成几个文件导入";
            return Err(refuse(
                self.at_line(line, 0),
                "使用范围（含其中的空单元格）",
                self.slots,
                "used_range",
                limits,
                fix,
            ));
        }
        self.seen(row, first.unwrap_or(0) as u32, cells.len() as u32 - 1, line)?;
        let r = row as usize;
        if r >= self.rows.len() {
            self.rows.resize_with(r + 1, Vec::new);
        }
        self.rows[r] = cells;
        Ok(())
    }

    /// Widen the used range to a row's cells from `first` to `last`: refused when the range of
    /// the cells actually seen (empty ones between them included) exceeds `used_range`, however
    /// few cells there are.
    fn seen(&mut self, row: u32, first: u32, last: u32, line: usize) -> Result<(), IntakeError> {
        let (r0, r1) = (self.min_row.min(row), self.max_row.max(row));
        let (c0, c1) = (self.min_col.min(first), self.max_col.max(last));
        let range = u64::from(r1 - r0 + 1).saturating_mul(u64::from(c1 - c0 + 1));
        if range > self.limits.used_range {
            let span =
                format!("{}{}:{}{}", column_letters(c0 as usize + 1), r0 + 1, column_letters(c1 as usize + 1), r1 + 1);
            return Err(refuse(
                self.at_line(line, first),
                &format!("已读到的单元格跨越 {span}，使用范围"),
                range,
                "used_range",
                self.limits,
                "请删除数据区域以外的零散内容（如远处的一个单元格），或只把数据复制到新工作簿后再导入",
            ));
        }
        (self.min_row, self.max_row, self.min_col, self.max_col) = (r0, r1, c0, c1);
        Ok(())
    }

    /// The sheet, its rows and columns starting at the first non-empty ones.
    pub fn finish(self, name: String) -> Grid {
        if self.min_row == u32::MAX {
            return Grid { name, ..Grid::default() };
        }
        let (first_row, first_col) = (self.min_row as usize, self.min_col as usize);
        let mut rows = self.rows;
        rows.drain(..first_row);
        if first_col > 0 {
            for row in &mut rows {
                row.drain(..first_col.min(row.len()));
            }
        }
        Grid { name, rows, merges: Vec::new(), first_row, first_col, lines: Vec::new() }
    }
}
