//! `jili demo` as the README runs it: builds the demo, prints one login per role, serves the
//! site, answers requests, and stops cleanly on Ctrl-C (SIGINT).
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

/// One HTTP/1.1 request on a fresh connection; the status line and the body.
fn http(addr: &str, request: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out.lines().next().unwrap_or("").to_string();
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

#[test]
fn the_demo_serves_the_site_with_a_login_per_role_and_stops_on_ctrl_c() {
    let db = jili_testkit::TestDb::new();
    let mut child = Command::new(env!("CARGO_BIN_EXE_jili"))
        .args(["--db", &db.url(), "demo", "--addr", "127.0.0.1:0"])
        .env_remove("JILI_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    let addr = loop {
        let Some(Ok(line)) = lines.next() else {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
            panic!("jili demo ended before serving:\n{printed}\n{err}");
        };
        printed.push_str(&line);
        printed.push('\n');
        if let Some(rest) = line.strip_prefix("网站已启动：http://") {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    for account in ["demo-office", "demo-fgw", "demo-tjj", "demo-audit", "demo-changsha"] {
        assert!(printed.contains(account), "{account} is printed: {printed}");
    }
    assert!(printed.contains(jili_app::demo::DEMO_PASSWORD), "{printed}");

    let (status, body) = http(&addr, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    assert!(status.contains("200"), "{status}");
    assert!(body.contains("演示"), "the demo is labelled");
    let login = r#"{"name":"demo-office","password":"jili-demo-2024"}"#;
    let (status, body) = http(
        &addr,
        &format!(
            "POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{login}",
            login.len()
        ),
    );
    assert!(status.contains("200") && body.contains("\"token\""), "{status} {body}");

    let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(status.success(), "a clean exit on Ctrl-C: {status:?}");
    assert!(rest.iter().any(|l| l.contains("网站已停止")), "{rest:?}");
    assert!(TcpStream::connect(&addr).is_err(), "the port is closed");
}
