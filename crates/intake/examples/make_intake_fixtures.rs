//! Writes the binary fixtures of `crates/intake/tests/fixtures/intake/`: every `.xlsx`, and the
//! text files whose exact bytes matter (GBK, UTF-16, a BOM, bare CR line endings). The plain
//! UTF-8 CSV fixtures are written by hand and live beside them.
//!
//! Rerun after changing a case (the output is deterministic: fixed creation date, and
//! rust_xlsxwriter stamps zip entries with a fixed time):
//!
//! ```sh
//! cargo run -p jili-intake --example make_intake_fixtures
//! INSTA_UPDATE=always cargo test -p jili-intake --test it intake_fixtures   # then read every .snap
//! ```
//!
//! All figures are invented demo data, not real statistics.

use encoding_rs::GB18030;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError};
use std::path::{Path, PathBuf};

/// A cell to write.
#[derive(Clone, Copy)]
enum C<'a> {
    S(&'a str),
    N(f64),
    E,
}
use C::{E, N, S};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/intake")
}

fn workbook() -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_author("jili fixtures (demo data)")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2025, 1, 15)?);
    wb.set_properties(&props);
    Ok(wb)
}

/// Write `rows` from (row0, col0).
fn put(ws: &mut Worksheet, row0: u32, col0: u16, rows: &[&[C]]) -> Result<(), XlsxError> {
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            let (r, c) = (row0 + r as u32, col0 + c as u16);
            match cell {
                S(s) => {
                    ws.write_string(r, c, *s)?;
                }
                N(n) => {
                    ws.write_number(r, c, *n)?;
                }
                E => {}
            }
        }
    }
    Ok(())
}

fn save(wb: &mut Workbook, name: &str) -> Result<(), XlsxError> {
    let path = dir().join(name);
    wb.save(&path)?;
    println!("wrote {}", path.display());
    Ok(())
}

fn write_bytes(name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = dir().join(name);
    std::fs::write(&path, bytes)?;
    println!("wrote {}", path.display());
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir())?;
    text_files()?;
    merged_header()?;
    title_and_unit_note()?;
    yi_vs_wan()?;
    div0()?;
    formula_cached()?;
    empty_sheet()?;
    empty_workbook()?;
    dates_as_numbers()?;
    hidden_sheet()?;
    several_sheets()?;
    period_in_sheet_name()?;
    bool_cell()?;
    wide_series_across()?;
    year_numbers_header()?;
    numbers_stored_as_text()?;
    float_noise()?;
    offset_table()?;
    merged_unit_rows()?;
    percent_format()?;
    Ok(())
}

/// Text files whose bytes are not plain UTF-8 with LF.
fn text_files() -> std::io::Result<()> {
    // Excel/WPS on Chinese Windows: “CSV（逗号分隔）” is GBK, CRLF.
    let gbk = "地区,指标,年份,数值\r\n长沙市,地区生产总值,2024,15268.8\r\n株洲市,地区生产总值,2024,4012.5\r\n\
               湘西土家族苗族自治州,地区生产总值,2024,812.3\r\n邵阳市,地区生产总值,2024,2755.1\r\n";
    let (bytes, _, unmappable) = GB18030.encode(gbk);
    assert!(!unmappable, "every character has a GBK form");
    write_bytes("gbk-encoding.csv", &bytes)?;

    // Excel “Unicode 文本(*.txt)”: UTF-16LE with a BOM, tab-separated, CRLF.
    let utf16 = "地区\t指标\t年份\t数值\r\n长沙市\t地区生产总值\t2024\t15268.8\r\n衡阳市\t地区生产总值\t2024\t4196.7\r\n\
                 怀化市\t地区生产总值\t2024\t1967.4\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(utf16.encode_utf16().flat_map(u16::to_le_bytes));
    write_bytes("utf16-tab.txt", &bytes)?;

    // Excel “CSV UTF-8(逗号分隔)”: a BOM before the header.
    let bom = "地区,指标,年份,数值\r\n岳阳市,地区生产总值,2024,4968.3\r\n常德市,地区生产总值,2024,4843.9\r\n";
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(bom.as_bytes());
    write_bytes("utf8-bom.csv", &bytes)?;

    // Excel for Mac (old “CSV (Macintosh)”): lines end with a bare CR.
    let cr = "地区,指标,年份,数值\r益阳市,地区生产总值,2024,2128.6\r郴州市,地区生产总值,2024,3112.4\r永州市,地区生产总值,2024,2420.8\r";
    write_bytes("cr-line-endings.csv", cr.as_bytes())?;

    // A GBK file whose sender later pasted a UTF-8 line into it (mixed encodings): the whole
    // file is not valid UTF-8, so it is read as GB18030 and the pasted line turns to mojibake.
    let mut bytes = GB18030.encode("地区,指标,年份,数值\r\n长沙市,地区生产总值,2024,15268.8\r\n").0.into_owned();
    bytes.extend_from_slice("株洲市,地区生产总值,2024,4012.5\r\n".as_bytes());
    write_bytes("mixed-encoding.csv", &bytes)?;
    Ok(())
}

/// Two header rows: 地区 merged down A1:A2, 地区生产总值（亿元） merged across B1:C1 over 2023年/2024年.
fn merged_header() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    let f = Format::new();
    ws.merge_range(0, 0, 1, 0, "地区", &f)?;
    ws.merge_range(0, 1, 0, 2, "地区生产总值（亿元）", &f)?;
    put(ws, 1, 1, &[&[S("2023年"), S("2024年")]])?;
    put(
        ws,
        2,
        0,
        &[
            &[S("长沙市"), N(14331.98), N(15268.8)],
            &[S("株洲市"), N(3846.1), N(4012.5)],
            &[S("湘潭市"), N(2762.4), N(2901.0)],
        ],
    )?;
    save(&mut wb, "merged-header.xlsx")
}

/// A title row and a 单位：万元 row above the header; GDP is kept in 亿元.
fn title_and_unit_note() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("表1")?;
    let f = Format::new();
    ws.merge_range(0, 0, 0, 2, "2024年各市州地区生产总值", &f)?;
    put(
        ws,
        1,
        0,
        &[
            &[E, E, S("单位：万元")],
            &[S("序号"), S("地区"), S("地区生产总值")],
            &[N(1.0), S("长沙市"), N(152688000.0)],
            &[N(2.0), S("张家界市"), N(6123456.0)],
            &[N(3.0), S("娄底市"), N(20125000.0)],
        ],
    )?;
    save(&mut wb, "title-and-unit-note.xlsx")
}

/// 财政厅 sends 地方一般公共预算收入 in 亿元; the series is kept in 万元.
fn yi_vs_wan() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("收入")?;
    put(
        ws,
        0,
        0,
        &[
            &[S("地区"), S("年份"), S("地方一般公共预算收入（亿元）")],
            &[S("长沙市"), S("2024"), N(1234.5678)],
            &[S("株洲市"), S("2024"), N(123.45)],
            &[S("湘潭市"), S("2024"), N(0.0001)],
            &[S("衡阳市"), S("2024"), N(209.1)],
        ],
    )?;
    save(&mut wb, "yi-vs-wan.xlsx")
}

/// Growth rates computed by formulas whose cached results are #DIV/0! and #N/A.
fn div0() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("增速")?;
    put(
        ws,
        0,
        0,
        &[
            &[S("地区"), S("2023年GDP"), S("2024年GDP"), S("年份"), S("地区生产总值增速")],
            &[S("长沙市"), N(14331.98), N(15268.8), S("2024")],
            &[S("株洲市"), N(0.0), N(4012.5), S("2024")],
            &[S("湘潭市"), N(2762.4), N(2901.0), S("2024")],
        ],
    )?;
    ws.write_formula(1, 4, Formula::new("=ROUND((C2/B2-1)*100,1)").set_result("6.5"))?;
    ws.write_formula(2, 4, Formula::new("=ROUND((C3/B3-1)*100,1)").set_result("#DIV/0!"))?;
    ws.write_formula(3, 4, Formula::new("=VLOOKUP(A4,Sheet9!A:B,2,FALSE)").set_result("#N/A"))?;
    save(&mut wb, "div0.xlsx")
}

/// Formulas with cached values: numbers are read; a formula giving " " (no data yet) is a
/// blank. (rust_xlsxwriter stores an empty result as 0, so the blank is a space.)
fn formula_cached() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    put(
        ws,
        0,
        0,
        &[
            &[S("地区"), S("年份"), S("一季度"), S("二季度"), S("社会消费品零售总额")],
            &[S("长沙市"), S("2024年1-6月"), N(1289.3), N(1310.2)],
            &[S("株洲市"), S("2024年1-6月"), N(301.1), N(299.4)],
            &[S("湘潭市"), S("2024年1-6月"), E, E],
        ],
    )?;
    ws.write_formula(1, 4, Formula::new("=SUM(C2:D2)").set_result("2599.5"))?;
    ws.write_formula(2, 4, Formula::new("=SUM(C3:D3)").set_result("600.5"))?;
    ws.write_formula(3, 4, Formula::new("=IF(C4=\"\",\" \",SUM(C4:D4))").set_result(" "))?;
    save(&mut wb, "formula-cached.xlsx")
}

/// A data sheet and the empty Sheet2/Sheet3 a new workbook comes with.
fn empty_sheet() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    put(
        ws,
        0,
        0,
        &[&[S("地区"), S("指标"), S("年份"), S("数值")], &[S("长沙市"), S("地区生产总值"), S("2024"), N(15268.8)]],
    )?;
    wb.add_worksheet().set_name("Sheet2")?;
    wb.add_worksheet().set_name("Sheet3")?;
    save(&mut wb, "empty-sheet.xlsx")
}

/// A workbook whose only sheet is empty (the sender saved the template, not the data).
fn empty_workbook() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    wb.add_worksheet().set_name("Sheet1")?;
    save(&mut wb, "empty-workbook.xlsx")
}

/// 2024 typed into a date-formatted 年份 cell (shows 1905-07-16); a value cell formatted as a
/// date; a real date in the 年份 column.
fn dates_as_numbers() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    let date = Format::new().set_num_format("yyyy-mm-dd");
    put(ws, 0, 0, &[&[S("地区"), S("指标"), S("年份"), S("数值")]])?;
    put(ws, 1, 0, &[&[S("长沙市"), S("地区生产总值")]])?;
    ws.write_number_with_format(1, 2, 2024.0, &date)?;
    ws.write_number(1, 3, 15268.8)?;
    put(ws, 2, 0, &[&[S("株洲市"), S("地区生产总值"), S("2024")]])?;
    ws.write_number_with_format(2, 3, 4012.0, &date)?;
    put(ws, 3, 0, &[&[S("湘潭市"), S("地区生产总值")]])?;
    ws.write_datetime_with_format(3, 2, &ExcelDateTime::from_ymd(2024, 12, 31)?, &date)?;
    ws.write_number(3, 3, 2901.0)?;
    save(&mut wb, "dates-as-numbers.xlsx")
}

/// A visible data sheet and a hidden working sheet with its own figures.
fn hidden_sheet() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("上报")?;
    put(
        ws,
        0,
        0,
        &[&[S("地区"), S("指标"), S("年份"), S("数值")], &[S("长沙市"), S("地区生产总值"), S("2024"), N(15268.8)]],
    )?;
    let hidden = wb.add_worksheet().set_name("底稿")?;
    put(
        hidden,
        0,
        0,
        &[&[S("地区"), S("指标"), S("年份"), S("数值")], &[S("长沙市"), S("地区生产总值"), S("2024"), N(99999.0)]],
    )?;
    hidden.set_hidden(true);
    save(&mut wb, "hidden-sheet.xlsx")
}

/// One sheet per series, each with a title naming the series and the year.
fn several_sheets() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("GDP")?;
    put(
        ws,
        0,
        0,
        &[
            &[S("2024年各市州地区生产总值")],
            &[S("地区"), S("数值")],
            &[S("长沙市"), N(15268.8)],
            &[S("株洲市"), N(4012.5)],
        ],
    )?;
    let ws = wb.add_worksheet().set_name("人口")?;
    put(
        ws,
        0,
        0,
        &[
            &[S("2024年各市州年末常住人口（万人）")],
            &[S("地区"), S("数值")],
            &[S("长沙市"), N(1061.5)],
            &[S("株洲市"), N(382.3)],
        ],
    )?;
    save(&mut wb, "several-sheets.xlsx")
}

/// One sheet per year, the year only in the sheet's name.
fn period_in_sheet_name() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    for (year, cs, zz) in [("2023", 14331.98, 3846.1), ("2024", 15268.8, 4012.5)] {
        let ws = wb.add_worksheet().set_name(year)?;
        put(ws, 0, 0, &[&[S("地区"), S("地区生产总值")], &[S("长沙市"), N(cs)], &[S("株洲市"), N(zz)]])?;
    }
    save(&mut wb, "period-in-sheet-name.xlsx")
}

/// TRUE in a value cell, FALSE in a unit cell (a checkbox column pasted over the data).
fn bool_cell() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    put(ws, 0, 0, &[&[S("地区"), S("指标"), S("年份"), S("数值")], &[S("长沙市"), S("地区生产总值"), S("2024")]])?;
    ws.write_boolean(1, 3, true)?;
    ws.write_boolean(2, 0, false)?;
    put(ws, 2, 1, &[&[S("地区生产总值"), S("2024"), N(4012.5)]])?;
    put(ws, 3, 0, &[&[S("湘潭市"), S("地区生产总值"), S("2024"), N(2901.0)]])?;
    save(&mut wb, "bool-cell.xlsx")
}

/// Units down, several series across with their measures in parentheses (one header broken
/// over two lines with Alt+Enter), the year in the title.
fn wide_series_across() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("主要指标")?;
    put(
        ws,
        0,
        0,
        &[
            &[S("2024年各市州主要经济指标")],
            &[
                S("地区"),
                S("地区生产总值（亿元）"),
                S("地区生产总值增速（%）"),
                S("年末常住人口\n（万人）"),
                S("社会消费品零售总额（亿元）"),
            ],
            &[S("长沙市"), N(15268.8), N(4.8), N(1061.5), N(5123.4)],
            &[S("株洲市"), N(4012.5), N(5.1), N(382.3), N(1501.2)],
            &[S("湘西州"), N(812.3), N(3.9), N(249.8), N(401.7)],
        ],
    )?;
    save(&mut wb, "wide-series-across.xlsx")
}

/// A wide table under a title naming the series, whose year headers were typed as numbers
/// (2023, 2024): Excel stores them as numbers, not text.
fn year_numbers_header() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    put(
        ws,
        0,
        0,
        &[
            &[S("2023-2024年各市州地区生产总值（亿元）")],
            &[S("地区"), N(2023.0), N(2024.0)],
            &[S("长沙市"), N(14331.98), N(15268.8)],
            &[S("株洲市"), N(3846.1), N(4012.5)],
        ],
    )?;
    save(&mut wb, "year-numbers-header.xlsx")
}

/// Growth rates typed as fractions in cells formatted as percentages: Excel shows 4.8%, the
/// cell holds 0.048, and the series is kept in %.
fn percent_format() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    let percent = Format::new().set_num_format("0.0%");
    put(
        ws,
        0,
        0,
        &[&[S("地区"), S("年份"), S("地区生产总值增速")], &[S("长沙市"), S("2024")], &[S("株洲市"), S("2024")]],
    )?;
    ws.write_number_with_format(1, 2, 0.048, &percent)?;
    ws.write_number_with_format(2, 2, 0.051, &percent)?;
    save(&mut wb, "percent-format.xlsx")
}

/// Codes typed as numbers and values stored as text (Excel's green triangles).
fn numbers_stored_as_text() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    put(
        ws,
        0,
        0,
        &[
            &[S("行政区划代码"), S("地区名称"), S("指标"), S("年份"), S("数值")],
            &[N(430100.0), S("长沙市"), S("GDP"), N(2024.0), S("15268.8")],
            &[N(430200.0), S("株洲市"), S("GDP"), N(2024.0), S(" 4,012.5 ")],
            &[N(430300.0), S("湘潭市"), S("GDP"), N(2024.0), N(2901.0)],
        ],
    )?;
    save(&mut wb, "numbers-stored-as-text.xlsx")
}

/// Values left by formulas as binary doubles (=15268.8*0.1 is 1526.8800000000001).
fn float_noise() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    put(ws, 0, 0, &[&[S("地区"), S("指标"), S("年份"), S("数值")]])?;
    put(ws, 1, 0, &[&[S("长沙市"), S("GDP_GROWTH"), S("2024")]])?;
    ws.write_formula(1, 3, Formula::new("=0.1+0.2").set_result(format!("{}", 0.1_f64 + 0.2)))?;
    put(ws, 2, 0, &[&[S("株洲市"), S("GDP"), S("2024")]])?;
    ws.write_formula(2, 3, Formula::new("=15268.8*0.1").set_result(format!("{}", 15268.8_f64 * 0.1)))?;
    save(&mut wb, "float-noise.xlsx")
}

/// A table that starts at C3 (two blank rows and columns before it), with a bad cell in it.
fn offset_table() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    put(
        ws,
        2,
        2,
        &[
            &[S("地区"), S("指标"), S("年份"), S("数值")],
            &[S("长沙市"), S("地区生产总值"), S("2024"), N(15268.8)],
            &[S("株洲市"), S("地区生产总值"), S("2024"), S("待核实")],
        ],
    )?;
    save(&mut wb, "offset-table.xlsx")
}

/// A long table whose 地区 cells are merged down over each unit's indicators.
fn merged_unit_rows() -> Result<(), XlsxError> {
    let mut wb = workbook()?;
    let ws = wb.add_worksheet().set_name("Sheet1")?;
    let f = Format::new();
    put(ws, 0, 0, &[&[S("地区"), S("指标"), S("年份"), S("数值")]])?;
    ws.merge_range(1, 0, 2, 0, "长沙市", &f)?;
    ws.merge_range(3, 0, 4, 0, "株洲市", &f)?;
    put(
        ws,
        1,
        1,
        &[
            &[S("地区生产总值"), S("2024"), N(15268.8)],
            &[S("年末常住人口"), S("2024"), N(1061.5)],
            &[S("地区生产总值"), S("2024"), N(4012.5)],
            &[S("年末常住人口"), S("2024"), N(382.3)],
        ],
    )?;
    save(&mut wb, "merged-unit-rows.xlsx")
}
