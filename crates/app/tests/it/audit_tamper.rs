//! `jili audit verify` against edits made behind the application's back. A small but complete
//! database is built once through the App (reference data, the programme and check rules, two
//! plans reviewed and published, demo data for them, runs, a provider's file with a saved
//! mapping and a flag, a verification case on it referred to discipline inspection, users, a budget, the year's calendar, a commendation, an override, a data release, a
//! publication and a returned-and-revised plan); each edit is made on a copy of it with raw SQL — one row changed,
//! deleted or inserted — and verification must report it, naming the record (and the column or
//! section).

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use crate::common;

use common::CITIES;
use jili_app::access::Role;
use jili_app::demo::{Profile, Scope, generate};
use jili_app::users::NewUser;
use jili_app::{App, ImportRequest, RunRequest, bundled};
use jili_store::{AuditReport, Store};
use jili_testkit::TestDb;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, Row, SqliteConnection};
use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Instant;

/// The plans of the prepared database: two 市州-only measures (little data to re-hash).
const MEASURES: [u32; 2] = [8, 9];
/// The plan that is returned and revised in the set-up.
const REVISED_MEASURE: u32 = 9;

/// The prepared database: built once per test binary, closed (WAL flushed), never written again.
fn prepared() -> &'static TestDb {
    static PREPARED: OnceLock<TestDb> = OnceLock::new();
    PREPARED.get_or_init(|| {
        std::thread::spawn(|| tokio::runtime::Runtime::new().unwrap().block_on(build())).join().unwrap()
    })
}

async fn build() -> TestDb {
    let started = Instant::now();
    let db = TestDb::new();
    let app = App::open(&db.url(), "测试").await.unwrap();
    let reference = app.load_reference(&bundled::reference_files()).await.unwrap();
    for (name, text) in bundled::PROGRAMMES {
        app.load_programme(name, text).await.unwrap();
    }
    app.load_check_rules(bundled::CHECKS.0, bundled::CHECKS.1).await.unwrap();

    // Two 市州 plans through review, demo data for the series they read, a run of each.
    let mut scope = Scope::new();
    // Four eyes: a second office user reviews.
    let checker = app.acting_as(jili_app::Principal::office("复核人"));
    for measure in MEASURES {
        let (name, text) = plan_file(measure);
        let plan = app.load_plan(name, text).await.unwrap();
        let (version, _) = app.submit_plan(2024, measure).await.unwrap();
        checker.approve_plan(2024, measure, version, "同意").await.unwrap();
        checker.publish_plan(2024, measure, version).await.unwrap();
        for level in &plan.header.units {
            scope.entry(*level).or_default().extend(plan.series_read().into_iter().map(String::from));
        }
    }
    let profile = Profile::from_toml(bundled::DEMO_PROFILE.0, bundled::DEMO_PROFILE.1).unwrap();
    let data = generate(&profile, &reference.units, &reference.series, &scope);
    for batch in &data.batches {
        app.import_batch(batch).await.unwrap();
    }
    let few = RunRequest { samples: Some(20), ..RunRequest::default() };
    let mut runs = Vec::new();
    for measure in MEASURES {
        runs.push(app.run(measure, &few).await.unwrap());
    }

    // A provider's file read with a mapping given (saved), one value far above its peers (flagged).
    let mut text = String::from("区域,项目,口径,值\n");
    for (i, (code, name)) in CITIES.iter().enumerate() {
        let value = if *code == "430800" { "45.0".to_string() } else { format!("5.{i}") };
        text.push_str(&format!("{name},地区生产总值增速,2024,{value}\n"));
    }
    let mut request = ImportRequest::new("增速2024.csv", text.into_bytes(), "TJJ");
    request.mapping = Some(
        jili_app::intake::Mapping::from_toml(
            "[columns]\nunit = \"区域\"\nseries = \"项目\"\nperiod = \"口径\"\nvalue = \"值\"\n",
        )
        .unwrap(),
    );
    let out = app.import_file(&request, &|_| {}).await.unwrap();
    let lines: Vec<String> = out.findings.iter().map(|f| f.line()).collect();
    assert!(out.stored.is_some(), "{lines:#?}");
    let flags = app.flags(None).await.unwrap();
    assert!(!flags.is_empty(), "the outlier is flagged: {lines:#?}");
    app.annotate_flag(flags[0].id, "核实：重大项目投产，数值属实").await.unwrap();
    // A verification case on the flag, from opening to referral (its evidence frozen).
    let case = app.open_case("张家界市增速异常", &[flags[0].id], "明显高于同组").await.unwrap();
    app.query_case(case, "请说明数据来源").await.unwrap();
    app.answer_case(case, "按来函登记：数值属实", None).await.unwrap();
    app.resolve_case(case, jili_model::CaseStep::Refer, "说明与台账不符，移送", None).await.unwrap();

    app.add_user(&NewUser {
        name: "li.tjj",
        display: "李四",
        role: Role::Provider("TJJ".into()),
        password: "a long enough password",
    })
    .await
    .unwrap();
    app.add_user(&NewUser {
        name: "wang.jw", display: "王五", role: Role::Auditor, password: "another long password"
    })
    .await
    .unwrap();
    app.set_user_disabled("wang.jw", true).await.unwrap();
    app.set_budget(2024, MEASURES[0], "30000", "湘财预〔2024〕1号").await.unwrap();
    // The year's calendar: a plan date and a data date.
    let date = |kind: &str, due: &str| jili_app::calendar::SetDate {
        year: Some(2024),
        kind: kind.into(),
        due: due.into(),
        ..Default::default()
    };
    app.set_calendar_date(&date("plan", "2024-03-31")).await.unwrap();
    let data = jili_app::calendar::SetDate {
        provider: Some("TJJ".into()),
        period: Some("2024".into()),
        ..date("data", "2024-05-31")
    };
    app.set_calendar_date(&data).await.unwrap();
    app.commend(2024, "430102", "省政府综合督查", "一网通办").await.unwrap();
    let unit = runs[0].result.units[0].code.clone();
    app.override_result(runs[0].id, &unit, true, "督查核实：数据报送有误").await.unwrap();
    // A data release of the annual data, cited by the publication.
    app.make_release(Some("annual"), "2024").await.unwrap();
    common::publish(&app, Some(2024), "").await.unwrap();
    // A disbursement of a published award (the funds journal).
    let published = app.published(Some(2024)).await.unwrap().unwrap();
    let paid = published.body.measures.iter().flat_map(|m| m.winners.iter().map(move |w| (m.measure, w)));
    let (measure, winner) = paid.into_iter().find(|(_, w)| w.award_wan.unwrap_or(0) > 0).unwrap();
    let entry = jili_app::funds::record::FundInput {
        year: Some(2024),
        measure,
        unit: winner.code.clone(),
        amount: "1".into(),
        doc_no: "湘财资〔2024〕88号".into(),
        date: "2024-10-15".into(),
        ..Default::default()
    };
    app.disburse(&entry).await.unwrap();

    // One plan returned with a comment and revised: versions 2 (returned) and 3 (draft).
    let (name, text) = plan_file(REVISED_MEASURE);
    let v2 = app.save_draft(name, &format!("{text}\n# 修订：补充依据\n")).await.unwrap();
    assert!(v2.new_version);
    app.submit_plan(2024, REVISED_MEASURE).await.unwrap();
    app.return_plan(2024, REVISED_MEASURE, v2.version, "请补充指标口径").await.unwrap();
    let v3 = app.save_draft(name, &format!("{text}\n# 修订：补充依据和口径\n")).await.unwrap();
    assert_eq!(v3.version, v2.version + 1);

    let report = app.raw_store().verify_audit().await.unwrap();
    assert!(report.is_intact(), "the prepared database must verify: {:#?}", report.problems);
    app.close().await;
    println!("prepared database: {} events, {} objects, {:?}", report.events, report.objects, started.elapsed());
    db
}

/// The bundled example plan of a measure.
fn plan_file(measure: u32) -> (&'static str, &'static str) {
    let (name, text) = bundled::PLANS[measure as usize - 1];
    assert!(text.contains(&format!("\nmeasure = {measure}\n")), "{name}");
    (name, text)
}

/// A raw connection behind the application's back (foreign keys on, as sqlx sets by default).
async fn raw(db: &TestDb) -> SqliteConnection {
    SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(db.path())).await.unwrap()
}

async fn verify(db: &TestDb) -> AuditReport {
    let store = Store::open(&db.url()).await.unwrap();
    let report = store.verify_audit().await.unwrap();
    store.close().await;
    report
}

// ---------------------------------------------------------------------------------------------
// How rows map to the objects and sections verify reports (as in crates/store/src/seal.rs).

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sec {
    Fields,
    Rows,
    RowsBy(&'static str),
}

#[derive(Debug)]
struct Spec {
    name: &'static str,
    kind: &'static str,
    keys: &'static [(&'static str, &'static str)],
    sec: Sec,
}

const SPECS: &[Spec] = &[
    Spec { name: "departments", kind: "reference", keys: &[], sec: Sec::Rows },
    Spec { name: "units", kind: "reference", keys: &[], sec: Sec::Rows },
    Spec { name: "series", kind: "reference", keys: &[], sec: Sec::Rows },
    Spec { name: "programmes", kind: "programme", keys: &[("", "year")], sec: Sec::Fields },
    Spec { name: "measures", kind: "programme", keys: &[("", "year")], sec: Sec::Rows },
    Spec { name: "plans", kind: "plan", keys: &[("", "year"), ("", "measure"), ("v", "version")], sec: Sec::Fields },
    Spec {
        name: "plan_reviews",
        kind: "plan",
        keys: &[("", "year"), ("", "measure"), ("v", "version")],
        sec: Sec::Rows,
    },
    Spec { name: "batches", kind: "batch", keys: &[("", "id")], sec: Sec::Fields },
    Spec { name: "observations", kind: "batch", keys: &[("", "batch_id")], sec: Sec::RowsBy("series") },
    Spec { name: "flags", kind: "batch", keys: &[("", "batch_id")], sec: Sec::Rows },
    Spec { name: "mappings", kind: "mapping", keys: &[("", "provider"), ("", "signature")], sec: Sec::Fields },
    Spec { name: "settings", kind: "setting", keys: &[("", "key")], sec: Sec::Fields },
    Spec { name: "runs", kind: "run", keys: &[("", "year"), ("", "measure"), ("", "id")], sec: Sec::Fields },
    Spec { name: "users", kind: "user", keys: &[("", "name")], sec: Sec::Fields },
    Spec { name: "budgets", kind: "budget", keys: &[("", "year"), ("", "measure")], sec: Sec::Fields },
    Spec { name: "publications", kind: "publication", keys: &[("", "year"), ("v", "version")], sec: Sec::Fields },
    Spec { name: "commendations", kind: "commendation", keys: &[("", "id")], sec: Sec::Fields },
    Spec {
        name: "data_releases",
        kind: "release",
        keys: &[("", "calendar"), ("", "cutoff"), ("v", "version")],
        sec: Sec::Fields,
    },
    Spec { name: "overrides", kind: "override", keys: &[("", "id")], sec: Sec::Fields },
    Spec { name: "flag_notes", kind: "flagnote", keys: &[("", "id")], sec: Sec::Fields },
    Spec { name: "data_grants", kind: "grant", keys: &[("", "id")], sec: Sec::Fields },
    Spec { name: "publication_requests", kind: "publication_request", keys: &[("", "id")], sec: Sec::Fields },
    Spec { name: "cases", kind: "case", keys: &[("", "id")], sec: Sec::Fields },
    Spec { name: "case_flags", kind: "case", keys: &[("", "case_id")], sec: Sec::Rows },
    Spec { name: "case_steps", kind: "case", keys: &[("", "case_id")], sec: Sec::Rows },
    Spec { name: "rechecks", kind: "recheck", keys: &[("", "id")], sec: Sec::Fields },
    Spec { name: "recheck_flags", kind: "recheck", keys: &[("", "recheck_id")], sec: Sec::Rows },
    Spec { name: "calendar_dates", kind: "calendar", keys: &[("", "year")], sec: Sec::Rows },
    Spec { name: "fund_entries", kind: "fund", keys: &[("", "id")], sec: Sec::Fields },
];

/// Operational state, not records: not sealed, so edits to them are not looked for.
const UNSEALED: &[&str] = &["web_sessions", "login_failures", "jobs", "access_log", "sso_logins", "sso_identities"];

const EVENTS: &str = "audit_events";

fn spec(table: &str) -> &'static Spec {
    SPECS.iter().find(|s| s.name == table).unwrap()
}

/// One row: its rowid and every column as text (`CAST(col AS TEXT)`), with its declared type.
#[derive(Debug, Clone)]
struct RowText {
    rowid: i64,
    cols: Vec<Column>,
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    declared: String,
    value: Option<String>,
}

impl RowText {
    fn get(&self, col: &str) -> Option<&str> {
        self.cols.iter().find(|c| c.name == col).and_then(|c| c.value.as_deref())
    }

    fn with(&self, col: &str, value: &Value) -> RowText {
        let mut out = self.clone();
        for c in out.cols.iter_mut().filter(|c| c.name == col) {
            c.value = Some(value.text());
        }
        out
    }
}

/// The object a row belongs to (`plan/2024/3/v2`, `reference` …).
fn object_of(spec: &Spec, row: &RowText) -> String {
    let mut object = spec.kind.to_string();
    for (prefix, col) in spec.keys {
        object.push('/');
        object.push_str(prefix);
        object.push_str(row.get(col).unwrap_or("NULL"));
    }
    object
}

/// The section a row's column is reported under.
fn section_of(spec: &Spec, row: &RowText, col: &str) -> String {
    match spec.sec {
        Sec::Fields => format!("{}.{col}", spec.name),
        Sec::Rows => spec.name.to_string(),
        Sec::RowsBy(by) => format!("{}:{}", spec.name, row.get(by).unwrap_or("NULL")),
    }
}

async fn columns(conn: &mut SqliteConnection, table: &str) -> Vec<(String, String)> {
    sqlx::query(sqlx::AssertSqlSafe(format!("SELECT name, type FROM pragma_table_info('{table}') ORDER BY cid")))
        .fetch_all(&mut *conn)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
        .collect()
}

async fn count(conn: &mut SqliteConnection, table: &str) -> u64 {
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    n as u64
}

/// The `offset`-th row of a table in rowid order.
async fn row_at(conn: &mut SqliteConnection, table: &str, offset: u64) -> RowText {
    let cols = columns(conn, table).await;
    let select: Vec<String> = cols.iter().map(|(c, _)| format!("CAST({c} AS TEXT)")).collect();
    let sql = format!("SELECT rowid, {} FROM {table} ORDER BY rowid LIMIT 1 OFFSET {offset}", select.join(", "));
    let r = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_one(&mut *conn).await.unwrap();
    RowText {
        rowid: r.get(0),
        cols: cols
            .into_iter()
            .enumerate()
            .map(|(i, (name, declared))| Column { name, declared, value: r.get::<Option<String>, _>(i + 1) })
            .collect(),
    }
}

/// A value bound into an edit.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(i64),
    Text(String),
}

impl Value {
    fn text(&self) -> String {
        match self {
            Value::Int(i) => i.to_string(),
            Value::Text(s) => s.clone(),
        }
    }
}

/// A value that differs from `old`: integers + 1, decimals with their last digit changed
/// ("123.4" → "123.5"), other text with a character appended, NULL replaced.
fn changed(old: Option<&str>, declared: &str) -> Value {
    let integer = declared.eq_ignore_ascii_case("INTEGER");
    match old {
        None if integer => Value::Int(1),
        None => Value::Text("x".into()),
        Some(s) if integer && s.parse::<i64>().is_ok() => Value::Int(s.parse::<i64>().unwrap() + 1),
        Some(s) if is_decimal(s) => {
            let mut chars: Vec<char> = s.chars().collect();
            let last = chars.last_mut().unwrap();
            *last = char::from_digit((last.to_digit(10).unwrap() + 1) % 10, 10).unwrap();
            Value::Text(chars.into_iter().collect())
        }
        Some(s) => Value::Text(format!("{s}x")),
    }
}

fn is_decimal(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.ends_with(|c: char| c.is_ascii_digit())
}

/// A problem verify must report for an edit: the object, and what the message starts with
/// (`None`: any message about that object).
#[derive(Debug, Clone)]
struct Expect {
    object: String,
    what: Option<String>,
}

impl Expect {
    fn object(object: String) -> Expect {
        Expect { object, what: None }
    }

    fn section(object: String, section: String) -> Expect {
        Expect { object, what: Some(format!("{section}：")) }
    }
}

/// One edit behind the application's back.
#[derive(Debug)]
struct Edit {
    kind: &'static str,
    table: &'static str,
    column: Option<String>,
    sql: String,
    expect: Vec<Expect>,
}

impl Edit {
    fn label(&self) -> String {
        match &self.column {
            Some(c) => format!("{} {}.{c}", self.kind, self.table),
            None => format!("{} {}", self.kind, self.table),
        }
    }
}

/// The tables an edit of each kind is drawn from (uniformly: the records the issue names —
/// observations, plans, results, users, events — are listed twice under updates).
const UPDATE: &[&str] = &[
    "observations",
    "plans",
    "runs",
    "users",
    EVENTS,
    "observations",
    "plans",
    "runs",
    "users",
    EVENTS,
    "batches",
    "publications",
    "plan_reviews",
    "series",
    "units",
    "overrides",
    "commendations",
    "budgets",
    "departments",
    "programmes",
    "measures",
    "flags",
    "mappings",
    "settings",
    "flag_notes",
    "data_grants",
    "publication_requests",
    "data_releases",
    "cases",
    "case_flags",
    "case_steps",
    "rechecks",
    "recheck_flags",
    "calendar_dates",
    "fund_entries",
];
const DELETE: &[&str] = &[
    "observations",
    "plan_reviews",
    "runs",
    "users",
    EVENTS,
    "flags",
    "overrides",
    "commendations",
    "budgets",
    "publications",
    "flag_notes",
    "data_grants",
    "publication_requests",
    "data_releases",
    "case_flags",
    "case_steps",
    "recheck_flags",
    "calendar_dates",
    "fund_entries",
];
const INSERT: &[&str] = &["observations", "users", "runs", "plan_reviews"];

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> &'a T {
    &items[(rng.next_u64() % items.len() as u64) as usize]
}

/// Draw one edit and apply it; `None` when the draw is impossible (an empty table, or the edit
/// breaks a constraint): the caller draws again on a fresh copy.
async fn draw(rng: &mut ChaCha8Rng, conn: &mut SqliteConnection) -> Option<Edit> {
    let roll = rng.next_u64() % 100;
    let (kind, table) = match roll {
        0..60 => ("update", *pick(rng, UPDATE)),
        60..85 => ("delete", *pick(rng, DELETE)),
        _ => ("insert", *pick(rng, INSERT)),
    };
    let n = count(conn, table).await;
    if n == 0 {
        return None;
    }
    let row = row_at(conn, table, rng.next_u64() % n).await;
    let mut edit = match kind {
        "update" => {
            let col = pick(rng, &row.cols).clone();
            let value = changed(col.value.as_deref(), &col.declared);
            assert_ne!(Some(value.text()), col.value, "{table}.{}", col.name);
            let after = row.with(&col.name, &value);
            let expect = if table == EVENTS {
                let mut e = vec![Expect::object(format!("event/{}", row.get("seq").unwrap()))];
                e.push(Expect::object(format!("event/{}", after.get("seq").unwrap())));
                e
            } else {
                let s = spec(table);
                let (before_obj, after_obj) = (object_of(s, &row), object_of(s, &after));
                if before_obj != after_obj {
                    vec![Expect::object(before_obj), Expect::object(after_obj)]
                } else {
                    vec![
                        Expect::section(before_obj.clone(), section_of(s, &row, &col.name)),
                        Expect::section(after_obj, section_of(s, &after, &col.name)),
                    ]
                }
            };
            let sql = format!("UPDATE {table} SET {} = $1 WHERE rowid = $2", col.name);
            let q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
            let q = match &value {
                Value::Int(i) => q.bind(*i),
                Value::Text(s) => q.bind(s.clone()),
            };
            let done = q.bind(row.rowid).execute(&mut *conn).await.ok()?;
            assert_eq!(done.rows_affected(), 1);
            let sql = format!("{sql}  [{:?} → {:?}, rowid {}]", col.value, value.text(), row.rowid);
            Edit { kind, table, column: Some(col.name), sql, expect }
        }
        "delete" => {
            let expect = if table == EVENTS {
                let seq: i64 = row.get("seq").unwrap().parse().unwrap();
                let last: i64 =
                    sqlx::query_scalar("SELECT max(seq) FROM audit_events").fetch_one(&mut *conn).await.unwrap();
                if seq < last {
                    vec![Expect::object(format!("event/{}", seq + 1))]
                } else {
                    // The newest event: what it sealed now stands against the seal before it.
                    let content = row.get("content").unwrap_or_default();
                    let seals: BTreeMap<String, serde_json::Value> = serde_json::from_str(content).unwrap_or_default();
                    seals.into_keys().map(Expect::object).collect()
                }
            } else {
                let s = spec(table);
                let object = object_of(s, &row);
                match s.sec {
                    Sec::Fields => vec![Expect::object(object)],
                    _ => vec![Expect::section(object, section_of(s, &row, ""))],
                }
            };
            let sql = format!("DELETE FROM {table} WHERE rowid = {}", row.rowid);
            sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&mut *conn).await.ok()?;
            Edit { kind, table, column: None, sql, expect }
        }
        _ => {
            let s = spec(table);
            let names: Vec<&str> = row.cols.iter().map(|c| c.name.as_str()).collect();
            // The copy's changed key: a new revision, a new user name, a new id.
            let (key, with) = match table {
                "observations" => ("revision", "revision + 1"),
                "users" => ("name", "name || 'x'"),
                _ => ("id", "NULL"),
            };
            let select: Vec<&str> = names.iter().map(|c| if *c == key { with } else { c }).collect();
            let sql = format!(
                "INSERT INTO {table} ({}) SELECT {} FROM {table} WHERE rowid = {}",
                names.join(", "),
                select.join(", "),
                row.rowid
            );
            let done = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).execute(&mut *conn).await.ok()?;
            let new = row_at_rowid(conn, table, done.last_insert_rowid()).await;
            let object = object_of(s, &new);
            let expect = match s.sec {
                Sec::Fields => vec![Expect::object(object)],
                _ => vec![Expect::section(object, section_of(s, &new, ""))],
            };
            Edit { kind, table, column: None, sql, expect }
        }
    };
    edit.expect.dedup_by(|a, b| a.object == b.object && a.what == b.what);
    Some(edit)
}

async fn row_at_rowid(conn: &mut SqliteConnection, table: &str, rowid: i64) -> RowText {
    let before: i64 =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table} WHERE rowid < {rowid}")))
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    row_at(conn, table, before as u64).await
}

fn names_the_edit(report: &AuditReport, edit: &Edit) -> bool {
    report.problems.iter().any(|p| {
        edit.expect
            .iter()
            .any(|e| p.object == e.object && e.what.as_ref().is_none_or(|w| p.what.starts_with(w.as_str())))
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn hundred_random_raw_edits_are_each_detected() {
    let prepared = prepared();
    let started = Instant::now();
    // Every table of the schema is drawn from (the mirror of seal.rs above is complete).
    let mut conn = raw(prepared).await;
    let schema: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
    let schema: Vec<String> = schema.into_iter().filter(|t| !UNSEALED.contains(&t.as_str())).collect();
    assert_eq!(schema.len(), SPECS.len() + 1, "{schema:?}");
    for table in &schema {
        assert!(UPDATE.contains(&table.as_str()), "table {table} is not drawn from");
        assert!(table == EVENTS || SPECS.iter().any(|s| s.name == table), "table {table} has no object naming");
    }
    // Another seed draws other edits: JILI_TAMPER_SEED=7 cargo test -p jili-app --test it audit_tamper
    let seed = std::env::var("JILI_TAMPER_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x6a696c69);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut tables: BTreeMap<&str, usize> = BTreeMap::new();
    let mut redraws = 0;
    let mut missed = Vec::new();
    for i in 0..100 {
        let (copy, edit) = loop {
            let copy = prepared.duplicate();
            let mut conn = raw(&copy).await;
            let edit = draw(&mut rng, &mut conn).await;
            conn.close().await.unwrap();
            match edit {
                Some(edit) => break (copy, edit),
                None => redraws += 1,
            }
        };
        let report = verify(&copy).await;
        *kinds.entry(edit.label()).or_default() += 1;
        *tables.entry(edit.table).or_default() += 1;
        if report.is_intact() || !names_the_edit(&report, &edit) {
            missed.push(format!(
                "#{i} {}\n    {}\n    expected {:?}\n    found {:#?}",
                edit.label(),
                edit.sql,
                edit.expect,
                report.problems
            ));
        }
    }
    println!("100 edits, seed {seed} ({redraws} draws redrawn), in {:?}:", started.elapsed());
    for (kind, n) in &kinds {
        println!("  {n:3}  {kind}");
    }
    let per_table: Vec<String> = tables.iter().map(|(t, n)| format!("{t} {n}")).collect();
    println!("by table: {}", per_table.join(", "));
    assert!(missed.is_empty(), "{} edits not reported (or not named):\n{}", missed.len(), missed.join("\n"));
    assert!(tables.len() >= 8, "only {} tables edited: {per_table:?}", tables.len());
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_says_what_changed() {
    let copy = prepared().duplicate();
    let mut conn = raw(&copy).await;
    let (rowid, series, batch, value): (i64, String, i64, String) = sqlx::query_as(
        "SELECT rowid, series, batch_id, value FROM observations ORDER BY series, unit, period, revision LIMIT 1",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    let Value::Text(new_value) = changed(Some(&value), "TEXT") else { unreachable!() };
    sqlx::query("UPDATE observations SET value = $1 WHERE rowid = $2")
        .bind(&new_value)
        .bind(rowid)
        .execute(&mut conn)
        .await
        .unwrap();
    let plan = format!("plan/2024/{REVISED_MEASURE}/v1");
    let done = sqlx::query("UPDATE plans SET status = 'draft' WHERE year = 2024 AND measure = $1 AND version = 1")
        .bind(REVISED_MEASURE)
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(done.rows_affected(), 1);
    conn.close().await.unwrap();

    let report = verify(&copy).await;
    let lines: Vec<String> = report.problems.iter().map(|p| format!("{:?} {}: {}", p.seq, p.object, p.what)).collect();
    println!("{}", lines.join("\n"));
    assert_eq!(report.problems.len(), 2, "one problem per edit: {lines:#?}");
    let on = |object: &str| {
        report.problems.iter().find(|p| p.object == object).unwrap_or_else(|| panic!("{object}: {lines:#?}"))
    };
    let obs = on(&format!("batch/{batch}"));
    assert!(obs.what.starts_with(&format!("observations:{series}：记录为 ")), "{}", obs.what);
    assert!(obs.seq.is_some());
    let status = on(&plan);
    assert_eq!(status.what, "plans.status：记录为 “published”，现为 “draft”");
}

/// Edits that leave every value's text as it was: a number or text stored as a blob, a trigger
/// that rewrites records as the application writes them, a table or column added by hand.
#[tokio::test]
async fn edits_of_types_and_schema_are_detected() {
    let cases: [(&str, &str, &str); 4] = [
        (
            "UPDATE users SET display = CAST(display AS BLOB) WHERE rowid = (SELECT MIN(rowid) FROM users)",
            "user/",
            "（blob）",
        ),
        (
            "CREATE TRIGGER quiet AFTER INSERT ON commendations BEGIN UPDATE commendations SET unit = '430103' WHERE id = NEW.id; END",
            "schema",
            "触发器",
        ),
        ("CREATE TABLE shadow (x TEXT)", "schema", "shadow"),
        ("ALTER TABLE budgets ADD COLUMN note TEXT", "schema", "budgets"),
    ];
    for (sql, object, says) in cases {
        let copy = prepared().duplicate();
        let mut conn = raw(&copy).await;
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        let report = verify(&copy).await;
        assert!(
            report.problems.iter().any(|p| p.object.starts_with(object) && p.what.contains(says)),
            "{sql}: {:#?}",
            report.problems
        );
    }
}

/// Delete the newest audit event behind the application's back.
async fn cut_newest_event(conn: &mut SqliteConnection) {
    sqlx::query("DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)")
        .execute(conn)
        .await
        .unwrap();
}

/// Cutting the newest events together with the records they sealed leaves a consistent log;
/// the chain head noted at an earlier verification (or recorded in a publication) shows it.

#[tokio::test]
async fn events_cut_from_the_end_are_found_against_a_noted_head() {
    let copy = prepared().duplicate();
    let app = jili_app::App::open(&copy.url(), "测试").await.unwrap();
    let noted = app.verify_audit(None).await.unwrap().head.unwrap();
    app.set_budget(2024, 8, "1", "湘财预〔2024〕99号").await.unwrap();
    app.close().await;

    let mut conn = raw(&copy).await;
    cut_newest_event(&mut conn).await;
    conn.close().await.unwrap();
    let app = jili_app::App::open(&copy.url(), "测试").await.unwrap();
    let after = app.verify_audit(Some((noted.0, &noted.1))).await.unwrap();
    assert!(!after.is_intact(), "the budget edit lost its event: {:?}", after.problems);

    // The event and the change both undone, the record put back as it was before: only a
    // head noted after the change can tell.
    let copy = prepared().duplicate();
    let app = jili_app::App::open(&copy.url(), "测试").await.unwrap();
    let (amount, basis) = app.budget(2024, 8).await.unwrap().unwrap();
    app.set_budget(2024, 8, "2", "湘财预〔2024〕98号").await.unwrap();
    let noted = app.verify_audit(None).await.unwrap().head.unwrap();
    app.close().await;
    let mut conn = raw(&copy).await;
    cut_newest_event(&mut conn).await;
    sqlx::query("UPDATE budgets SET amount_wan = $1, basis = $2 WHERE year = 2024 AND measure = 8")
        .bind(&amount)
        .bind(&basis)
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let app = jili_app::App::open(&copy.url(), "测试").await.unwrap();
    let against = app.verify_audit(Some((noted.0, &noted.1))).await.unwrap();
    assert!(against.problems.iter().any(|p| p.what.contains("链尾")), "{:#?}", against.problems);
}
