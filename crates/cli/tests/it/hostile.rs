//! The hostile-input suite through the command line, as a provider's clerk would meet it:
//! `jili import` of each attack is refused with a message naming the file and the limit, the
//! process's peak memory stays within the budget, nothing is stored, and the audit chain still
//! verifies afterwards. Also an overlong reason and a 6,000-indicator plan.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use common::*;
use jili_testkit::{TestDb, hostile};
use std::process::Command;

/// What one refusal may cost the whole `jili` process, in MiB (the issue's budget).
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

/// One HTTP/1.1 request on a fresh connection to a running `jili serve`; status and body.
fn http(addr: &str, head: &str, body: &[u8]) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.write_all(format!("{head}Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()).as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let out = String::from_utf8_lossy(&out).into_owned();
    let status = out.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

/// A multipart form of text fields and one file.
fn multipart(fields: &[(&str, &str)], file: (&str, &[u8])) -> (String, Vec<u8>) {
    let boundary = "jili-hostile-boundary-7d1a";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n", file.0)
            .as_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The resident memory figures of a process, in MiB: (now, peak).
fn memory_of(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib = |key: &str| {
        status.lines().find(|l| l.starts_with(key)).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
    };
    (kib("VmRSS:").unwrap() / 1024.0, kib("VmHWM:").unwrap() / 1024.0)
}

#[test]
fn a_running_server_refuses_every_hostile_upload_within_the_budget_and_keeps_answering() {
    use std::io::BufRead;
    let db = TestDb::new();
    assert!(jili(&db, &["init"]).status.success());
    for (name, role, scope) in [("p.tjj", "provider", "TJJ"), ("l.gxt", "lead", "GXT")] {
        let out =
            jili_with_stdin(&db, &["user", "add", name, "--role", role, "--scope", scope], "一个足够长的密码 2024\n");
        assert!(out.status.success(), "{}", text_of(&out));
    }
    let mut server = Command::new(env!("CARGO_BIN_EXE_jili"))
        .args(["--db", &db.url(), "serve", "--addr", "127.0.0.1:0"])
        .env_remove("JILI_DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(server.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("jili serve prints its address").unwrap();
        if let Some(rest) = line.strip_prefix("网站已启动：http://") {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    let token = |name: &str| {
        let login = format!(r#"{{"name":"{name}","password":"一个足够长的密码 2024"}}"#);
        let (status, body) =
            http(&addr, "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n", login.as_bytes());
        assert_eq!(status, 200, "{body}");
        body.split("\"token\":\"").nth(1).unwrap().split('"').next().unwrap().to_string()
    };
    let (provider, lead) = (token("p.tjj"), token("l.gxt"));
    let (before, _) = memory_of(server.id());

    for h in hostile::files() {
        let (content_type, body) = multipart(&[("provider", "TJJ"), ("dry_run", "true")], (&h.file, &h.bytes));
        let head = format!(
            "POST /api/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {provider}\r\nContent-Type: {content_type}\r\n"
        );
        let (status, answer) = http(&addr, &head, &body);
        assert!(status == 200 || status == 422, "{}: {status} {answer}", h.what);
        assert!(answer.contains("\"rejected\":true") || status == 422, "{}: refused: {answer}", h.what);
        assert!(
            h.names.is_empty() || h.names.iter().any(|n| answer.contains(n)),
            "{}: names one of {:?}: {answer}",
            h.what,
            h.names
        );
    }
    // A 2 MB reason, through the web (a command line cannot carry one).
    let reason = "理".repeat(2 * 1024 * 1024 / 3);
    let (content_type, body) = multipart(
        &[("provider", "TJJ"), ("reason", &reason)],
        ("gdp.csv", "地区,指标,年份,数值\n长沙市,地区生产总值,2024,1\n".as_bytes()),
    );
    let head = format!(
        "POST /api/imports HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {provider}\r\nContent-Type: {content_type}\r\n"
    );
    let (status, answer) = http(&addr, &head, &body);
    assert!(status >= 400 && answer.contains("text_chars"), "{status} {answer}");
    // A lead's 6,000-indicator trial.
    let plan = hostile::plan_with_indicators(6000);
    let head = format!(
        "POST /api/plans/3/trial HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {lead}\r\nContent-Type: text/plain\r\n"
    );
    let (status, answer) = http(&addr, &head, plan.as_bytes());
    assert!(status >= 400 && answer.contains("plan_bytes"), "{status} {answer}");

    let (_, peak) = memory_of(server.id());
    println!("server memory: {before:.0} MiB before the attacks, peak {peak:.0} MiB");
    assert!(peak - before <= BUDGET_MIB, "the refusals cost the server {:.0} MiB (budget {BUDGET_MIB})", peak - before);
    let (status, page) = http(&addr, "GET / HTTP/1.1\r\nHost: x\r\n", b"");
    assert!(status == 200 && page.contains("激励"), "the site still answers: {status}");
    server.kill().unwrap();
    server.wait().unwrap();
    let out = jili(&db, &["audit", "verify"]);
    assert!(out.status.success(), "{}", text_of(&out));
}
