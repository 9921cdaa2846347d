//! `jili serve --config FILE` as an operator runs it: settings from the file, `/readyz` and
//! `/healthz` on the site, `/metrics` on the metrics listener only, one JSON log line per request
//! with its id, user, route, status and latency — and no password, token or query string.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{jili, jili_with_stdin, stderr};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

const PASSWORD: &str = "运维测试用的足够长的密码";

/// One HTTP/1.1 request; the whole response (head and body).
fn http(addr: &str, request: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

fn get(addr: &str, path: &str, headers: &str) -> String {
    http(addr, &format!("GET {path} HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n"))
}

#[test]
fn serve_with_a_config_file_answers_probes_metrics_and_logs_json_lines() {
    let db = jili_testkit::TestDb::new();
    assert!(jili(&db, &["init"]).status.success());
    let added = jili_with_stdin(&db, &["user", "add", "ops.office", "--role", "office"], &format!("{PASSWORD}\n"));
    assert!(added.status.success(), "{}", stderr(&added));
    let config = db.dir().join("jili.toml");
    std::fs::write(
        &config,
        format!(
            "[database]\nurl = {:?}\n\n[server]\naddr = \"127.0.0.1:0\"\n\n[metrics]\nlisten = \"127.0.0.1:0\"\n\n[log]\nformat = \"json\"\n",
            db.url()
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jili"))
        .args(["serve", "--config", &config.display().to_string()])
        .current_dir(db.dir())
        .env_remove("JILI_DATABASE_URL")
        .env_remove("JILI_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut find = |prefix: &str| loop {
        let line = lines.next().expect("the server prints its addresses").unwrap();
        if let Some(rest) = line.strip_prefix(prefix) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    let site = find("网站已启动：http://");
    let ops = find("监控端口：http://");

    let ready = get(&site, "/readyz", "");
    assert!(ready.starts_with("HTTP/1.1 200") && ready.contains("\"migrations\":\"current\""), "{ready}");
    assert!(get(&site, "/healthz", "").starts_with("HTTP/1.1 200"));
    assert!(get(&ops, "/readyz", "").starts_with("HTTP/1.1 200"));
    assert!(get(&site, "/metrics", "").starts_with("HTTP/1.1 404"), "no metrics on the public listener");

    let login = format!(r#"{{"name":"ops.office","password":"{PASSWORD}"}}"#);
    let answer = http(
        &site,
        &format!(
            "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{login}",
            login.len()
        ),
    );
    let body = answer.split_once("\r\n\r\n").unwrap().1;
    let token = serde_json::from_str::<serde_json::Value>(body).unwrap()["token"].as_str().unwrap().to_string();
    let me = get(
        &site,
        "/api/me?token=QUERYSECRET",
        &format!("Authorization: Bearer {token}\r\nx-request-id: ops-test-1\r\n"),
    );
    assert!(me.starts_with("HTTP/1.1 200"), "{me}");
    assert!(me.to_ascii_lowercase().contains("x-request-id: ops-test-1"), "the id is sent back: {me}");
    let other = get(&site, "/", "");
    assert!(other.to_ascii_lowercase().contains("x-request-id: "), "a new id otherwise: {other}");

    let metrics = get(&ops, "/metrics", "");
    assert!(
        metrics.contains("jili_http_requests_total{route=\"/api/me\",method=\"GET\",status=\"200\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("jili_http_request_duration_seconds_count{route=\"/readyz\"} 1"), "{metrics}");
    assert!(metrics.contains("jili_heavy_work_duration_seconds_count{kind=\"import\"} 0"), "{metrics}");
    assert!(metrics.contains("jili_db_connections_max "), "{metrics}");

    // SIGTERM, as `systemctl stop jili` sends (the Ctrl-C case is in serve.rs): a clean exit.
    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    assert!(child.wait().unwrap().success(), "jili serve exits cleanly on SIGTERM");
    let mut log = String::new();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    let events: Vec<serde_json::Value> =
        log.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect();
    let me = events.iter().find(|e| e["request_id"] == "ops-test-1").expect("the request is logged");
    assert_eq!(me["user"], "ops.office");
    assert_eq!(me["route"], "/api/me");
    assert_eq!(me["status"], 200);
    assert!(me["latency_ms"].as_f64().unwrap() >= 0.0 && me["timestamp"].is_string(), "{me}");
    let login = events.iter().find(|e| e["route"] == "/api/login").expect("the login is logged");
    assert_eq!(login["status"], 200);
    for secret in [PASSWORD, token.as_str(), "QUERYSECRET"] {
        assert!(!log.contains(secret), "the log holds a secret: {log}");
    }
}

#[test]
fn a_config_file_with_an_unknown_key_or_a_password_is_refused() {
    let db = jili_testkit::TestDb::new();
    let bad = db.dir().join("bad.toml");
    std::fs::write(&bad, "[server]\naddr = \"127.0.0.1:0\"\nlisten_addr = \"127.0.0.1:0\"\n").unwrap();
    let out = jili(&db, &["serve", "--config", &bad.display().to_string()]);
    assert!(!out.status.success());
    let e = stderr(&out);
    assert!(e.contains("listen_addr") && e.contains("bad.toml") && e.contains("docs/operations.md"), "{e}");

    std::fs::write(&bad, "[database]\nurl = \"postgres://jili:hunter2@db/jili\"\n").unwrap();
    let out = jili(&db, &["serve", "--config", &bad.display().to_string()]);
    let e = stderr(&out);
    assert!(!out.status.success() && e.contains("url_file") && !e.contains("hunter2"), "{e}");
}
