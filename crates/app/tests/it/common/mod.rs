//! Shared set-up for the app's integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use jili_app::intake::Severity;
use jili_app::{App, ImportOutcome, ImportRequest};
use jili_testkit::TestDb;
use std::sync::OnceLock;

/// A fresh, empty app on its own database file.
pub async fn empty_app() -> (TestDb, App) {
    let db = TestDb::new();
    let app = App::open(&db.url(), "测试").await.unwrap();
    (db, app)
}

/// An app with reference data and the programme loaded, no plans or data.
pub async fn reference_app() -> (TestDb, App) {
    let (db, app) = empty_app().await;
    app.load_reference(&jili_app::bundled::reference_files()).await.unwrap();
    for (name, text) in jili_app::bundled::PROGRAMMES {
        app.load_programme(name, text).await.unwrap();
    }
    (db, app)
}

/// The demo database of this run ([`jili_testkit::template`]: built once for all the test
/// binaries of a `cargo test`), copied once for this binary.
fn demo() -> &'static TestDb {
    static DEMO: OnceLock<TestDb> = OnceLock::new();
    DEMO.get_or_init(|| TestDb::from_template(template()))
}

/// The template's path, found once (finding it hashes the bundled data).
fn template() -> &'static std::path::Path {
    static TEMPLATE: OnceLock<std::path::PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(demo_template)
}

mod demo_template;
pub use demo_template::demo_template;

/// The demo database, shared by the tests of a binary that only read it.
pub async fn demo_app() -> App {
    App::open(&demo().url(), "测试").await.unwrap()
}

/// A private copy of the demo database, for a test that writes: copied from the template file,
/// which no test opens (copying the shared copy raced with a reader's checkpoint removing its
/// write-ahead log).
pub async fn demo_db() -> TestDb {
    TestDb::from_template(template())
}

/// The demo database copied into a fresh schema of the PostgreSQL test server (everything, the
/// audit chain included, as `jili migrate` copies it, and as the web's load test seeds its
/// server); `None` when no server is configured (`JILI_TEST_PG_URL`). A copy per call: each
/// test that writes needs its own schema. Copied rather than built there: building the demo
/// on PostgreSQL takes many seconds of a debug build.
pub async fn demo_pg() -> Option<jili_testkit::TestPg> {
    let pg = jili_testkit::TestPg::new().await?;
    let seed = demo_app().await;
    let target = App::open(&pg.url(), "测试").await.unwrap();
    seed.raw_store().copy_to(target.raw_store()).await.unwrap();
    target.close().await;
    Some(pg)
}

/// A private demo database on every backend under test: a copy of the SQLite one, and a
/// PostgreSQL one when a server is configured.
pub async fn demo_backends() -> Vec<jili_testkit::TestBackend> {
    let mut out = vec![jili_testkit::TestBackend::Sqlite(demo_db().await)];
    if let Some(pg) = demo_pg().await {
        out.push(jili_testkit::TestBackend::Postgres(pg));
    }
    out
}

/// The notice, as kept in data/source (a copy of the public text, 此件主动公开).
pub fn notice() -> String {
    include_str!("../../../../../data/source/hunan-2024-notice.txt").to_string()
}

/// A provider's file as `jili import` sends it (TJJ unless said otherwise).
pub fn request(file: &str, text: &str, provider: &str) -> ImportRequest {
    ImportRequest::new(file, text.as_bytes().to_vec(), provider)
}

/// Import, failing the test on an application error (a rejected file is an outcome, not an error).
pub async fn import(app: &App, r: &ImportRequest) -> ImportOutcome {
    app.import_file(r, &|_| {}).await.unwrap()
}

/// The codes of the findings of one severity, in report order.
pub fn codes(o: &ImportOutcome, severity: Severity) -> Vec<&'static str> {
    o.findings.iter().filter(|f| f.severity == severity).map(|f| f.code).collect()
}

/// Every finding as its report line.
pub fn all_lines(o: &ImportOutcome) -> String {
    o.findings.iter().map(|f| f.line()).collect::<Vec<_>>().join("\n")
}

/// The 14 市州 (code, name) in the order of data/divisions/hunan.csv.
pub const CITIES: [(&str, &str); 14] = [
    ("430100", "长沙市"),
    ("430200", "株洲市"),
    ("430300", "湘潭市"),
    ("430400", "衡阳市"),
    ("430500", "邵阳市"),
    ("430600", "岳阳市"),
    ("430700", "常德市"),
    ("430800", "张家界市"),
    ("430900", "益阳市"),
    ("431000", "郴州市"),
    ("431100", "永州市"),
    ("431200", "怀化市"),
    ("431300", "娄底市"),
    ("433100", "湘西土家族苗族自治州"),
];

/// A final annual value.
pub fn observation(series: &str, unit: &str, year: i32, value: &str) -> jili_model::Observation {
    jili_model::Observation {
        series: series.into(),
        unit: unit.into(),
        period: jili_model::Period::year(year),
        value: std::str::FromStr::from_str(value).unwrap(),
        status: jili_model::Status::Final,
    }
}

/// Publish as the office must: one office user asks, a second confirms (four eyes).
pub async fn publish(
    app: &jili_app::App,
    year: Option<i32>,
    reason: &str,
) -> Result<jili_app::Publication, jili_app::AppError> {
    let id = app.request_publication(year, reason).await?;
    app.acting_as(jili_app::Principal::office("办公厅复核人（测试）")).confirm_publication(id).await
}
