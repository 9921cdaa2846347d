//! From a [`Workbook`] to observations: each data row of each sheet, through the header's
//! column roles, to (series, unit, period, value, status) in the series' own measure — with a
//! [`Finding`] for everything that could not be read, at its sheet, row and column.

mod row;

use super::finding::{Finding, Severity};
use super::grid::{Cell, Format, Grid, Workbook};
use super::header::{Header, Role, detect};
use super::lookup::{Lookup, SeriesRead};
use super::mapping::Mapping;
use super::seen::Seen;
use jili_model::{Catalogue, Location, Observation, ObservationKey, Period, Status};
use row::{Column, Layout};
use sha2::{Digest, Sha256};

/// What the reader needs besides the file.
#[derive(Debug, Clone)]
pub struct ReadOptions<'a> {
    /// The providing department's code: it may send only the series it owns (无扰评价).
    pub provider: &'a str,
    pub mapping: &'a Mapping,
    /// Status of values whose file does not say (快报 or 年报).
    pub status: Status,
    /// The period of values whose file does not say.
    pub period: Option<Period>,
}

/// Where a value came from: grid indexes (0-based) of its sheet, row and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Origin {
    pub sheet: usize,
    pub row: usize,
    pub col: usize,
}

/// What a file held.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub observations: Vec<Observation>,
    /// `origins[i]` is where `observations[i]` was read.
    pub origins: Vec<Origin>,
    pub findings: Vec<Finding>,
    /// Data rows read (titles, headers, notes and group headings excluded).
    pub rows: usize,
    /// Cells left empty or marked as having no value.
    pub missing: usize,
    /// (series, unit, period) of those cells where the unit is known: reported as having no
    /// value, which completeness checks must tell apart from left out.
    pub blanks: Vec<ObservationKey>,
    /// The mapping as applied: save it and the next file of this shape needs no questions.
    pub mapping: Mapping,
    /// A fingerprint of the file's shape (sheet and header texts, years left out).
    pub signature: String,
}

/// No report lists more than this many findings; the count of the rest is given.
pub const MAX_FINDINGS: usize = 5000;

/// Read every visible sheet of `workbook`.
pub fn read_workbook(workbook: &Workbook, catalogue: &Catalogue, options: &ReadOptions) -> Parsed {
    // Most files are long tables (a value per row): sized for that once, not grown by doubling.
    let rows: usize = workbook.sheets.iter().map(|g| g.rows.len()).sum();
    let mut reader = Reader {
        workbook,
        catalogue,
        options,
        lookup: Lookup::new(catalogue, options.provider, &workbook.file),
        seen: Seen::with_capacity(rows),
        told: foldhash::HashSet::default(),
        out: Parsed {
            observations: Vec::with_capacity(rows),
            origins: Vec::with_capacity(rows),
            findings: Vec::new(),
            rows: 0,
            missing: 0,
            blanks: Vec::new(),
            mapping: options.mapping.clone(),
            signature: String::new(),
        },
        dropped: 0,
    };
    reader.run();
    reader.finish()
}

pub(super) struct Reader<'a, 'c> {
    pub workbook: &'a Workbook,
    pub catalogue: &'c Catalogue,
    pub options: &'a ReadOptions<'a>,
    pub lookup: Lookup<'c>,
    /// The (series, unit, period) given so far, for duplicates.
    pub seen: Seen,
    /// (sheet, column, finding code) of what is told once per column (a conversion, a wrong
    /// measure in a header).
    pub told: foldhash::HashSet<(usize, usize, &'static str)>,
    pub out: Parsed,
    dropped: usize,
}

impl<'a, 'c> Reader<'a, 'c> {
    pub(super) fn push(&mut self, f: Finding) {
        if self.out.findings.len() < MAX_FINDINGS {
            self.out.findings.push(f);
        } else {
            self.dropped += 1;
        }
    }

    /// The location of a cell, for findings.
    pub(super) fn at(&self, sheet: usize, row: usize, col: usize, field: &str) -> Location {
        self.workbook.location(sheet, row, col, field)
    }

    fn sheet_at(&self, i: usize) -> Location {
        self.workbook.sheet_location(i)
    }

    fn run(&mut self) {
        let wb = self.workbook;
        for name in &wb.hidden {
            self.push(Finding::notice(
                "hidden-sheet",
                Location::file(&wb.file).in_sheet(name),
                "隐藏的工作表未读取",
                "如需导入其中的数据，请在 Excel/WPS 中取消隐藏后重新导入",
            ));
        }
        let wanted = &self.options.mapping.sheets;
        let mut shapes = Vec::new();
        let mut read_any = false;
        for (i, grid) in wb.sheets.iter().enumerate() {
            if !wanted.is_empty() && !wanted.contains(&grid.name) {
                continue;
            }
            if grid.rows.iter().all(|r| r.iter().all(Cell::is_empty)) {
                if wb.sheets.len() > 1 {
                    self.push(Finding::notice("empty-sheet", self.sheet_at(i), "工作表为空，已跳过", "无需处理"));
                }
                continue;
            }
            shapes.push(format!("{}|{}", if wb.format == Format::Csv { "" } else { &grid.name }, shape(grid)));
            match detect(grid, self.catalogue, self.options.mapping) {
                Some(header) => {
                    if let Some(layout) = self.layout(i, grid, &header) {
                        read_any |= self.rows(i, grid, &header, &layout);
                        self.remember(&header);
                    }
                }
                None => self.push(Finding::error(
                    "no-header",
                    self.sheet_at(i),
                    "找不到表头：前 30 行中没有可识别的“地区/单位”“指标”“年份”“数值”列，也没有目录中的数据项名称或年份",
                    "请确认表头在数据上方一行，列名写“地区”“指标”“年份”“数值”，或用 --mapping 指定各列",
                )),
            }
        }
        if !read_any && !self.out.findings.iter().any(|f| f.severity == Severity::Error) {
            self.push(Finding::error(
                "empty-file",
                Location::file(&wb.file),
                "文件中没有数据",
                "请检查是否选错了文件或工作表",
            ));
        }
        self.out.signature = super::hex(&Sha256::digest(shapes.join("\n").as_bytes()));
    }

    /// How to read a sheet's rows, or `None` (with an error) when it cannot be read.
    fn layout(&mut self, i: usize, grid: &Grid, header: &Header<'c>) -> Option<Layout<'c>> {
        let find = |role: &Role| header.columns.iter().position(|(_, r)| r == role);
        let fail = |this: &mut Self, code, message: String, fix: &str| {
            let at = this.at(i, header.first, 0, "");
            this.push(Finding::error(code, at, message, fix));
            None
        };
        let Some(unit_col) = find(&Role::Unit) else {
            return fail(
                self,
                "no-unit-column",
                format!("表头中没有地区/单位列（表头为：{}）", headers(header)),
                "请把地区列的列名写成“地区”“单位名称”或“行政区划代码”，或用 --mapping 的 [columns] unit 指定",
            );
        };
        let series_col = find(&Role::Series);
        let period_col = find(&Role::Period);
        let mapping = self.options.mapping;
        let mut columns = Vec::new();
        for (col, (text, role)) in header.columns.iter().enumerate() {
            match role {
                Role::Value => columns.push(Column {
                    col,
                    header: text.clone(),
                    series: None,
                    period: None,
                    measure: None,
                    status: None,
                }),
                Role::Across { series, period, measure, status } => {
                    let series = match series {
                        Some(s) => match self.lookup.series(&s.code) {
                            Ok(x) => Some(x),
                            Err(f) => {
                                let at = self.at(i, header.first, col, text);
                                self.push(Finding { at, ..*f });
                                continue;
                            }
                        },
                        None => None,
                    };
                    columns.push(Column {
                        col,
                        header: text.clone(),
                        series,
                        period: *period,
                        measure: measure.clone(),
                        status: *status,
                    })
                }
                Role::Ignored if !text.is_empty() && column_has_numbers(grid, header, col) => {
                    let at = self.at(i, header.first, col, text);
                    self.push(Finding::notice(
                        "unknown-column",
                        at,
                        format!("列“{text}”不是目录中的数据项或年份，其中的数值未读取"),
                        "如需导入，请把列名改为数据项名称（见 jili data series），或在映射文件 [series_columns] 中指定",
                    ))
                }
                _ => {}
            }
        }
        if columns.is_empty() {
            return fail(
                self,
                "no-value-column",
                format!("表头中没有数值列（表头为：{}）", headers(header)),
                "长表请有“数值”列；宽表的列名应为数据项名称（如 地区生产总值（亿元））或年份（如 2024年）",
            );
        }
        // A period for columns that give none: --period or [fixed], then the sheet's name
        // (sheets named 2023, 2024), then the title.
        let sheet_period = grid.name.trim().parse::<Period>().ok();
        let fixed_period = mapping.fixed("period").and_then(|p| p.parse().ok()).or(self.options.period);
        let needs_period = period_col.is_none() && columns.iter().any(|c| c.period.is_none());
        let mut period = fixed_period;
        if needs_period && period.is_none() {
            let (found, whence) = match (sheet_period, header.title_period) {
                (Some(p), _) => (Some(p), "工作表名称"),
                (None, Some(p)) => (Some(p), "标题"),
                _ => (None, ""),
            };
            let Some(p) = found else {
                let many = self.workbook.sheets.len() > 1;
                return fail(
                    self,
                    "no-period",
                    "表中没有年份列，列名、工作表名称和标题中也没有年份".into(),
                    if many {
                        "请加“年份”列，或把各工作表命名为其年份（如 2024）"
                    } else {
                        "请加“年份”列，或在导入时用 --period 2024 指定"
                    },
                );
            };
            let at = self.at(i, header.first, 0, "");
            self.push(Finding::notice(
                "period-from-title",
                at,
                format!("表中没有年份列，按{whence}取期别 {}", p.label()),
                "如不对，请用 --period 指定",
            ));
            period = Some(p);
        }
        let needs_series = series_col.is_none() && columns.iter().any(|c| c.series.is_none());
        let fixed_series: Option<SeriesRead<'c>> = match (mapping.fixed("series"), header.title_series) {
            (Some(s), _) => Some(self.lookup.series(s)),
            (None, Some(s)) if needs_series => {
                let at = self.at(i, header.first, 0, "");
                self.push(Finding::notice(
                    "series-from-title",
                    at,
                    format!("表中没有指标列，按标题取数据项 {}（{}）", s.name, s.code),
                    "如不对，请在映射文件 [fixed] 中写 series = \"代码\"",
                ));
                Some(self.lookup.series(&s.code))
            }
            _ => None,
        };
        if needs_series && fixed_series.is_none() {
            return fail(
                self,
                "no-series",
                "表中没有指标列，数值列的列名也不是数据项名称".into(),
                "请加“指标”列（填数据项名称或代码），或在映射文件 [fixed] 中写 series = \"代码\"",
            );
        }
        if let Some(Err(f)) = &fixed_series {
            let f = (**f).clone();
            self.push(f);
            return None;
        }
        Some(Layout {
            unit_col,
            name_col: find(&Role::UnitName),
            series_col,
            period_col,
            status_col: find(&Role::Status),
            measure_col: find(&Role::Measure),
            columns,
            fixed_series: fixed_series.and_then(Result::ok),
            period,
            status: mapping.fixed("status").and_then(Status::parse).unwrap_or(self.options.status),
            note_measure: header.note_measure.clone().or_else(|| mapping.fixed("measure").map(str::to_string)),
            sdmx: header.columns.iter().any(|(t, _)| t == "OBS_STATUS" || t == "STRUCTURE"),
        })
    }

    /// Record the roles as a mapping, so this shape is read the same way next time.
    fn remember(&mut self, header: &Header) {
        let m = &mut self.out.mapping;
        for (text, role) in &header.columns {
            let name = match role {
                Role::Unit => "unit",
                Role::Series => "series",
                Role::Period => "period",
                Role::Value => "value",
                Role::Status => "status",
                Role::Measure => "measure",
                Role::Across { series: Some(s), .. } => {
                    m.series_columns.entry(text.clone()).or_insert_with(|| s.code.clone());
                    continue;
                }
                _ => continue,
            };
            m.columns.entry(name.to_string()).or_insert_with(|| text.clone());
        }
    }

    fn finish(mut self) -> Parsed {
        if self.dropped > 0 {
            let f = Finding::notice(
                "too-many",
                Location::file(&self.workbook.file),
                format!("另有 {} 处问题未列出（最多列出 {MAX_FINDINGS} 处）", self.dropped),
                "请先修正已列出的问题",
            );
            self.out.findings.push(f);
        }
        self.out
    }
}

fn headers(header: &Header) -> String {
    header.columns.iter().map(|(t, _)| t.as_str()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("、")
}

/// Whether a column has numbers under its header (so ignoring it loses data).
fn column_has_numbers(grid: &Grid, header: &Header, col: usize) -> bool {
    (header.first + header.rows..grid.rows.len().min(header.first + header.rows + 50)).any(|r| {
        matches!(grid.cell(r, col), Cell::Number(_))
            || grid.cell(r, col).text().is_some_and(|t| t.parse::<f64>().is_ok())
    })
}

/// The shape of a sheet for the signature: the texts above its first row of numbers (titles and
/// header rows), digits left out — so next year's file (2025年, 2025-Q1) has the same shape, and
/// a file whose headers detection cannot read still finds the mapping saved for it.
fn shape(grid: &Grid) -> String {
    let mut out = Vec::new();
    for row in grid.rows.iter().take(12) {
        if row.iter().any(|c| matches!(c, Cell::Number(_)) || c.text().is_some_and(|t| t.parse::<f64>().is_ok())) {
            break;
        }
        for cell in row.iter().filter(|c| !c.is_empty()) {
            let text: String = cell
                .shown()
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect();
            out.push(text);
        }
        out.push("\n".into());
    }
    out.join("\t")
}
