//! The hostile-input suite through the command line, as a provider's clerk would meet it:
//! `jili import` of each attack is refused with a message naming the file and the limit, the
//! process's peak memory stays within the budget, nothing is stored, and the audit chain still
//! verifies afterwards. Also an overlong reason and a 6,000-indicator plan.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

mod common;

use common::*;
use jili_testkit::{TestDb, hostile};
use std::process::Command;

/// What one refusal may cost the whole `jili` process, in MiB (the budget).
const BUDGET_MIB: f64 = 256.0;

/// `jili --db DB ARGS…` reporting its peak memory; the output and the peak in MiB.
fn jili_measured(db: &TestDb, args: &[&str]) -> (std::process::Output, f64) {
    let out = Command::new(env!("CARGO_BIN_EXE_jili"))
        .args(["--db", &db.url()])
        .args(args)
        .env_remove("JILI_DATABASE_URL")
        .env("JILI_PEAK_MEMORY", "1")
        .output()
        .expect("the jili binary runs");
    let err = stderr(&out);
    let peak = err
        .lines()
        .find_map(|l| l.strip_prefix("峰值内存 peak memory: "))
        .and_then(|l| l.trim_end_matches(" MiB").parse().ok())
        .unwrap_or_else(|| panic!("jili reports its peak memory: {err}"));
    (out, peak)
}

#[test]
fn every_hostile_file_is_refused_by_jili_import_within_the_budget() {
    let db = TestDb::new();
    let out = jili(&db, &["init"]);
    assert!(out.status.success(), "{}", text_of(&out));
    let before = status_json(&db);
    let mut report = Vec::new();
    for h in hostile::files() {
        let path = write_file(&db, &h.file, &h.bytes);
        let (out, peak) = jili_measured(&db, &["import", &path, "--provider", "TJJ"]);
        let text = text_of(&out);
        assert!(!out.status.success(), "{}: refused: {text}", h.what);
        assert!(text.contains("未入库") || text.contains("错误"), "{}: says nothing was stored: {text}", h.what);
        assert!(text.contains(&h.file), "{}: names the file: {text}", h.what);
        assert!(
            h.names.is_empty() || h.names.iter().any(|n| text.contains(n)),
            "{}: names one of {:?}: {text}",
            h.what,
            h.names
        );
        assert!(peak <= BUDGET_MIB, "{}: the refusal cost {peak:.0} MiB (budget {BUDGET_MIB} MiB)", h.what);
        report.push(format!("{:<44} {peak:>6.1} MiB", h.what));
        std::fs::remove_file(&path).unwrap();
    }
    println!("{}", report.join("\n"));
    let after = status_json(&db);
    assert_eq!(after["content_hash"], before["content_hash"], "nothing was stored");
    let out = jili(&db, &["audit", "verify"]);
    assert!(out.status.success(), "{}", text_of(&out));
}

#[test]
fn an_overlong_reason_and_a_six_thousand_indicator_plan_are_refused() {
    let db = TestDb::new();
    assert!(jili(&db, &["init"]).status.success());
    let csv = "地区,指标,年份,数值\n长沙市,地区生产总值,2024,15268.8\n";
    let file = write_file(&db, "gdp.csv", csv.as_bytes());
    // The shell passes at most 128 KiB in one argument; the 2 MB note goes through the web.
    let reason = "理".repeat(5000);
    let out = jili(&db, &["import", &file, "--provider", "TJJ", "--reason", &reason]);
    let text = text_of(&out);
    assert!(
        !out.status.success() && text.contains("修订原因") && text.contains("text_chars"),
        "{}",
        &text[..400.min(text.len())]
    );

    let plan = write_file(&db, "六千指标.toml", hostile::plan_with_indicators(6000).as_bytes());
    let (out, peak) = jili_measured(&db, &["plan", "check", &plan, "--trial"]);
    let text = text_of(&out);
    assert!(!out.status.success() && text.contains("plan_bytes"), "{text}");
    assert!(peak <= BUDGET_MIB, "{peak}");
    let plan = write_file(&db, "三百指标.toml", hostile::plan_with_indicators(300).as_bytes());
    let out = jili(&db, &["plan", "draft", &plan]);
    let text = text_of(&out);
    assert!(!out.status.success() && text.contains("300 个指标") && text.contains("plan_indicators"), "{text}");
}

#[test]
fn the_office_sets_its_own_limits_and_they_apply() {
    let db = TestDb::new();
    assert!(jili(&db, &["init"]).status.success());
    let out = jili(&db, &["limits", "show"]);
    assert!(
        out.status.success() && stdout(&out).contains("jili 默认值") && stdout(&out).contains("cells"),
        "{}",
        text_of(&out)
    );
    let limits = write_file(&db, "limits.toml", b"cells = 10\nfile_bytes = 1048576\n");
    let out = jili(&db, &["limits", "load", &limits]);
    assert!(out.status.success(), "{}", text_of(&out));
    let out = jili(&db, &["limits", "show"]);
    assert!(stdout(&out).contains("（默认 5,000,000）"), "{}", stdout(&out));
    let mut csv = String::from("地区,指标,年份,数值\n");
    for (name, _) in CITIES {
        csv.push_str(&format!("{name},地区生产总值,2024,100\n"));
    }
    let file = write_file(&db, "gdp.csv", csv.as_bytes());
    let out = jili(&db, &["import", &file, "--provider", "TJJ"]);
    let text = text_of(&out);
    assert!(!out.status.success() && text.contains("cells") && text.contains("超过上限 10"), "{text}");
    let bad = write_file(&db, "bad.toml", b"cells = 0\n");
    let out = jili(&db, &["limits", "load", &bad]);
    assert!(!out.status.success() && text_of(&out).contains("不能为 0"), "{}", text_of(&out));
    let out = jili(&db, &["audit", "verify"]);
    assert!(out.status.success(), "{}", text_of(&out));
}
