//! `jili release` as the office runs it on the demo database: the calendar, a release, a refused
//! second release, a refused correction with nothing to correct, a value revised by a provider's
//! file and the correction, the list and a release written as a file.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use common::*;

#[track_caller]
fn ok(out: std::process::Output) -> String {
    let t = text_of(&out);
    assert!(out.status.success() && !t.contains("panicked"), "expected success: {t}");
    t
}

#[track_caller]
fn refused(out: std::process::Output, want: &str) {
    let t = text_of(&out);
    assert_eq!(out.status.code(), Some(1), "expected a refusal containing “{want}”: {t}");
    assert!(t.contains(want) && !t.contains("panicked"), "expected “{want}” in: {t}");
}

#[test]
fn the_office_releases_corrects_and_lists_from_the_command_line() {
    let db = demo_db();
    let t = ok(jili(&db, &["release", "calendar", "--years", "2024"]));
    assert!(t.contains("主要指标数据季度通报（quarterly）") && t.contains("GDP_Q 地区生产总值（季度）"), "{t}");
    assert!(!t.contains("SME_LOAN_Q"), "the confidential series is not in the calendar: {t}");
    assert!(t.contains("2024年第3季度") && t.contains("2024-11-14") && t.contains("逾期未通报"), "{t}");

    let t = ok(jili(&db, &["release", "make", "--cutoff", "2024-Q3"]));
    assert!(t.contains("编号 1：主要指标数据季度通报（2024年第3季度）第 1 版") && t.contains("【演示数据"), "{t}");
    refused(jili(&db, &["release", "make", "--cutoff", "2024-Q3"]), "已通报第 1 版");
    refused(jili(&db, &["release", "correct", "--cutoff", "2024-Q3", "--reason", "复核"]), "无需更正");

    // 株洲市's third quarter revised by 省统计局, then the correction.
    let file = write_file(
        &db,
        "修订.csv",
        "地区,指标,时期,数值\n株洲市,地区生产总值（季度）,2024年第3季度,1400.5\n".as_bytes(),
    );
    ok(jili(&db, &["import", &file, "--provider", "TJJ", "--partial", "--reason", "核实后修订"]));
    let t = ok(jili(&db, &["release", "correct", "--cutoff", "2024-Q3", "--reason", "省统计局修订株洲市第3季度数据"]));
    assert!(t.contains("编号 2：") && t.contains("第 2 版") && t.contains("省统计局修订株洲市第3季度数据"), "{t}");

    let t = ok(jili(&db, &["release", "list"]));
    assert!(t.contains("已更正（见编号 2）") && t.contains("现行"), "{t}");
    let t = ok(jili(&db, &["release", "show", "1", "--series", "GDP_Q"]));
    assert!(t.contains("已更正：本版已由第 2 版（编号 2）取代") && t.contains("株洲市"), "{t}");
    let t = ok(jili(&db, &["release", "show", "--series", "GDP_Q"]));
    assert!(t.contains("1400.5"), "the newest release shows the revised value: {t}");

    let out = db.dir().join("通报.sdmx.csv");
    ok(jili(&db, &["release", "show", "2", "--out", &out.display().to_string()]));
    let sdmx = std::fs::read_to_string(&out).unwrap();
    assert!(sdmx.contains(",430200,GDP_Q,2024-Q3,1400.5,A,CNY_E8"), "{sdmx}");
    refused(jili(&db, &["release", "show", "2", "--out", "通报.txt"]), ".csv、.xlsx 或 .sdmx.csv");
    let t = ok(jili(&db, &["audit", "verify"]));
    assert!(t.contains("审计核验通过"), "{t}");
}
