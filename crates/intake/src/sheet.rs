//! Reading CSV bytes as users' tools write them (R's write.csv quotes everything; Excel adds a
//! BOM; Excel for Mac ends lines with CR), keeping each cell's line and column for errors. The
//! reference readers and the analyst readers both start here.

use crate::error::IntakeError;
use jili_model::Location;

/// A parsed table: headers and rows, each row with its 1-based line.
#[derive(Debug)]
pub(crate) struct Sheet<'a> {
    pub file: &'a str,
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

impl<'a> Sheet<'a> {
    /// Any header; no comment lines.
    pub fn read(file: &'a str, bytes: &[u8]) -> Result<Sheet<'a>, IntakeError> {
        Sheet::parse(file, bytes, false)
    }

    /// With `comments`, lines starting with `#` are skipped (reference files name their source there).
    pub fn parse(file: &'a str, bytes: &[u8], comments: bool) -> Result<Sheet<'a>, IntakeError> {
        let mut rows = Vec::new();
        let headers = visit(file, bytes, comments, |line, record| {
            rows.push((line, record.iter().map(|c| c.trim().to_string()).collect()));
            Ok(())
        })?;
        Ok(Sheet { file, headers, rows })
    }

    /// The column of a header, compared without case.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h.eq_ignore_ascii_case(name))
    }

    /// A required column, or an error listing what the file has.
    pub fn require(&self, name: &str) -> Result<usize, IntakeError> {
        self.column(name).ok_or_else(|| {
            IntakeError::at(
                Location::file(self.file).at_line(1).field(name),
                format!("缺少“{name}”列；表头为 {}", self.headers.join(",")),
            )
        })
    }

    pub fn at(&self, line: usize, col: usize) -> Location {
        Location::file(self.file).at_line(line).at_column(col + 1).field(&self.headers[col])
    }
}

/// Read the header, then hand each non-blank row with its 1-based line to `row`, without keeping
/// the rows: the large numeric tables (`jili mcda`'s matrix) are read straight into numbers.
pub(crate) fn visit(
    file: &str,
    bytes: &[u8],
    comments: bool,
    mut row: impl FnMut(usize, &csv::StringRecord) -> Result<(), IntakeError>,
) -> Result<Vec<String>, IntakeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()].iter().filter(|b| **b == b'\n').count() + 1;
        IntakeError::at(Location::file(file).at_line(line), "不是 UTF-8 编码：请在 Excel/WPS 中另存为“CSV UTF-8”")
    })?;
    // Excel for Mac's "CSV (Macintosh)" ends lines with a bare CR; count lines as users see them.
    let text: std::borrow::Cow<str> =
        if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n").into() } else { text.into() };
    let mut reader =
        csv::ReaderBuilder::new().comment(comments.then_some(b'#')).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| IntakeError::at(Location::file(file), format!("无法读取表头：{e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(IntakeError::at(Location::file(file).at_line(1), "文件为空或没有表头"));
    }
    let mut record = csv::StringRecord::new();
    // Lines counted from byte offsets: the CSV reader's own count misses the blank lines it skips.
    let (mut counted_to, mut lines_before) = (0usize, 0usize);
    // A record's position is where the one before it ended, before any blank lines it skipped.
    let mut line_at = |byte: usize| {
        let mut byte = byte.min(text.len());
        while text.as_bytes().get(byte) == Some(&b'\n') {
            byte += 1;
        }
        if byte >= counted_to {
            lines_before += text.as_bytes()[counted_to..byte].iter().filter(|b| **b == b'\n').count();
            counted_to = byte;
        }
        lines_before + 1
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, |p| line_at(p.byte() as usize));
                return Err(IntakeError::at(Location::file(file).at_line(line), format!("CSV 格式错误：{e}")));
            }
        }
        let line = record.position().map_or(0, |p| line_at(p.byte() as usize));
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            return Err(IntakeError::at(
                Location::file(file).at_line(line),
                format!("本行有 {} 列，表头有 {} 列：请检查多余或缺少的逗号", record.len(), headers.len()),
            ));
        }
        row(line, &record)?;
    }
    Ok(headers)
}

/// Whether a cell means "no value" (R writes NA).
pub(crate) fn is_missing(cell: &str) -> bool {
    matches!(cell.trim(), "" | "NA" | "NaN" | "na" | "N/A" | "#N/A")
}

/// A number, or a message saying why not. Commas are accepted only as thousands separators
/// (`1,234.5`); `5,8` (a decimal comma) is an error, never 58.
pub(crate) fn number(cell: &str) -> Result<f64, String> {
    let t = cell.trim();
    let plain: std::borrow::Cow<str> = if t.as_bytes().contains(&b',') {
        if !thousands(t) {
            return Err(format!("“{cell}”不是数值：逗号只能作千位分隔符（如 1,234.5），小数点请用“.”"));
        }
        t.replace(',', "").into()
    } else {
        t.into()
    };
    match plain.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("“{cell}”不是数值：请填写数字，缺失值请留空或写 NA")),
    }
}

/// `1,234` or `-12,345,678.9`: groups of three digits after the first comma.
pub(crate) fn thousands(t: &str) -> bool {
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (int, fraction) = t.split_once('.').unwrap_or((t, ""));
    if fraction.contains(',') {
        return false;
    }
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_are_thousands_separators_only() {
        assert_eq!(number("1,234.5"), Ok(1234.5));
        assert_eq!(number("-12,345,678"), Ok(-12_345_678.0));
        for bad in ["5,8", "12,34", "1.234,5", ",123", "1,2345"] {
            let err = number(bad).unwrap_err();
            assert!(err.contains("千位分隔符"), "{bad}: {err}");
        }
    }
}
