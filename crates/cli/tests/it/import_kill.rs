//! `kill -9` in the middle of `jili import` finds the store exactly as before: an import is one
//! transaction, so after a crash the database holds the whole batch or none of it.
//!
//! A large file (tens of thousands of monthly values) is imported once without interruption to
//! learn how long reading and checking take and how the write-ahead log grows while the batch is
//! written; then copies of the same database are killed at times spread over the reading and
//! checking, and at points inside the write (as soon as the log has grown to a share of its full
//! size). After each kill the store must open, verify, and be either exactly as before or
//! exactly as after a completed import.

#![cfg(unix)]
#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use common::*;
use jili_testkit::TestDb;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Years of monthly values in the file: sized so that an uninterrupted import takes a few seconds
/// in a debug build on two cores.
const YEARS: std::ops::RangeInclusive<i32> = 2020..=2023;

/// TJJ's rates and shares: not additive (no county sums to keep consistent), any value in 1–20 passes.
const SERIES: [&str; 6] =
    ["GDP_GROWTH", "IND_VA_GROWTH", "FAI_GROWTH", "RD_INTENSITY", "ENERGY_PER_GDP_DROP", "AGRI_VA_GROWTH"];

/// A long file of monthly values for every 市州 and 县市区 valid in each year, values from a
/// fixed pseudo-random sequence. Returns the text and its number of rows.
fn big_csv() -> (String, usize) {
    let divisions = include_str!("../../../../data/divisions/hunan.csv");
    let units: Vec<(&str, i32, Option<i32>)> = divisions
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("code,"))
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|c| c.len() >= 9 && (c[3] == "市州" || c[3] == "县市区"))
        .map(|c| (c[0], c[7][..4].parse().unwrap(), c[8].get(..4).map(|y| y.parse().unwrap())))
        .collect();
    assert_eq!(units.iter().filter(|(_, _, to)| to.is_none()).count(), 14 + 122);
    let mut state: u64 = 20240529;
    let mut text = String::from("行政区划代码,指标,期别,数值\n");
    let mut rows = 0;
    for year in YEARS {
        for month in 1..=12 {
            for (code, from, to) in &units {
                if *from > year || to.is_some_and(|t| t < year) {
                    continue;
                }
                for series in SERIES {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    let hundredths = 100 + (state >> 33) % 1900;
                    text.push_str(&format!(
                        "{code},{series},{year}-{month:02},{}.{:02}\n",
                        hundredths / 100,
                        hundredths % 100
                    ));
                    rows += 1;
                }
            }
        }
    }
    (text, rows)
}

/// What a user can see of the store: the content hash (no times), the batches (with rows), the
/// number of current values; the audit chain must verify.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    content_hash: String,
    batches: Vec<(String, u64)>,
    observations: u64,
}

fn seen(db: &TestDb) -> Seen {
    let status = status_json(db);
    assert_eq!(status["audit_chain_ok"].as_bool(), Some(true), "the audit chain verifies: {status}");
    let out = jili(db, &["data", "batches"]);
    assert!(out.status.success(), "jili data batches: {}", text_of(&out));
    // 批次   1  2026-…Z  TJJ  /path/big.csv  39168 条，修订 0  office（命令行）  原因：x
    let batches = stdout(&out)
        .lines()
        .map(|l| {
            let rows = l.split("  ").find_map(|part| part.split_once(" 条，").map(|(n, _)| n.trim().parse().unwrap()));
            let id = l.trim_start_matches("批次").split_whitespace().next().unwrap().to_string();
            (id, rows.unwrap_or_else(|| panic!("rows in “{l}”")))
        })
        .collect();
    Seen {
        content_hash: status["content_hash"].as_str().unwrap().to_string(),
        batches,
        observations: status["observations"].as_u64().unwrap(),
    }
}

/// SQLite's own check of the file, when the sqlite3 shell is installed (jili has no command for it).
fn integrity_check(db: &Path) -> Option<String> {
    let out = Command::new("sqlite3").arg(db).arg("PRAGMA integrity_check;").output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn wal_size(db: &TestDb) -> u64 {
    std::fs::metadata(PathBuf::from(format!("{}-wal", db.path().display()))).map_or(0, |m| m.len())
}

fn spawn_import(db: &TestDb, file: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_jili"))
        .args(["--db", &db.url(), "import", file, "--provider", "TJJ", "--reason", "x"])
        .env_remove("JILI_DATABASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("jili starts")
}

/// When to kill.
#[derive(Debug, Clone, Copy)]
enum Trigger {
    /// This long after the start.
    After(Duration),
    /// As soon as the write-ahead log holds this many bytes (the batch is being written).
    Wal(u64),
}

/// What a kill found: whether the process was still running when killed, and the store after.
struct Kill {
    trigger: Trigger,
    running: bool,
    at: Duration,
    wal: u64,
    seen: Seen,
}

fn kill_during_import(base: &TestDb, file: &str, trigger: Trigger, deadline: Duration) -> (TestDb, Kill) {
    let db = base.duplicate();
    let start = Instant::now();
    let mut child = spawn_import(&db, file);
    let mut wal = 0;
    loop {
        wal = wal.max(wal_size(&db));
        let due = match trigger {
            Trigger::After(d) => start.elapsed() >= d,
            Trigger::Wal(bytes) => wal >= bytes,
        };
        if due || child.try_wait().unwrap().is_some() || start.elapsed() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    let running = child.try_wait().unwrap().is_none();
    let at = start.elapsed();
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!running || !status.success(), "a killed process does not report success");
    let seen = seen(&db);
    if let Some(check) = integrity_check(&db.path()) {
        assert_eq!(check, "ok", "PRAGMA integrity_check after a kill at {at:?} ({trigger:?})");
    }
    (db, Kill { trigger, running, at, wal, seen })
}

#[test]
fn a_killed_import_leaves_the_store_whole() {
    let base = TestDb::new();
    let out = jili(&base, &["init"]);
    assert!(out.status.success(), "{}", text_of(&out));
    let before = seen(&base);
    assert!(before.batches.is_empty() && before.observations == 0, "{before:?}");
    let (text, rows) = big_csv();
    assert!(rows > 30_000, "{rows} rows");
    // One path for every copy: the batch's source name is part of the content hash.
    let file = write_file(&base, "big.csv", text.as_bytes());

    // Uninterrupted, on a copy: how long, when the batch starts being written, how big the log grows.
    let calibration = base.duplicate();
    let start = Instant::now();
    let mut child = spawn_import(&calibration, &file);
    let (mut first_write, mut peak) = (None, 0);
    while child.try_wait().unwrap().is_none() {
        let size = wal_size(&calibration);
        if size > 0 && first_write.is_none() {
            first_write = Some(start.elapsed());
        }
        peak = peak.max(size);
        std::thread::sleep(Duration::from_micros(500));
    }
    let took = start.elapsed();
    assert!(child.wait().unwrap().success(), "the uninterrupted import succeeds");
    let first_write = first_write.expect("the import wrote its batch through the write-ahead log");
    let after = seen(&calibration);
    assert_eq!(after.batches.len(), 1, "{after:?}");
    assert_eq!(after.batches[0].1, rows as u64, "{after:?}");
    assert_eq!(after.observations, rows as u64, "no half batch: every row of the batch is stored");
    assert_ne!(after.content_hash, before.content_hash);
    eprintln!(
        "uninterrupted import of {rows} rows: {took:?}; writing began at {first_write:?}; log peaked at {peak} bytes"
    );

    // Kills spread over reading and checking, then inside the write.
    let mut triggers: Vec<Trigger> = [0.2, 0.5, 0.85].iter().map(|f| Trigger::After(first_write.mul_f64(*f))).collect();
    // The last one most likely lands after the commit, before the log is checkpointed.
    triggers.extend([1, peak / 3, peak * 2 / 3, peak].into_iter().map(Trigger::Wal));
    let mut kills = Vec::new();
    let mut killed_before = None;
    for trigger in triggers {
        let (db, kill) = kill_during_import(&base, &file, trigger, took * 3);
        eprintln!(
            "kill at {:?} ({:?}): running {}, log {} bytes, store {}",
            kill.at,
            kill.trigger,
            kill.running,
            kill.wal,
            if kill.seen == before {
                "as before"
            } else if kill.seen.content_hash == after.content_hash {
                "as after"
            } else {
                "NEITHER"
            }
        );
        // Exactly as before, or exactly a completed import: never anything in between.
        if kill.seen != before {
            assert_eq!(kill.seen.content_hash, after.content_hash, "after a kill at {:?}: {:?}", kill.at, kill.seen);
            assert_eq!((&kill.seen.batches.len(), kill.seen.observations), (&1, rows as u64));
            assert_eq!(kill.seen.batches[0].1, rows as u64);
        }
        if kill.seen == before {
            killed_before = Some(db);
        }
        kills.push(kill);
    }
    let mid: Vec<&Kill> = kills.iter().filter(|k| k.running && k.seen == before).collect();
    assert!(!mid.is_empty(), "at least one kill landed mid-import");
    assert!(
        mid.iter().any(|k| matches!(k.trigger, Trigger::Wal(_)) && k.wal > 0),
        "at least one kill landed while the batch was being written"
    );

    // After a crash the import can simply be run again.
    let db = killed_before.unwrap();
    let out = jili(&db, &["import", &file, "--provider", "TJJ", "--reason", "x"]);
    assert!(out.status.success(), "{}", text_of(&out));
    assert_eq!(seen(&db).content_hash, after.content_hash, "the retried import gives the completed store");
}
