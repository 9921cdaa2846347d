//! From a [`Workbook`] to observations: each data row of each sheet, through the header's
//! column roles, to (series, unit, period, value, status) in the series' own measure — with a
//! [`Finding`] for everything that could not be read, at its sheet, row and column.

use super::finding::Finding;
use super::grid::{Cell, Format, Grid, Workbook};
use super::header::{Header, Role, detect, series_named};
use super::mapping::Mapping;
use super::measure;
use super::names::{UnitMatch, UnitNames, list};
use super::value::{Value, read_value};
use jili_model::{Catalogue, Decimal, Location, Observation, Period, Series, Status};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

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
    /// Data rows read (titles, headers and notes excluded).
    pub rows: usize,
    /// Cells left empty or marked as having no value.
    pub missing: usize,
    /// (series, unit, period) of those cells where the unit is known: reported as having no
    /// value, which completeness checks must tell apart from left out.
    pub blanks: Vec<(String, String, Period)>,
    /// The mapping as applied: save it and the next file of this shape needs no questions.
    pub mapping: Mapping,
    /// A fingerprint of the file's shape (sheet and header texts, years left out).
    pub signature: String,
}

/// No report lists more than this many findings; the count of the rest is given.
pub const MAX_FINDINGS: usize = 5000;

const TOTAL_ROWS: [&str; 7] = ["合计", "总计", "小计", "全省合计", "全市合计", "全州合计", "总体"];
const NOTE_STARTS: [&str; 9] = ["注", "资料来源", "数据来源", "说明", "备注", "填报", "制表", "审核", "负责人"];

/// Read every visible sheet of `workbook`.
pub fn read_workbook(workbook: &Workbook, catalogue: &Catalogue, options: &ReadOptions) -> Parsed {
    let mut reader = Reader {
        workbook,
        catalogue,
        options,
        names: UnitNames::new(catalogue.units()),
        units: HashMap::new(),
        periods: HashMap::new(),
        series: HashMap::new(),
        factors: HashMap::new(),
        seen: HashMap::new(),
        out: Parsed {
            observations: Vec::new(),
            origins: Vec::new(),
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

/// A unit as read (its code and a notice when renamed), or why not.
type UnitRead = Result<(String, Option<Finding>), Box<Finding>>;

struct Reader<'a, 'c> {
    workbook: &'a Workbook,
    catalogue: &'c Catalogue,
    options: &'a ReadOptions<'a>,
    names: UnitNames<'c>,
    units: HashMap<(String, i32), UnitRead>,
    periods: HashMap<String, Option<Period>>,
    series: HashMap<String, Result<&'c Series, Box<Finding>>>,
    factors: HashMap<(String, String), Result<Option<Decimal>, String>>,
    /// (series, unit, period) → index of the observation, for duplicates.
    seen: HashMap<(String, String, Period), usize>,
    out: Parsed,
    dropped: usize,
}

/// One data column's fixed facts for a sheet.
struct Column<'c> {
    col: usize,
    header: String,
    series: Option<&'c Series>,
    period: Option<Period>,
    measure: Option<String>,
}

impl<'a, 'c> Reader<'a, 'c> {
    fn push(&mut self, f: Finding) {
        if self.out.findings.len() < MAX_FINDINGS {
            self.out.findings.push(f);
        } else {
            self.dropped += 1;
        }
    }

    fn at(&self, sheet: usize, grid: &Grid, row: usize, col: usize, field: &str) -> Location {
        let mut at = Location::file(&self.workbook.file);
        if self.workbook.format != Format::Csv {
            at = at.in_sheet(&self.workbook.sheets[sheet].name);
        }
        at = at.at_line(grid.sheet_row(row)).at_column(grid.sheet_col(col));
        if !field.is_empty() {
            at = at.field(field);
        }
        at
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
            match detect(grid, self.catalogue, self.options.mapping) {
                Some(header) => {
                    shapes.push(format!("{}|{}", grid.name, shape(&header)));
                    read_any |= self.sheet(i, grid, &header);
                }
                None => self.push(Finding::error(
                    "no-header",
                    self.sheet_at(i),
                    "找不到表头：前 30 行中没有可识别的“地区/单位”“指标”“年份”“数值”列，也没有目录中的数据项名称或年份",
                    "请确认表头在数据上方一行，列名写“地区”“指标”“年份”“数值”，或用 --mapping 指定各列",
                )),
            }
        }
        if !read_any && !self.out.findings.iter().any(|f| f.severity == super::finding::Severity::Error) {
            self.push(Finding::error(
                "empty-file",
                Location::file(&wb.file),
                "文件中没有数据",
                "请检查是否选错了文件或工作表",
            ));
        }
        self.out.signature = super::super::data::hex(&Sha256::digest(shapes.join("\n").as_bytes()));
    }

    fn sheet_at(&self, i: usize) -> Location {
        let at = Location::file(&self.workbook.file);
        if self.workbook.format == Format::Csv { at } else { at.in_sheet(&self.workbook.sheets[i].name) }
    }

    /// Read one sheet; whether it held any data row.
    fn sheet(&mut self, i: usize, grid: &Grid, header: &Header<'c>) -> bool {
        let find = |role: &Role| header.columns.iter().position(|(_, r)| r == role);
        let Some(unit_col) = find(&Role::Unit) else {
            self.push(Finding::error(
                "no-unit-column",
                self.at(i, grid, header.first, 0, ""),
                format!("表头中没有地区/单位列（表头为：{}）", headers(header)),
                "请把地区列的列名写成“地区”“单位名称”或“行政区划代码”，或用 --mapping 的 [columns] unit 指定",
            ));
            return false;
        };
        let series_col = find(&Role::Series);
        let period_col = find(&Role::Period);
        let status_col = find(&Role::Status);
        let measure_col = find(&Role::Measure);
        let mapping = self.options.mapping;
        let fixed_series = match (mapping.fixed("series"), header.title_series) {
            (Some(s), _) => Some(self.series_of(s)),
            (None, Some(s))
                if series_col.is_none()
                    && header
                        .columns
                        .iter()
                        .any(|(_, r)| matches!(r, Role::Across { series: None, .. } | Role::Value)) =>
            {
                self.push(Finding::notice(
                    "series-from-title",
                    self.at(i, grid, header.first, 0, ""),
                    format!("表中没有指标列，按标题取数据项 {}（{}）", s.name, s.code),
                    "如不对，请在映射文件 [fixed] 中写 series = \"代码\"",
                ));
                Some(self.series_of(&s.code))
            }
            _ => None,
        };
        let fixed_period = mapping.fixed("period").and_then(|p| p.parse().ok()).or(self.options.period);
        let title_period = header.title_period;
        let mut columns: Vec<Column<'c>> = Vec::new();
        for (col, (text, role)) in header.columns.iter().enumerate() {
            match role {
                Role::Value => {
                    columns.push(Column { col, header: text.clone(), series: None, period: None, measure: None })
                }
                Role::Across { series, period, measure } => columns.push(Column {
                    col,
                    header: text.clone(),
                    series: *series,
                    period: *period,
                    measure: measure.clone(),
                }),
                Role::Ignored if !text.is_empty() && column_has_numbers(grid, header, col) => {
                    self.push(Finding::notice(
                        "unknown-column",
                        self.at(i, grid, header.first, col, text),
                        format!("列“{text}”不是目录中的数据项或年份，其中的数值未读取"),
                        "如需导入，请把列名改为数据项名称（见 jili series），或在映射文件 [series_columns] 中指定",
                    ))
                }
                _ => {}
            }
        }
        if columns.is_empty() {
            self.push(Finding::error(
                "no-value-column",
                self.at(i, grid, header.first, 0, ""),
                format!("表头中没有数值列（表头为：{}）", headers(header)),
                "长表请有“数值”列；宽表的列名应为数据项名称（如 地区生产总值（亿元））或年份（如 2024年）",
            ));
            return false;
        }
        // Tell where an assumed period or series came from.
        let needs_period = period_col.is_none() && columns.iter().any(|c| c.period.is_none());
        if needs_period && fixed_period.is_none() {
            if let Some(p) = title_period {
                self.push(Finding::notice(
                    "period-from-title",
                    self.at(i, grid, header.first, 0, ""),
                    format!("表中没有年份列，按标题取期别 {}", p.label()),
                    "如不对，请用 --period 指定",
                ));
            } else {
                self.push(Finding::error(
                    "no-period",
                    self.at(i, grid, header.first, 0, ""),
                    "表中没有年份列，列名和标题中也没有年份",
                    "请加“年份”列，或在导入时用 --period 2024 指定",
                ));
                return false;
            }
        }
        if series_col.is_none() && fixed_series.is_none() && columns.iter().any(|c| c.series.is_none()) {
            self.push(Finding::error(
                "no-series",
                self.at(i, grid, header.first, 0, ""),
                "表中没有指标列，数值列的列名也不是数据项名称",
                "请加“指标”列（填数据项名称或代码），或在映射文件 [fixed] 中写 series = \"代码\"",
            ));
            return false;
        }
        let mut any = false;
        for row in header.first + header.rows..grid.rows.len() {
            let cells = &grid.rows[row];
            if cells.iter().all(Cell::is_empty) {
                continue;
            }
            let unit_cell = grid.cell(row, unit_col);
            let unit_text = unit_cell.text().unwrap_or_default();
            let filled: Vec<usize> = (0..cells.len()).filter(|c| !cells[*c].is_empty()).collect();
            if filled.len() == 1 && NOTE_STARTS.iter().any(|n| cells[filled[0]].shown().trim_start().starts_with(n)) {
                continue;
            }
            let plain: String = unit_text.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
            if TOTAL_ROWS.contains(&plain.as_str()) {
                self.push(
                    Finding::notice(
                        "total-row",
                        self.at(i, grid, row, unit_col, &header.columns[unit_col].0),
                        "合计行未导入（全省和市州的数值由各自的行给出）",
                        "无需处理",
                    )
                    .quoting(unit_text),
                );
                continue;
            }
            self.out.rows += 1;
            any = true;
            if unit_text.is_empty() {
                let what = if matches!(unit_cell, Cell::Empty) {
                    "地区/单位为空".to_string()
                } else {
                    format!("地区/单位单元格不是文字（{}）", unit_cell.shown())
                };
                self.push(Finding::error(
                    "no-unit",
                    self.at(i, grid, row, unit_col, &header.columns[unit_col].0),
                    what,
                    "请填写地区名称或行政区划代码",
                ));
                continue;
            }
            let row_series = series_col.map(|c| (c, grid.cell(row, c)));
            let row_period = period_col.map(|c| (c, grid.cell(row, c)));
            let status = match status_col.map(|c| (c, grid.cell(row, c))) {
                Some((c, cell)) if !cell.is_empty() => match Status::parse(&cell.shown()) {
                    Some(s) => s,
                    None => {
                        self.push(
                            Finding::error(
                                "bad-status",
                                self.at(i, grid, row, c, &header.columns[c].0),
                                "数据状态无法识别",
                                "请填写“快报”或“年报”",
                            )
                            .quoting(cell.shown()),
                        );
                        continue;
                    }
                },
                _ => mapping.fixed("status").and_then(Status::parse).unwrap_or(self.options.status),
            };
            let row_measure = measure_col.and_then(|c| grid.cell(row, c).text()).filter(|t| !t.is_empty());
            for column in &columns {
                let cell = grid.cell(row, column.col);
                let here = self.at(i, grid, row, column.col, &column.header);
                // Series: the column's own, the row's, or the fixed one.
                let series = match (column.series, row_series, &fixed_series) {
                    (Some(s), _, _) => s,
                    (None, Some((c, sc)), _) => {
                        let text = sc.shown();
                        if text.trim().is_empty() {
                            if !cell.is_empty() {
                                self.push(Finding::error(
                                    "no-series-cell",
                                    self.at(i, grid, row, c, &header.columns[c].0),
                                    "指标为空",
                                    "请填写数据项名称或代码",
                                ));
                            }
                            continue;
                        }
                        match self.series_of(&text) {
                            Ok(s) => s,
                            Err(f) => {
                                let f = Finding { at: self.at(i, grid, row, c, &header.columns[c].0), ..*f };
                                self.push(f);
                                continue;
                            }
                        }
                    }
                    (None, None, Some(Ok(s))) => s,
                    (None, None, Some(Err(f))) => {
                        let f = (**f).clone();
                        self.push(f);
                        return any;
                    }
                    (None, None, None) => continue,
                };
                let period = match (column.period, row_period) {
                    (Some(p), _) => p,
                    (None, Some((c, pc))) => match self.period_of(pc) {
                        Some(p) => p,
                        None => {
                            if !cell.is_empty() {
                                let f = Finding::error(
                                    "bad-period",
                                    self.at(i, grid, row, c, &header.columns[c].0),
                                    "期别无法识别",
                                    "请写成 2024、2024年、2024-Q1、2024年6月 或 2024年1-6月；单元格若为日期格式请改为文本",
                                )
                                .quoting(pc.shown());
                                self.push(f);
                            }
                            continue;
                        }
                    },
                    (None, None) => match fixed_period.or(title_period) {
                        Some(p) => p,
                        None => continue,
                    },
                };
                let value = match read_value(cell, series.unit == "%") {
                    Ok(Value::Number(v)) => v,
                    Ok(Value::Missing) => {
                        self.out.missing += 1;
                        if let Ok((unit, _)) = self.unit_of(&unit_text, period.year) {
                            self.out.blanks.push((series.code.clone(), unit, period));
                        }
                        continue;
                    }
                    Err(p) => {
                        self.push(Finding::error(p.code, here, p.message, p.fix).quoting(cell.shown()));
                        continue;
                    }
                };
                let written = row_measure
                    .clone()
                    .or_else(|| column.measure.clone())
                    .or_else(|| header.note_measure.clone())
                    .or_else(|| mapping.fixed("measure").map(str::to_string));
                let value = match written {
                    None => value,
                    Some(w) => match self.factor(&w, &series.unit) {
                        Ok(None) => value,
                        Ok(Some(f)) => (value * f).normalize(),
                        Err(msg) => {
                            self.push(
                                Finding::error(
                                    "wrong-measure",
                                    here,
                                    format!("{msg}（数据项 {}）", series.name),
                                    format!("请按 {} 填报，或把表头/“单位：”注明改为正确的计量单位", series.unit),
                                )
                                .quoting(cell.shown()),
                            );
                            continue;
                        }
                    },
                };
                let unit = match self.unit_of(&unit_text, period.year) {
                    Ok((code, notice)) => {
                        if let Some(n) = notice {
                            let n = Finding { at: self.at(i, grid, row, unit_col, &header.columns[unit_col].0), ..n };
                            self.push(n);
                        }
                        code
                    }
                    Err(f) => {
                        let f = Finding { at: self.at(i, grid, row, unit_col, &header.columns[unit_col].0), ..*f };
                        self.push(f);
                        break;
                    }
                };
                let key = (series.code.clone(), unit.clone(), period);
                if let Some(&earlier) = self.seen.get(&key) {
                    let before = self.out.origins[earlier];
                    let first = self.at(before.sheet, &self.workbook.sheets[before.sheet], before.row, before.col, "");
                    let same = self.out.observations[earlier].value == value;
                    let (code, message, fix) = if same {
                        ("duplicate-same", format!("与{first}重复（数值相同），只导入一次"), "建议删除重复行")
                    } else {
                        (
                            "duplicate",
                            format!(
                                "{} / {} / {} 重复出现，与{first}的数值 {} 不同",
                                series.name,
                                unit_text,
                                period.label(),
                                self.out.observations[earlier].value
                            ),
                            "请删除重复行，只保留正确的数值",
                        )
                    };
                    let f = if same {
                        Finding::notice(code, here, message, fix)
                    } else {
                        Finding::error(code, here, message, fix)
                    };
                    self.push(f.quoting(cell.shown()));
                    continue;
                }
                self.seen.insert(key, self.out.observations.len());
                self.out.observations.push(Observation { series: series.code.clone(), unit, period, value, status });
                self.out.origins.push(Origin { sheet: i, row, col: column.col });
            }
        }
        self.remember(header);
        any
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

    fn series_of(&mut self, text: &str) -> Result<&'c Series, Box<Finding>> {
        let key = text.trim().to_string();
        if let Some(r) = self.series.get(&key) {
            return r.clone();
        }
        let (name, _) = super::header::split_measure(&key);
        let result = match series_named(self.catalogue, &name) {
            Some(s) if s.owner != self.options.provider => Err(Box::new(Finding::error(
                "not-owner",
                Location::file(&self.workbook.file),
                format!("数据项 {}（{}）由 {} 提供，不能由 {} 导入", s.name, s.code, s.owner, self.options.provider),
                "无扰评价：每个部门只报送本部门的数据；请删除该数据项，或由负责部门导入",
            ))),
            Some(s) => Ok(s),
            None => {
                let similar = self.catalogue.similar_series(&name.to_ascii_uppercase());
                let by_name: Vec<String> = self
                    .catalogue
                    .all_series()
                    .filter(|s| s.owner == self.options.provider && (s.name.contains(&name) || name.contains(&s.name)))
                    .take(3)
                    .map(|s| format!("{}（{}）", s.name, s.code))
                    .collect();
                let hint = if !by_name.is_empty() {
                    format!("是否为：{}？", by_name.join("、"))
                } else if !similar.is_empty() {
                    format!("是否为：{}？", similar.join("、"))
                } else {
                    "可用 jili series 查看数据项目录".to_string()
                };
                Err(Box::new(
                    Finding::error("unknown-series", Location::file(&self.workbook.file), "数据项不在目录中", hint)
                        .quoting(key.clone()),
                ))
            }
        };
        self.series.insert(key, result.clone());
        result
    }

    fn period_of(&mut self, cell: &Cell) -> Option<Period> {
        // A year typed into a date-formatted cell shows as 1905-07-16: its serial is the year.
        if let Cell::Date { serial, .. } = cell
            && serial.fract() == 0.0
            && (1949.0..=2200.0).contains(serial)
        {
            return Some(Period::year(*serial as i32));
        }
        let text = cell.text()?;
        if let Some(p) = self.periods.get(&text) {
            return *p;
        }
        let p = text.parse().ok();
        self.periods.insert(text, p);
        p
    }

    fn factor(&mut self, written: &str, wanted: &str) -> Result<Option<Decimal>, String> {
        self.factors
            .entry((written.to_string(), wanted.to_string()))
            .or_insert_with(|| measure::factor(written, wanted))
            .clone()
    }

    fn unit_of(&mut self, text: &str, year: i32) -> UnitRead {
        let key = (text.to_string(), year);
        if let Some(r) = self.units.get(&key) {
            // A renamed unit's notice is given once per name.
            return r.clone().map(|(code, _)| (code, None));
        }
        let file = Location::file(&self.workbook.file);
        let result = match self.names.resolve(text, year) {
            UnitMatch::Found(u) => Ok((u.code.clone(), None)),
            UnitMatch::Renamed { written, used } => Ok((
                used.code.clone(),
                Some(
                    Finding::notice(
                        "renamed-unit",
                        file,
                        format!(
                            "{}（{}）在 {year} 年已改为 {}（{}），按新代码导入",
                            written.name, written.code, used.name, used.code
                        ),
                        "建议今后使用新名称和代码",
                    )
                    .quoting(text),
                ),
            )),
            UnitMatch::Ambiguous(many) => Err(Box::new(
                Finding::error(
                    "ambiguous-unit",
                    file,
                    format!("地区名称对应多个单位：{}", list(&many)),
                    "请写全称或填行政区划代码",
                )
                .quoting(text),
            )),
            UnitMatch::Unknown(close) => {
                let hint = if close.is_empty() {
                    "请填写全称（如 长沙市、浏阳市）或 6 位行政区划代码；可用 jili units 查看".to_string()
                } else {
                    format!("最接近的是：{}；请改为正确的名称或代码", list(&close))
                };
                Err(Box::new(Finding::error("unknown-unit", file, "找不到这个地区/单位", hint).quoting(text)))
            }
        };
        self.units.insert(key, result.clone());
        result
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

/// The shape of a header for the signature: texts with years left out.
fn shape(header: &Header) -> String {
    header
        .columns
        .iter()
        .map(|(t, role)| match role {
            Role::Across { period: Some(_), series: None, .. } => "<期别>".to_string(),
            _ => t.clone(),
        })
        .collect::<Vec<_>>()
        .join("\t")
}
