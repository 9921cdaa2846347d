//! The validation report sent back to a providing department: the findings list in order, the
//! file's sheets copied cell for cell with the bad cells filled, read back with calamine.
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use jili_intake::data::{Cell, Finding, Format, Grid, Workbook, open, report_xlsx};
use jili_model::Location;
use rust_xlsxwriter::{ExcelDateTime, Format as XFormat};
use std::io::Cursor;

type Report = Xlsx<Cursor<Vec<u8>>>;

fn read(bytes: &[u8]) -> Report {
    open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap()
}

/// A provider's workbook: 表1 from A1 with a bad value at C5; a second sheet that happens to be
/// called 问题清单, starting at B3, with a date.
fn provider_xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet().set_name("表1").unwrap();
    s.merge_range(0, 0, 0, 2, "2024年各市州地区生产总值", &XFormat::new()).unwrap();
    s.write_row(2, 0, ["地区", "年份", "数值"]).unwrap();
    s.write_string(3, 0, "长沙市").unwrap();
    s.write_number(3, 1, 2024).unwrap();
    s.write_number(3, 2, 15268.8).unwrap();
    s.write_string(4, 0, "株洲市").unwrap();
    s.write_number(4, 1, 2024).unwrap();
    s.write_string(4, 2, "12,3x").unwrap();
    s.write_string(5, 0, "合计").unwrap();
    s.write_number(5, 2, 99.5).unwrap();
    let s = book.add_worksheet().set_name("问题清单").unwrap();
    s.write_string(2, 1, "报送日期").unwrap();
    let date = ExcelDateTime::from_ymd(2024, 5, 31).unwrap();
    s.write_datetime_with_format(2, 2, &date, &XFormat::new().set_num_format("yyyy-mm-dd")).unwrap();
    s.write_number(3, 2, 7).unwrap();
    book.save_to_buffer().unwrap()
}

fn at(file: &str) -> Location {
    Location::file(file)
}

fn summary() -> Vec<(String, String)> {
    [("读取行数", "3"), ("错误", "2"), ("结论", "未通过")].iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The 问题清单 rows after its header, as text.
fn listed(report: &mut Report) -> Vec<Vec<String>> {
    let range = report.worksheet_range("问题清单").unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let header = rows.iter().position(|r| r[0] == "序号").expect("a header row");
    assert_eq!(rows[header], ["序号", "类别", "工作表", "行", "列", "字段", "单元格内容", "问题", "修改方法"]);
    rows[header + 1..].to_vec()
}

fn value(report: &mut Report, sheet: &str, cell: (u32, u32)) -> Option<Data> {
    report.worksheet_range(sheet).unwrap().get_value(cell).cloned()
}

/// The fill colour (RGB) of a cell, if it has one.
fn fill(report: &mut Report, sheet: &str, cell: (u32, u32)) -> Option<u32> {
    let styles = report.worksheet_style(sheet).unwrap();
    let fill = styles.get(cell)?.fill.clone()?;
    fill.is_visible().then(|| fill.get_color().map(|c| c.to_argb() & 0xFF_FFFF)).flatten()
}

#[test]
fn findings_are_listed_errors_then_flags_then_notices() {
    let wb = open("gdp.xlsx", &provider_xlsx(), None).unwrap();
    let f = "gdp.xlsx";
    let mut prominent =
        Finding::flag("revision", at(f).in_sheet("表1").at_line(4).at_column(3), "修订幅度大", "请说明");
    prominent.prominent = true;
    let findings = vec![
        Finding::notice("total-row", at(f).in_sheet("表1").at_line(6), "合计行未读取", ""),
        Finding::flag("jump", at(f).in_sheet("表1").at_line(4).at_column(3), "比上年增长 300%", "请核实"),
        Finding::error(
            "text-in-number",
            at(f).in_sheet("表1").at_line(5).at_column(3).field("数值"),
            "不是数值",
            "请填写数字",
        )
        .quoting("12,3x"),
        prominent,
        Finding::error("no-unit", at(f), "缺少地区列", "请增加地区列"),
    ];
    let mut report = read(&report_xlsx(&wb, &findings, &summary()).unwrap());
    let head = report.worksheet_range("问题清单").unwrap();
    assert_eq!(head.get_value((0, 0)), Some(&Data::String("数据校验报告：gdp.xlsx".into())));
    assert_eq!(head.get_value((1, 0)), Some(&Data::String("读取行数".into())));
    assert_eq!(head.get_value((3, 2)), Some(&Data::String("未通过".into())));
    let rows = listed(&mut report);
    let short: Vec<Vec<&str>> = rows.iter().map(|r| vec![&*r[0], &*r[1], &*r[2], &*r[3], &*r[4], &*r[7]]).collect();
    assert_eq!(
        short,
        vec![
            vec!["1", "错误", "表1", "5", "C", "不是数值"],
            vec!["2", "错误", "", "", "", "缺少地区列"],
            vec!["3", "疑点", "表1", "4", "C", "【！】修订幅度大"],
            vec!["4", "疑点", "表1", "4", "C", "比上年增长 300%"],
            vec!["5", "提示", "表1", "6", "整行", "合计行未读取"],
        ]
    );
    assert_eq!((&*rows[0][5], &*rows[0][6], &*rows[0][8]), ("数值", "12,3x", "请填写数字"));
    // The rows are coloured by severity: errors red, flags orange, notices plain.
    let (first, flag, notice) = (
        fill(&mut report, "问题清单", (6, 7)),
        fill(&mut report, "问题清单", (8, 7)),
        fill(&mut report, "问题清单", (10, 7)),
    );
    assert_eq!((first, flag, notice), (Some(0xFFC7CE), Some(0xFFE0B2), None));
}

#[test]
fn copied_sheets_hold_the_values_at_their_cells_with_bad_cells_filled() {
    let wb = open("gdp.xlsx", &provider_xlsx(), None).unwrap();
    let f = "gdp.xlsx";
    let findings = vec![
        Finding::error("text-in-number", at(f).in_sheet("表1").at_line(5).at_column(3), "不是数值", "请填写数字"),
        Finding::notice("total-row", at(f).in_sheet("表1").at_line(6), "合计行未读取", ""),
        Finding::flag("late", at(f).in_sheet("问题清单").at_line(3).at_column(3), "日期晚于截止日", "请核实"),
    ];
    let mut report = read(&report_xlsx(&wb, &findings, &[]).unwrap());
    // The provider's own 问题清单 sheet cannot take the list's name.
    assert_eq!(report.sheet_names(), ["问题清单", "表1", "问题清单(2)"]);
    assert_eq!(value(&mut report, "表1", (4, 2)), Some(Data::String("12,3x".into())), "C5 as sent");
    assert_eq!(value(&mut report, "表1", (3, 2)), Some(Data::Float(15268.8)));
    assert_eq!(value(&mut report, "表1", (0, 0)), Some(Data::String("2024年各市州地区生产总值".into())));
    assert_eq!(value(&mut report, "问题清单(2)", (2, 1)), Some(Data::String("报送日期".into())), "B3 stays B3");
    assert_eq!(value(&mut report, "问题清单(2)", (2, 2)), Some(Data::String("2024-05-31".into())));
    assert_eq!(value(&mut report, "问题清单(2)", (3, 2)), Some(Data::Float(7.0)));
    assert_eq!(fill(&mut report, "表1", (4, 2)), Some(0xFF9999), "error cell red");
    assert_eq!(fill(&mut report, "表1", (5, 0)), Some(0xFFFF99), "whole-row notice marks the row's first cell");
    assert_eq!(fill(&mut report, "问题清单(2)", (2, 2)), Some(0xFFC266), "flag cell orange");
    assert_eq!(fill(&mut report, "表1", (3, 2)), None);
    // The list links to the marked cells (the 列 column keeps its letters).
    let rows = listed(&mut report);
    assert_eq!(rows.iter().map(|r| r[4].as_str()).collect::<Vec<_>>(), ["C", "C", "整行"]);
}

#[test]
fn csv_sheet_is_named_after_the_file_and_lines_map_to_rows() {
    // The quoted cell spans lines 2–3, so CSV line 4 is the third row.
    let csv = "地区,年份,数值\n\"长沙\n市\",2024,15268.8\n株洲市,2024,12x\n";
    let file = "上报/2024:GDP?[终版].csv";
    let wb = open(file, csv.as_bytes(), None).unwrap();
    let findings = vec![
        Finding::error("text-in-number", at(file).at_line(4).at_column(3), "不是数值", "请填写数字"),
        Finding::notice("renamed", at(file).at_line(3).at_column(1), "地区名称含换行", ""),
    ];
    let bytes = report_xlsx(&wb, &findings, &summary()).unwrap();
    let mut report = read(&bytes);
    assert_eq!(report.sheet_names(), ["问题清单", "2024_GDP__终版_"]);
    let sheet = "2024_GDP__终版_";
    assert_eq!(value(&mut report, sheet, (2, 2)), Some(Data::String("12x".into())));
    assert_eq!(value(&mut report, sheet, (1, 0)), Some(Data::String("长沙\n市".into())));
    // CSV cells are text as sent: the report does not turn them into numbers.
    assert_eq!(value(&mut report, sheet, (1, 2)), Some(Data::String("15268.8".into())));
    assert_eq!(fill(&mut report, sheet, (2, 2)), Some(0xFF9999));
    assert_eq!(fill(&mut report, sheet, (1, 0)), Some(0xFFFF99), "line 3 is inside the quoted cell of row 2");
    let rows = listed(&mut report);
    assert_eq!((&*rows[0][2], &*rows[0][3], &*rows[0][4]), ("", "4", "C"));
    // Notes live in their own part; the zip directory names parts uncompressed.
    assert!(bytes.windows(16).any(|w| w == b"xl/comments1.xml"), "the marked cells carry notes");
}

#[test]
fn findings_outside_the_file_are_still_listed() {
    let wb = open("gdp.xlsx", &provider_xlsx(), None).unwrap();
    let f = "gdp.xlsx";
    let findings = vec![
        Finding::error("gone", at(f).in_sheet("不存在").at_line(5).at_column(2), "工作表不存在", ""),
        Finding::error("far", at(f).in_sheet("表1").at_line(999).at_column(2), "行超出范围", ""),
        Finding::error("wide", at(f).in_sheet("表1").at_line(4).at_column(400), "列超出范围", ""),
        Finding::notice("hidden-sheet", at(f).in_sheet("隐藏"), "隐藏的工作表未读取", "取消隐藏"),
        Finding::error(
            "huge",
            at(f).in_sheet("表1").at_line(u32::MAX as usize).at_column(u32::MAX as usize),
            "极端位置",
            "",
        ),
    ];
    let bytes = report_xlsx(&wb, &findings, &summary()).unwrap();
    let mut report = read(&bytes);
    let rows = listed(&mut report);
    let problems: Vec<&str> = rows.iter().map(|r| r[7].as_str()).collect();
    assert_eq!(problems, ["工作表不存在", "行超出范围", "列超出范围", "极端位置", "隐藏的工作表未读取"]);
    assert_eq!(rows[0][2], "不存在");
    assert!(!bytes.windows(11).any(|w| w == b"xl/comments"), "nothing in the copies is marked");
}

#[test]
fn an_empty_workbook_and_odd_sheet_names_give_a_valid_report() {
    let empty = Workbook { file: String::new(), format: Format::Csv, encoding: None, sheets: vec![], hidden: vec![] };
    let finding = Finding::error("empty", at("").at_line(1).at_column(1), "文件为空", "请重新导出");
    let mut report = read(&report_xlsx(&empty, &[finding], &[]).unwrap());
    assert_eq!(report.sheet_names(), ["问题清单"]);
    assert_eq!(listed(&mut report).len(), 1);

    let grid = |name: &str| Grid { name: name.into(), rows: vec![vec![Cell::Text("x".into())]], ..Grid::default() };
    let long = "很长的工作表名称".repeat(5);
    let sheets = vec![grid("a/b"), grid("a?b"), grid(&long), grid(&long), grid("'引号'"), grid("HISTORY")];
    let wb = Workbook { file: "x.xlsx".into(), format: Format::Xlsx, encoding: None, sheets, hidden: vec![] };
    let mut report = read(&report_xlsx(&wb, &[], &[]).unwrap());
    let names = report.sheet_names();
    let cut: String = long.chars().take(31).collect();
    let numbered: String = long.chars().take(28).collect::<String>() + "(2)";
    assert_eq!(names, ["问题清单", "a_b", "a_b(2)", &cut, &numbered, "引号", "HISTORY_"]);
    assert!(names.iter().all(|n| n.encode_utf16().count() <= 31));
    assert_eq!(listed(&mut report).len(), 0);
}

#[test]
fn many_findings_are_all_listed_and_marked() {
    let mut csv = String::from("地区,数值\n");
    for i in 0..6000 {
        csv.push_str(&format!("单位{i},x{i}\n"));
    }
    let wb = open("many.csv", csv.as_bytes(), None).unwrap();
    let findings: Vec<Finding> =
        (0..6000).map(|i| Finding::error("bad", at("many.csv").at_line(i + 2).at_column(2), "不是数值", "")).collect();
    let mut report = read(&report_xlsx(&wb, &findings, &[]).unwrap());
    assert_eq!(listed(&mut report).len(), 6000);
    assert_eq!(fill(&mut report, "many", (6000, 1)), Some(0xFF9999), "past the note limit cells are still filled");
    assert_eq!(value(&mut report, "many", (6000, 1)), Some(Data::String("x5999".into())));
}
