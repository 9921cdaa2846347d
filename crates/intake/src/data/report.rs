//! The validation report of an import as an XLSX the office sends back to the providing
//! department: a findings list first, then a copy of every sheet of the file with each cell
//! named by a finding filled and annotated — the department fixes its own file by looking at
//! the copy, without reading locations.

use super::finding::{Finding, Severity};
use super::grid::{Cell, Format as FileFormat, Grid, Merge, Workbook};
use jili_model::{Location, column_letters};
use rust_xlsxwriter::{
    Color, Format, FormatAlign, FormatBorder, FormatUnderline, Note, Url, Workbook as Book, Worksheet, XlsxError,
};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

/// Cells given a note at most (worst findings first); beyond, cells are only filled. Excel and
/// WPS become slow to open with many thousands of comment shapes.
pub const MAX_NOTES: usize = 5000;

const LIST: &str = "问题清单";
const COLUMNS: [(&str, f64); 9] = [
    ("序号", 6.0),
    ("类别", 6.0),
    ("工作表", 14.0),
    ("行", 7.0),
    ("列", 6.0),
    ("字段", 14.0),
    ("单元格内容", 20.0),
    ("问题", 44.0),
    ("修改方法", 44.0),
];
const ROW_LIMIT: usize = 1_048_576;
const COL_LIMIT: usize = 16_384;
/// Excel's hyperlink limit per worksheet.
const LINK_LIMIT: usize = 65_530;
/// Findings-list rows light red, light orange, none (errors, flags, notices).
const ROW_FILLS: [Option<u32>; 3] = [Some(0xFFC7CE), Some(0xFFE0B2), None];
/// Marked cells of the copied sheets red, orange, yellow.
const CELL_FILLS: [u32; 3] = [0xFF9999, 0xFFC266, 0xFFFF99];

/// A cell of the copied sheets: (sheet index, 0-based row, 0-based column).
type Target = (usize, u32, u16);

/// Write the report. `summary` pairs (读取行数, 错误, 结论 …) are shown under the title as given.
/// Never panics: findings pointing outside the file are listed but mark nothing.
pub fn report_xlsx(workbook: &Workbook, findings: &[Finding], summary: &[(String, String)]) -> Result<Vec<u8>, String> {
    // rust_xlsxwriter is trusted, but an import must never crash on an odd file: a panic is
    // turned into an error like excel.rs does for calamine.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| build(workbook, findings, summary)));
    match outcome {
        Ok(result) => result.map_err(|e| format!("无法生成校验报告（{e}）")),
        Err(_) => Err("无法生成校验报告（内部错误）".to_string()),
    }
}

/// Errors first, then flags, then notices; prominent ones first within each; otherwise as found.
fn rank(severity: Severity) -> usize {
    match severity {
        Severity::Error => 0,
        Severity::Flag => 1,
        Severity::Notice => 2,
    }
}

fn build(workbook: &Workbook, findings: &[Finding], summary: &[(String, String)]) -> Result<Vec<u8>, XlsxError> {
    let names = sheet_names(workbook);
    let mut order: Vec<&Finding> = findings.iter().collect();
    order.sort_by_key(|f| (rank(f.severity), !f.prominent));
    let targets: Vec<Option<Target>> = order.iter().map(|f| target(workbook, &f.at)).collect();
    // Findings per cell, worst first since `order` is sorted.
    let mut marks: BTreeMap<Target, Vec<&Finding>> = BTreeMap::new();
    for (f, t) in order.iter().zip(&targets) {
        if let Some(t) = t {
            marks.entry(*t).or_default().push(f);
        }
    }
    let mut worst: Vec<(usize, Target)> = marks.iter().map(|(t, fs)| (rank(fs[0].severity), *t)).collect();
    worst.sort_unstable();
    let noted: HashSet<Target> = worst.into_iter().take(MAX_NOTES).map(|(_, t)| t).collect();

    let mut book = Book::new();
    let list = book.add_worksheet().set_name(LIST)?;
    write_list(list, workbook, &order, &targets, &names, summary)?;
    for (i, grid) in workbook.sheets.iter().enumerate() {
        let sheet = book.add_worksheet().set_name(&names[i])?;
        copy_sheet(sheet, grid, i, &marks, &noted)?;
    }
    book.save_to_buffer()
}

/// The copied cell a finding names, if the file has it. A finding without a sheet names the
/// only sheet (CSV); one with a row but no column marks the used row's first cell.
fn target(workbook: &Workbook, at: &Location) -> Option<Target> {
    let sheet = match &at.sheet {
        Some(name) => workbook.sheets.iter().position(|g| &g.name == name)?,
        None if workbook.sheets.len() == 1 => 0,
        None => return None,
    };
    let grid = &workbook.sheets[sheet];
    let line = at.line? as usize;
    let row = if grid.lines.is_empty() { line.checked_sub(grid.first_row + 1)? } else { csv_row(grid, line)? };
    grid.rows.get(row)?;
    let col = match at.column {
        Some(c) => (c as usize).checked_sub(1)?,
        None => grid.first_col,
    };
    if col < grid.first_col || col >= grid.first_col + grid.width().max(1) {
        return None;
    }
    let row = grid.first_row + row;
    (row < ROW_LIMIT && col < COL_LIMIT).then_some((sheet, row as u32, col as u16))
}

/// The CSV record spanning `line` (quoted cells may hold line breaks); blank lines have none.
fn csv_row(grid: &Grid, line: usize) -> Option<usize> {
    let i = grid.lines.partition_point(|l| *l <= line).checked_sub(1)?;
    let breaks: usize = grid.rows.get(i)?.iter().map(|c| c.shown().matches('\n').count()).sum();
    (line <= grid.lines[i] + breaks).then_some(i)
}

fn write_list(
    ws: &mut Worksheet,
    workbook: &Workbook,
    order: &[&Finding],
    targets: &[Option<Target>],
    names: &[String],
    summary: &[(String, String)],
) -> Result<(), XlsxError> {
    let last = (COLUMNS.len() - 1) as u16;
    let title = Format::new().set_bold().set_font_size(14);
    ws.merge_range(0, 0, 0, last, &clip(&format!("数据校验报告：{}", workbook.file)), &title)?;
    let bold = Format::new().set_bold();
    let mut row = 1u32;
    for (label, value) in summary.iter().take(1000) {
        ws.merge_range(row, 0, row, 1, &clip(label), &bold)?;
        ws.write_string(row, 2, clip(value))?;
        row += 1;
    }
    let header = row + 1;
    let head = Format::new().set_bold().set_background_color(Color::RGB(0xD9E1F2)).set_border(FormatBorder::Thin);
    for (c, (name, width)) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(header, c as u16, *name, &head)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_freeze_panes(header + 1, 0)?;

    let cell = |r: usize, wrap: bool| {
        let f = Format::new().set_align(FormatAlign::Top).set_border(FormatBorder::Thin);
        let f = ROW_FILLS[r].map_or(f.clone(), |c| f.set_background_color(Color::RGB(c)));
        if wrap { f.set_text_wrap() } else { f }
    };
    let plain: Vec<Format> = (0..3).map(|r| cell(r, false)).collect();
    let wrap: Vec<Format> = (0..3).map(|r| cell(r, true)).collect();
    let link: Vec<Format> =
        plain.iter().map(|f| f.clone().set_font_color(Color::Blue).set_underline(FormatUnderline::Single)).collect();
    let room = ROW_LIMIT - header as usize - 2;
    for (n, (f, t)) in order.iter().zip(targets).enumerate().take(room) {
        let (r, k) = (header + 1 + n as u32, rank(f.severity));
        let put = |ws: &mut Worksheet, c: u16, text: &str, format: &Format| -> Result<(), XlsxError> {
            if text.is_empty() {
                ws.write_blank(r, c, format)
            } else {
                ws.write_string_with_format(r, c, clip(text), format)
            }
            .map(|_| ())
        };
        ws.write_number_with_format(r, 0, (n + 1) as f64, &plain[k])?;
        put(ws, 1, f.severity.label(), &plain[k])?;
        put(ws, 2, f.at.sheet.as_deref().unwrap_or(""), &plain[k])?;
        match f.at.line {
            Some(line) => ws.write_number_with_format(r, 3, line, &plain[k])?,
            None => ws.write_blank(r, 3, &plain[k])?,
        };
        let letters = match (f.at.column, f.at.line) {
            (Some(c), _) => column_letters(c as usize),
            (None, Some(_)) => "整行".to_string(),
            (None, None) => String::new(),
        };
        match t {
            // A link to the marked cell in the copy: one click from the list to the cell.
            Some((s, tr, tc)) if n < LINK_LIMIT => {
                let to = format!("{}{}", column_letters(usize::from(*tc) + 1), tr + 1);
                let url = Url::new(format!("internal:'{}'!{to}", names[*s].replace('\'', "''")));
                ws.write_url_with_options(r, 4, url, &letters, "", Some(&link[k]))?;
            }
            _ => put(ws, 4, &letters, &plain[k])?,
        }
        put(ws, 5, f.at.field.as_deref().unwrap_or(""), &plain[k])?;
        put(ws, 6, f.cell.as_deref().unwrap_or(""), &wrap[k])?;
        let message = if f.prominent { format!("【！】{}", f.message) } else { f.message.clone() };
        put(ws, 7, &message, &wrap[k])?;
        put(ws, 8, &f.fix, &wrap[k])?;
    }
    if order.len() > room {
        let r = header + 1 + room as u32;
        ws.write_string(r, 7, format!("另有 {} 条问题超出 Excel 行数上限，未列出", order.len() - room))?;
    }
    let end = header + order.len().min(room) as u32;
    ws.autofilter(header, 0, end, last)?;
    Ok(())
}

/// One sheet of the file at its original positions, marked cells filled and annotated.
fn copy_sheet(
    ws: &mut Worksheet,
    grid: &Grid,
    sheet: usize,
    marks: &BTreeMap<Target, Vec<&Finding>>,
    noted: &HashSet<Target>,
) -> Result<(), XlsxError> {
    // Merged headers as in the file. rust_xlsxwriter is given only valid, disjoint, modest
    // regions: it pads each with blanks and leaves a half-stored region behind on overlap.
    let mut merged: Vec<&Merge> = Vec::new();
    for m in grid.merges.iter().take(10_000) {
        let area = (m.last_row.saturating_sub(m.first_row) + 1) * (m.last_col.saturating_sub(m.first_col) + 1);
        let valid = m.first_row <= m.last_row && m.first_col <= m.last_col && area > 1 && area <= 10_000;
        let apart = |o: &&Merge| {
            o.last_row < m.first_row || m.last_row < o.first_row || o.last_col < m.first_col || m.last_col < o.first_col
        };
        if valid && m.last_row < ROW_LIMIT && m.last_col < COL_LIMIT && merged.iter().all(apart) {
            let (r0, c0, r1, c1) = (m.first_row as u32, m.first_col as u16, m.last_row as u32, m.last_col as u16);
            ws.merge_range(r0, c0, r1, c1, "", &Format::new())?;
            merged.push(m);
        }
    }
    let mut widths: BTreeMap<u16, usize> = BTreeMap::new();
    for (i, cells) in grid.rows.iter().enumerate() {
        let row = grid.first_row + i;
        if row >= ROW_LIMIT {
            break;
        }
        for (j, cell) in cells.iter().enumerate().take(COL_LIMIT.saturating_sub(grid.first_col)) {
            let col = (grid.first_col + j) as u16;
            write_cell(ws, row as u32, col, cell, None)?;
            let width = widths.entry(col).or_default();
            *width = (*width).max(display_width(&cell.shown()));
        }
    }
    for (col, width) in widths {
        ws.set_column_width(col, (width + 2).clamp(8, 50) as f64)?;
    }
    let fills: Vec<Format> = CELL_FILLS.iter().map(|c| Format::new().set_background_color(Color::RGB(*c))).collect();
    for (&(s, row, col), fs) in marks.range((sheet, 0, 0)..(sheet + 1, 0, 0)) {
        let cell = grid.cell(row as usize - grid.first_row, usize::from(col) - grid.first_col);
        write_cell(ws, row, col, cell, Some(&fills[rank(fs[0].severity)]))?;
        if noted.contains(&(s, row, col)) {
            let text: Vec<String> = fs.iter().map(|f| note_line(f)).collect();
            let height = (30 + 45 * fs.len()).min(400) as u32;
            let note = Note::new(clip(&text.join("\n")).into_owned())
                .add_author_prefix(false)
                .set_author("jili")
                .set_font_name("宋体")
                .set_font_size(10)
                .set_width(320)
                .set_height(height);
            ws.insert_note(row, col, &note)?;
        }
    }
    Ok(())
}

/// 【错误】问题。修改方法
fn note_line(f: &Finding) -> String {
    let mut line = format!("【{}】{}", f.severity.label(), f.message);
    if !f.fix.is_empty() {
        if !line.ends_with(['。', '；', '！', '？', '.']) {
            line.push('。');
        }
        line.push_str(&f.fix);
    }
    line
}

/// Numbers as numbers, booleans as booleans, everything else (dates, errors) as the user saw it.
fn write_cell(ws: &mut Worksheet, row: u32, col: u16, cell: &Cell, format: Option<&Format>) -> Result<(), XlsxError> {
    let plain = Format::new();
    let f = format.unwrap_or(&plain);
    match cell {
        Cell::Empty if format.is_none() => return Ok(()),
        Cell::Empty => ws.write_blank(row, col, f)?,
        Cell::Number(n) if n.is_finite() => ws.write_number_with_format(row, col, *n, f)?,
        Cell::Bool(b) => ws.write_boolean_with_format(row, col, *b, f)?,
        other => ws.write_string_with_format(row, col, clip(&other.shown()), f)?,
    };
    Ok(())
}

/// Columns wide enough for their text: CJK characters take two widths.
fn display_width(text: &str) -> usize {
    text.lines().map(|l| l.chars().map(|c| if c >= '\u{2E80}' { 2 } else { 1 }).sum()).max().unwrap_or(0)
}

/// Text cut to Excel's cell limit (32 767 UTF-16 units; notes a little less), with a start that
/// a spreadsheet would take as a formula neutralised (the copied cells are the sender's text).
fn clip(text: &str) -> Cow<'_, str> {
    let text = jili_model::spreadsheet::safe_cell(text);
    if text.len() <= 32_000 { text } else { Cow::Owned(format!("{}…", truncate(&text, 32_000))) }
}

/// The longest prefix of at most `units` UTF-16 units.
fn truncate(text: &str, units: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        used += c.len_utf16();
        if used > units {
            return &text[..i];
        }
    }
    text
}

/// Valid, distinct sheet names: the original names (a CSV's file stem), illegal characters
/// replaced, cut to 31 characters, numbered when two would clash (Excel ignores case).
fn sheet_names(workbook: &Workbook) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::from([LIST.to_lowercase()]);
    let file = workbook.file.rsplit(['/', '\\']).next().unwrap_or(&workbook.file);
    let stem = match file.rfind('.') {
        Some(i) if i > 0 => &file[..i],
        _ => file,
    };
    let mut names = Vec::new();
    for grid in &workbook.sheets {
        let wanted = if workbook.format == FileFormat::Csv || grid.name.is_empty() { stem } else { &grid.name };
        let clean: String =
            wanted.chars().map(|c| if "[]:*?/\\".contains(c) || c.is_control() { '_' } else { c }).collect();
        let mut name = tidy(&clean, 31);
        if name.eq_ignore_ascii_case("history") {
            name.push('_');
        }
        let mut n = 1;
        while !taken.insert(name.to_lowercase()) {
            n += 1;
            let suffix = format!("({n})");
            name = format!("{}{suffix}", tidy(&clean, 31 - suffix.len()));
        }
        names.push(name);
    }
    names
}

/// A name cut to `units`, without the apostrophes Excel refuses at either end, never blank.
fn tidy(name: &str, units: usize) -> String {
    let cut = truncate(name.trim().trim_start_matches('\''), units).trim_end_matches('\'');
    if cut.is_empty() { "Sheet".to_string() } else { cut.to_string() }
}
