//! `kill -9` of `jili serve` in the middle of imports, runs and publications, 50 times per
//! backend, finds the store whole every time: the audit chain verifies, every batch stores
//! exactly the observations its audit event counts, every run and publication has its event,
//! and every write the server had acknowledged is still there.
//!
//! Two copies of the demo database per backend (SQLite always; PostgreSQL, migrated into fresh
//! schemas, when `JILI_TEST_PG_URL` is set), each killed 25 times by its own lane: the lanes run
//! at once, so the 50 kills per backend take the time of 25 (the cycles mostly wait).
//! A first round without a kill measures how long the requests take under load; then each cycle
//! starts the server, fires a mix of writes concurrently (imports whose values differ every
//! time, so every row is a new revision; a run of one measure or of all; every tenth cycle a
//! correcting publication) and kills the server after a random delay spread from before the
//! first commit to after the last. With the server dead: `jili audit verify`, then the tables
//! are read directly. The test fails unless at least half of the kills cut a request, so it
//! cannot pass by killing an idle server.

#![cfg(unix)]
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::crash_support;

use crash_support::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Kill cycles per lane.
const CYCLES: usize = 25;
/// Lanes per backend, each on its own copy of the demo and its own server: 50 kills in all.
const LANES: usize = 2;
/// A TJJ series no plan reads and the demo leaves empty: an import is checked against little
/// history and moves no measure, so it takes a fraction of a second even in a debug build.
const SERIES: &str = "GDP_PER_CAPITA";
/// Two years: 272 rows per import.
const PERIODS: [&str; 2] = ["2019", "2020"];
/// Measures whose results are small (a few per cent of the others): every stored run is hashed
/// again by each `audit verify`, which keeps the cycles short.
const SMALL_MEASURES: [&str; 3] = ["8", "9", "15"];

/// The 市州 and 县市区 of Hunan (current codes).
fn units() -> Vec<&'static str> {
    include_str!("../../../../data/divisions/hunan.csv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("code,"))
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|c| c.len() >= 9 && (c[3] == "市州" || c[3] == "县市区") && c[8].is_empty())
        .map(|c| c[0])
        .collect()
}

/// Import number `k`: every value carries `k` in its decimals, so it differs from every value
/// an earlier import stored for the same key and each row is a new observation or a revision.
fn csv(k: u32, units: &[&str]) -> Vec<u8> {
    let mut text = String::from("行政区划代码,指标,期别,数值\n");
    for (r, unit) in units.iter().enumerate() {
        for period in PERIODS {
            text.push_str(&format!("{unit},{SERIES},{period},{}.{k:05}{}\n", 40_000 + 737 * r, 1 + r % 9));
        }
    }
    text.into_bytes()
}

/// A small deterministic generator (xorshift), seeded from the clock; the seed is printed.
struct Rng(u64);

impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, lo: Duration, hi: Duration) -> Duration {
        lo + (hi.saturating_sub(lo)).mul_f64(self.unit())
    }
}

/// One writing request of a cycle.
#[derive(Debug, Clone)]
enum Write {
    /// Import number k, as the provider (TJJ's own account) or as the office.
    Import {
        k: u32,
        office: bool,
    },
    /// `"all"` or a measure's number.
    Run(String),
    Publish,
}

/// The tokens of the two demo accounts used.
struct Tokens {
    office: String,
    tjj: String,
    /// A second office user: confirms publications (four eyes).
    checker: String,
}

/// Send `write` after `stagger`, on its own thread.
fn fire(addr: &str, tokens: &Tokens, write: Write, stagger: Duration, units: &[&str]) -> JoinHandle<(Write, Reply)> {
    let addr = addr.to_string();
    let (office, tjj, checker) = (tokens.office.clone(), tokens.tjj.clone(), tokens.checker.clone());
    let body = match &write {
        Write::Import { k, .. } => Some(multipart(
            &[("provider", "TJJ"), ("dry_run", "false"), ("reason", &format!("崩溃测试第 {k} 次导入"))],
            &format!("crash-{k}.csv"),
            &csv(*k, units),
        )),
        _ => None,
    };
    std::thread::spawn(move || {
        std::thread::sleep(stagger);
        let reply = match (&write, body) {
            (Write::Import { office: as_office, .. }, Some((kind, body))) => {
                let token = if *as_office { &office } else { &tjj };
                http(&addr, "POST", "/api/imports", Some(token), &kind, &body)
            }
            (Write::Run(m), _) => {
                let started = http_json(&addr, "POST", "/api/runs", Some(&office), &json!({ "measure": m }));
                // All measures is a job (202): acknowledged only once the job says it is done.
                if started.status == Some(202) { follow_job(&addr, &office, started) } else { started }
            }
            _ => {
                // Four eyes: the office asks (or finds the request a killed server left pending),
                // a second office user confirms.
                let asked = http_json(
                    &addr,
                    "POST",
                    "/api/publications",
                    Some(&office),
                    &json!({ "reason": "崩溃测试：更正发布" }),
                );
                let pending =
                    asked.body.split("待确认的发布申请 ").nth(1).and_then(|t| {
                        t.split(|c: char| !c.is_ascii_digit()).next().and_then(|n| n.parse::<i64>().ok())
                    });
                let id = if asked.status == Some(200) { asked.json()["request"].as_i64() } else { pending };
                match id {
                    Some(id) => {
                        http_json(&addr, "POST", &format!("/api/publications/{id}/confirm"), Some(&checker), &json!({}))
                    }
                    None => asked,
                }
            }
        };
        (write, reply)
    })
}

/// Follow a job the server accepted until it ends: its result as a 200 answer when done, its
/// message as a 500 when failed, and no answer when the server died first (a cut request).
fn follow_job(addr: &str, token: &str, accepted: Reply) -> Reply {
    let location = format!("/api/jobs/{}", accepted.json()["id"]);
    loop {
        let r = http(addr, "GET", &location, Some(token), "text/plain", b"");
        if r.status != Some(200) {
            return Reply { status: None, answered: None, ..accepted };
        }
        let job = r.json();
        match job["status"].as_str() {
            Some("done") => {
                return Reply { status: Some(200), body: job["result"].to_string(), answered: r.answered, ..accepted };
            }
            Some("failed") => {
                return Reply { status: Some(500), body: job.to_string(), answered: r.answered, ..accepted };
            }
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
}

/// Writes the server acknowledged; each must survive every later kill.
#[derive(Debug, Default)]
struct Acked {
    /// batch id → (file, rows).
    imports: BTreeMap<i64, (String, i64)>,
    runs: Vec<i64>,
    /// (year, version).
    publications: Vec<(i64, i64)>,
}

impl Acked {
    /// Check an answer (an error answer fails the test) and remember what it acknowledged.
    fn record(&mut self, write: &Write, reply: &Reply) {
        assert_eq!(reply.status, Some(200), "{write:?}: {}", reply.body);
        let v = reply.json();
        match write {
            Write::Import { k, .. } => {
                let values = v["values"].as_i64().unwrap();
                assert_eq!(values, (PERIODS.len() * units().len()) as i64, "{v}");
                assert_eq!(
                    v["new"].as_i64().unwrap() + v["revised"].as_i64().unwrap(),
                    values,
                    "every row is new: {v}"
                );
                self.imports.insert(v["batch"].as_i64().unwrap(), (format!("crash-{k}.csv"), values));
            }
            Write::Run(_) => self.runs.extend(v["runs"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap())),
            Write::Publish => self.publications.push((v["year"].as_i64().unwrap(), v["version"].as_i64().unwrap())),
        }
    }

    /// Every acknowledged write is in the store, whole.
    fn check(&self, stored: &Stored) {
        for (id, (file, rows)) in &self.imports {
            let b = stored.batches.get(id).unwrap_or_else(|| panic!("acknowledged batch {id} ({file}) is lost"));
            assert_eq!((&b.source, b.rows, b.stored), (file, *rows, *rows), "acknowledged batch {id}");
        }
        for id in &self.runs {
            assert!(stored.runs.contains(id), "acknowledged run {id} is lost");
        }
        for p in &self.publications {
            assert!(stored.publications.contains(p), "acknowledged publication {p:?} is lost");
        }
    }
}

/// With the server dead: the audit chain verifies and the tables are whole.
fn check_dead(url: &str, acked: &Acked, when: &str) -> Stored {
    let out = jili(url, &["audit", "verify"], "");
    assert!(out.status.success() && text_of(&out).contains("审计核验通过"), "{when}: {}", text_of(&out));
    let stored = check_store(url);
    acked.check(&stored);
    // Imports of this test revise every row: each of their batches stores all its rows.
    for b in stored.batches.values().filter(|b| b.source.starts_with("crash-")) {
        assert_eq!(b.stored, b.rows, "{when}: batch {} ({}) is half stored", b.id, b.source);
    }
    stored
}

fn login(addr: &str, name: &str) -> String {
    let reply =
        http_json(addr, "POST", "/api/login", None, &json!({"name": name, "password": jili_app::demo::DEMO_PASSWORD}));
    assert_eq!(reply.status, Some(200), "login {name}: {}", reply.body);
    reply.json()["token"].as_str().unwrap().to_string()
}

fn crash_cycles(backend: &str, url: &str) {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("serve.log");
    let units = units();
    assert_eq!(units.len(), 14 + 122);

    // On the demo database (the caller's copy of it): an office and a provider account (the
    // demo's names and password), and a first publication, so that every publication below is a
    // correction.
    for (name, role, scope) in
        [("demo-office", "office", ""), ("demo-checker", "office", ""), ("demo-tjj", "provider", "TJJ")]
    {
        let args = ["user", "add", name, "--role", role, "--scope", scope];
        let out = jili(url, &args, &format!("{}\n", jili_app::demo::DEMO_PASSWORD));
        assert!(out.status.success(), "{backend}: jili user add {name}: {}", text_of(&out));
    }
    let out = jili(url, &["publish"], "");
    assert!(out.status.success(), "{backend}: jili publish: {}", text_of(&out));
    let out = jili(url, &["--actor", "复核人", "publish", "--confirm", "1"], "");
    assert!(out.status.success(), "{backend}: jili publish --confirm: {}", text_of(&out));
    let built = started.elapsed();

    // Tokens outlive the server: the sessions are in the store.
    let server = Server::start(url, &log);
    let tokens = Tokens {
        office: login(&server.addr, "demo-office"),
        tjj: login(&server.addr, "demo-tjj"),
        checker: login(&server.addr, "demo-checker"),
    };
    server.kill();
    // Uninterrupted, on a fresh server as in the cycles: how long a cycle's writes take
    // together, then a publication alone.
    let server = Server::start(url, &log);
    let mut acked = Acked::default();
    let mut k = 0;
    let mut next_import = |office| {
        k += 1;
        Write::Import { k, office }
    };
    let mix = [next_import(false), next_import(true), Write::Run(SMALL_MEASURES[0].into())];
    let handles: Vec<_> = mix.into_iter().map(|w| fire(&server.addr, &tokens, w, Duration::ZERO, &units)).collect();
    let mut t_work = Duration::ZERO; // adjusted in the cycles
    for h in handles {
        let (write, reply) = h.join().unwrap();
        acked.record(&write, &reply);
        t_work = t_work.max(reply.took);
    }
    let (write, reply) = fire(&server.addr, &tokens, Write::Publish, Duration::ZERO, &units).join().unwrap();
    acked.record(&write, &reply);
    let t_publish = reply.took;
    server.kill();
    let mut stored = check_dead(url, &acked, "after the uninterrupted round");
    eprintln!("{backend}: demo built in {built:?}; two imports and a run take {t_work:?}, a publication {t_publish:?}");

    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1;
    let mut rng = Rng(seed);
    let (mut cut_kills, mut acked_kills, mut cut_imports, mut cut_imports_committed) = (0, 0, 0, 0);
    let mut slowest = Duration::ZERO;
    let (mut starting, mut checking) = (Duration::ZERO, Duration::ZERO);
    for cycle in 0..CYCLES {
        let cycle_start = Instant::now();
        let server = Server::start(url, &log);
        starting += cycle_start.elapsed();
        let mut mix = vec![next_import(false)];
        if cycle % 2 == 0 {
            mix.push(next_import(true));
        }
        // Now and then all twenty measures, a job (killed part way: its twenty runs are stored
        // together in one transaction, or not at all).
        let all = cycle % 17 == 5;
        mix.push(Write::Run(if all { "all" } else { SMALL_MEASURES[cycle % 3] }.into()));
        // A publication writes once, at its end, after seconds of reading: one cycle in ten,
        // killed from late in the reading to after the commit. (Each stored publication makes
        // every later `audit verify` longer, so there are few.)
        let publishing = cycle % 10 == 9;
        if publishing {
            mix.push(Write::Publish);
        }
        // Otherwise mostly while the imports and the run are read, checked, computed and
        // committed, and one cycle in five after their commits.
        let delay = match cycle % 10 {
            9 => rng.between(t_publish.mul_f64(0.7), t_publish.mul_f64(1.2)),
            2 | 7 => rng.between(t_work, t_work * 2),
            _ => rng.between(Duration::ZERO, t_work),
        };
        let fired = Instant::now();
        let handles: Vec<_> = mix
            .into_iter()
            .map(|w| {
                let stagger = rng.between(Duration::ZERO, t_work / 5);
                fire(&server.addr, &tokens, w, stagger, &units)
            })
            .collect();
        std::thread::sleep(delay.saturating_sub(fired.elapsed()));
        let killed_at = server.kill();
        let (mut cut, mut answered, mut light_done) = (Vec::new(), 0, Some(Duration::ZERO));
        for h in handles {
            let (write, reply) = h.join().unwrap();
            let light = matches!(write, Write::Import { .. }) || (matches!(write, Write::Run(_)) && !all);
            if reply.status.is_some() {
                acked.record(&write, &reply);
                answered += 1;
            } else if reply.cut_by(killed_at) {
                cut.push(write);
            }
            if light {
                light_done = light_done.zip(reply.answered).map(|(d, a)| d.max(a - fired));
            }
        }
        // The server's pace drifts (a cold start at first, more data later): follow it.
        if let Some(done) = light_done {
            t_work = (t_work * 2 + done) / 3;
        }
        let check_start = Instant::now();
        stored = check_dead(url, &acked, &format!("{backend}: after kill {} at {delay:?}", cycle + 1));
        checking += check_start.elapsed();
        for w in &cut {
            if let Write::Import { k, .. } = w {
                cut_imports += 1;
                let file = format!("crash-{k}.csv");
                cut_imports_committed += usize::from(stored.batches.values().any(|b| b.source == file));
            }
        }
        cut_kills += usize::from(!cut.is_empty());
        acked_kills += usize::from(answered > 0);
        slowest = slowest.max(cycle_start.elapsed());
        eprintln!(
            "{backend}: kill {:2} at {:>5} ms{}, cycle {:>5} ms: {answered} answered, cut {:?}",
            cycle + 1,
            delay.as_millis(),
            if publishing { " (publishing)" } else { "" },
            cycle_start.elapsed().as_millis(),
            cut
        );
    }
    let cycles = started.elapsed() - built;
    eprintln!(
        "{backend}: {CYCLES} kills in {cycles:?} (starting the server {starting:?}, checking {checking:?}, \
         slowest cycle {slowest:?}); {cut_kills} cut a request, \
         {acked_kills} came after an acknowledged write; {cut_imports} imports cut, {cut_imports_committed} of \
         them committed before the kill; seed {seed}"
    );
    assert!(cut_kills * 2 >= CYCLES, "{backend}: only {cut_kills} of {CYCLES} kills cut a request");
    assert!(acked_kills > 0, "{backend}: no kill came after an acknowledged write");

    // Restarted once more: the portal answers and an import goes through.
    let server = Server::start(url, &log);
    let reply = http(&server.addr, "GET", "/api/programme", None, "text/plain", b"");
    assert_eq!(reply.status, Some(200), "{}", reply.body);
    let programme = reply.json();
    assert_eq!(programme["measures"].as_array().map(Vec::len), Some(20), "{programme}");
    // The portal shows the newest version the store holds, acknowledged or not.
    let latest = stored.publications.iter().map(|p| p.1).max().unwrap();
    assert_eq!(programme["publication"]["version"].as_i64(), Some(latest), "{}", programme["publication"]);
    for measure in 1..=20 {
        let reply = http(&server.addr, "GET", &format!("/api/measures/{measure}"), None, "text/plain", b"");
        assert_eq!(reply.status, Some(200), "measure {measure}: {}", reply.body);
        let page = reply.json();
        assert_eq!((page["no"].as_i64(), page["published"].as_bool()), (Some(measure), Some(true)), "{page}");
    }
    let (write, reply) = fire(&server.addr, &tokens, next_import(false), Duration::ZERO, &units).join().unwrap();
    acked.record(&write, &reply);
    server.kill();
    check_dead(url, &acked, "at the end");
    eprintln!("{backend}: crash test took {:?} in all", started.elapsed());
}

/// Run one lane of [`crash_cycles`] per database, at once; a failing lane fails the test.
fn lanes(backend: &str, urls: &[String]) {
    assert_eq!(urls.len(), LANES);
    std::thread::scope(|s| {
        for (i, url) in urls.iter().enumerate() {
            let name = format!("{backend}/{}", i + 1);
            s.spawn(move || crash_cycles(&name, url));
        }
    });
}

#[test]
fn kill_9_of_the_server_never_leaves_a_half_write_on_sqlite() {
    let dbs: Vec<_> = (0..LANES).map(|_| crate::common::demo_db()).collect();
    lanes("sqlite", &dbs.iter().map(|db| db.url()).collect::<Vec<_>>());
}

#[test]
fn kill_9_of_the_server_never_leaves_a_half_write_on_postgres() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut schemas = Vec::new();
    for _ in 0..LANES {
        let Some(pg) = rt.block_on(jili_testkit::TestPg::new()) else { return };
        schemas.push(pg);
    }
    // The demo moved into each schema as an operator would (`jili migrate`), not rebuilt there.
    let demo = crate::common::demo_db();
    for pg in &schemas {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_jili"))
            .args(["migrate", "--from", &demo.url(), "--to", &pg.url()])
            .env_remove("JILI_DATABASE_URL")
            .output()
            .unwrap();
        assert!(out.status.success(), "jili migrate into PostgreSQL: {}", text_of(&out));
    }
    lanes("postgres", &schemas.iter().map(|pg| pg.url()).collect::<Vec<_>>());
}
