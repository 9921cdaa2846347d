//! The decision matrix of `jili mcda`: header `alternative,C1,C2,…`, one row per alternative,
//! every cell a number.

use crate::error::IntakeError;
use crate::sheet::{number, visit};
use jili_model::Location;
use jili_model::composite::DecisionMatrix;
use rayon::prelude::*;

/// Rows read from a run of lines: their lines, names (first cells) and numbers, row after row
/// in one buffer, and the (line, column, message) of each cell that is not a number.
#[derive(Default)]
struct Rows {
    lines: Vec<usize>,
    names: Vec<String>,
    values: Vec<f64>,
    bad: Vec<(usize, usize, String)>,
}

impl Rows {
    /// Room for `rows` rows of `width` numbers, but never more numbers than `bytes` (each number
    /// takes at least its comma): a wide header over many blank lines must not reserve memory
    /// the file cannot fill.
    fn with_capacity(rows: usize, width: usize, bytes: usize) -> Rows {
        Rows {
            lines: Vec::with_capacity(rows),
            names: Vec::with_capacity(rows),
            values: Vec::with_capacity(rows.saturating_mul(width).min(bytes)),
            bad: Vec::new(),
        }
    }

    /// Add a row from its cells (the first is the name); the caller has checked their number.
    fn push<'a>(&mut self, line: usize, mut cells: impl Iterator<Item = &'a str>) {
        self.lines.push(line);
        self.names.push(cells.next().unwrap_or_default().trim().to_string());
        for (j, cell) in cells.enumerate() {
            let value = number(cell).unwrap_or_else(|message| {
                self.bad.push((line, j + 1, message));
                f64::NAN
            });
            self.values.push(value);
        }
    }
}

/// Read the matrix straight into numbers, on every core: a 3000 × 200 matrix is 600,000 cells,
/// and reading them is most of `jili mcda`'s time as a whole process.
pub fn read_matrix(file: &str, bytes: &[u8]) -> Result<DecisionMatrix, IntakeError> {
    let (headers, blocks) = match split_lines(file, bytes)? {
        Some(read) => read,
        None => tokenised(file, bytes)?,
    };
    let at = |line: usize, col: usize| Location::file(file).at_line(line).at_column(col + 1).field(&headers[col]);
    if headers.len() < 2 {
        return Err(IntakeError::at(at(1, 0), "表头应为 alternative,C1,C2,…：至少一个准则列"));
    }
    let problems = blocks
        .iter()
        .flat_map(|b| &b.bad)
        .map(|(line, col, message)| IntakeError::at(at(*line, *col), format!("{message}（决策矩阵不允许缺失值）")))
        .collect();
    IntakeError::collect(problems)?;
    let rows: usize = blocks.iter().map(|b| b.names.len()).sum();
    if rows < 2 {
        return Err(IntakeError::at(at(1, 0), "决策矩阵至少需要两个备选方案（行）"));
    }
    let columns = columns(&blocks, headers.len() - 1, rows);
    let alternatives = blocks.into_iter().flat_map(|b| b.names).collect();
    Ok(DecisionMatrix { alternatives, criteria: headers[1..].to_vec(), columns })
}

/// The numbers column by column. Eight columns at a time, so that each row's cache line is read
/// once per group rather than once per column.
fn columns(blocks: &[Rows], width: usize, rows: usize) -> Vec<Vec<f64>> {
    const GROUP: usize = 8;
    (0..width.div_ceil(GROUP))
        .into_par_iter()
        .flat_map_iter(|g| {
            let range = g * GROUP..width.min(g * GROUP + GROUP);
            let mut out: Vec<Vec<f64>> = range.clone().map(|_| Vec::with_capacity(rows)).collect();
            for row in blocks.iter().flat_map(|b| b.values.chunks_exact(width)) {
                for (column, value) in out.iter_mut().zip(&row[range.clone()]) {
                    column.push(*value);
                }
            }
            out
        })
        .collect()
}

/// The cells of a line with no quote: split at each comma (a byte of its own in UTF-8, so every
/// piece is still text).
fn cells(line: &str) -> impl Iterator<Item = &str> {
    let bytes = line.as_bytes();
    let mut start = 0;
    let mut commas = memchr::memchr_iter(b',', bytes);
    std::iter::from_fn(move || {
        if start > bytes.len() {
            return None;
        }
        let end = commas.next().unwrap_or(bytes.len());
        let cell = line.get(start..end).unwrap_or_default();
        start = end + 1;
        Some(cell)
    })
}

/// The headers and the rows read, in blocks of lines.
type Table = (Vec<String>, Vec<Rows>);

/// The rows of a file that needs no CSV tokeniser — no quote, no CR, UTF-8 (its BOM dropped), a
/// header on its first line — as the CSV reader would give them: blank lines skipped, a row whose
/// width is not the header's refused with its line. Each line is a row and each comma a
/// separator, so blocks of lines are checked and read on every core. `None` for any other file,
/// which goes through the CSV reader (and its messages).
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
    let headers: Vec<String> = cells(header).map(|h| h.trim().to_string()).collect();
    let mut lines = Vec::with_capacity(bytes.len() / (header.len() + 1) + 1);
    let mut start = header_end + 1;
    for end in ends {
        lines.push(&bytes[start..end]);
        start = end + 1;
    }
    if start <= bytes.len() {
        lines.push(&bytes[start..]);
    }
    let block = lines.len().div_ceil(4 * rayon::current_num_threads()).max(64);
    let width = headers.len();
    let read: Vec<Option<Result<Rows, IntakeError>>> = lines
        .par_chunks(block)
        .enumerate()
        .map(|(b, chunk)| {
            let bytes = chunk.iter().map(|line| line.len()).sum();
            let mut rows = Rows::with_capacity(chunk.len(), width.saturating_sub(1), bytes);
            let mut refused = None;
            for (i, bytes) in chunk.iter().enumerate() {
                // Every line is checked for UTF-8 even after a refusal: one that is not sends the
                // whole file to the CSV reader.
                let text = std::str::from_utf8(bytes).ok()?;
                let line = b * block + i + 2;
                if refused.is_some() || cells(text).all(|c| c.trim().is_empty()) {
                    continue;
                }
                let count = memchr::memchr_iter(b',', bytes).count() + 1;
                if count != width {
                    refused = Some(IntakeError::at(
                        Location::file(file).at_line(line),
                        format!("本行有 {count} 列，表头有 {width} 列：请检查多余或缺少的逗号"),
                    ));
                    continue;
                }
                rows.push(line, cells(text));
            }
            Some(refused.map_or(Ok(rows), Err))
        })
        .collect();
    // A line that is not UTF-8: the CSV reader's path says where and how to fix it.
    let Some(read) = read.into_iter().collect::<Option<Vec<_>>>() else { return Ok(None) };
    Ok(Some((headers, read.into_iter().collect::<Result<_, _>>()?)))
}

/// The rows of any other CSV (quoted cells, CR line ends), tokenised in order, read as one block.
fn tokenised(file: &str, bytes: &[u8]) -> Result<Table, IntakeError> {
    let mut rows = Rows::default();
    let headers = visit(file, bytes, false, |line, record| {
        rows.push(line, record.iter());
        Ok(())
    })?;
    Ok((headers, vec![rows]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a reading gives, comparable: the matrix's parts, or the first error's message.
    fn outcome(read: Result<Table, IntakeError>) -> Result<Vec<String>, String> {
        let (headers, blocks) = read.map_err(|e| e.to_string())?;
        let width = headers.len().saturating_sub(1);
        let mut out = headers;
        for b in &blocks {
            for (k, (line, name)) in b.lines.iter().zip(&b.names).enumerate() {
                out.push(format!("{line}|{name}|{:?}", b.values.get(k * width..(k + 1) * width)));
            }
        }
        out.extend(blocks.iter().flat_map(|b| &b.bad).map(|bad| format!("{bad:?}")));
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

    /// A header of 200,000 columns over a million blank lines: 15 MB of file, refused or read
    /// without reserving a number per column for every line.
    #[test]
    fn a_wide_header_over_blank_lines_reserves_no_more_than_the_file_holds() {
        let mut text = String::from("a");
        text.push_str(&",c".repeat(200_000));
        text.push_str(&"\n".repeat(1_000_000));
        let (headers, blocks) = split_lines("x.csv", text.as_bytes()).unwrap().unwrap();
        assert_eq!(headers.len(), 200_001);
        assert!(blocks.iter().all(|b| b.names.is_empty() && b.values.capacity() <= 1_000_000));
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
