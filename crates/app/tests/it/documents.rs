//! Every JSON document the demo stores — each run's result, each publication's body, each data
//! release's body — reads back as its type, carries its format version first, and a document
//! from a newer jili is refused rather than half-read.

use crate::common;
use jili_app::document::{DocumentError, from_text};
use jili_app::engine::RunResult;
use jili_app::publication::publish::PublicationBody;
use jili_app::publication::release::ReleaseBody;
use jili_app::{App, RunRequest};

#[tokio::test]
async fn every_stored_document_of_the_demo_reads_back_as_its_type() {
    let db = common::demo_db().await;
    let app = App::open(&db.url(), "测试").await.unwrap();
    app.run_all(&RunRequest { samples: Some(0), ..RunRequest::default() }).await.unwrap();
    common::publish(&app, None, "文档格式测试").await.unwrap();
    app.make_release(None, "2024-Q3").await.unwrap();
    let store = app.raw_store();

    let runs = store.runs().await.unwrap();
    assert!(runs.len() >= 20, "the demo's runs and the new ones: {}", runs.len());
    for run in &runs {
        assert!(run.result.starts_with(r#"{"schema":1,"#), "run {} starts {:.30}", run.id, run.result);
        let result: RunResult = from_text(&run.result).unwrap_or_else(|e| panic!("run {}: {e}", run.id));
        assert_eq!(i64::from(result.measure), run.measure, "run {}", run.id);
    }

    let publications = store.publications(2024).await.unwrap();
    assert_eq!(publications.len(), 1);
    for p in &publications {
        assert!(p.body.starts_with(r#"{"schema":1,"#));
        let body: PublicationBody = from_text(&p.body).unwrap();
        assert_eq!(body.measures.len() + body.omitted.len(), 20, "every measure is published or said to be omitted");
    }

    let heads = store.release_heads().await.unwrap();
    assert!(!heads.is_empty());
    for h in &heads {
        let stored = store.release(h.id).await.unwrap().unwrap();
        assert!(stored.body.starts_with(r#"{"schema":1,"#));
        let body: ReleaseBody = from_text(&stored.body).unwrap();
        assert_eq!(body.cutoff, h.cutoff);
    }
    app.close().await;
}

#[tokio::test]
async fn a_result_from_a_newer_jili_is_refused_and_one_from_before_versions_still_reads() {
    let app = common::demo_app().await;
    let run = app.raw_store().runs().await.unwrap().into_iter().next().unwrap();
    let newer = run.result.replacen(r#"{"schema":1,"#, r#"{"schema":99,"#, 1);
    let e = from_text::<RunResult>(&newer).unwrap_err();
    assert_eq!(e, DocumentError::Newer { kind: "运行结果", found: 99, known: 1 });
    assert!(e.to_string().contains("请升级 jili"), "{e}");
    // Stored before results carried a version: the same text without the key is version 1.
    let unmarked = run.result.replacen(r#"{"schema":1,"#, "{", 1);
    let old: RunResult = from_text(&unmarked).unwrap();
    let current: RunResult = from_text(&run.result).unwrap();
    assert_eq!((old.measure, old.units.len()), (current.measure, current.units.len()));
    app.close().await;
}
