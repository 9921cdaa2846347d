//! The store's conformance suite: every test runs on SQLite and, when `JILI_TEST_PG_URL` names
//! a PostgreSQL server, on PostgreSQL too, each in a fresh database (or schema), and expects
//! the same behaviour from both: the same return values, the same refusals, the same orders —
//! and, since the audit chain hashes what was stored, the same audit log, byte for byte.
//! Every public method of [`Store`] is called somewhere in these modules.
#![allow(clippy::unwrap_used)]

mod access;
mod audit;
mod calendar;
mod cases;
mod copy;
mod funds;
mod governance;
mod grants;
mod history;
mod intake;
mod jobs;
mod plans;
mod reference;
mod releases;
mod seal;
mod sso;

pub use history::{populate, read_all};
use jili_model::{Batch, Department, Level, Measure, Nature, Observation, Plate, Programme, Series, Status, Unit};
use jili_store::{
    AccessQuery, Actor, NewAccess, NewBatch, NewFlag, NewPlan, NewRelease, NewRun, PlanStep, Store, StoreError,
    StoredUser,
};
use jili_testkit::{TestBackend, backends};
use std::fmt::Debug;

/// Who writes, at a fixed time (the store has no clock, so histories are reproducible).
pub fn who(at: &str) -> Actor {
    Actor { name: "测试员".into(), at: at.into() }
}

/// The default actor.
pub fn me() -> Actor {
    who("2024-03-01T08:00:00Z")
}

/// Open the test database.
pub async fn open(db: &TestBackend) -> Store {
    let store = Store::open(&db.url()).await.unwrap();
    assert_eq!(store.backend(), db.name());
    store
}

/// Assert that every backend gave what the first (SQLite) gave.
pub fn same<T: PartialEq + Debug>(what: &str, seen: &[(&'static str, T)]) {
    if let Some((first, a)) = seen.first() {
        for (name, b) in &seen[1..] {
            assert_eq!(a, b, "{what}: {first} and {name} differ");
        }
    }
}

/// A result as a backend-neutral text: the value, a conflict's message, or the kind of a
/// database error (whose wording is the backend's own).
pub fn outcome<T: Debug>(r: Result<T, StoreError>) -> String {
    match r {
        Ok(v) => format!("ok {v:?}"),
        Err(StoreError::Conflict(m)) => format!("conflict {m}"),
        Err(StoreError::Query(sqlx::Error::Database(e))) => format!("database {:?}", e.kind()),
        Err(e) => format!("other {e}"),
    }
}

pub fn department(code: &str, name: &str, lead: bool, provider: bool) -> Department {
    Department { code: code.into(), name: name.into(), full_name: format!("湖南{name}"), lead, provider }
}

/// Departments, codes deliberately in mixed case (byte order puts upper case first).
pub fn departments() -> Vec<Department> {
    vec![
        department("TJJ", "省统计局", true, true),
        department("FGW", "省发展改革委", true, false),
        department("CZT", "省财政厅", false, true),
        department("kjt", "省科技厅", false, true),
    ]
}

pub fn unit(code: &str, name: &str, level: Level, parent: Option<&str>) -> Unit {
    Unit {
        code: code.into(),
        name: name.into(),
        short_name: name.trim_end_matches('市').into(),
        level,
        kind: "地级市".into(),
        parent: parent.map(String::from),
        plate: (level == Level::City).then_some(Plate::ChangZhuTan),
        valid_from: "2024-01-01".into(),
        valid_to: None,
        source: "测试".into(),
    }
}

/// The province, `cities` 市州 (`430100`, `430200` …) and a park listed before its parent.
pub fn units(cities: usize) -> Vec<Unit> {
    let mut out = vec![unit("YQ001", "测试园区", Level::Park, Some("430100"))];
    out.push(unit("430000", "湖南省", Level::Province, None));
    for i in 1..=cities {
        out.push(unit(&format!("43{i:02}00"), &format!("第{i}市"), Level::City, Some("430000")));
    }
    out
}

pub fn one_series(code: &str, owner: &str) -> Series {
    Series {
        code: code.into(),
        name: format!("{code} 名称"),
        unit: "亿元".into(),
        frequency: "年".into(),
        owner: owner.into(),
        public: code != "gdp_pc",
        nature: if code == "gdp_pc" { Nature::Process } else { Nature::Outcome },
        additive: code == "GDP",
        description: "说明，含\t制表符与\\反斜杠".into(),
    }
}

/// Series, one with a lower-case code.
pub fn series() -> Vec<Series> {
    ["GDP", "gdp_pc", "IND_VA_GROWTH", "GEN_BUDGET_REV"]
        .into_iter()
        .map(|c| one_series(c, if c == "GEN_BUDGET_REV" { "CZT" } else { "TJJ" }))
        .collect()
}

pub fn measure(no: u32, lead: &str, levels: Vec<Level>) -> Measure {
    Measure {
        no,
        short: format!("措施{no}"),
        text: format!("第{no}条措施的原文。"),
        lead: lead.into(),
        levels,
        kinds: vec![],
        channel: "资金奖励".into(),
        co_leads: vec![],
        continued_as: vec![],
    }
}

pub fn programme(year: i32) -> Programme {
    Programme {
        year,
        province: "湖南省".into(),
        doc_no: format!("湘政办发〔{year}〕16号"),
        title: format!("{year}年测试激励方案"),
        issuer: "湖南省人民政府办公厅".into(),
        date: format!("{year}-05-29"),
        source: "测试".into(),
        leads: vec!["省统计局".into(), "省发展改革委".into()],
        measures: vec![
            measure(1, "省统计局", vec![Level::City, Level::County]),
            measure(2, "省发展改革委", vec![Level::Park]),
        ],
        commendation: None,
        declared: None,
        publication: Default::default(),
        rules: Default::default(),
        recovery: Default::default(),
        notice: Default::default(),
    }
}

/// A store with the reference data (3 市州) and the 2024 programme.
pub async fn seeded(db: &TestBackend) -> Store {
    let store = open(db).await;
    store.put_reference(&me(), &departments(), &units(3), &series()).await.unwrap();
    store.put_programme(&me(), &programme(2024)).await.unwrap();
    store
}

pub fn obs(series: &str, unit: &str, period: &str, value: &str, status: Status) -> Observation {
    Observation {
        series: series.into(),
        unit: unit.into(),
        period: period.parse().unwrap(),
        value: value.parse().unwrap(),
        status,
    }
}

pub fn batch(provider: &str, source: &str, observations: Vec<Observation>) -> Batch {
    Batch { provider: provider.into(), source: source.into(), demo: false, observations }
}

pub fn user(name: &str, role: &str) -> StoredUser {
    StoredUser {
        name: name.into(),
        display: format!("{name} 显示名"),
        role: role.into(),
        scope: String::new(),
        password: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        disabled: false,
        created_at: "2024-03-01T08:00:00Z".into(),
    }
}

#[tokio::test]
async fn a_fresh_database_is_empty_and_verifies_intact() {
    for db in backends().await {
        let store = open(&db).await;
        assert!(store.is_empty().await.unwrap(), "{}", db.name());
        let report = store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{}: {:?}", db.name(), report.problems);
        assert_eq!((report.events, report.objects, report.head), (0, 0, None));
        assert_eq!(store.last_batch().await.unwrap(), 0);
        store.close().await;
    }
}

#[tokio::test]
async fn a_full_history_reads_back_the_same_on_every_backend() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = open(&db).await;
        populate(&store).await;
        let report = store.verify_audit().await.unwrap();
        assert!(report.is_intact(), "{}: {:?}", db.name(), report.problems);
        assert!(!store.is_empty().await.unwrap());
        seen.push((db.name(), (read_all(&store).await, report)));
        store.close().await;
    }
    same("everything read back, and the verification", &seen);
}
