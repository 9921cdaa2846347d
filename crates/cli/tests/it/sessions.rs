//! Passwords and the access log from the command line: a user changes their own password (the
//! current one first, on standard input), the office resets one, and `jili audit access`
//! searches and exports the access log — failed and successful changes, resets and dry-run
//! imports — with formula-like text neutralised in the exports; the audit chain verifies after.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use common::*;
use jili_testkit::TestDb;
use std::process::Output;

const PASSWORD: &str = "a long password";
const NEW_PASSWORD: &str = "another long password";

#[track_caller]
fn ok(out: Output) -> String {
    let t = text_of(&out);
    assert!(out.status.success(), "expected success: {t}");
    assert!(!t.contains("panicked"), "{t}");
    t
}

#[track_caller]
fn refused(out: Output, want: &str) -> String {
    let t = text_of(&out);
    assert_eq!(out.status.code(), Some(1), "expected a refusal containing “{want}”: {t}");
    assert!(t.contains(want), "expected “{want}” in: {t}");
    assert!(!t.contains("panicked") && !t.contains("RUST_BACKTRACE"), "{t}");
    t
}

/// The two lines `jili user password` reads: the current password, then the new one.
fn lines(current: &str, new: &str) -> String {
    format!("{current}\n{new}\n")
}

#[test]
fn passwords_are_changed_and_reset_and_the_access_log_is_searched_and_exported() {
    let db = TestDb::new();
    ok(jili(&db, &["init"]));
    ok(jili_with_stdin(
        &db,
        &["user", "add", "li.tjj", "--role", "provider", "--scope", "TJJ"],
        &format!("{PASSWORD}\n"),
    ));

    // A user changes their own: the current password is checked first.
    refused(
        jili_with_stdin(&db, &["user", "password", "li.tjj"], &lines("wrong password", NEW_PASSWORD)),
        "当前密码不正确",
    );
    refused(jili_with_stdin(&db, &["user", "password", "li.tjj"], &lines(PASSWORD, "short")), "密码太短");
    refused(jili_with_stdin(&db, &["user", "password", "nobody"], &lines(PASSWORD, NEW_PASSWORD)), "没有用户“nobody”");
    let t = ok(jili_with_stdin(&db, &["user", "password", "li.tjj"], &lines(PASSWORD, NEW_PASSWORD)));
    assert!(t.contains("已修改 li.tjj 的密码"), "{t}");
    refused(
        jili_with_stdin(&db, &["user", "password", "li.tjj"], &lines(PASSWORD, "yet another password")),
        "当前密码不正确",
    );

    // The office resets it (a user who forgot theirs).
    refused(jili_with_stdin(&db, &["user", "reset-password", "li.tjj"], ""), "没有读到密码");
    refused(jili_with_stdin(&db, &["user", "reset-password", "nobody"], &format!("{PASSWORD}\n")), "没有用户“nobody”");
    let t = ok(jili_with_stdin(&db, &["user", "reset-password", "li.tjj"], &format!("{PASSWORD}\n")));
    assert!(t.contains("已重置 li.tjj 的密码"), "{t}");
    ok(jili_with_stdin(&db, &["user", "password", "li.tjj"], &lines(PASSWORD, NEW_PASSWORD)));

    // A user whose name a spreadsheet would take as a formula tries a wrong password.
    ok(jili_with_stdin(&db, &["user", "add", "=cmd|calc", "--role", "auditor"], &format!("{PASSWORD}\n")));
    refused(
        jili_with_stdin(&db, &["user", "password", "=cmd|calc"], &lines("not it at all", NEW_PASSWORD)),
        "当前密码不正确",
    );
    // A dry run.
    let file = write_file(&db, "地区生产总值.csv", "地区,指标,年份,数值\n长沙市,地区生产总值,2030,16000\n".as_bytes());
    ok(jili(&db, &["import", &file, "--provider", "TJJ", "--dry-run", "--partial"]));

    let t = ok(jili(&db, &["audit", "access"]));
    for want in ["修改密码", "密码错误", "重置密码", "试导入", "本机命令行", "li.tjj", "地区生产总值.csv", "共 7 条"]
    {
        assert!(t.contains(want), "{want} in: {t}");
    }
    let t = ok(jili(&db, &["audit", "access", "--event", "password_change", "--outcome", "wrong_password", "--json"]));
    let page: serde_json::Value = serde_json::from_str(&t).unwrap();
    assert_eq!(page["matching"], 3, "{t}");
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries[0]["user_name"], "=cmd|calc");
    assert!(
        entries[1..]
            .iter()
            .all(|e| e["user_name"] == "li.tjj" && e["role"] == "provider" && e["target"] == "user/li.tjj")
    );
    let t = ok(jili(&db, &["audit", "access", "--event", "dry_run", "--json"]));
    let page: serde_json::Value = serde_json::from_str(&t).unwrap();
    let detail = page["entries"][0]["detail"].as_str().unwrap();
    let sha = jili_app::intake::upload_sha256("地区,指标,年份,数值\n长沙市,地区生产总值,2030,16000\n".as_bytes());
    assert!(detail.contains(&sha) && detail.contains("错误 0"), "{detail}");
    let t = ok(jili(&db, &["audit", "access", "--user", "nobody"]));
    assert!(t.contains("没有符合条件的访问日志"), "{t}");
    refused(jili(&db, &["audit", "access", "--from", "2024-02-30"]), "不是有效日期");
    refused(jili(&db, &["audit", "access", "--event", "hack"]), "没有事件“hack”");

    let csv = db.dir().join("访问日志.csv");
    let t = ok(jili(&db, &["audit", "access", "--csv", csv.to_str().unwrap()]));
    assert!(t.contains("已导出访问日志"), "{t}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("\u{feff}编号,") && text.lines().count() == 8, "{text}");
    assert!(text.contains(",'=cmd|calc,") && !text.contains(",=cmd"), "{text}");
    let xlsx = db.dir().join("访问日志.xlsx");
    ok(jili(&db, &["audit", "access", "--event", "dry_run", "--xlsx", xlsx.to_str().unwrap()]));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));

    // Password changes and resets are user changes in the audit chain (without the hash).
    let t = ok(jili(&db, &["audit", "log"]));
    assert!(t.contains("user.password") && t.contains("user.reset"), "{t}");
    assert!(!t.contains("argon2"), "{t}");
    assert!(ok(jili(&db, &["audit", "verify"])).contains("审计核验通过"));
}
