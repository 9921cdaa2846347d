//! The governance story as the office runs it from the command line: users and roles; a lead
//! department's plan drafted, refused at submission for a process indicator (会议), fixed,
//! trialled, submitted, returned with a comment, revised, approved and compared; a budget line;
//! a run on the approved version; a publication, a refused second one without a reason, a
//! commendation, an override and the correction; the audit log verified and exported; a run
//! reproduced byte for byte; and finally a value changed with raw SQL, which verification names.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use common::*;
use jili_testkit::TestDb;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use std::process::Output;

const PASSWORD: &str = "a long password\n";

/// The example plan of measure 3, as a lead department starts from it.
const PLAN_3: &str = include_str!("../../../../data/plans/2024/measure-03.toml");

/// Succeeds, with its text (both streams) for the next assertions.
#[track_caller]
fn ok(out: Output) -> String {
    let t = text_of(&out);
    assert!(out.status.success(), "expected success: {t}");
    assert!(!t.contains("panicked"), "{t}");
    t
}

/// Fails with a message naming `want` (and no panic or stack trace), exit code 1 (an error of
/// the request, not of the command line's syntax).
#[track_caller]
fn refused(out: Output, want: &str) -> String {
    let t = text_of(&out);
    assert!(!out.status.success(), "expected a refusal containing “{want}”, got success: {t}");
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains(want), "expected “{want}” in: {t}");
    assert!(!t.contains("panicked") && !t.contains("RUST_BACKTRACE"), "{t}");
    t
}

/// The second office user of the test (four eyes).
const CHECKER: &str = "复核人";

/// The id in `jili publish`'s answer “已提交发布申请 N：…”.
fn request_id(text: &str) -> String {
    let rest = text.split("已提交发布申请 ").nth(1).unwrap_or_else(|| panic!("no request in: {text}"));
    rest.chars().take_while(char::is_ascii_digit).collect()
}

/// The number after `运行 #` in `jili run`'s header.
fn run_id(text: &str) -> i64 {
    let rest = &text[text.find("运行 #").unwrap_or_else(|| panic!("no run number in: {text}")) + "运行 #".len()..];
    rest.chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

#[test]
fn users_are_added_listed_disabled_and_bad_requests_are_explained() {
    let db = TestDb::new();
    ok(jili(&db, &["init"]));

    let t = ok(jili_with_stdin(&db, &["user", "add", "zhang.gxt", "--role", "lead", "--scope", "GXT"], PASSWORD));
    assert!(t.contains("已新增用户 zhang.gxt") && t.contains("牵头单位（GXT）"), "{t}");
    let t = ok(jili_with_stdin(
        &db,
        &["user", "add", "li.tjj", "--role", "provider", "--scope", "TJJ", "--display", "李四"],
        PASSWORD,
    ));
    assert!(t.contains("数据提供部门（TJJ）"), "{t}");
    ok(jili_with_stdin(&db, &["user", "add", "cs", "--role", "unit", "--scope", "430100"], PASSWORD));
    ok(jili_with_stdin(&db, &["user", "add", "wang.jw", "--role", "auditor"], PASSWORD));

    let t = ok(jili(&db, &["user", "list"]));
    assert!(t.contains("zhang.gxt") && t.contains("李四") && t.contains("430100") && t.contains("wang.jw"), "{t}");
    assert!(!t.contains("已停用"), "{t}");

    let t = ok(jili(&db, &["user", "disable", "zhang.gxt"]));
    assert!(t.contains("已停用 zhang.gxt"), "{t}");
    let t = ok(jili(&db, &["user", "list"]));
    let line = t.lines().find(|l| l.starts_with("zhang.gxt")).unwrap();
    assert!(line.contains("已停用"), "{t}");
    ok(jili(&db, &["user", "enable", "zhang.gxt"]));
    let t = ok(jili(&db, &["user", "list"]));
    assert!(!t.contains("已停用"), "{t}");

    // Bad requests: each is refused with a message saying what is wrong, and nothing is stored.
    let user_add = |name: &str, role: &str, scope: &str, password: &str| {
        let mut args = vec!["user", "add", name, "--role", role];
        if !scope.is_empty() {
            args.extend(["--scope", scope]);
        }
        jili_with_stdin(&db, &args, password)
    };
    refused(user_add("x1", "boss", "GXT", PASSWORD), "没有角色“boss”");
    refused(user_add("x2", "lead", "NOPE", PASSWORD), "没有部门代码“NOPE”");
    refused(user_add("x3", "lead", "", PASSWORD), "需要用 --scope 指定所属牵头部门的代码");
    refused(user_add("x4", "unit", "999999", PASSWORD), "没有评价对象代码“999999”");
    refused(user_add("x5", "lead", "GXT", "short\n"), "密码太短");
    refused(user_add("x6", "lead", "GXT", ""), "没有读到密码");
    refused(user_add("zhang.gxt", "lead", "GXT", PASSWORD), "已存在");
    refused(user_add("bad name", "lead", "GXT", PASSWORD), "无效");
    refused(jili(&db, &["user", "disable", "nobody"]), "没有用户“nobody”");
    let t = ok(jili(&db, &["user", "list"]));
    assert_eq!(t.lines().filter(|l| l.contains("启用")).count(), 4, "only the four users: {t}");

    let t = ok(jili(&db, &["audit", "log"]));
    assert!(t.contains("user.add") && t.contains("user.disable") && t.contains("user.enable"), "{t}");
    assert!(ok(jili(&db, &["audit", "verify"])).contains("审计核验通过"));
}

#[test]
fn a_plan_is_reviewed_run_published_corrected_audited_and_tampering_is_found() {
    // What `jili demo` says it computed is checked in cli.rs, where the command runs.
    let db = demo_db();

    // 1. A draft with a process indicator (会议) is stored but cannot be submitted.
    let bad = write_file(
        &db,
        "measure-03-bad.toml",
        PLAN_3.replacen("name = \"工业技术改造投资增速\"", "name = \"工业技术改造推进会议召开次数\"", 1).as_bytes(),
    );
    let t = ok(jili(&db, &["plan", "draft", &bad]));
    assert!(t.contains("新建草稿") && t.contains("第 2 版") && t.contains("1 个错误"), "{t}");
    let t = refused(jili(&db, &["plan", "submit", "3"]), "不能提交");
    assert!(t.contains("会议") && t.contains("过程性"), "{t}");
    let t = ok(jili(&db, &["plan", "history", "3"]));
    assert!(t.contains("第 2 版  草稿"), "still a draft: {t}");

    // 2. Fixed, trialled (nothing stored), saved over the draft, submitted.
    let fixed_text = PLAN_3.replacen("name = \"工业技术改造投资增速\"", "name = \"工业技术改造投资增速（修订）\"", 1);
    let fixed = write_file(&db, "measure-03.toml", fixed_text.as_bytes());
    let t = ok(jili(&db, &["plan", "trial", &fixed]));
    assert!(t.contains("试算") && t.contains("不保存") && t.contains("奖励合计 3000 万元"), "{t}");
    assert!(!t.contains("【错误】"), "{t}");
    let t = ok(jili(&db, &["plan", "draft", &fixed]));
    assert!(t.contains("更新草稿") && t.contains("第 2 版") && t.contains("0 个错误"), "{t}");
    let t = ok(jili(&db, &["plan", "submit", "3"]));
    assert!(t.contains("已提交审核") && t.contains("第 2 版"), "{t}");

    // 3. Review mistakes are refused: an unknown version, a return without a comment, a second submission.
    refused(jili(&db, &["plan", "return", "3", "--version", "9", "--comment", "请修改"]), "没有第 9 版");
    let out = jili(&db, &["plan", "return", "3", "--version", "2"]);
    assert!(!out.status.success() && stderr(&out).contains("--comment"), "{}", text_of(&out));
    refused(jili(&db, &["plan", "return", "3", "--version", "2", "--comment", "  "]), "必须写明意见");
    refused(jili(&db, &["plan", "return", "3", "--version", "1", "--comment", "请修改"]), "已公布");
    refused(jili(&db, &["plan", "submit", "3"]), "已提交待审");

    // 4. Returned with a comment; the lead revises (a new version 3), submits; approving the
    //    draft before submission is refused, approving the submitted version succeeds.
    let t = ok(jili(&db, &["plan", "return", "3", "--version", "2", "--comment", "请补充最低得分要求"]));
    assert!(t.contains("已退回") && t.contains("请补充最低得分要求"), "{t}");
    let revised = write_file(
        &db,
        "measure-03.toml",
        fixed_text.replacen("tie_break = ", "min_score = 30\ntie_break = ", 1).as_bytes(),
    );
    let t = ok(jili(&db, &["plan", "draft", &revised]));
    assert!(t.contains("新建草稿") && t.contains("第 3 版"), "a returned version is not edited: {t}");
    refused(jili(&db, &["--actor", CHECKER, "plan", "approve", "3", "--version", "3"]), "草稿");
    assert!(ok(jili(&db, &["plan", "submit", "3"])).contains("已提交审核"));
    // Four eyes: who drafted and submitted the version cannot approve it; a second user can.
    refused(jili(&db, &["plan", "approve", "3", "--version", "3", "--comment", "同意"]), "双人把关");
    let t = ok(jili(&db, &["--actor", CHECKER, "plan", "approve", "3", "--version", "3", "--comment", "同意"]));
    assert!(t.contains("已批准") && t.contains("第 3 版"), "{t}");
    refused(jili(&db, &["--actor", CHECKER, "plan", "approve", "3", "--version", "3"]), "已批准");

    let t = ok(jili(&db, &["plan", "history", "3"]));
    assert!(t.contains("3 个版本"), "{t}");
    for want in ["第 1 版  已公布", "第 2 版  已退回修改", "第 3 版  已批准", "请补充最低得分要求", "同意"]
    {
        assert!(t.contains(want), "“{want}” in the history: {t}");
    }
    let t = ok(jili(&db, &["plan", "diff", "3", "1", "3"]));
    assert!(t.contains("2 处改动") && t.contains("工业技术改造投资增速（修订）") && t.contains("min_score"), "{t}");
    let t = ok(jili(&db, &["plan", "diff", "3", "2", "3"]));
    assert!(t.contains("1 处改动") && t.contains("min_score") && !t.contains("（修订）"), "{t}");
    refused(jili(&db, &["plan", "diff", "3", "1", "9"]), "第 1 版、第 2 版、第 3 版");

    // 5. A budget line, shown against the plans' most payout; a bad amount is refused.
    refused(jili(&db, &["budget", "set", "3", "abc", "--basis", "湘财预〔2024〕1号"]), "“abc”");
    refused(jili(&db, &["budget", "set", "3", "100", "--basis", " "]), "依据");
    refused(jili(&db, &["budget", "set", "21", "100", "--basis", "湘财预〔2024〕1号"]), "没有第 21 条");
    let t = ok(jili(&db, &["budget", "set", "3", "100", "--basis", "湘财预〔2024〕1号"]));
    assert!(
        t.contains("已登记") && t.contains("100 万元") && t.contains("湘财预〔2024〕1号") && t.contains("超出此额度"),
        "{t}"
    );
    let t = ok(jili(&db, &["budget", "show"]));
    let line = t.lines().find(|l| l.starts_with("3 ")).unwrap_or_else(|| panic!("{t}"));
    assert!(line.contains("100") && line.contains("3000") && line.contains("湘财预〔2024〕1号"), "{t}");

    // 6. The run uses the approved version.
    let t = ok(jili(&db, &["run", "3", "--samples", "0"]));
    assert!(t.contains("方案 v3") && t.contains("【演示数据，非真实统计】"), "{t}");
    let run = run_id(&t);
    assert!(run > 20, "a new run after the demo's 20: {run}");

    // 7. Publication; a second one without a reason is refused; a commendation and an override
    //    (each checked), then the correction, which shows both.
    assert!(ok(jili(&db, &["publish", "--show"])).contains("尚未发布"));
    // Only a published plan's results are published.
    let t = ok(jili(&db, &["plan", "publish", "3", "--version", "3"]));
    assert!(t.contains("已公布"), "{t}");
    // Awards beyond the budget line are not published; the line is raised, and it publishes.
    // Four eyes: the office asks, a second office user confirms (the one who asked cannot).
    let first = request_id(&ok(jili(&db, &["publish"])));
    refused(jili(&db, &["publish", "--confirm", &first]), "另一位");
    refused(jili(&db, &["--actor", CHECKER, "publish", "--confirm", &first]), "超出预算额度 100 万元");
    let t = ok(jili(&db, &["budget", "set", "3", "3000", "--basis", "湘财预〔2024〕2号"]));
    assert!(!t.contains("超出此额度"), "{t}");
    let t = ok(jili(&db, &["--actor", CHECKER, "publish", "--confirm", &first]));
    assert!(t.contains("第 1 版") && t.contains("首次发布") && t.contains(&format!("运行 {run}，方案第 3 版")), "{t}");
    refused(jili(&db, &["publish"]), "--reason");
    refused(jili(&db, &["publish", "--reason", "  "]), "--reason");

    refused(
        jili(&db, &["commend", "430100", "--inspection", "大督查", "--practice", "一件事一次办"]),
        "不在通知所列范围",
    );
    refused(jili(&db, &["commend", "999999", "--inspection", "国务院综合督查", "--practice", "x"]), "999999");
    refused(jili(&db, &["commend", "430100", "--inspection", "国务院综合督查", "--practice", " "]), "--practice");
    let t =
        ok(jili(&db, &["commend", "430100", "--inspection", "国务院综合督查", "--practice", "推行“一件事一次办”改革"]));
    assert!(t.contains("已登记通报表扬"), "{t}");

    refused(jili(&db, &["override", "9999", "430100", "--winner", "--reason", "更正"]), "没有运行 9999");
    refused(jili(&db, &["override", &run.to_string(), "999999", "--winner", "--reason", "更正"]), "999999");
    refused(jili(&db, &["override", &run.to_string(), "433100", "--winner", "--reason", " "]), "原因");
    let reason = "经核实，湘西州规模以上工业增加值增速数据有误，更正后列入";
    let t = ok(jili(&db, &["override", &run.to_string(), "433100", "--winner", "--reason", reason]));
    assert!(t.contains("已记录更正") && t.contains("433100"), "{t}");

    let second = request_id(&ok(jili(&db, &["publish", "--reason", "更正：第3条湘西州列入；登记通报表扬"])));
    let t = ok(jili(&db, &["--actor", CHECKER, "publish", "--confirm", &second]));
    assert!(t.contains("第 2 版") && t.contains("更正：第3条湘西州列入"), "{t}");
    let third = request_id(&ok(jili(&db, &["publish", "--reason", "再发一次"])));
    refused(jili(&db, &["--actor", CHECKER, "publish", "--confirm", &third]), "无需重新发布");
    let shown = ok(jili(&db, &["publish", "--show"]));
    assert!(shown.contains("第 2 版"), "{shown}");
    assert!(shown.contains("通报表扬：长沙市（国务院综合督查）：推行“一件事一次办”改革"), "{shown}");
    assert!(shown.contains(reason) && shown.contains("湘西土家族苗族自治州"), "{shown}");
    let json: serde_json::Value = serde_json::from_slice(&jili(&db, &["publish", "--show", "--json"]).stdout).unwrap();
    assert_eq!(json["version"], 2);
    let m3 = json["body"]["measures"].as_array().unwrap().iter().find(|m| m["measure"] == 3).unwrap();
    assert_eq!((m3["run"].as_i64(), m3["plan_version"].as_i64()), (Some(run), Some(3)));
    assert!(m3["winners"].as_array().unwrap().iter().any(|w| w["code"] == "433100"), "{m3}");

    // 8. The audit log: verified, exported (xlsx with its verification, csv), every step in it.
    let t = ok(jili(&db, &["audit", "verify"]));
    assert!(t.contains("审计核验通过"), "{t}");
    let xlsx = db.dir().join("审计日志.xlsx");
    let csv = db.dir().join("审计日志.csv");
    assert!(ok(jili(&db, &["audit", "export", xlsx.to_str().unwrap()])).contains("已导出审计日志"));
    assert!(ok(jili(&db, &["audit", "export", csv.to_str().unwrap()])).contains("已导出审计日志"));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"), "an xlsx is a zip");
    let log = String::from_utf8(std::fs::read(&csv).unwrap()).unwrap();
    for want in [
        "plan.submitted",
        "plan.returned",
        "请补充最低得分要求",
        "plan.approved",
        "budget.set",
        "commend",
        "result.override",
        "publish",
    ] {
        assert!(log.contains(want), "“{want}” in the exported log");
    }
    refused(jili(&db, &["audit", "export", db.dir().join("a.txt").to_str().unwrap()]), ".csv");

    // 9. Runs reproduce byte for byte: a demo run and the new one.
    for id in ["1".to_string(), run.to_string()] {
        let t = ok(jili(&db, &["run", "--reproduce", &id]));
        assert!(t.contains("逐字节相同") && t.contains("方案版本的 sha256：一致"), "{t}");
    }
    refused(jili(&db, &["run", "--reproduce", "9999"]), "没有运行 9999");

    // 10. A value changed behind the system's back: verification fails and names what changed.
    let series = tamper(&db);
    let t = refused(jili(&db, &["audit", "verify"]), "审计核验未通过");
    assert!(t.contains("1 处问题") && t.contains("batch/") && t.contains(&format!("observations:{series}")), "{t}");
    assert!(t.contains("记录为") && t.contains("现为"), "{t}");
}

/// `UPDATE observations SET value = value || '1' WHERE rowid = 5` on the closed database, as
/// someone with the file and sqlite3 would; returns the series of the changed value.
fn tamper(db: &TestDb) -> String {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let mut conn = SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(db.path())).await.unwrap();
        let series: String =
            sqlx::query_scalar("SELECT series FROM observations WHERE rowid = 5").fetch_one(&mut conn).await.unwrap();
        let done = sqlx::query("UPDATE observations SET value = value || '1' WHERE rowid = 5")
            .execute(&mut conn)
            .await
            .unwrap();
        assert_eq!(done.rows_affected(), 1);
        conn.close().await.unwrap();
        series
    })
}
