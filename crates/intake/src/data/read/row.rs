//! Reading a sheet's data rows once its layout is known. The hot loop of every import: it
//! allocates only what it stores, looks each distinct text up once, and builds a location only
//! when there is something to report.

use super::{Origin, Reader};
use crate::data::finding::Finding;
use crate::data::grid::{Cell, Grid, number_text};
use crate::data::header::Header;
use crate::data::value::{Value, read_value};
use jili_model::{Observation, Period, Series, Status};
use std::borrow::Cow;

/// One column holding values, with what its header fixes.
#[derive(Debug, Clone)]
pub(super) struct Column<'c> {
    pub col: usize,
    pub header: String,
    pub series: Option<(&'c Series, u32)>,
    pub period: Option<Period>,
    pub measure: Option<String>,
    pub status: Option<Status>,
}

/// Which column is what in one sheet, and what holds for all its rows.
#[derive(Debug, Clone)]
pub(super) struct Layout<'c> {
    pub unit_col: usize,
    /// A name beside the code: read when the code is blank, and checked against it.
    pub name_col: Option<usize>,
    pub series_col: Option<usize>,
    pub period_col: Option<usize>,
    pub status_col: Option<usize>,
    pub measure_col: Option<usize>,
    pub columns: Vec<Column<'c>>,
    pub fixed_series: Option<(&'c Series, u32)>,
    /// For columns with no period of their own, when there is no period column.
    pub period: Option<Period>,
    pub status: Status,
    /// 单位：万元 above the header, or the mapping's fixed measure.
    pub note_measure: Option<String>,
    /// SDMX-CSV: statuses are the codes A and P.
    pub sdmx: bool,
}

const TOTAL_ROWS: [&str; 7] = ["合计", "总计", "小计", "全省合计", "全市合计", "全州合计", "总体"];

/// A 合计/总计 row (spaces inside allowed: 合　计). Every such word starts with 合, 总, 小 or
/// 全, so the other million rows are told apart by their first character.
fn is_total(text: &str) -> bool {
    if !matches!(text.chars().next(), Some('合' | '总' | '小' | '全')) {
        return false;
    }
    TOTAL_ROWS.contains(&text)
        || (text.contains(char::is_whitespace) && TOTAL_ROWS.contains(&text.replace(char::is_whitespace, "").as_str()))
}

/// A cell's text without allocating for text cells.
fn text(cell: &Cell) -> Cow<'_, str> {
    match cell {
        Cell::Text(t) => Cow::Borrowed(t.trim()),
        Cell::Number(n) => Cow::Owned(number_text(*n)),
        _ => Cow::Borrowed(""),
    }
}

impl<'c> Reader<'_, 'c> {
    /// Read the rows below the header; whether any held data.
    pub(super) fn rows(&mut self, i: usize, grid: &Grid, header: &Header<'c>, layout: &Layout<'c>) -> bool {
        let merged = !grid.merges.is_empty();
        // Unit, series and period cells may be merged down over several rows.
        let label = |row: usize, col: usize| if merged { grid.merged_value(row, col) } else { grid.cell(row, col) };
        let field = |col: usize| header.columns[col].0.as_str();
        let mut any = false;
        for row in header.first + header.rows..grid.rows.len() {
            let cells = &grid.rows[row];
            let has_value = layout.columns.iter().any(|c| cells.get(c.col).is_some_and(|x| !x.is_empty()));
            let unit_text = text(label(row, layout.unit_col));
            let mut unit_text = unit_text.as_ref();
            let name_text = layout.name_col.map(|c| text(label(row, c)));
            if unit_text.is_empty()
                && let Some(name) = name_text.as_deref()
            {
                unit_text = name;
            }
            if is_total(unit_text) {
                if has_value {
                    let at = self.at(i, row, layout.unit_col, field(layout.unit_col));
                    self.push(
                        Finding::notice("total-row", at, "合计行未导入（全省和市州的数值由各自的行给出）", "无需处理")
                            .quoting(unit_text),
                    );
                }
                continue;
            }
            if !has_value {
                // Titles, group headings (长株潭地区), notes (注：…) and blank rows: not data. A
                // known unit with every value blank is a reported gap.
                if !unit_text.is_empty() {
                    self.blank_row(row, grid, layout, unit_text);
                }
                continue;
            }
            self.out.rows += 1;
            any = true;
            if unit_text.is_empty() {
                let cell = label(row, layout.unit_col);
                let what = match cell {
                    Cell::Empty => "地区/单位为空".to_string(),
                    other => format!("地区/单位单元格不是文字（{}）", other.shown()),
                };
                let at = self.at(i, row, layout.unit_col, field(layout.unit_col));
                self.push(Finding::error("no-unit", at, what, "请填写地区名称或行政区划代码"));
                continue;
            }
            let status = match layout.status_col.map(|c| (c, grid.cell(row, c))) {
                Some((c, cell)) if !cell.is_empty() => match Status::parse(&cell.shown()) {
                    Some(s) => s,
                    None => {
                        let fix = if layout.sdmx {
                            "OBS_STATUS 请填 A（正式）或 P（初步）"
                        } else {
                            "请填写“快报”或“年报”"
                        };
                        let at = self.at(i, row, c, field(c));
                        self.push(Finding::error("bad-status", at, "数据状态无法识别", fix).quoting(cell.shown()));
                        continue;
                    }
                },
                _ => layout.status,
            };
            let row_measure = layout.measure_col.map(|c| text(grid.cell(row, c))).filter(|t| !t.is_empty());
            for column in &layout.columns {
                let cell = cells.get(column.col).unwrap_or(&Cell::Empty);
                let Some((series, sid)) =
                    self.series_for(i, header, row, column, layout, cell, label(row, layout.series_col.unwrap_or(0)))
                else {
                    continue;
                };
                let Some(period) = self.period_for(i, header, row, column, layout, cell, &label) else {
                    continue;
                };
                let value = match read_value(cell, series.unit == "%") {
                    Ok(Value::Number(v)) => v,
                    Ok(Value::Missing) => {
                        self.out.missing += 1;
                        if let Ok((u, _, _)) = self.lookup.unit(unit_text, period.year) {
                            self.out.blanks.push((series.code.as_str().into(), u.code.as_str().into(), period));
                        }
                        continue;
                    }
                    Err(p) => {
                        let at = self.at(i, row, column.col, &column.header);
                        self.push(Finding::error(p.code, at, p.message, p.fix).quoting(cell.shown()));
                        continue;
                    }
                };
                // A measure in the row or the column's header binds; a sheet's 单位 note is
                // taken only where it fits the series (a note “单位：亿元” says nothing of a % column).
                let strict = row_measure.as_deref().or(column.measure.as_deref());
                let written = match (strict, layout.note_measure.as_deref()) {
                    (Some(w), _) => Some(w),
                    (None, Some(note)) if series.unit == "%" && self.lookup.factor(note, &series.unit).is_err() => None,
                    (None, note) => note,
                };
                let value = match written.map(|w| (w, self.lookup.factor(w, &series.unit))) {
                    None | Some((_, Ok(None))) => value,
                    Some((w, Ok(Some(f)))) => {
                        if self.told.insert((i, column.col, "converted")) {
                            let at = self.at(i, header.first, column.col, &column.header);
                            let how = if f > jili_model::Decimal::ONE {
                                format!("×{}", f.normalize())
                            } else {
                                format!("÷{}", (jili_model::Decimal::ONE / f).normalize())
                            };
                            self.push(Finding::notice(
                                "converted",
                                at,
                                format!(
                                    "{}按 {} 填报，已换算为目录的计量单位 {}（{how}）",
                                    series.name,
                                    jili_model::unit_measure::unit_measure_of(w)
                                        .map_or_else(|| w.to_string(), |u| format!("{u}（{w}）")),
                                    series.unit
                                ),
                                "无需处理；如计量单位写错，请更正后重新导入",
                            ));
                        }
                        (value * f).normalize()
                    }
                    Some((_, Err(msg))) => {
                        // A measure in a header or the note is wrong once for the whole column:
                        // said once, at the column's header; one in a measure column, per row.
                        let per_row = row_measure.is_some();
                        if per_row || self.told.insert((i, column.col, "wrong-measure")) {
                            let at = if per_row {
                                self.at(i, row, column.col, &column.header)
                            } else {
                                self.at(i, header.first, column.col, &column.header)
                            };
                            let f = Finding::error(
                                "wrong-measure",
                                at,
                                format!("{msg}（数据项 {}）", series.name),
                                format!("请按 {} 填报，或把表头/“单位：”注明改为正确的计量单位", series.unit),
                            );
                            self.push(if per_row { f.quoting(cell.shown()) } else { f });
                        }
                        continue;
                    }
                };
                let (unit, uid) = match self.lookup.unit(unit_text, period.year) {
                    Ok((u, uid, notice)) => {
                        if let Some(n) = notice {
                            let at = self.at(i, row, layout.unit_col, field(layout.unit_col));
                            self.push(Finding { at, ..*n });
                        }
                        (u, uid)
                    }
                    Err(f) => {
                        let at = self.at(i, row, layout.unit_col, field(layout.unit_col));
                        self.push(Finding { at, ..*f });
                        break;
                    }
                };
                // A code and a name that disagree: the sender must say which is meant.
                if let (Some(c), Some(name)) = (layout.name_col, name_text.as_deref())
                    && !name.is_empty()
                    && name != unit_text
                    && let Ok((named, _, _)) = self.lookup.unit(name, period.year)
                    && named.code != unit.code
                {
                    let at = self.at(i, row, c, field(c));
                    let message =
                        format!("代码 {unit_text} 是 {}，名称却是 {}（{}）", unit.name, named.name, named.code);
                    self.push(
                        Finding::error("code-name-mismatch", at, message, "请核对代码和名称，改为同一个单位")
                            .quoting(name),
                    );
                    break;
                }
                let status = column.status.unwrap_or(status);
                if let Some(earlier) = self.seen.insert(sid, uid, period, self.out.observations.len()) {
                    self.duplicate(i, row, column, earlier, value, unit_text, series, period, cell);
                    continue;
                }
                self.out.observations.push(Observation {
                    series: series.code.as_str().into(),
                    unit: unit.code.as_str().into(),
                    period,
                    value,
                    status,
                });
                self.out.origins.push(Origin { sheet: i, row, col: column.col });
            }
        }
        any
    }

    /// The series of a value: its column's, its row's, or the sheet's.
    #[allow(clippy::too_many_arguments)]
    fn series_for(
        &mut self,
        i: usize,
        header: &Header<'c>,
        row: usize,
        column: &Column<'c>,
        layout: &Layout<'c>,
        cell: &Cell,
        series_cell: &Cell,
    ) -> Option<(&'c Series, u32)> {
        if let Some(s) = column.series {
            return Some(s);
        }
        let Some(c) = layout.series_col else { return layout.fixed_series };
        let t = text(series_cell);
        if t.is_empty() {
            if !cell.is_empty() {
                let at = self.at(i, row, c, &header.columns[c].0);
                self.push(Finding::error("no-series-cell", at, "指标为空", "请填写数据项名称或代码"));
            }
            return None;
        }
        match self.lookup.series(&t) {
            Ok(s) => Some(s),
            Err(f) => {
                if !cell.is_empty() {
                    let at = self.at(i, row, c, &header.columns[c].0);
                    self.push(Finding { at, ..*f });
                }
                None
            }
        }
    }

    /// The period of a value: its column's, its row's, or the sheet's.
    #[allow(clippy::too_many_arguments)]
    fn period_for<'g>(
        &mut self,
        i: usize,
        header: &Header<'c>,
        row: usize,
        column: &Column<'c>,
        layout: &Layout<'c>,
        cell: &Cell,
        label: &impl Fn(usize, usize) -> &'g Cell,
    ) -> Option<Period> {
        if let Some(p) = column.period {
            return Some(p);
        }
        let Some(c) = layout.period_col else { return layout.period };
        let pc = label(row, c);
        // A year typed into a date-formatted cell shows as 1905-07-16: its serial is the year.
        if let Cell::Date(d) = pc
            && d.serial.fract() == 0.0
            && (1949.0..=2200.0).contains(&d.serial)
        {
            return Some(Period::year(d.serial as i32));
        }
        let t = text(pc);
        if let Some(p) = (!t.is_empty()).then(|| self.lookup.period(&t)).flatten() {
            return Some(p);
        }
        if !cell.is_empty() {
            let at = self.at(i, row, c, &header.columns[c].0);
            let f = if t.is_empty() && !matches!(pc, Cell::Date(_)) {
                Finding::error("bad-period", at, "年份为空", "请填写期别，如 2024")
            } else {
                Finding::error(
                    "bad-period",
                    at,
                    "期别无法识别",
                    "请写成 2024、2024年、2024-Q1、2024年6月 或 2024年1-6月；单元格若为日期格式请改为文本",
                )
                .quoting(pc.shown())
            };
            self.push(f);
        }
        None
    }

    /// A row naming a unit with every value blank: each value is a reported gap.
    fn blank_row(&mut self, row: usize, grid: &Grid, layout: &Layout<'c>, unit_text: &str) {
        let mut counted = false;
        for column in &layout.columns {
            let series = column.series.or(layout.fixed_series).or_else(|| {
                let c = layout.series_col?;
                self.lookup.series(&text(grid.cell(row, c))).ok()
            });
            let period = column.period.or(layout.period).or_else(|| {
                let c = layout.period_col?;
                self.lookup.period(&text(grid.cell(row, c)))
            });
            if let (Some((s, _)), Some(p)) = (series, period)
                && let Ok((u, _, _)) = self.lookup.unit(unit_text, p.year)
            {
                counted = true;
                self.out.missing += 1;
                self.out.blanks.push((s.code.as_str().into(), u.code.as_str().into(), p));
            }
        }
        if counted {
            self.out.rows += 1;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn duplicate(
        &mut self,
        i: usize,
        row: usize,
        column: &Column<'c>,
        earlier: usize,
        value: jili_model::Decimal,
        unit_text: &str,
        series: &Series,
        period: Period,
        cell: &Cell,
    ) {
        let before = self.out.origins[earlier];
        let first = self.at(before.sheet, before.row, before.col, "");
        let old = self.out.observations[earlier].value;
        let here = self.at(i, row, column.col, &column.header);
        let f = if old == value {
            Finding::notice("duplicate-same", here, format!("与{first}重复（数值相同），只导入一次"), "建议删除重复行")
        } else {
            Finding::error(
                "duplicate",
                here,
                format!("{} / {unit_text} / {} 重复出现，与{first}的数值 {old} 不同", series.name, period.label()),
                "请删除重复行，只保留正确的数值",
            )
        };
        self.push(f.quoting(cell.shown()));
    }
}
