//! `jili run` as a user runs it, on the demo database.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use common::*;
use std::process::Command;

#[test]
fn run_ranks_explains_and_summarises() {
    // What `jili demo` says it computed is checked in cli.rs, where the command runs.
    let db = demo_db();

    let out = jili(&db, &["run", "3", "--samples", "200"]);
    let t = text_of(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("【演示数据，非真实统计】") && t.contains("（示例）"), "demo and example are labelled: {t}");
    assert!(t.contains("分组“市州”：名额 4") && t.contains("分组“县市区”：名额 10"), "{t}");
    assert!(t.contains("一票否决“发生较大及以上生产安全事故”"), "{t}");
    assert!(t.contains("稳健性（200 个样本"), "{t}");
    assert!(t.contains("获得激励") && t.contains("500"), "{t}");

    let out = jili(&db, &["run", "3", "--samples", "0", "--explain", "湘西土家族苗族自治州"]);
    let t = text_of(&out);
    assert!(out.status.success(), "{t}");
    assert!(
        t.contains("433100") && t.contains("规模以上工业增加值增速") && t.contains("2024年规模以上工业增加值增速 "),
        "{t}"
    );
    assert!(t.contains("拉低得分的指标"), "{t}");

    let out = jili(&db, &["run", "all", "--samples", "0"]);
    let t = text_of(&out);
    assert!(out.status.success(), "{t}");
    assert!(t.contains("奖励资金合计") && t.lines().count() > 22, "{t}");

    let out = jili(&db, &["run", "3", "--samples", "0", "--json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["measure"], 3);
    assert_eq!(json["units"].as_array().unwrap().len(), 136);
}

#[test]
fn bad_requests_say_what_is_wrong() {
    let db = demo_db();

    // A lead department checks and trials its draft before submitting; nothing is stored.
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("measure-03.toml");
    let text = include_str!("../../../../data/plans/2024/measure-03.toml");
    std::fs::write(&draft, text).unwrap();
    let out = jili(&db, &["plan", "check", draft.to_str().unwrap(), "--trial"]);
    let t = text_of(&out);
    assert!(out.status.success(), "{t}");
    assert!(
        t.contains("方案检查通过") && t.contains("试算结果（不保存、不公布") && t.contains("奖励合计 3000 万元"),
        "{t}"
    );
    std::fs::write(&draft, text.replacen("weight = 0.2", "weight = 0.3", 1)).unwrap();
    let out = jili(&db, &["plan", "check", draft.to_str().unwrap()]);
    let t = text_of(&out);
    assert!(!out.status.success() && t.contains("指标权重之和为 1.1000") && t.contains("measure-03.toml 第"), "{t}");
    // Checking stored nothing: the plan of measure 3 is still its first version.
    let out = jili(&db, &["plan", "show", "3"]);
    assert!(text_of(&out).contains("版本 v1"), "{}", text_of(&out));

    for (args, want) in [
        (&["run", "x"][..], "措施序号“x”应为 1–20 的数字，或 all 表示全部措施"),
        (&["run", "21"][..], "没有第 21 条"),
        (&["run", "3", "--samples", "0", "--explain", "999999"][..], "没有代码或名称为“999999”的单位"),
        (&["run", "3", "--samples", "0", "--explain", "YQ43010402"][..], "不在第 3 条措施的评价范围内"),
        (&["run", "3", "--samples", "200000"][..], "稳健性分析最多 100000 个样本"),
    ] {
        let out = jili(&db, args);
        let t = text_of(&out);
        assert!(!out.status.success(), "{args:?}");
        assert!(t.contains(want) && !t.contains("panicked"), "{args:?}: {t}");
    }
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let db = demo_db();
    // As `jili run 3 --json | head -c 16`: the reader goes away after a few bytes of an output
    // much larger than a pipe's buffer.
    let mut child = Command::new(env!("CARGO_BIN_EXE_jili"))
        .args(["--db", &db.url(), "run", "3", "--samples", "0", "--json"])
        .env_remove("JILI_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}
