//! `jili calendar` and `jili data template` as the office runs them on the demo database: the
//! year's dates, the progress board against them (every demo plan submitted and every series
//! delivered when the demo was built), the overdue list as a file, and 统计局's 填报模板 made,
//! filled and imported with no mapping, its values showing as revisions on the board.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use common::*;
use jili_model::template as t;

#[track_caller]
fn ok(out: std::process::Output) -> String {
    let t = text_of(&out);
    assert!(out.status.success() && !t.contains("panicked"), "expected success: {t}");
    t
}

#[test]
fn the_office_sets_dates_reads_the_board_and_a_provider_fills_its_template() {
    let db = demo_db();
    let t = ok(jili(&db, &["calendar", "show", "--year", "2024"]));
    assert!(t.contains("尚未设定日期"), "{t}");
    ok(jili(&db, &["calendar", "set", "plan", "2000-01-01", "--year", "2024", "--note", "示例"]));
    ok(jili(&db, &["calendar", "set", "data", "2000-01-01", "--year", "2024", "--period", "2024"]));
    let t = ok(jili(
        &db,
        &["calendar", "set", "data", "2099-12-31", "--year", "2024", "--period", "2024", "--provider", "TJJ"],
    ));
    assert!(
        t.contains("已设定（已记入审计日志）") && t.contains("省统计局的全部数据项 2024") && t.contains("全部措施"),
        "{t}"
    );
    let out = jili(&db, &["calendar", "set", "data", "2099-12-31", "--year", "2024"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text_of(&out).contains("--period"), "{}", text_of(&out));

    // The demo leaves one county without RD_INTENSITY; its own date (before 统计局's) passed.
    ok(jili(
        &db,
        &["calendar", "set", "data", "2000-01-01", "--year", "2024", "--period", "2024", "--series", "RD_INTENSITY"],
    ));

    // Everything else was done when the demo was built: plans and other departments late
    // against 2000-01-01, 统计局 on time against its own date; RD_INTENSITY missing.
    let board: serde_json::Value = serde_json::from_str(&ok(jili(
        &db,
        &["calendar", "board", "--year", "2024", "--as-of", "2030-01-01", "--json"],
    )))
    .unwrap();
    let plans = board["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 20);
    assert!(plans.iter().all(|p| p["progress"] == "late"), "{plans:?}");
    let data = board["data"].as_array().unwrap();
    assert!(data.iter().any(|d| d["provider"] == "TJJ") && data.iter().any(|d| d["provider"] != "TJJ"));
    let mut missing = Vec::new();
    for d in data {
        let complete = d["units_owed"] == d["units_delivered"];
        let want = match (complete, d["provider"] == "TJJ" && d["series"] != "RD_INTENSITY") {
            (true, true) => "on_time",
            (true, false) => "late",
            (false, true) => "not_due",
            (false, false) => "missing",
        };
        assert_eq!(d["progress"], want, "{d}");
        if want == "missing" {
            missing.push(format!("{} {}", d["series"].as_str().unwrap(), d["series_name"].as_str().unwrap()));
        }
    }
    assert!(missing.iter().any(|m| m.starts_with("RD_INTENSITY ")), "{missing:?}");
    let t = ok(jili(&db, &["calendar", "board", "--year", "2024", "--overdue", "--as-of", "2030-01-01"]));
    assert!(t.contains("逾期未报清单") && t.contains("逾期未报"), "{t}");
    for m in &missing {
        assert!(t.contains(m.as_str()), "{m} in the overdue list: {t}");
    }
    assert!(!t.contains("逾期报送") && !t.contains("按时"), "only what is to chase: {t}");
    let file = db.dir().join("overdue.csv");
    let t = ok(jili(&db, &["calendar", "board", "--year", "2024", "--overdue", "-o", &file.display().to_string()]));
    assert!(t.contains("已写入"), "{t}");
    let csv = std::fs::read_to_string(&file).unwrap();
    assert!(csv.starts_with('\u{feff}') && csv.contains("RD_INTENSITY") && csv.contains("逾期未报"), "{csv}");

    // 统计局's template for 2024, filled with last year's values plus 5%, imported as is.
    let path = db.dir().join("template.xlsx");
    let t = ok(jili(
        &db,
        &["data", "template", "--provider", "TJJ", "--period", "2024", "-o", &path.display().to_string()],
    ));
    assert!(t.contains("已写入填报模板") && t.contains("jili import"), "{t}");
    let bytes = std::fs::read(&path).unwrap();
    let filled = jili_testkit::filled::fill_template(&bytes, t::DATA_SHEET, t::MARKER_SHEET, 7, |row| {
        (row[2] == "GDP").then(|| row[6].parse::<f64>().ok().map(|v| (v * 1.05 * 10.0).round() / 10.0)).flatten()
    });
    let filled = write_file(&db, "已填报.xlsx", &filled);
    let out = jili(&db, &["import", &filled, "--provider", "TJJ", "--reason", "年报复核"]);
    let t = text_of(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("列映射：jili 填报模板") && t.contains("已入库"), "{t}");
    let board: serde_json::Value =
        serde_json::from_str(&ok(jili(&db, &["calendar", "board", "--year", "2024", "--json"]))).unwrap();
    let gdp = board["data"].as_array().unwrap().iter().find(|d| d["series"] == "GDP" && d["period"] == "2024").unwrap();
    assert!(gdp["revised"].as_u64().unwrap() > 0, "{gdp}");
    assert_eq!(gdp["progress"], "on_time", "a revision does not move the first delivery: {gdp}");
}
