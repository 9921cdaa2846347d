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
    let (headers, rows) = match quote_free(bytes) {
        Some(text) => split_lines(file, text)?,
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

/// The text of a file that needs no CSV tokeniser: UTF-8 (its BOM dropped), no quote, no CR, a
/// header on its first line. Each line is then a row and each comma a separator, so the lines can
/// be split on every core; anything else goes through the CSV reader.
fn quote_free(bytes: &[u8]) -> Option<&str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().any(|b| matches!(b, b'"' | b'\r')) {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    let header = text.split('\n').next()?;
    (!header.trim().is_empty()).then_some(text)
}

/// The rows of quote-free text, as the CSV reader would give them: blank lines skipped, a row
/// whose width is not the header's refused with its line.
fn split_lines(file: &str, text: &str) -> Result<(Vec<String>, Vec<ParsedRow>), IntakeError> {
    let mut lines = text.split('\n');
    let headers: Vec<String> = lines.next().unwrap_or_default().split(',').map(|h| h.trim().to_string()).collect();
    let body: Vec<&str> = lines.collect();
    let parsed: Vec<Result<Option<ParsedRow>, IntakeError>> = body
        .par_iter()
        .enumerate()
        .map(|(i, text)| {
            let line = i + 2;
            // One pass over the bytes: splitting on a char compares each candidate's bytes.
            let cells: Vec<&str> =
                text.as_bytes().split(|b| *b == b',').map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
            if cells.iter().all(|c| c.trim().is_empty()) {
                return Ok(None);
            }
            let width = cells.len();
            if width != headers.len() {
                return Err(IntakeError::at(
                    Location::file(file).at_line(line),
                    format!("本行有 {width} 列，表头有 {} 列：请检查多余或缺少的逗号", headers.len()),
                ));
            }
            Ok(Some(ParsedRow::parse(line, cells.into_iter())))
        })
        .collect();
    let rows = parsed.into_iter().filter_map(Result::transpose).collect::<Result<_, _>>()?;
    Ok((headers, rows))
}

/// The rows of any other CSV (quoted cells, CR line ends), tokenised in order, parsed on every core.
fn tokenised(file: &str, bytes: &[u8]) -> Result<(Vec<String>, Vec<ParsedRow>), IntakeError> {
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
    fn outcome(read: Result<(Vec<String>, Vec<ParsedRow>), IntakeError>) -> Result<Vec<String>, String> {
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
            let text = quote_free(text.as_bytes());
            prop_assume!(text.is_some());
            let text = text.unwrap_or_default();
            prop_assert_eq!(outcome(split_lines("x.csv", text)), outcome(tokenised("x.csv", text.as_bytes())));
        }
    }

    #[test]
    fn a_quoted_or_cr_file_goes_through_the_csv_reader() {
        assert!(quote_free(b"alternative,C1\n\"A,1\",2\n").is_none());
        assert!(quote_free(b"alternative,C1\r\nA1,2\r\n").is_none());
        assert!(quote_free(b"\xEF\xBB\xBFalternative,C1\nA1,2\n").is_some());
        assert!(quote_free(b"\nalternative,C1\nA1,2\n").is_none());
    }
}
