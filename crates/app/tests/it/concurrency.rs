//! Two providers import and the office evaluates all measures at the same moment, through
//! separate connections to one database (a SQLite file, and a PostgreSQL schema when
//! `JILI_TEST_PG_URL` names a server): each batch is stored whole, and every run read the data
//! exactly as they stood after some batch — its result is reproduced from the batch it
//! recorded — so the outcome equals a serial order of the three.
#![allow(clippy::unwrap_used)]

use crate::common;

use jili_app::{App, Principal, Role};
use jili_model::Batch;

/// Every 2024 value of `series` for the units the store has, times `factor`.
async fn revised(app: &App, provider: &str, series: &str, factor: f64) -> Batch {
    let stored = app.raw_store().observations_of(&[series]).await.unwrap();
    let observations = stored
        .iter()
        .filter(|o| o.observation.period.year == 2024)
        .map(|o| {
            let v: f64 = o.observation.value.to_string().parse().unwrap();
            common::observation(series, &o.observation.unit, 2024, &format!("{:.2}", v * factor))
        })
        .collect();
    Batch { provider: provider.into(), source: format!("{series} 修订（并发测试）"), demo: true, observations }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn imports_and_a_run_at_the_same_time_equal_a_serial_order() {
    for db in common::demo_backends().await {
        at_the_same_time(&db).await;
    }
}

async fn at_the_same_time(db: &jili_testkit::TestBackend) {
    let name = db.name();
    let office = App::open(&db.url(), "办公厅").await.unwrap();
    let as_provider = |code: &str| Principal { name: format!("{code} 数据员"), role: Role::Provider(code.into()) };
    let tjj = App::open(&db.url(), "x").await.unwrap().acting_as(as_provider("TJJ"));
    let czt = App::open(&db.url(), "x").await.unwrap().acting_as(as_provider("CZT"));
    let a = revised(&office, "TJJ", "IND_VA_GROWTH", 1.5).await;
    let b = revised(&office, "CZT", "GEN_BUDGET_REV", 0.9).await;
    let before = office.batches().await.unwrap().last().unwrap().id;

    let request = jili_app::RunRequest { samples: Some(50), ..Default::default() };
    let (ra, rb, runs) = tokio::join!(tjj.import_batch(&a), czt.import_batch(&b), office.run_all(&request));
    let (ra, rb, runs) = (ra.unwrap(), rb.unwrap(), runs.unwrap());

    // Each batch is stored whole: every value it sent is the current one, from that batch.
    for (batch, sent) in [(ra.batch_id, &a), (rb.batch_id, &b)] {
        let series = sent.observations[0].series.as_str();
        let now = office.raw_store().observations_of(&[series]).await.unwrap();
        for o in &sent.observations {
            let stored = now.iter().find(|s| s.observation.unit == o.unit && s.observation.period == o.period).unwrap();
            assert_eq!((stored.batch_id, &stored.observation.value), (batch, &o.value));
        }
    }
    // Every run read the data as they stood after one batch, and reproduces from it.
    let possible = [before, ra.batch_id.min(rb.batch_id), ra.batch_id.max(rb.batch_id)];
    assert_eq!(runs.len(), 20);
    for r in &runs {
        let stored = office.raw_store().run(r.id).await.unwrap().unwrap();
        let batch = stored.data_batch.unwrap();
        assert!(possible.contains(&batch), "{name}: run {} read as of batch {batch}, not after a whole batch", r.id);
        let again = office.reproduce(r.id).await.unwrap();
        assert!(again.reproduced(), "{name}: run {} does not reproduce from batch {batch}: {again:?}", r.id);
    }
    let report = office.verify_audit(None).await.unwrap();
    assert!(report.is_intact(), "{name}: {:?}", report.problems);
    for app in [office, tjj, czt] {
        app.close().await;
    }
}
