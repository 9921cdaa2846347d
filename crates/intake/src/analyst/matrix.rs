//! The decision matrix of `jili mcda`: header `alternative,C1,C2,…`, one row per alternative,
//! every cell a number.

use crate::error::IntakeError;
use crate::sheet::{number, visit};
use jili_model::Location;
use jili_model::composite::DecisionMatrix;
use rayon::prelude::*;

/// A row's line, its first cell (the alternative), its numbers, and the (column, message) of each
/// cell that is not a number.
struct ParsedRow {
    line: usize,
    name: String,
    values: Vec<f64>,
    bad: Vec<(usize, String)>,
}

impl ParsedRow {
    fn parse<'a>(line: usize, mut cells: impl Iterator<Item = &'a str>) -> ParsedRow {
        let name = cells.next().unwrap_or_default().trim().to_string();
        let mut bad = Vec::new();
        let values = cells
            .enumerate()
            .map(|(j, cell)| {
                number(cell).unwrap_or_else(|message| {
                    bad.push((j + 1, message));
                    f64::NAN
                })
            })
            .collect();
        ParsedRow { line, name, values, bad }
    }
}

/// Read the matrix straight into numbers, on every core: a 3000 × 200 matrix is 600,000 cells,
/// and reading them is most of `jili mcda`'s time as a whole process.
pub fn read_matrix(file: &str, bytes: &[u8]) -> Result<DecisionMatrix, IntakeError> {
    let (headers, rows) = match split_lines(file, bytes)? {
        Some(read) => read,
        None => tokenised(file, bytes)?,
    };
    let at = |line: usize, col: usize| Location::file(file).at_line(line).at_column(col + 1).field(&headers[col]);
    if headers.len() < 2 {
        return Err(IntakeError::at(at(1, 0), "表头应为 alternative,C1,C2,…：至少一个准则列"));
    }
    let mut problems = Vec::new();
    for row in &rows {
        for (col, message) in &row.bad {
            problems.push(IntakeError::at(at(row.line, *col), format!("{message}（决策矩阵不允许缺失值）")));
        }
    }
    IntakeError::collect(problems)?;
    if rows.len() < 2 {
        return Err(IntakeError::at(at(1, 0), "决策矩阵至少需要两个备选方案（行）"));
    }
    let columns = (0..headers.len() - 1).map(|j| rows.iter().map(|row| row.values[j]).collect()).collect();
    let alternatives = rows.into_iter().map(|row| row.name).collect();
    Ok(DecisionMatrix { alternatives, criteria: headers[1..].to_vec(), columns })
}

/// The cells of a line with no quote: split at each comma (a byte of its own in UTF-8, so every
/// piece is still text).
fn cells(line: &str) -> Vec<&str> {
    let mut out = Vec::with_capacity(line.len() / 4 + 1);
    let mut start = 0;
    for at in memchr::memchr_iter(b',', line.as_bytes()) {
        out.push(line.get(start..at).unwrap_or_default());
        start = at + 1;
    }
    out.push(line.get(start..).unwrap_or_default());
    out
}

/// The headers and the rows read.
type Table = (Vec<String>, Vec<ParsedRow>);

/// A line's result: `None` when it is not UTF-8, else the row, nothing for a blank line, or why
/// it is refused.
type Line = Option<Result<Option<ParsedRow>, IntakeError>>;

/// The rows of a file that needs no CSV tokeniser — no quote, no CR, UTF-8 (its BOM dropped), a
/// header on its first line — as the CSV reader would give them: blank lines skipped, a row whose
/// width is not the header's refused with its line. Each line is a row and each comma a
/// separator, so the lines are checked and split on every core. `None` for any other file, which
/// goes through the CSV reader (and its messages).
fn split_lines(file: &str, bytes: &[u8]) -> Result<Option<Table>, IntakeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if memchr::memchr2(b'"', b'\r', bytes).is_some() {
        return Ok(None);
    }
    let mut ends = memchr::memchr_iter(b'\n', bytes);
    let header_end = ends.next().unwrap_or(bytes.len());
    let Ok(header) = std::str::from_utf8(&bytes[..header_end]) else { return Ok(None) };
    if header.trim().is_empty() {
        return Ok(None);
    }
    let headers: Vec<String> = cells(header).into_iter().map(|h| h.trim().to_string()).collect();
    let mut lines = Vec::with_capacity(bytes.len() / (header.len() + 1) + 1);
    let mut start = header_end + 1;
    for end in ends {
        lines.push(&bytes[start..end]);
        start = end + 1;
    }
    if start <= bytes.len() {
        lines.push(&bytes[start..]);
    }
    let parsed: Vec<Line> = lines
        .par_iter()
        .enumerate()
        .map(|(i, bytes)| {
            let text = std::str::from_utf8(bytes).ok()?;
            let line = i + 2;
            let cells = cells(text);
            if cells.iter().all(|c| c.trim().is_empty()) {
                return Some(Ok(None));
            }
            if cells.len() != headers.len() {
                return Some(Err(IntakeError::at(
                    Location::file(file).at_line(line),
                    format!("本行有 {} 列，表头有 {} 列：请检查多余或缺少的逗号", cells.len(), headers.len()),
                )));
            }
            Some(Ok(Some(ParsedRow::parse(line, cells.into_iter()))))
        })
        .collect();
    // A line that is not UTF-8: the CSV reader's path says where and how to fix it.
    let Some(parsed) = parsed.into_iter().collect::<Option<Vec<_>>>() else { return Ok(None) };
    let rows = parsed.into_iter().filter_map(Result::transpose).collect::<Result<_, _>>()?;
    Ok(Some((headers, rows)))
}

/// The rows of any other CSV (quoted cells, CR line ends), tokenised in order, parsed on every core.
fn tokenised(file: &str, bytes: &[u8]) -> Result<Table, IntakeError> {
    let mut records: Vec<(usize, csv::StringRecord)> = Vec::new();
    let headers = visit(file, bytes, false, |line, record| {
        records.push((line, record.clone()));
        Ok(())
    })?;
    let rows = records.par_iter().map(|(line, record)| ParsedRow::parse(*line, record.iter())).collect();
    Ok((headers, rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a reading gives, comparable: the matrix's parts, or the first error's message.
    fn outcome(read: Result<Table, IntakeError>) -> Result<Vec<String>, String> {
        let (headers, rows) = read.map_err(|e| e.to_string())?;
        let mut out = headers;
        for row in rows {
            out.push(format!("{}|{}|{:?}|{:?}", row.line, row.name, row.values, row.bad));
        }
        Ok(out)
    }

    proptest! {
        /// The split-lines path reads a quote-free file exactly as the CSV reader does: the same
        /// headers, rows, lines, numbers and problems, or the same refusal.
        #[test]
        fn quote_free_files_read_as_the_csv_reader_reads_them(
            text in "[a-c]{1,2}(,[a-c]{1,2}){0,3}\n(([ 0-9.xe-]{0,4}(,[ 0-9.xe-]{0,5}){0,4})?\n){0,6}"
        ) {
            let fast = split_lines("x.csv", text.as_bytes()).transpose();
            prop_assume!(fast.is_some());
            let fast = fast.unwrap_or_else(|| Err(IntakeError::at(Location::file("x.csv"), "")));
            prop_assert_eq!(outcome(fast), outcome(tokenised("x.csv", text.as_bytes())));
        }
    }

    #[test]
    fn a_quoted_cr_or_non_utf8_file_goes_through_the_csv_reader() {
        let fast = |b: &[u8]| split_lines("x.csv", b).ok().flatten().is_some();
        assert!(!fast(b"alternative,C1\n\"A,1\",2\n"));
        assert!(!fast(b"alternative,C1\r\nA1,2\r\n"));
        assert!(!fast(b"alternative,C1\nA1,1\n\xb1\xb1,2\n"));
        assert!(!fast(b"\nalternative,C1\nA1,2\n"));
        assert!(fast(b"\xEF\xBB\xBFalternative,C1\nA1,2\n"));
    }
}
