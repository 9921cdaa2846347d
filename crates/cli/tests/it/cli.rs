//! The `jili` binary as a user runs it.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use common::*;
use std::process::{Command, Output};

#[test]
fn demo_then_browse_the_programme_plans_and_units() {
    let db = jili_testkit::TestDb::new();
    let out = jili(&db, &["demo", "--no-serve"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("市州 14、县市区 122"), "{text}");
    assert!(text.contains("湘政办发〔2024〕16号") && text.contains("措施 20 条"), "{text}");
    assert!(text.contains("演示数据") && text.contains("宜章县"), "{text}");
    // Moved here from the run and governance tests, which now start from a copy of the demo.
    assert!(text.contains("20 条措施已按示例方案计算"), "{text}");

    let out = jili(&db, &["programme", "show", "2024"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        text.contains("省人力资源社会保障厅") && text.contains("创新型省份建设专项资金") && text.contains("通报表扬"),
        "{text}"
    );

    let out = jili(&db, &["plan", "show", "16"]);
    let text = stdout(&out);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(text.contains("【示例方案】") && text.contains("一票否决") && text.contains("省应急管理厅"), "{text}");

    let out = jili(&db, &["units", "--level", "市州", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let units: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(units.as_array().unwrap().len(), 14);

    let out = jili(&db, &["units", "--level", "县区"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("未知的单位层级“县区”"), "{}", stderr(&out));

    let out = jili(&db, &["units", "--plate", "长株潭", "--level", "县市区"]);
    assert!(stdout(&out).contains("共 23 个"), "{}", stdout(&out));
}

#[test]
fn demo_twice_prints_the_same_content_hash() {
    // The first build is the suite's shared one (`jili demo --no-serve` on a new file); the
    // second runs `jili demo` again over that database, as a user who repeats the command does.
    let db = crate::common::demo_db();
    let content = |o: &Output| {
        assert!(o.status.success(), "{}", stderr(o));
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        v["content_hash"].as_str().unwrap().to_string()
    };
    let first = content(&jili(&db, &["status", "--json"]));
    let second = content(&jili(&db, &["demo", "--json", "--no-serve"]));
    assert_eq!(first, second);
    // The database file alone is whole: the write-ahead log was checkpointed on exit.
    let copy = jili_testkit::TestDb::new();
    std::fs::copy(db.path(), copy.path()).unwrap();
    assert_eq!(content(&jili(&copy, &["status", "--json"])), first);
    let status = jili(&db, &["status"]);
    assert!(stdout(&status).contains(&first) && stdout(&status).contains("审计核验通过"), "{}", stdout(&status));
}

#[test]
fn bad_input_fails_with_a_clear_message() {
    let db = jili_testkit::TestDb::new();
    let out = jili(&db, &["programme", "show"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("jili demo") && stderr(&out).contains("不存在"), "{}", stderr(&out));
    assert!(!db.path().exists(), "a read-only command must not create an empty database");

    let out =
        Command::new(env!("CARGO_BIN_EXE_jili")).args(["--db", "postgres://localhost/x", "status"]).output().unwrap();
    assert!(!out.status.success());
    assert!(stderr(&out).contains("PostgreSQL"), "{}", stderr(&out));
}
