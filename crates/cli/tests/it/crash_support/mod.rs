//! Support for the crash test: the `jili` binary on any backend's URL, a server that can be
//! killed, an HTTP/1.1 client that tells an answered request from one cut by the kill, and raw
//! reads of the store that check nothing is half-stored.
#![allow(dead_code)]

use sqlx::{Connection, PgConnection, SqliteConnection};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// `jili --db URL ARGS…`, with `input` on standard input, ignoring the caller's JILI_DATABASE_URL.
pub fn jili(url: &str, args: &[&str], input: &str) -> Output {
    crate::common::jili_at_with_stdin(url, args, input)
}

/// Both streams of a finished command.
pub fn text_of(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A running `jili serve`, killed when dropped (a failing test leaves no server behind). Its
/// standard output is read until it says where it listens; its standard error goes to a log
/// file, shown when it fails to start.
pub struct Server {
    child: Child,
    pub addr: String,
}

impl Server {
    /// Start on a port the system picks, and wait until it says it listens.
    pub fn start(url: &str, log: &Path) -> Server {
        let err = std::fs::File::create(log).expect("the log file can be created");
        let child = Command::new(env!("CARGO_BIN_EXE_jili"))
            .args(["--db", url, "serve", "--addr", "127.0.0.1:0"])
            .env_remove("JILI_DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(err)
            .spawn()
            .expect("jili serve starts");
        let mut server = Server { child, addr: String::new() };
        let mut stdout = BufReader::new(server.child.stdout.take().expect("stdout is piped"));
        let mut line = String::new();
        while server.addr.is_empty() {
            line.clear();
            if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                panic!("jili serve ended before listening: {}", std::fs::read_to_string(log).unwrap_or_default());
            }
            if let Some(rest) = line.trim().strip_prefix("网站已启动：http://") {
                server.addr = rest.split('/').next().unwrap_or_default().to_string();
            }
        }
        // The pipe stays open (a closed one would fail the server's later prints), drained by
        // a thread that ends with the server.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        server
    }

    /// `kill -9`; returns the moment the signal was sent, once the process is gone.
    pub fn kill(mut self) -> Instant {
        let at = Instant::now();
        self.child.kill().expect("SIGKILL is delivered");
        let status = self.child.wait().expect("the killed server is reaped");
        assert!(!status.success(), "a killed server does not exit cleanly: {status:?}");
        at
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Already killed and reaped: both are no-ops.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What became of one request.
#[derive(Debug, Clone)]
pub struct Reply {
    /// When the whole request had been written; `None` when it could not be sent.
    pub sent: Option<Instant>,
    /// The status of a complete answer; `None` when the connection ended before one.
    pub status: Option<u16>,
    pub body: String,
    /// From the start of the connection to the end of the answer.
    pub took: Duration,
    /// When the answer was complete.
    pub answered: Option<Instant>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Sent before `at` and never answered: the server was working on it (or about to) when killed.
    pub fn cut_by(&self, at: Instant) -> bool {
        self.status.is_none() && self.sent.is_some_and(|s| s <= at)
    }
}

/// One request on a fresh connection (`Connection: close`), with a bearer token if given.
pub fn http(addr: &str, method: &str, path: &str, token: Option<&str>, kind: &str, body: &[u8]) -> Reply {
    let start = Instant::now();
    let mut reply = Reply { sent: None, status: None, body: String::new(), took: Duration::ZERO, answered: None };
    let Ok(mut s) = TcpStream::connect(addr) else { return reply };
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    if s.write_all(head.as_bytes()).and_then(|()| s.write_all(body)).is_err() {
        return reply;
    }
    reply.sent = Some(Instant::now());
    let _ = s.set_read_timeout(Some(Duration::from_secs(300)));
    let mut raw = Vec::new();
    let read = s.read_to_end(&mut raw);
    reply.took = start.elapsed();
    let text = String::from_utf8_lossy(&raw);
    let Some((headers, rest)) = text.split_once("\r\n\r\n") else { return reply };
    reply.body = rest.to_string();
    let length = headers.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse::<usize>().ok()).flatten()
    });
    let complete = match length {
        Some(n) => rest.len() >= n,
        None => read.is_ok(),
    };
    if complete {
        reply.status = headers.split_whitespace().nth(1).and_then(|c| c.parse().ok());
        reply.answered = Some(Instant::now());
    }
    reply
}

/// A JSON request.
pub fn http_json(addr: &str, method: &str, path: &str, token: Option<&str>, body: &serde_json::Value) -> Reply {
    http(addr, method, path, token, "application/json", body.to_string().as_bytes())
}

/// A multipart/form-data body of text fields and one file; returns (content type, body).
pub fn multipart(fields: &[(&str, &str)], file_name: &str, file: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----jili-crash-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .bytes(),
    );
    body.extend_from_slice(file);
    body.extend(format!("\r\n--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A stored batch as the tables have it.
#[derive(Debug, Clone)]
pub struct BatchRow {
    pub id: i64,
    pub source: String,
    pub rows: i64,
    /// Observations stored with this batch id.
    pub stored: i64,
}

/// What the store holds after a kill, once its invariants have been checked.
#[derive(Debug, Default)]
pub struct Stored {
    pub batches: BTreeMap<i64, BatchRow>,
    pub runs: BTreeSet<i64>,
    /// (year, version).
    pub publications: BTreeSet<(i64, i64)>,
}

/// Runs the same statement on either connection (they differ in type, not in SQL).
macro_rules! on_raw {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            Raw::Sqlite($c) => $body,
            Raw::Postgres($c) => $body,
        }
    };
}

enum Raw {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

/// The number after `label` in an audit detail (“新增 12，修订 3…”).
fn number_after(detail: &str, label: &str) -> i64 {
    let at = detail.find(label).unwrap_or_else(|| panic!("“{label}” in the audit detail “{detail}”")) + label.len();
    detail[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().expect("a count")
}

/// Read the store behind the application's back and check that every write is whole: each batch
/// has its audit event, and stores exactly the observations and flags that event counts (no
/// half batch); every run and publication has its event and every event its row; versions run
/// 1, 2, 3… For SQLite, the file also passes `PRAGMA integrity_check`.
pub fn check_store(url: &str) -> Stored {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    rt.block_on(async {
        let mut conn = if url.starts_with("postgres") {
            Raw::Postgres(PgConnection::connect(url).await.expect("the PostgreSQL schema opens"))
        } else {
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(url);
            Raw::Sqlite(SqliteConnection::connect_with(&options).await.expect("the SQLite file opens"))
        };
        if let Raw::Sqlite(c) = &mut conn {
            let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut *c).await.unwrap();
            assert_eq!(check, "ok", "PRAGMA integrity_check");
        }
        let batches: Vec<(i64, String, i64, i64, i64, i64)> = on_raw!(&mut conn, |c| sqlx::query_as(
            "SELECT b.id, b.source, b.rows, b.revised, \
             (SELECT COUNT(*) FROM observations o WHERE o.batch_id = b.id), \
             (SELECT COUNT(*) FROM flags f WHERE f.batch_id = b.id \
                AND NOT EXISTS (SELECT 1 FROM recheck_flags r WHERE r.flag_id = f.id)) \
             FROM batches b ORDER BY b.id"
        )
        .fetch_all(&mut *c)
        .await
        .unwrap());
        let events: Vec<(String, String, String)> = on_raw!(&mut conn, |c| sqlx::query_as(
            "SELECT action, subject, detail FROM audit_events WHERE action IN ('data.import', 'run', 'publish') ORDER BY seq"
        )
        .fetch_all(&mut *c)
        .await
        .unwrap());
        let runs: Vec<(i64, i64, i64)> = on_raw!(&mut conn, |c| sqlx::query_as(
            "SELECT id, year, measure FROM runs ORDER BY id"
        )
        .fetch_all(&mut *c)
        .await
        .unwrap());
        let publications: Vec<(i64, i64)> = on_raw!(&mut conn, |c| sqlx::query_as(
            "SELECT year, version FROM publications ORDER BY year, version"
        )
        .fetch_all(&mut *c)
        .await
        .unwrap());
        on_raw!(conn, |c| c.close().await.unwrap());

        let by_subject: BTreeMap<&str, &str> = events.iter().map(|(_, s, d)| (s.as_str(), d.as_str())).collect();
        let subjects = |action: &str| -> BTreeSet<String> {
            events.iter().filter(|(a, _, _)| a == action).map(|(_, s, _)| s.clone()).collect()
        };
        let mut out = Stored::default();
        for (id, source, rows, revised, stored, flags) in batches {
            let subject = format!("batch/{id}");
            let detail = by_subject.get(subject.as_str()).unwrap_or_else(|| panic!("batch {id} has no audit event"));
            let counts = &detail[detail.find("：新增 ").unwrap_or_else(|| panic!("counts in “{detail}”"))..];
            let (new, rev) = (number_after(counts, "新增 "), number_after(counts, "修订 "));
            let (confirmed, unchanged) = (number_after(counts, "年报确认 "), number_after(counts, "未变 "));
            assert_eq!(stored, new + rev + confirmed, "batch {id} ({source}): observations stored vs “{detail}”");
            assert_eq!(rows, stored + unchanged, "batch {id} ({source}): rows vs “{detail}”");
            assert_eq!(revised, rev, "batch {id} ({source}): revised vs “{detail}”");
            // The import's own flags (a re-check adds its flags to the batch under its own event).
            assert_eq!(flags, number_after(counts, "疑点 "), "batch {id} ({source}): flags vs “{detail}”");
            out.batches.insert(id, BatchRow { id, source, rows, stored });
        }
        let batch_subjects: BTreeSet<String> = out.batches.keys().map(|id| format!("batch/{id}")).collect();
        assert_eq!(subjects("data.import"), batch_subjects, "an import event for every batch, a batch for every event");
        let run_subjects: BTreeSet<String> = runs.iter().map(|(id, y, m)| format!("run/{y}/{m}/{id}")).collect();
        assert_eq!(subjects("run"), run_subjects, "a run event for every run, a run for every event");
        out.runs = runs.iter().map(|r| r.0).collect();
        let pub_subjects: BTreeSet<String> = publications.iter().map(|(y, v)| format!("publication/{y}/v{v}")).collect();
        assert_eq!(subjects("publish"), pub_subjects, "a publish event for every publication and back");
        for (i, (y, v)) in publications.iter().enumerate() {
            let before = publications[..i].iter().filter(|(py, _)| py == y).count() as i64;
            assert_eq!(*v, before + 1, "publication versions of {y} run 1, 2, 3…: {publications:?}");
        }
        out.publications = publications.into_iter().collect();
        out
    })
}
