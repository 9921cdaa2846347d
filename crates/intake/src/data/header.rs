//! Finding the header block of a sheet and what each column holds: titles and 单位：万元 notes
//! above it, header rows merged over several columns, long tables (one value per row) and wide
//! ones (series or periods across).

use super::grid::{Cell, Grid};
use super::mapping::Mapping;
use jili_model::{Catalogue, Period, Series, Status};

/// What a column holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Role<'c> {
    /// The unit (code or name).
    Unit,
    /// A second unit column (a name beside a code); read only to explain errors.
    UnitName,
    Series,
    Period,
    Value,
    Status,
    /// 计量单位 per row.
    Measure,
    /// Values of one series (and possibly one period) across units.
    Across {
        series: Option<&'c Series>,
        period: Option<Period>,
        measure: Option<String>,
        status: Option<Status>,
    },
    /// A header that names nothing known: not read, and the sender is told.
    Ignored,
    /// A column known not to hold data (序号, 备注, SDMX's STRUCTURE …): not read, silently.
    Skipped,
}

/// The header block of one sheet and its columns.
#[derive(Debug, Clone)]
pub struct Header<'c> {
    /// 0-based grid row of the first header row.
    pub first: usize,
    /// Header rows (merged blocks have several).
    pub rows: usize,
    /// Each column's header text (parts of merged rows joined with “/”) and role.
    pub columns: Vec<(String, Role<'c>)>,
    /// 单位：万元 written above the header: the measure of every value.
    pub note_measure: Option<String>,
    /// A period written in the title (2024年各市州…), for tables with no period column.
    pub title_period: Option<Period>,
    /// A series named in the title (2024年各市州地区生产总值), for tables with no series column.
    pub title_series: Option<&'c Series>,
}

const UNIT: [&str; 18] = [
    "报送单位",
    "填报单位",
    "地区",
    "单位",
    "单位名称",
    "地区名称",
    "市州",
    "县市区",
    "县（市、区）",
    "县(市、区)",
    "县市区名称",
    "市州名称",
    "行政区划",
    "区划",
    "园区",
    "园区名称",
    "名称",
    "REF_AREA",
];
const UNIT_CODE: [&str; 10] = [
    "代码",
    "行政区划代码",
    "区划代码",
    "地区代码",
    "单位代码",
    "园区代码",
    "unit",
    "统计用区划代码",
    "区划代码（12位）",
    "统计用区划代码（12位）",
];
const SERIES: [&str; 11] = [
    "统计指标",
    "指标",
    "指标名称",
    "数据项",
    "数据项名称",
    "指标代码",
    "数据项代码",
    "series",
    "INDICATOR",
    "SERIES",
    "项目",
];
const PERIOD: [&str; 9] = ["年份", "年度", "期别", "时期", "时间", "报告期", "period", "year", "TIME_PERIOD"];
const VALUE: [&str; 9] = ["本期数", "本年累计", "数值", "值", "指标值", "数据", "value", "OBS_VALUE", "本期"];
const STATUS: [&str; 6] = ["状态", "数据状态", "口径", "status", "OBS_STATUS", "数据类型"];
const MEASURE: [&str; 4] = ["计量单位", "UNIT_MEASURE", "measure", "单位（计量）"];
const IGNORED: [&str; 9] =
    ["序号", "备注", "说明", "STRUCTURE", "STRUCTURE_ID", "ACTION", "UNIT_MULT", "DATAFLOW", "排名"];

/// `地区生产总值（亿元）` → (`地区生产总值`, Some(`亿元`)); also `(亿元)` and `[亿元]`.
pub fn split_measure(text: &str) -> (String, Option<String>) {
    let t = text.trim();
    for (open, close) in [('（', '）'), ('(', ')'), ('[', ']'), ('【', '】')] {
        if let Some(body) = t.strip_suffix(close)
            && let Some(i) = body.rfind(open)
        {
            let inner = body[i + open.len_utf8()..].trim();
            let inner = inner.strip_prefix("单位：").or_else(|| inner.strip_prefix("单位:")).unwrap_or(inner);
            if super::measure::known(inner) {
                return (body[..i].trim().to_string(), Some(inner.to_string()));
            }
        }
    }
    (t.to_string(), None)
}

/// `2024年（快报）` → (`2024年`, Some(快报)).
fn split_status(text: &str) -> (String, Option<Status>) {
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(body) = text.strip_suffix(close)
            && let Some(i) = body.rfind(open)
            && let Some(s) = Status::parse(&body[i + open.len_utf8()..])
        {
            return (body[..i].to_string(), Some(s));
        }
    }
    (text.to_string(), None)
}

/// A header cell's text with line breaks and spaces removed.
fn text(cell: &Cell) -> String {
    cell.text().map(|t| t.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect()).unwrap_or_default()
}

fn is(words: &[&str], t: &str) -> bool {
    words.iter().any(|w| w.eq_ignore_ascii_case(t))
}

/// The series a header names, by code or name (after its measure is split off).
pub fn series_named<'c>(catalogue: &'c Catalogue, text: &str) -> Option<&'c Series> {
    let t = text.trim();
    catalogue
        .series(t)
        .or_else(|| catalogue.series(&t.to_ascii_uppercase()))
        .or_else(|| catalogue.all_series().find(|s| s.name == t))
}

fn period_of(text: &str) -> Option<Period> {
    text.parse().ok()
}

/// A cell above the header: a title or a note. Returns a measure (单位：万元) if it is one.
fn note_measure(t: &str) -> Option<String> {
    let i = t.find("单位：").map(|i| i + "单位：".len()).or_else(|| t.find("单位:").map(|i| i + "单位:".len()))?;
    let rest = t[i..].trim();
    let m: String =
        rest.chars().take_while(|c| !c.is_whitespace() && !matches!(c, '，' | ',' | '；' | ';' | '）' | ')')).collect();
    super::measure::known(&m).then_some(m)
}

/// A title's period: the first `2024年…` or `2024年1-6月` in it.
fn title_period(t: &str) -> Option<Period> {
    let chars: Vec<char> = t.chars().collect();
    for start in 0..chars.len() {
        if chars[start].is_ascii_digit() && (start == 0 || !chars[start - 1].is_ascii_digit()) {
            // Try the longest plausible period text from here.
            for len in (4..=12).rev() {
                if start + len <= chars.len() {
                    let s: String = chars[start..start + len].iter().collect();
                    if s.starts_with(|c: char| c.is_ascii_digit())
                        && s.contains('年')
                        && let Ok(p) = s.parse()
                    {
                        return Some(p);
                    }
                }
            }
        }
    }
    None
}

/// The longest catalogue series name inside a title.
fn title_series<'c>(catalogue: &'c Catalogue, t: &str) -> Option<&'c Series> {
    catalogue.all_series().filter(|s| s.name.chars().count() >= 3 && t.contains(&s.name)).max_by_key(|s| s.name.len())
}

/// How strongly a row looks like a header: cells naming a role, a series or a period.
fn header_score(grid: &Grid, row: usize, catalogue: &Catalogue) -> usize {
    let texts: Vec<String> = (0..grid.width()).map(|c| text(grid.cell(row, c))).collect();
    // A row holding a plain number that is not a year is data, not a header.
    let numbers = (0..texts.len()).any(|c| {
        let n = match grid.cell(row, c) {
            Cell::Number(n) => Some(*n),
            Cell::Text(t) => t.trim().parse::<f64>().ok(),
            _ => None,
        };
        n.is_some_and(|n| !(n.fract() == 0.0 && (1949.0..=2200.0).contains(&n)))
    });
    if numbers {
        return 0;
    }
    let unit_named = texts.iter().any(|t| is(&UNIT, t) || is(&UNIT_CODE, t));
    (0..texts.len())
        .filter(|c| {
            let t = &texts[*c];
            !t.is_empty()
                && (is(&UNIT, t)
                    || is(&UNIT_CODE, t)
                    || is(&SERIES, t)
                    || is(&PERIOD, t)
                    || is(&VALUE, t)
                    || series_named(catalogue, &split_measure(t).0).is_some()
                    // Years across: as text (2024年), or as numbers beside a unit header.
                    || (matches!(grid.cell(row, *c), Cell::Text(_)) || unit_named) && period_of(&split_status(t).0).is_some())
        })
        .count()
}

/// Find the header of `grid`, following `mapping` where it speaks.
pub fn detect<'c>(grid: &Grid, catalogue: &'c Catalogue, mapping: &Mapping) -> Option<Header<'c>> {
    let first = match mapping.header_row {
        Some(r) => r.checked_sub(1 + grid.first_row)?,
        None => (0..grid.rows.len().min(30)).find(|r| {
            let score = header_score(grid, *r, catalogue);
            let filled = (0..grid.width()).filter(|c| !grid.cell(*r, *c).is_empty()).count();
            score >= 2
                || (score >= 1
                    && filled >= 2
                    && mapping.columns.values().any(|h| (0..grid.width()).any(|c| text(grid.cell(*r, c)) == *h)))
                || (filled >= 2
                    && mapping
                        .columns
                        .values()
                        .filter(|h| (0..grid.width()).any(|c| text(grid.cell(*r, c)) == **h))
                        .count()
                        >= 2)
        })?,
    };
    if first >= grid.rows.len() {
        return None;
    }
    // Titles and notes above the header.
    let (mut note, mut period, mut series) = (None, None, None);
    for r in 0..first {
        for c in 0..grid.width() {
            let t = text(grid.cell(r, c));
            if t.is_empty() {
                continue;
            }
            note = note.or_else(|| note_measure(&t));
            period = period.or_else(|| title_period(&t));
            series = series.or_else(|| title_series(catalogue, &t));
        }
    }
    // A mapping's header block cannot run past the sheet (nor be absurdly tall).
    let rows =
        mapping.header_rows.unwrap_or_else(|| header_rows(grid, first)).clamp(1, (grid.rows.len() - first).min(10));
    let width = grid.width();
    let mut columns = Vec::with_capacity(width);
    for c in 0..width {
        let mut parts: Vec<String> = Vec::new();
        for r in first..first + rows {
            let t = text(grid.merged_value(r, c));
            if !t.is_empty() && parts.last() != Some(&t) {
                parts.push(t);
            }
        }
        let header = parts.join("/");
        let role = role(&header, &parts, catalogue, mapping);
        columns.push((header, role));
    }
    // Several unit columns (a code and a name): the code is read, the name explains.
    let units: Vec<usize> = columns.iter().enumerate().filter(|(_, (_, r))| *r == Role::Unit).map(|(i, _)| i).collect();
    if units.len() > 1 {
        let code = units.iter().copied().find(|i| is(&UNIT_CODE, &columns[*i].0)).unwrap_or(units[0]);
        for i in units {
            if i != code {
                columns[i].1 = Role::UnitName;
            }
        }
    }
    Some(Header { first, rows, columns, note_measure: note, title_period: period, title_series: series })
}

/// Header rows below the first: rows whose unit cell is empty or merged from above and that
/// hold only text (years or series names under a merged group header).
fn header_rows(grid: &Grid, first: usize) -> usize {
    let mut rows = 1;
    while rows < 3 && first + rows < grid.rows.len() {
        let r = first + rows;
        let cells: Vec<&Cell> = (0..grid.width()).map(|c| grid.cell(r, c)).collect();
        let merged_from_above = grid.merges.iter().any(|m| {
            m.first_row <= first + grid.first_row && m.last_row >= r + grid.first_row && m.first_col <= grid.first_col
        });
        let first_blank = cells.first().is_none_or(|c| c.is_empty());
        let all_text = cells.iter().all(|c| matches!(c, Cell::Empty | Cell::Text(_)));
        let some = cells.iter().filter(|c| !c.is_empty()).count() >= 1;
        if (merged_from_above || first_blank) && all_text && some {
            rows += 1;
        } else {
            break;
        }
    }
    rows
}

fn role<'c>(header: &str, parts: &[String], catalogue: &'c Catalogue, mapping: &Mapping) -> Role<'c> {
    for (name, role) in [
        ("unit", Role::Unit),
        ("series", Role::Series),
        ("period", Role::Period),
        ("value", Role::Value),
        ("status", Role::Status),
        ("measure", Role::Measure),
    ] {
        if mapping.column(name) == Some(header) {
            return role;
        }
    }
    if let Some(code) = mapping.series_columns.get(header) {
        let (_, measure) = split_measure(header);
        return Role::Across { series: catalogue.series(code), period: None, measure, status: None };
    }
    if header.is_empty() || is(&IGNORED, header) {
        return Role::Skipped;
    }
    if mapping.columns.is_empty() {
        if is(&UNIT, header) || is(&UNIT_CODE, header) {
            return Role::Unit;
        }
        for (words, role) in [
            (&SERIES[..], Role::Series),
            (&PERIOD, Role::Period),
            (&VALUE, Role::Value),
            (&STATUS, Role::Status),
            (&MEASURE, Role::Measure),
        ] {
            if is(words, header) {
                return role;
            }
        }
    }
    // A value column: a series, a period, or one of each across merged header rows.
    let (mut series, mut period, mut measure, mut status) = (None, None, None, None);
    for part in parts {
        // 2024年（快报）: a period column whose values are of one status.
        let (part, s) = split_status(part);
        status = s.or(status);
        let (name, m) = split_measure(&part);
        if let Some(s) = series_named(catalogue, &name) {
            series = Some(s);
            measure = m.or(measure);
        } else if let Some(p) = period_of(&name) {
            period = Some(p);
        } else if let Some(m) = m {
            measure = Some(m);
        }
    }
    if series.is_some() || period.is_some() { Role::Across { series, period, measure, status } } else { Role::Ignored }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_in_headers_and_notes() {
        assert_eq!(split_measure("地区生产总值（亿元）"), ("地区生产总值".into(), Some("亿元".into())));
        assert_eq!(split_measure("GDP(万元)"), ("GDP".into(), Some("万元".into())));
        assert_eq!(split_measure("长沙（本级）"), ("长沙（本级）".into(), None));
        assert_eq!(note_measure("单位：万元"), Some("万元".into()));
        assert_eq!(note_measure("填报日期：2025年1月  单位:亿元，%"), Some("亿元".into()));
        assert_eq!(title_period("2024年各市州地区生产总值"), Some(Period::year(2024)));
        assert_eq!(title_period("表3  2024年1-6月主要指标").map(|p| p.to_string()), Some("2024-M01-06".into()));
    }
}
