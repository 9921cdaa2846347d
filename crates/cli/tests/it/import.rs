//! `jili init` and `jili import` as a new user runs them: a GBK file saved by Excel, a bad file
//! with its report, an export that imports again unchanged, a saved mapping, a revision with its
//! reason, and a run reproduced as of an earlier run.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use common::*;
use jili_testkit::TestDb;

/// GDP of the 14 市州 (亿元), in CITIES order.
const GDP: [&str; 14] = [
    "15268.8", "4000.1", "3000.2", "4500.3", "2800.4", "5100.5", "4800.6", "700.7", "2200.8", "3200.9", "2600.1",
    "2100.2", "1900.3", "800.4",
];

/// The long table a statistics bureau sends: 地区,指标,年份,数值; `cell` replaces one city's value.
fn gdp_csv(year: i32, cell: Option<(usize, &str)>) -> String {
    let mut text = String::from("地区,指标,年份,数值\r\n");
    for (i, ((name, _), value)) in CITIES.iter().zip(GDP).enumerate() {
        let value = match cell {
            Some((j, c)) if j == i => c,
            _ => value,
        };
        text.push_str(&format!("{name},地区生产总值,{year},{value}\r\n"));
    }
    text
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, encoding, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable && encoding == encoding_rs::GBK);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    bytes.into_owned()
}

fn init() -> TestDb {
    let db = TestDb::new();
    let out = jili(&db, &["init"]);
    assert!(out.status.success(), "{}", text_of(&out));
    assert!(stdout(&out).contains("示例实施方案 20 份"), "{}", stdout(&out));
    db
}

#[test]
fn init_then_import_a_gbk_file_as_excel_saves_it() {
    let db = init();
    let status = status_json(&db);
    assert_eq!((status["batches"].as_u64(), status["observations"].as_u64()), (Some(0), Some(0)), "no demo data");
    assert_eq!(status["series"].as_u64(), Some(129));
    // init twice is refused, and changes nothing.
    let out = jili(&db, &["init"]);
    assert!(!out.status.success() && text_of(&out).contains("已经初始化"), "{}", text_of(&out));
    assert_eq!(status_json(&db)["content_hash"], status["content_hash"]);

    let file = write_file(&db, "2024年地区生产总值.csv", &gbk(&gdp_csv(2024, None)));
    let out = jili(&db, &["import", &file, "--provider", "TJJ", "--dry-run"]);
    let t = text_of(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.to_lowercase().contains("gb18030") || t.to_lowercase().contains("gbk"), "the encoding is named: {t}");
    assert!(t.contains("新增 14") && t.contains("未入库"), "{t}");
    assert_eq!(status_json(&db)["batches"].as_u64(), Some(0), "a dry run stores nothing");

    let out = jili(&db, &["import", &file, "--provider", "TJJ", "--encoding", "gbk"]);
    let t = text_of(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("已入库（批次 1）") && t.contains("数值 14"), "{t}");
    let out = jili(&db, &["data", "batches"]);
    let t = stdout(&out);
    assert!(out.status.success());
    assert_eq!(t.lines().count(), 1, "{t}");
    assert!(
        t.contains("批次   1") && t.contains("TJJ") && t.contains("2024年地区生产总值.csv") && t.contains("14 条"),
        "{t}"
    );
    let out = jili(&db, &["data", "history", "GDP", "430100", "2024"]);
    assert!(stdout(&out).contains("第 1 版  15268.8（年报）"), "{}", text_of(&out));
    let status = status_json(&db);
    assert_eq!((status["observations"].as_u64(), status["audit_chain_ok"].as_bool()), (Some(14), Some(true)));

    // The same bytes read as UTF-8 are refused with a hint, not stored as mojibake.
    let out = jili(&db, &["import", &file, "--provider", "TJJ", "--encoding", "utf-8"]);
    let t = text_of(&out);
    assert!(!out.status.success() && t.contains("--encoding gbk"), "{t}");
}

#[test]
fn a_bad_file_is_refused_with_its_cell_named_and_a_report_to_send_back() {
    let db = init();
    let before = status_json(&db)["content_hash"].clone();
    let file = write_file(&db, "bad.csv", gdp_csv(2024, Some((5, "约5100"))).as_bytes());
    let report = db.dir().join("校验报告.xlsx");
    let out = jili(&db, &["import", &file, "--provider", "TJJ", "--report", report.to_str().unwrap()]);
    let t = text_of(&out);
    assert!(!out.status.success(), "{t}");
    assert!(t.contains("bad.csv 第 7 行 第 4 列") && t.contains("“约5100”"), "file, row, column and cell: {t}");
    assert!(t.contains("整批未入库"), "{t}");
    assert!(!t.contains("panicked"), "{t}");
    let bytes = std::fs::read(&report).expect("the report is written even when the file is refused");
    assert!(bytes.starts_with(b"PK\x03\x04") && bytes.len() > 1024, "an XLSX workbook, {} bytes", bytes.len());
    assert_eq!(stdout(&jili(&db, &["data", "batches"])), "", "no batch");
    assert_eq!(status_json(&db)["content_hash"], before, "nothing stored");

    // Errors a user can make on the command line say what to do.
    for (args, want) in [
        (vec!["import", &file, "--provider", "XYZ"], "数据提供部门有"),
        (vec!["import", &file, "--provider", "TJJ", "--status", "半年报"], "--status 应为“快报”或“年报”"),
        (vec!["import", "no-such.csv", "--provider", "TJJ"], "无法读取文件“no-such.csv”"),
        (vec!["import", &file, "--provider", "TJJ", "--encoding", "ebcdic"], "不认识的编码"),
        // The report must never overwrite the department's own file.
        (vec!["import", &file, "--provider", "TJJ", "--report", &file], "会覆盖原表"),
    ] {
        let out = jili(&db, &args);
        let t = text_of(&out);
        assert!(!out.status.success() && t.contains(want) && !t.contains("panicked"), "{args:?}: {t}");
    }
    // A department importing another's series is told whose it is.
    let out = jili(&db, &["import", &write_file(&db, "gdp.csv", gdp_csv(2024, None).as_bytes()), "--provider", "CZT"]);
    let t = text_of(&out);
    assert!(!out.status.success() && t.contains("由 TJJ 提供，不能由 CZT 导入"), "{t}");
    assert_eq!(status_json(&db)["content_hash"], before);
}

#[test]
fn an_export_imports_again_unchanged_and_revisions_keep_their_reason() {
    let db = init();
    let file = write_file(&db, "gdp.csv", gdp_csv(2024, None).as_bytes());
    assert!(jili(&db, &["import", &file, "--provider", "TJJ"]).status.success());

    let out = jili(&db, &["data", "export", "--series", "GDP"]);
    let sdmx = stdout(&out);
    assert!(out.status.success(), "{}", text_of(&out));
    assert!(sdmx.starts_with("STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE"), "{sdmx}");
    assert_eq!(sdmx.lines().count(), 15, "{sdmx}");
    assert!(sdmx.contains(",430100,GDP,2024,15268.8,"), "{sdmx}");
    assert!(sdmx.lines().skip(1).all(|l| l.ends_with(",CNY_E8")), "UNIT_MEASURE coded: {sdmx}");
    let out_file = db.dir().join("export.csv");
    let structure = db.dir().join("structure.xml");
    let out = jili(
        &db,
        &[
            "data",
            "export",
            "--series",
            "GDP",
            "--out",
            out_file.to_str().unwrap(),
            "--structure",
            structure.to_str().unwrap(),
        ],
    );
    assert!(out.status.success() && stdout(&out).contains("已导出 14 条"), "{}", text_of(&out));
    let xml = std::fs::read_to_string(&structure).unwrap();
    assert!(xml.contains("Dataflow=HUNAN_JILI:DF_JILI(1.0)") && xml.contains("<str:Code id=\"GDP\">"), "{xml}");
    assert!(xml.contains("<str:Code id=\"CNY_E8\"><com:Name xml:lang=\"zh\">亿元</com:Name>"), "{xml}");
    assert_eq!(std::fs::read_to_string(&out_file).unwrap(), sdmx, "--out writes what stdout shows");

    let out = jili(&db, &["import", out_file.to_str().unwrap(), "--provider", "TJJ"]);
    let t = text_of(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("新增 0") && t.contains("修订 0") && t.contains("未变 14"), "{t}");
    assert_eq!(status_json(&db)["observations"].as_u64(), Some(14));

    // A changed value in the exported file is a revision, which needs a reason.
    let revised = sdmx.replace(",430100,GDP,2024,15268.8,", ",430100,GDP,2024,15300,");
    let file = write_file(&db, "revised.csv", revised.as_bytes());
    let out = jili(&db, &["import", &file, "--provider", "TJJ"]);
    let t = text_of(&out);
    assert!(!out.status.success() && t.contains("--reason") && t.contains("原值 15268.8 → 新值 15300"), "{t}");
    let out = jili(&db, &["import", &file, "--provider", "TJJ", "--reason", "年报终审数据"]);
    let t = text_of(&out);
    assert!(out.status.success() && t.contains("修订 1") && t.contains("未变 13"), "{t}");
    let out = jili(&db, &["data", "history", "GDP", "430100", "2024"]);
    let t = stdout(&out);
    assert!(t.contains("第 1 版  15268.8") && t.contains("第 2 版  15300") && t.contains("原因：年报终审数据"), "{t}");
    let out = jili(&db, &["data", "batches"]);
    assert!(stdout(&out).contains("修订 1") && stdout(&out).contains("原因：年报终审数据"), "{}", stdout(&out));
    let out = jili(&db, &["data", "history", "GDP", "430100", "2019"]);
    assert!(!out.status.success() && text_of(&out).contains("没有 GDP / 430100 / 2019 的数值"), "{}", text_of(&out));

    // A series kept from the public cannot be exported publicly.
    let out = jili(&db, &["data", "export", "--series", "PARK_REVENUE", "--public"]);
    assert!(!out.status.success() && text_of(&out).contains("不向社会公布"), "{}", text_of(&out));
}

#[test]
fn a_mapping_given_once_is_saved_for_the_next_file() {
    let db = init();
    let file = |name: &str, year: i32| {
        let mut text = String::from("区域,项目,口径,值\n");
        for (i, (city, _)) in CITIES.iter().enumerate() {
            text.push_str(&format!("{city},社会消费品零售总额,{year},{}\n", 900 + i));
        }
        write_file(&db, name, text.as_bytes())
    };
    let first = file("零售2024.csv", 2024);
    let out = jili(&db, &["import", &first, "--provider", "TJJ"]);
    assert!(!out.status.success() && text_of(&out).contains("--mapping"), "{}", text_of(&out));
    let mapping = write_file(
        &db,
        "映射.toml",
        "[columns]\nunit = \"区域\"\nseries = \"项目\"\nperiod = \"口径\"\nvalue = \"值\"\n".as_bytes(),
    );
    let out = jili(&db, &["import", &first, "--provider", "TJJ", "--mapping", &mapping, "--show-mapping"]);
    let t = text_of(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("列映射：") && t.contains("映射.toml") && t.contains("unit = \"区域\""), "{t}");
    let out = jili(&db, &["import", &file("零售2023.csv", 2023), "--provider", "TJJ"]);
    let t = text_of(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("沿用该部门") && t.contains("新增 14"), "{t}");
    let out = jili(&db, &["data", "mappings"]);
    assert!(stdout(&out).contains("# TJJ") && stdout(&out).contains("value = \"值\""), "{}", stdout(&out));
    // A bad mapping file is named.
    let bad = write_file(&db, "坏.toml", b"[columns]\nregion = \"x\"\n");
    let out = jili(&db, &["import", &first, "--provider", "TJJ", "--mapping", &bad]);
    assert!(!out.status.success() && text_of(&out).contains("region"), "{}", text_of(&out));
}

#[test]
fn a_run_is_reproduced_as_of_an_earlier_run_after_a_revision() {
    let db = demo_db();
    let run3 = |extra: &[&str]| {
        let mut args = vec!["run", "3", "--samples", "0", "--json"];
        args.extend_from_slice(extra);
        let out = jili(&db, &args);
        assert!(out.status.success(), "{args:?}: {}", text_of(&out));
        stdout(&out)
    };
    let before = run3(&[]);

    // 株洲市's 2024 GDP revised by 0.5% in the SDMX-CSV the office exported.
    let sdmx = stdout(&jili(&db, &["data", "export", "--series", "GDP"]));
    let line = sdmx.lines().find(|l| l.contains(",430200,GDP,2024,")).unwrap();
    let cells: Vec<&str> = line.split(',').collect();
    let old: f64 = cells[6].parse().unwrap();
    let new = format!("{:.2}", old * 1.005);
    let revised = sdmx.replace(line, &line.replace(&format!(",2024,{},", cells[6]), &format!(",2024,{new},")));
    assert_ne!(revised, sdmx);
    let file = write_file(&db, "GDP年报.csv", revised.as_bytes());
    let out = jili(&db, &["import", &file, "--provider", "TJJ", "--reason", "年报终审"]);
    let t = text_of(&out);
    assert!(out.status.success() && t.contains("修订 1"), "{t}");

    assert_ne!(run3(&[]), before, "on current data the result changes");
    // The demo's own runs (1–20, one per measure) read the data before the revision.
    assert_eq!(run3(&["--as-of", "run:1"]), before);
    assert_eq!(run3(&["--as-of", "run:3"]), before);
    let out = jili(&db, &["run", "3", "--as-of", "run:1", "--samples", "0"]);
    assert!(out.status.success() && stdout(&out).contains("分组“市州”"), "{}", text_of(&out));
    for (bad, want) in [("run:9999", "9999"), ("last week", "--as-of")] {
        let out = jili(&db, &["run", "3", "--samples", "0", "--as-of", bad]);
        assert!(!out.status.success() && text_of(&out).contains(want), "{bad}: {}", text_of(&out));
    }
}

/// The demo's planted problems as a new user finds them, and a re-check that adds nothing.
#[test]
fn data_flags_lists_the_demos_planted_problems_and_a_recheck_adds_nothing() {
    let db = demo_db();
    let out = jili(&db, &["data", "flags", "--code", "missing-value"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{}", text_of(&out));
    assert!(text.contains("[缺失值]") && text.contains("RD_INTENSITY 永顺县 2024"), "{text}");
    let out = jili(&db, &["data", "flags"]);
    let text = stdout(&out);
    assert!(text.contains("[同比异常]") && text.contains("RETAIL_SALES 宜章县 2024"), "{text}");
    assert!(text.contains("[市州与所辖县市区合计不符]") && text.contains("GEN_BUDGET_REV 衡阳市 2024"), "{text}");
    assert!(text.lines().last().unwrap().starts_with("共 "), "a count by check closes the list");

    let out = jili(&db, &["data", "recheck", "--all", "--provider", "省统计局"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{}", text_of(&out));
    assert!(text.contains("已复查：全部数据，省统计局") && text.contains("没有新的疑点"), "{text}");
    let out = jili(&db, &["data", "recheck", "--provider", "省统计"]);
    assert!(!out.status.success() && stderr(&out).contains("没有代码或名称为“省统计”的部门"), "{}", text_of(&out));
}
