//! Real-world mistakes in providers' data files (`tests/fixtures/intake/`, see its README):
//! each file's full report is an insta snapshot, and each case's key facts are asserted
//! plainly, so a regression fails even if someone re-accepts the snapshots without reading them.
//!
//! Regenerate the binary fixtures with `cargo run -p jili-intake --example make_intake_fixtures`;
//! update snapshots with `INSTA_UPDATE=always cargo test -p jili-intake --test it intake_fixtures`
//! and read every changed `.snap`.
//!
//! Tests named `bug_*` state what the reader should do and does not yet (each marked `// BUG:`).

use crate::common;

use common::{catalogue, values};
use jili_intake::data::{Finding, Mapping, Parsed, ReadOptions, Severity, open, read_workbook};
use jili_model::{Period, Status};
use std::path::PathBuf;

/// Every fixture and the provider that sends it.
const CASES: &[(&str, &str)] = &[
    ("all-empty.csv", "TJJ"),
    ("bad-period.csv", "TJJ"),
    ("bool-cell.xlsx", "TJJ"),
    ("city-level-rows.csv", "CZT"),
    ("code-column-blank.csv", "TJJ"),
    ("code-name-mismatch.csv", "TJJ"),
    ("cr-line-endings.csv", "TJJ"),
    ("dates-as-numbers.xlsx", "TJJ"),
    ("div0.xlsx", "TJJ"),
    ("duplicate-rows.csv", "TJJ"),
    ("empty-sheet.xlsx", "TJJ"),
    ("empty-workbook.xlsx", "TJJ"),
    ("float-noise.xlsx", "TJJ"),
    ("formula-cached.xlsx", "TJJ"),
    ("full-width-digits.csv", "TJJ"),
    ("gbk-encoding.csv", "TJJ"),
    ("header-synonyms.csv", "TJJ"),
    ("hidden-sheet.xlsx", "TJJ"),
    ("html-saved-as.xls", "TJJ"),
    ("indented-names.csv", "TJJ"),
    ("invisible-chars.csv", "TJJ"),
    ("measure-column.csv", "TJJ"),
    ("merged-header.xlsx", "TJJ"),
    ("merged-unit-rows.xlsx", "TJJ"),
    ("missing-marks.csv", "TJJ"),
    ("mixed-encoding.csv", "TJJ"),
    ("no-header.csv", "TJJ"),
    ("not-owner.csv", "TJJ"),
    ("notes-below.csv", "TJJ"),
    ("numbers-stored-as-text.xlsx", "TJJ"),
    ("offset-table.xlsx", "TJJ"),
    ("park-abbreviations.csv", "TJJ"),
    ("percent-format.xlsx", "TJJ"),
    ("percent-sign.csv", "CZT"),
    ("period-in-sheet-name.xlsx", "TJJ"),
    ("periods.csv", "TJJ"),
    ("province-row.csv", "TJJ"),
    ("ragged-quote.csv", "TJJ"),
    ("renamed-county.csv", "TJJ"),
    ("sdmx.csv", "TJJ"),
    ("semicolon-decimal-comma.csv", "TJJ"),
    ("semicolon.csv", "TJJ"),
    ("series-rows-years-across.csv", "TJJ"),
    ("several-sheets.xlsx", "TJJ"),
    ("short-names.csv", "TJJ"),
    ("status-column.csv", "TJJ"),
    ("text-in-number.csv", "TJJ"),
    ("thousands.csv", "TJJ"),
    ("title-and-unit-note.xlsx", "TJJ"),
    ("total-row.csv", "TJJ"),
    ("trailing-spaces.csv", "TJJ"),
    ("twelve-digit-codes.csv", "TJJ"),
    ("unknown-series.csv", "TJJ"),
    ("unknown-unit.csv", "TJJ"),
    ("utf16-tab.txt", "TJJ"),
    ("utf8-bom.csv", "TJJ"),
    ("wide-series-across.xlsx", "TJJ"),
    ("wrong-measure.csv", "TJJ"),
    ("xiangxi-variants.csv", "TJJ"),
    ("xml-spreadsheet-2003.xls", "TJJ"),
    ("year-header-with-status.csv", "TJJ"),
    ("year-numbers-header.xlsx", "TJJ"),
    ("yi-vs-wan.xlsx", "CZT"),
    ("zero-bytes.csv", "TJJ"),
];

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/intake")
}

fn bytes(file: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn provider(file: &str) -> &'static str {
    CASES.iter().find(|(f, _)| *f == file).map(|(_, p)| *p).unwrap_or_else(|| panic!("{file} is not a case"))
}

/// Open and read a fixture as its provider: the parsed file, or open()'s error message.
fn read(file: &str) -> Result<Parsed, String> {
    let catalogue = catalogue();
    let wb = open(file, &bytes(file), None).map_err(|e| e.to_string())?;
    let mapping = Mapping::default();
    let options = ReadOptions { provider: provider(file), mapping: &mapping, status: Status::Final, period: None };
    Ok(read_workbook(&wb, &catalogue, &options))
}

/// A fixture that opens.
fn parsed(file: &str) -> Parsed {
    read(file).unwrap_or_else(|e| panic!("{file} did not open: {e}"))
}

/// The report a provider would see: each finding, the counts, each value read.
fn report(file: &str) -> String {
    let mut out = format!("{file}（报送部门 {}）\n", provider(file));
    match read(file) {
        Err(e) => out.push_str(&format!("无法打开：{e}\n")),
        Ok(p) => {
            if p.findings.is_empty() {
                out.push_str("无问题\n");
            }
            for f in &p.findings {
                out.push_str(&format!("[{}] {}\n", f.code, f.line()));
            }
            out.push_str(&format!("数据行 {}，空缺 {}，观测值 {}\n", p.rows, p.missing, p.observations.len()));
            for (v, o) in values(&p).iter().zip(&p.observations) {
                out.push_str(&format!("  {v} {}\n", o.status.sdmx()));
            }
        }
    }
    out
}

/// The finding codes of one severity.
fn codes(p: &Parsed, severity: Severity) -> Vec<&'static str> {
    p.findings.iter().filter(|f| f.severity == severity).map(|f| f.code).collect()
}

/// The findings with `code`.
fn with_code<'p>(p: &'p Parsed, code: &str) -> Vec<&'p Finding> {
    p.findings.iter().filter(|f| f.code == code).collect()
}

/// The value of (series, unit, period) read, as text.
fn value(p: &Parsed, series: &str, unit: &str, period: &str) -> Option<String> {
    let period: Period = period.parse().expect("a period");
    p.observations
        .iter()
        .find(|o| o.series == series && o.unit == unit && o.period == period)
        .map(|o| o.value.to_string())
}

// ————————————————————————————————————————————————— snapshots, one per fixture

macro_rules! snapshot {
    ($($test:ident => $file:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                insta::assert_snapshot!(stringify!($test), report($file));
            }
        )*
        /// Every case has a snapshot test.
        const SNAPSHOTTED: &[&str] = &[$($file),*];
    };
}

snapshot! {
    snap_all_empty => "all-empty.csv",
    snap_bad_period => "bad-period.csv",
    snap_bool_cell => "bool-cell.xlsx",
    snap_city_level_rows => "city-level-rows.csv",
    snap_code_column_blank => "code-column-blank.csv",
    snap_code_name_mismatch => "code-name-mismatch.csv",
    snap_cr_line_endings => "cr-line-endings.csv",
    snap_dates_as_numbers => "dates-as-numbers.xlsx",
    snap_div0 => "div0.xlsx",
    snap_duplicate_rows => "duplicate-rows.csv",
    snap_empty_sheet => "empty-sheet.xlsx",
    snap_empty_workbook => "empty-workbook.xlsx",
    snap_float_noise => "float-noise.xlsx",
    snap_formula_cached => "formula-cached.xlsx",
    snap_full_width_digits => "full-width-digits.csv",
    snap_gbk_encoding => "gbk-encoding.csv",
    snap_header_synonyms => "header-synonyms.csv",
    snap_hidden_sheet => "hidden-sheet.xlsx",
    snap_html_saved_as => "html-saved-as.xls",
    snap_indented_names => "indented-names.csv",
    snap_invisible_chars => "invisible-chars.csv",
    snap_measure_column => "measure-column.csv",
    snap_merged_header => "merged-header.xlsx",
    snap_merged_unit_rows => "merged-unit-rows.xlsx",
    snap_missing_marks => "missing-marks.csv",
    snap_mixed_encoding => "mixed-encoding.csv",
    snap_no_header => "no-header.csv",
    snap_not_owner => "not-owner.csv",
    snap_notes_below => "notes-below.csv",
    snap_numbers_stored_as_text => "numbers-stored-as-text.xlsx",
    snap_offset_table => "offset-table.xlsx",
    snap_park_abbreviations => "park-abbreviations.csv",
    snap_percent_format => "percent-format.xlsx",
    snap_percent_sign => "percent-sign.csv",
    snap_period_in_sheet_name => "period-in-sheet-name.xlsx",
    snap_periods => "periods.csv",
    snap_province_row => "province-row.csv",
    snap_ragged_quote => "ragged-quote.csv",
    snap_renamed_county => "renamed-county.csv",
    snap_sdmx => "sdmx.csv",
    snap_semicolon_decimal_comma => "semicolon-decimal-comma.csv",
    snap_semicolon => "semicolon.csv",
    snap_series_rows_years_across => "series-rows-years-across.csv",
    snap_several_sheets => "several-sheets.xlsx",
    snap_short_names => "short-names.csv",
    snap_status_column => "status-column.csv",
    snap_text_in_number => "text-in-number.csv",
    snap_thousands => "thousands.csv",
    snap_title_and_unit_note => "title-and-unit-note.xlsx",
    snap_total_row => "total-row.csv",
    snap_trailing_spaces => "trailing-spaces.csv",
    snap_twelve_digit_codes => "twelve-digit-codes.csv",
    snap_unknown_series => "unknown-series.csv",
    snap_unknown_unit => "unknown-unit.csv",
    snap_utf16_tab => "utf16-tab.txt",
    snap_utf8_bom => "utf8-bom.csv",
    snap_wide_series_across => "wide-series-across.xlsx",
    snap_wrong_measure => "wrong-measure.csv",
    snap_xiangxi_variants => "xiangxi-variants.csv",
    snap_xml_spreadsheet_2003 => "xml-spreadsheet-2003.xls",
    snap_year_header_with_status => "year-header-with-status.csv",
    snap_year_numbers_header => "year-numbers-header.xlsx",
    snap_yi_vs_wan => "yi-vs-wan.xlsx",
    snap_zero_bytes => "zero-bytes.csv",
}

#[test]
fn every_fixture_is_a_case_with_a_snapshot() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures())
        .expect("fixture directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md" && !n.starts_with('.'))
        .collect();
    on_disk.sort();
    let mut cases: Vec<String> = CASES.iter().map(|(f, _)| f.to_string()).collect();
    cases.sort();
    assert_eq!(on_disk, cases, "every fixture file is listed in CASES, and every case has a file");
    let mut snapped: Vec<String> = SNAPSHOTTED.iter().map(|f| f.to_string()).collect();
    snapped.sort();
    assert_eq!(snapped, cases, "every case has a snapshot test");
    assert!(cases.len() >= 32, "{} fixtures", cases.len());
    let readme = std::fs::read_to_string(fixtures().join("README.md")).expect("README.md");
    for f in &cases {
        assert!(readme.contains(&format!("`{f}`")), "README.md describes {f}");
    }
}

// ————————————————————————————————————————————————— key facts, asserted plainly

/// The lines of the findings with `code`, joined.
fn text_of(p: &Parsed, code: &str) -> String {
    with_code(p, code).iter().map(|f| f.line()).collect::<Vec<_>>().join("\n")
}

fn no_errors(p: &Parsed) {
    assert_eq!(codes(p, Severity::Error), Vec::<&str>::new(), "{:#?}", p.findings);
}

#[test]
fn encodings_decode_to_the_right_names() {
    let wb = open("gbk-encoding.csv", &bytes("gbk-encoding.csv"), None).expect("opens");
    assert_eq!(wb.encoding, Some("gb18030"));
    let p = parsed("gbk-encoding.csv");
    no_errors(&p);
    assert_eq!(
        values(&p),
        ["GDP 430100 2024 15268.8", "GDP 430200 2024 4012.5", "GDP 433100 2024 812.3", "GDP 430500 2024 2755.1"]
    );
    // Told the wrong encoding, the reader names the line and the fix.
    let forced = jili_intake::data::encoding_named("utf-8");
    let err = open("gbk-encoding.csv", &bytes("gbk-encoding.csv"), forced).expect_err("not UTF-8").to_string();
    assert!(err.contains("第 1 行") && err.contains("--encoding gbk"), "{err}");

    let wb = open("utf16-tab.txt", &bytes("utf16-tab.txt"), None).expect("opens");
    assert_eq!(wb.encoding, Some("UTF-16LE"));
    let p = parsed("utf16-tab.txt");
    no_errors(&p);
    assert_eq!(values(&p), ["GDP 430100 2024 15268.8", "GDP 430400 2024 4196.7", "GDP 431200 2024 1967.4"]);

    let p = parsed("utf8-bom.csv");
    no_errors(&p);
    assert_eq!(values(&p), ["GDP 430600 2024 4968.3", "GDP 430700 2024 4843.9"]);

    let p = parsed("cr-line-endings.csv");
    no_errors(&p);
    assert_eq!(p.observations.len(), 3);
    assert_eq!(value(&p, "GDP", "431100", "2024").as_deref(), Some("2420.8"));

    let err = read("mixed-encoding.csv").expect_err("a GBK file with a UTF-8 line does not open");
    assert!(err.contains("第 3 行") && err.contains("UTF-8"), "{err}");
}

#[test]
fn delimiters_and_separators() {
    let p = parsed("semicolon.csv");
    no_errors(&p);
    assert_eq!(values(&p), ["GDP 430100 2024 15268.8", "GDP 430200 2024 4012.5", "GDP 430300 2024 2901"]);

    let p = parsed("semicolon-decimal-comma.csv");
    assert_eq!(codes(&p, Severity::Error), ["bad-separator", "bad-separator"]);

    let p = parsed("thousands.csv");
    assert_eq!(value(&p, "GDP", "430100", "2024").as_deref(), Some("15268.8"));
    assert_eq!(value(&p, "GDP", "430300", "2024").as_deref(), Some("2901"));
    assert_eq!(value(&p, "GDP", "430700", "2024").as_deref(), Some("4843.9"), "full-width ４，８４３．９");
    let bad = text_of(&p, "bad-separator");
    assert!(bad.contains("“12,5”") && bad.contains("“2,75,5.1”"), "{bad}");
    assert_eq!(value(&p, "GDP", "430400", "2024"), None, "12,5 is never 125 nor 12.5");
    assert_eq!(with_code(&p, "text-in-number").len(), 1, "4.968.3");
}

#[test]
fn headers_merged_titled_offset_and_across() {
    let p = parsed("merged-header.xlsx");
    no_errors(&p);
    assert_eq!(p.observations.len(), 6);
    assert_eq!(value(&p, "GDP", "430100", "2023").as_deref(), Some("14331.98"));
    assert_eq!(value(&p, "GDP", "430300", "2024").as_deref(), Some("2901"));

    // 单位：万元 over a series kept in 亿元: divided by 10 000 exactly.
    let p = parsed("title-and-unit-note.xlsx");
    no_errors(&p);
    assert_eq!(value(&p, "GDP", "430100", "2024").as_deref(), Some("15268.8"));
    assert_eq!(value(&p, "GDP", "430800", "2024").as_deref(), Some("612.3456"));
    assert_eq!(with_code(&p, "period-from-title").len(), 1);

    let p = parsed("wide-series-across.xlsx");
    no_errors(&p);
    assert_eq!(p.observations.len(), 12);
    assert_eq!(value(&p, "GDP_GROWTH", "430200", "2024").as_deref(), Some("5.1"));
    assert_eq!(value(&p, "POP_RESIDENT", "433100", "2024").as_deref(), Some("249.8"), "header broken by Alt+Enter");

    let p = parsed("series-rows-years-across.csv");
    no_errors(&p);
    assert_eq!(value(&p, "POP_RESIDENT", "430100", "2023").as_deref(), Some("1051.3"));
    assert_eq!(p.observations.len(), 6);

    let p = parsed("several-sheets.xlsx");
    no_errors(&p);
    assert_eq!(value(&p, "GDP", "430200", "2024").as_deref(), Some("4012.5"));
    assert_eq!(value(&p, "POP_RESIDENT", "430100", "2024").as_deref(), Some("1061.5"));

    // A table starting at C3: locations are the sheet's own cells.
    let p = parsed("offset-table.xlsx");
    let bad = text_of(&p, "text-in-number");
    assert!(bad.contains("第 5 行 第 6 列（F5）") && bad.contains("“待核实”"), "{bad}");
    assert_eq!(value(&p, "GDP", "430100", "2024").as_deref(), Some("15268.8"));

    let p = parsed("no-header.csv");
    assert_eq!(codes(&p, Severity::Error), ["no-header"]);
    assert!(p.observations.is_empty());
}

#[test]
fn measures_convert_exactly_or_are_refused() {
    // 亿元 → 万元 multiplies by 10 000 exactly (no binary noise, nothing rounded away).
    let p = parsed("yi-vs-wan.xlsx");
    // The sender is told once per column that its values were converted, and how.
    assert_eq!(codes(&p, Severity::Notice), ["converted"], "{:#?}", p.findings);
    assert!(p.findings[0].message.contains("×10000"), "{}", p.findings[0].message);
    assert_eq!(
        values(&p),
        [
            "GEN_BUDGET_REV 430100 2024 12345678",
            "GEN_BUDGET_REV 430200 2024 1234500",
            "GEN_BUDGET_REV 430300 2024 1",
            "GEN_BUDGET_REV 430400 2024 2091000",
        ]
    );

    let p = parsed("wrong-measure.csv");
    let wrong = with_code(&p, "wrong-measure");
    // Said once, at the column whose header names the wrong measure; every value of it is refused.
    assert_eq!(wrong.len(), 1);
    assert_eq!(wrong[0].at.line, Some(1));
    assert!(wrong.iter().all(|f| f.severity == Severity::Error && f.message.contains("吨") && f.fix.contains("亿元")));
    assert_eq!(value(&p, "GDP", "430100", "2024"), None);
    assert_eq!(value(&p, "POP_RESIDENT", "430100", "2024").as_deref(), Some("1061.5"), "人 → 万人");

    let p = parsed("measure-column.csv");
    assert_eq!(value(&p, "GDP", "430200", "2024").as_deref(), Some("4012.5"), "万元 → 亿元");
    assert_eq!(value(&p, "POP_RESIDENT", "430400", "2024").as_deref(), Some("663.1"), "人 → 万人");
    assert_eq!(value(&p, "GDP", "430300", "2024"), None);
    assert!(text_of(&p, "wrong-measure").contains("“吨”"));

    // A % series takes 12.5% (and ％); a 万元 series refuses it.
    let p = parsed("percent-sign.csv");
    assert_eq!(value(&p, "DEBT_RATIO", "430100", "2024").as_deref(), Some("12.5"));
    assert_eq!(value(&p, "DEBT_RATIO", "430200", "2024").as_deref(), Some("98.3"));
    assert_eq!(value(&p, "GEN_BUDGET_REV", "430100", "2024"), None);
    assert_eq!(codes(&p, Severity::Error), ["percent-not-allowed"]);
    assert!(text_of(&p, "percent-not-allowed").contains("第 5 行"));
}

#[test]
fn cells_that_are_not_numbers() {
    let p = parsed("text-in-number.csv");
    let bad: Vec<String> = with_code(&p, "text-in-number").iter().filter_map(|f| f.cell.clone()).collect();
    assert_eq!(bad, ["约15000", "4012.5亿元", "待核实", "暂无", "(12.3)", "1.2.3"]);
    assert_eq!(values(&p), ["GDP 430700 2024 4843.9"], "text is never read as 0");

    let p = parsed("missing-marks.csv");
    no_errors(&p);
    assert_eq!((p.rows, p.missing), (10, 8));
    assert_eq!(values(&p), ["GDP 430700 2024 0", "GDP 431000 2024 3112.4"], "0 is a value, not a gap");

    let p = parsed("full-width-digits.csv");
    assert_eq!(value(&p, "GDP", "430100", "2024").as_deref(), Some("15268.8"));
    assert_eq!(value(&p, "GDP", "430200", "2024").as_deref(), Some("4012.5"), "２０２４年");

    let p = parsed("bool-cell.xlsx");
    let b = text_of(&p, "text-in-number");
    assert!(b.contains("（D2）") && b.contains("逻辑值 TRUE"), "{b}");
    assert!(text_of(&p, "no-unit").contains("不是文字（FALSE）"));
    assert_eq!(values(&p), ["GDP 430300 2024 2901"]);

    let p = parsed("numbers-stored-as-text.xlsx");
    no_errors(&p);
    assert_eq!(values(&p), ["GDP 430100 2024 15268.8", "GDP 430200 2024 4012.5", "GDP 430300 2024 2901"]);
}

#[test]
fn formulas_are_read_as_their_cached_values() {
    let p = parsed("formula-cached.xlsx");
    no_errors(&p);
    assert_eq!(value(&p, "RETAIL_SALES", "430100", "2024年1-6月").as_deref(), Some("2599.5"));
    assert_eq!(value(&p, "RETAIL_SALES", "430300", "2024年1-6月"), None);
    assert_eq!(p.missing, 1);

    let p = parsed("div0.xlsx");
    let errors: Vec<(String, Option<String>)> =
        with_code(&p, "excel-error").iter().map(|f| (f.at.to_string(), f.cell.clone())).collect();
    assert_eq!(errors.len(), 2);
    assert!(errors[0].0.contains("（E3）") && errors[0].1.as_deref() == Some("#DIV/0!"), "{errors:?}");
    assert!(errors[1].0.contains("（E4）") && errors[1].1.as_deref() == Some("#N/A"), "{errors:?}");
    assert_eq!(values(&p), ["GDP_GROWTH 430100 2024 6.5"]);

    let p = parsed("float-noise.xlsx");
    assert_eq!(value(&p, "GDP", "430200", "2024").as_deref(), Some("1526.88"));
}

#[test]
fn dates_in_period_and_value_cells() {
    let p = parsed("dates-as-numbers.xlsx");
    // 2024 typed into a date-formatted 年份 cell is the year 2024.
    assert_eq!(value(&p, "GDP", "430100", "2024").as_deref(), Some("15268.8"));
    // A date-formatted value cell is an error, never its serial number.
    let d = text_of(&p, "date-in-number");
    assert!(d.contains("（D3）") && d.contains("日期格式"), "{d}");
    assert_eq!(value(&p, "GDP", "430200", "2024"), None);
    assert_eq!(with_code(&p, "bad-period")[0].cell.as_deref(), Some("2024-12-31"));
}

#[test]
fn sheets_empty_hidden_and_files_without_data() {
    let p = parsed("empty-sheet.xlsx");
    no_errors(&p);
    assert_eq!(with_code(&p, "empty-sheet").len(), 2);
    assert_eq!(p.observations.len(), 1);

    for file in ["empty-workbook.xlsx", "all-empty.csv", "zero-bytes.csv"] {
        let p = parsed(file);
        assert_eq!(codes(&p, Severity::Error), ["empty-file"], "{file}");
    }

    let p = parsed("hidden-sheet.xlsx");
    no_errors(&p);
    assert!(text_of(&p, "hidden-sheet").contains("“底稿”"));
    assert_eq!(values(&p), ["GDP 430100 2024 15268.8"], "the hidden sheet's 99999 is not read");
}

#[test]
fn rows_that_are_not_units() {
    let p = parsed("total-row.csv");
    no_errors(&p);
    assert_eq!(with_code(&p, "total-row").len(), 2, "合计 and 合　计");
    assert_eq!((p.rows, p.observations.len()), (3, 3));

    let p = parsed("notes-below.csv");
    no_errors(&p);
    assert_eq!(values(&p), ["GDP 430100 2024 15268.8", "GDP 430200 2024 4012.5"]);
}

#[test]
fn unit_names_as_providers_write_them() {
    let p = parsed("trailing-spaces.csv");
    assert!(p.findings.is_empty(), "{:#?}", p.findings);
    assert_eq!(p.observations.len(), 4);

    let p = parsed("xiangxi-variants.csv");
    assert!(p.findings.is_empty(), "{:#?}", p.findings);
    assert_eq!(p.observations.len(), 6);
    assert!(p.observations.iter().all(|o| o.unit == "433100"));

    let p = parsed("twelve-digit-codes.csv");
    assert_eq!(value(&p, "GDP", "430100", "2024").as_deref(), Some("15268.8"));
    assert_eq!(value(&p, "GDP", "430102", "2024").as_deref(), Some("1980.2"));
    assert_eq!(with_code(&p, "unknown-unit").len(), 2, "4.303E+11 and a 9-digit township code");

    let p = parsed("short-names.csv");
    no_errors(&p);
    for (unit, v) in
        [("430523", "231.4"), ("430529", "88.2"), ("431230", "71.9"), ("431129", "152.3"), ("430781", "190.8")]
    {
        assert_eq!(value(&p, "GDP", unit, "2024").as_deref(), Some(v), "{unit}");
    }

    let p = parsed("unknown-unit.csv");
    let unknown = with_code(&p, "unknown-unit");
    assert_eq!(unknown.len(), 4);
    assert!(unknown[0].fix.starts_with("最接近的是：长沙市（430100）"), "{}", unknown[0].fix);
    assert!(unknown[1].fix.starts_with("最接近的是：株洲市（430200）"), "{}", unknown[1].fix);
    assert!(unknown[2].fix.starts_with("最接近的是：湘潭市（430300）"), "{}", unknown[2].fix);
    assert_eq!(values(&p), ["GDP 430700 2024 4843.9"]);
}

#[test]
fn renamed_county_is_read_under_the_code_in_force() {
    let p = parsed("renamed-county.csv");
    assert_eq!(value(&p, "GDP", "431181", "2024").as_deref(), Some("501.2"), "祁阳县 in 2024 is 祁阳市");
    assert_eq!(value(&p, "GDP", "431181", "2023").as_deref(), Some("482.7"), "431121 in 2023 is 431181");
    assert_eq!(value(&p, "GDP", "431121", "2020").as_deref(), Some("420.1"), "in 2020 it was still 祁阳县");
    let renamed = with_code(&p, "renamed-unit");
    assert_eq!(renamed.len(), 3);
    assert!(renamed.iter().all(|f| f.severity == Severity::Notice));
    assert!(renamed[0].message.contains("祁阳市（431181）"), "{}", renamed[0].message);
}

#[test]
fn duplicates_same_value_notice_different_value_error() {
    let p = parsed("duplicate-rows.csv");
    let same = with_code(&p, "duplicate-same");
    assert_eq!(same.len(), 2, "长沙市 15268.8 = 15268.80; 湘西州 = 433100");
    assert!(same.iter().all(|f| f.severity == Severity::Notice));
    let diff = with_code(&p, "duplicate");
    assert_eq!(diff.len(), 1);
    assert_eq!(diff[0].severity, Severity::Error);
    assert!(diff[0].message.contains("4012.5") && diff[0].cell.as_deref() == Some("4102.5"), "{}", diff[0].line());
    assert!(diff[0].message.contains("第 3 行"), "names the first occurrence: {}", diff[0].message);
    assert_eq!(value(&p, "GDP", "430200", "2024").as_deref(), Some("4012.5"));
    assert_eq!(p.observations.len(), 3);
}

#[test]
fn periods_of_every_form() {
    let p = parsed("periods.csv");
    no_errors(&p);
    for (period, v) in [
        ("2024-M01-06", "2599.5"),
        ("2024-Q1", "1289.3"),
        ("2024-M06", "441.2"),
        ("2024-Q2", "1310.2"),
        ("2024-M01-09", "3902.7"),
        ("2024", "5123.4"),
    ] {
        assert_eq!(value(&p, "RETAIL_SALES", "430100", period).as_deref(), Some(v), "{period}");
    }
    assert_eq!(with_code(&p, "duplicate-same").len(), 1, "2024年上半年 is 2024年1-6月");

    let p = parsed("bad-period.csv");
    let bad: Vec<String> = with_code(&p, "bad-period").iter().filter_map(|f| f.cell.clone()).collect();
    assert_eq!(bad, ["24年", "2024.6", "二〇二四年", "2024年3-6月", "2024/12/31"]);
    assert_eq!(values(&p), ["GDP 430700 2024 4843.9"]);
}

#[test]
fn series_owned_known_and_unknown() {
    let p = parsed("not-owner.csv");
    let not = with_code(&p, "not-owner");
    assert_eq!(not.len(), 2);
    assert!(not.iter().all(|f| f.message.contains("由 CZT 提供") && f.at.to_string().contains("第 2 列")));
    assert_eq!(values(&p), ["GDP 430100 2024 15268.8", "GDP 430200 2024 4012.5"]);

    let p = parsed("unknown-series.csv");
    let unknown = with_code(&p, "unknown-series");
    assert_eq!(unknown.len(), 4);
    assert!(unknown[1].fix.contains("地区生产总值（GDP）"), "{}", unknown[1].fix);
    assert!(unknown[2].fix.contains("GDP_GROWTH"), "{}", unknown[2].fix);
    assert!(unknown[3].fix.contains("年末常住人口（POP_RESIDENT）"), "{}", unknown[3].fix);
    assert_eq!(values(&p), ["GDP 430100 2024 15268.8"], "gdp in lower case is the code GDP");
}

#[test]
fn status_from_a_column_or_sdmx() {
    let p = parsed("status-column.csv");
    let status = |unit: &str| p.observations.iter().find(|o| o.unit == unit).map(|o| o.status);
    assert_eq!(status("430100"), Some(Status::Preliminary), "快报");
    assert_eq!(status("430200"), Some(Status::Final), "年报");
    assert_eq!(status("430400"), Some(Status::Final), "blank: the import's default");
    assert_eq!(with_code(&p, "bad-status")[0].cell.as_deref(), Some("核实数"));

    let p = parsed("sdmx.csv");
    let status = |unit: &str| p.observations.iter().find(|o| o.unit == unit).map(|o| o.status);
    assert_eq!(status("430100"), Some(Status::Final), "A");
    assert_eq!(status("430200"), Some(Status::Preliminary), "P");
    assert_eq!(value(&p, "GDP", "430300", "2024").as_deref(), Some("2901"), "UNIT_MEASURE CNY_E4 (万元) → 亿元");
    assert_eq!(value(&p, "GDP", "430100", "2024-Q1").as_deref(), Some("3611.2"));
    assert_eq!(with_code(&p, "bad-status")[0].cell.as_deref(), Some("X"));
}

#[test]
fn a_broken_file_is_never_accepted_quietly() {
    // However the unclosed quote is reported, the batch has an error and nothing after it is read.
    assert!(read("ragged-quote.csv").is_err_and(|e| e.contains("引号")));
    for file in ["html-saved-as.xls", "xml-spreadsheet-2003.xls", "year-numbers-header.xlsx", "header-synonyms.csv"] {
        match read(file) {
            Err(e) => assert!(!e.is_empty(), "{file}"),
            Ok(p) => {
                assert!(!codes(&p, Severity::Error).is_empty() || !p.observations.is_empty(), "{file}: silently empty")
            }
        }
    }
}

// ————————————————————————————————————————— reader bugs these fixtures found, now fixed (kept as tests)

/// Everything a provider is told about a file: open()'s error or every finding's line.
fn told(file: &str) -> String {
    match read(file) {
        Err(e) => e,
        Ok(p) => p.findings.iter().map(Finding::line).collect::<Vec<_>>().join("\n"),
    }
}

#[test]
fn fixed_percent_formatted_cell_is_read_as_percent() {
    // Was a bug: percent-format.xlsx: 0.048 in a cell formatted 0.0% shows 4.8%; the series
    // GDP_GROWTH is kept in %, so the value is 4.8. It is read as 0.048 with no finding — a
    // silent 100-fold error. (calamine 0.38's `worksheet_style` gives the number formats.)
    let p = parsed("percent-format.xlsx");
    assert_eq!(value(&p, "GDP_GROWTH", "430100", "2024").as_deref(), Some("4.8"));
    assert_eq!(value(&p, "GDP_GROWTH", "430200", "2024").as_deref(), Some("5.1"));
}

#[test]
fn fixed_code_and_name_that_disagree_are_an_error() {
    // Was a bug: code-name-mismatch.csv: row 3 says 430200 (株洲市) beside the name 湘潭市, row 4
    // 430300 (湘潭市) beside 株洲市 — two rows with swapped codes. The name column (Role::UnitName,
    // "read only to explain errors") is never read: both values are stored under the codes,
    // silently swapped.
    let p = parsed("code-name-mismatch.csv");
    let errors: Vec<String> = p.findings.iter().filter(|f| f.severity == Severity::Error).map(Finding::line).collect();
    assert!(
        errors.iter().any(|l| l.contains("第 3 行") && l.contains("湘潭市") && l.contains("株洲市")),
        "{errors:#?}"
    );
    assert!(errors.iter().any(|l| l.contains("第 4 行")), "{errors:#?}");
}

#[test]
fn fixed_blank_code_falls_back_to_the_name_column() {
    // Was a bug: code-column-blank.csv: 代码 blank, 地区 = 株洲市. The error says 地区/单位为空 although
    // the name is in the next column; the name should be read (or at least named in the error).
    let p = parsed("code-column-blank.csv");
    assert_eq!(value(&p, "GDP", "430200", "2024").as_deref(), Some("4012.5"), "{}", told("code-column-blank.csv"));
}

#[test]
fn fixed_merged_unit_cells_cover_the_rows_below() {
    // Was a bug: merged-unit-rows.xlsx: 地区 merged down A2:A3 (长沙市) and A4:A5 (株洲市) over two
    // indicators each. The reader takes the merged value only in header rows, so A3 and A5 are
    // "地区/单位为空" errors and the 年末常住人口 values are lost.
    let p = parsed("merged-unit-rows.xlsx");
    no_errors(&p);
    assert_eq!(value(&p, "POP_RESIDENT", "430100", "2024").as_deref(), Some("1061.5"));
    assert_eq!(value(&p, "POP_RESIDENT", "430200", "2024").as_deref(), Some("382.3"));
}

#[test]
fn fixed_year_headers_typed_as_numbers_are_a_header() {
    // Was a bug: year-numbers-header.xlsx: header 地区 | 2023 | 2024 with the years as number cells
    // (what Excel stores when one types 2023). header_score counts periods only in text cells,
    // so the row scores 1 and the file gets "找不到表头".
    let p = parsed("year-numbers-header.xlsx");
    no_errors(&p);
    assert_eq!(value(&p, "GDP", "430100", "2023").as_deref(), Some("14331.98"));
    assert_eq!(value(&p, "GDP", "430200", "2024").as_deref(), Some("4012.5"));
}

#[test]
fn fixed_year_header_with_status_note_is_read() {
    // Was a bug: year-header-with-status.csv: the 2024 column is headed 2024年（快报）. It is set aside
    // with only a notice (unknown-column), so the batch imports 2023 alone and looks clean.
    let p = parsed("year-header-with-status.csv");
    let o = p.observations.iter().find(|o| o.unit == "430100" && o.period == Period::year(2024));
    assert_eq!(o.map(|o| (o.value.to_string(), o.status)), Some(("15268.8".to_string(), Status::Preliminary)));
}

#[test]
fn fixed_nbs_code_header_is_a_unit_column() {
    // Was a bug: header-synonyms.csv: 统计用区划代码 (the NBS's own name for the code) is not a unit
    // header, so the file is refused with no-unit-column.
    let p = parsed("header-synonyms.csv");
    no_errors(&p);
    assert_eq!(values(&p), ["GDP 430100 2024 15268.8", "GDP 430200 2024 4012.5"]);
}

#[test]
fn fixed_sdmx_cumulative_period_reads_back() {
    // Was a bug: sdmx.csv line 6: TIME_PERIOD 2024-01-01/P6M — the form jili's own SDMX writer
    // (`Period::sdmx` for 1-6月) emits — is "期别无法识别". What jili writes it cannot read back.
    let p = parsed("sdmx.csv");
    assert_eq!(value(&p, "GDP", "430100", "2024-M01-06").as_deref(), Some("7452.3"), "{}", told("sdmx.csv"));
    let period: Period = "2024年1-6月".parse().expect("period");
    assert_eq!(period.sdmx().parse::<Period>().ok(), Some(period));
}

#[test]
fn fixed_sdmx_status_fix_names_sdmx_codes() {
    // Was a bug (message): sdmx.csv line 7: OBS_STATUS X is refused with "请填写“快报”或“年报”"; in an
    // OBS_STATUS column the codes are A and P.
    let p = parsed("sdmx.csv");
    let fix = &with_code(&p, "bad-status")[0].fix;
    assert!(fix.contains('A') && fix.contains('P'), "{fix}");
}

#[test]
fn fixed_province_row_is_the_province() {
    // Was a bug: province-row.csv: 全省 (how 湖南统计年鉴 and every 市州 table label the provincial row)
    // is "找不到这个地区/单位"; 湖南省 works. It should be 430000 (as 湖南省), or skipped like 合计.
    let p = parsed("province-row.csv");
    no_errors(&p);
    assert_eq!(value(&p, "GDP", "430000", "2024").as_deref(), Some("53231.2"));
}

#[test]
fn fixed_full_width_unit_code_is_read() {
    // Was a bug: full-width-digits.csv line 4: ４３０３００ (typed in full-width mode). Values and
    // periods accept full-width digits; unit codes do not ("找不到这个地区/单位", no suggestion).
    let p = parsed("full-width-digits.csv");
    no_errors(&p);
    assert_eq!(value(&p, "GDP", "430300", "2024").as_deref(), Some("2901"));
}

#[test]
fn fixed_invisible_characters_in_names() {
    // Was a bug: invisible-chars.csv: 长沙市 + U+200B (zero-width space, from a web page) and U+FEFF +
    // 株洲市 (a BOM left mid-file by joining two CSVs). The error quotes “长沙市” — which looks
    // right — and suggests 长沙市. Such characters should be removed like spaces.
    let p = parsed("invisible-chars.csv");
    no_errors(&p);
    assert_eq!(values(&p), ["GDP 430100 2024 15268.8", "GDP 430200 2024 4012.5"]);
}

#[test]
fn fixed_park_abbreviations_are_suggested() {
    // Was a bug (message): park-abbreviations.csv: 长沙经开区 and 株洲高新区 (the abbreviations every
    // notice uses for 经济技术开发区 and 高新技术产业开发区) get no suggestion, and the fix asks
    // for a "6 位行政区划代码", which parks (YQ… codes) do not have.
    let p = parsed("park-abbreviations.csv");
    let text = told("park-abbreviations.csv");
    let found = |code: &str, name: &str| value(&p, "PARK_REVENUE", code, "2024").is_some() || text.contains(name);
    assert!(found("YQ43012101", "长沙经济技术开发区（YQ43012101）"), "{text}");
    assert!(found("YQ43021101", "株洲高新技术产业开发区（YQ43021101）"), "{text}");
}

#[test]
fn fixed_of_which_marks_before_names() {
    // Was a bug: indented-names.csv: 其中：浏阳市 and #宁乡市 (yearbook notation: “#” means 其中) are
    // unknown units; the marks should be dropped (with a notice) as the indentation is.
    let p = parsed("indented-names.csv");
    no_errors(&p);
    assert_eq!(value(&p, "GDP", "430181", "2024").as_deref(), Some("2501.3"));
    assert_eq!(value(&p, "GDP", "430182", "2024").as_deref(), Some("1702.4"));
}

#[test]
fn fixed_unclosed_quote_is_reported_as_such() {
    // Was a bug (message): ragged-quote.csv line 2 opens a quote that never closes; the csv crate reads
    // the rest of the file into that cell, and the report is "逗号只能作千位分隔符" quoting three
    // lines. open() has the right message ("请检查未配对的引号") but never gets the error.
    let text = told("ragged-quote.csv");
    assert!(text.contains("引号") && text.contains("第 2 行"), "{text}");
}

#[test]
fn fixed_web_page_or_xml_saved_as_xls_is_named() {
    // Was a bug (message): html-saved-as.xls (a web page, as many systems export “Excel”) and
    // xml-spreadsheet-2003.xls (Excel 2003 XML) are read as CSV text and reported as “找不到表头”.
    // They should be read, or be told apart: “网页/XML 格式，请在 Excel/WPS 中另存为 .xlsx”.
    for file in ["html-saved-as.xls", "xml-spreadsheet-2003.xls"] {
        let read_ok = read(file).is_ok_and(|p| p.observations.len() == 1);
        let text = told(file);
        assert!(read_ok || text.contains("HTML") || text.contains("XML") || text.contains("网页"), "{file}: {text}");
    }
}

#[test]
fn fixed_renamed_unit_notice_for_an_earlier_year() {
    // Was a bug (message): renamed-county.csv line 4: 祁阳市 for 2020 is read as 祁阳县 431121 (right),
    // but the notice says “祁阳市（431181）在 2020 年已改为 祁阳县（431121），按新代码导入” —
    // backwards: in 2020 祁阳市 did not exist yet, and 431121 is the old code.
    let p = parsed("renamed-county.csv");
    let n = with_code(&p, "renamed-unit").into_iter().find(|f| f.cell.as_deref() == Some("祁阳市")).expect("a notice");
    assert!(!n.message.contains("已改为 祁阳县") && !n.message.contains("按新代码"), "{}", n.line());
}

#[test]
fn fixed_closest_units_prefer_the_same_stem() {
    // Was a bug (message): renamed-county.csv line 5: 邵东县 (became 邵东市 430582 in 2019; the retired
    // 430521 row is not in data/divisions) gets “最接近的是：衡东县、祁东县、邵阳县” — all at edit
    // distance 1 like 邵东市, ties broken by code, so the right one is cut off.
    let p = parsed("renamed-county.csv");
    let f = with_code(&p, "unknown-unit").into_iter().find(|f| f.cell.as_deref() == Some("邵东县"));
    let ok = value(&p, "GDP", "430582", "2024").is_some() || f.is_some_and(|f| f.fix.contains("邵东市（430582）"));
    assert!(ok, "{}", told("renamed-county.csv"));
}

#[test]
fn fixed_row_number_column_is_not_unknown() {
    // Was a bug (message): title-and-unit-note.xlsx: 序号 is in the known ignored headers, yet gets the
    // notice “列“序号”不是目录中的数据项或年份，其中的数值未读取” because it holds numbers.
    let p = parsed("title-and-unit-note.xlsx");
    assert!(with_code(&p, "unknown-column").is_empty(), "{}", text_of(&p, "unknown-column"));
}

#[test]
fn fixed_blank_period_cell_says_blank() {
    // Was a bug (message): bad-period.csv line 7: a blank 年份 cell is reported as “” 期别无法识别;
    // it should say the 年份 is empty, as a blank 地区 says “地区/单位为空”.
    let p = parsed("bad-period.csv");
    let f = with_code(&p, "bad-period").into_iter().find(|f| f.at.line == Some(7)).expect("line 7");
    assert!(f.message.contains("为空"), "{}", f.line());
}

#[test]
fn fixed_note_rows_are_not_data_rows() {
    // Was a bug: notes-below.csv: the note lines “2. 湘潭市数据待…”, “填表人：…” and “*为初步核算数”
    // (only the first cell filled) count as data rows: the report says 数据行 5 for 2 rows of data.
    let p = parsed("notes-below.csv");
    assert_eq!(p.rows, 2);
}

#[test]
fn fixed_period_from_sheet_name() {
    // Was a bug (gap, misleading fix): period-in-sheet-name.xlsx has sheets named 2023 and 2024, no year
    // column or title. Both sheets are refused with “请……用 --period 2024 指定”, which would file
    // the 2023 sheet under 2024. A sheet named as a period should give the period (with a notice).
    let p = parsed("period-in-sheet-name.xlsx");
    no_errors(&p);
    assert_eq!(value(&p, "GDP", "430100", "2023").as_deref(), Some("14331.98"));
    assert_eq!(value(&p, "GDP", "430100", "2024").as_deref(), Some("15268.8"));
}
