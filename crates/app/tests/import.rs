//! Importing batches: checks reject the whole batch; a changed value becomes a revision.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

mod common;

use jili_model::{Batch, Decimal, Observation, Period, Status};
use std::str::FromStr;

fn obs(series: &str, unit: &str, year: i32, value: &str) -> Observation {
    Observation {
        series: series.into(),
        unit: unit.into(),
        period: Period::year(year),
        value: Decimal::from_str(value).unwrap(),
        status: Status::Final,
    }
}

fn batch(provider: &str, observations: Vec<Observation>) -> Batch {
    Batch { provider: provider.into(), source: "测试.xlsx".into(), demo: false, observations }
}

#[tokio::test]
async fn a_bad_row_rejects_the_whole_batch() {
    let (_db, app) = common::reference_app().await;
    let good = obs("GDP", "430102", 2024, "1500.5");
    let cases = [
        (batch("TJJ", vec![good.clone(), obs("GDP", "439999", 2024, "1")]), "单位代码“439999”不存在"),
        (batch("TJJ", vec![good.clone(), obs("NO_SUCH", "430102", 2024, "1")]), "数据项“NO_SUCH”不在目录中"),
        (batch("TJJ", vec![good.clone(), good.clone()]), "重复出现"),
        // 无扰评价: a department sends only the series it owns.
        (batch("TJJ", vec![good.clone(), obs("SAFETY_MAJOR_ACCIDENTS", "430102", 2024, "0")]), "属于 YJT"),
        (batch("NOPE", vec![good.clone()]), "不是数据提供部门"),
    ];
    for (b, expected) in cases {
        let err = app.import_batch(&b).await.unwrap_err().to_string();
        assert!(err.contains(expected) && err.contains("测试.xlsx"), "{err}");
        assert!(app.store.observations().await.unwrap().is_empty(), "nothing stored after: {expected}");
        assert!(app.store.batches().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_new_value_is_a_revision_and_the_old_one_is_kept() {
    let (_db, app) = common::reference_app().await;
    let first = app
        .import_batch(&batch("TJJ", vec![obs("GDP", "430102", 2024, "1500.5"), obs("GDP", "430103", 2024, "900")]))
        .await
        .unwrap();
    assert_eq!((first.new, first.revised, first.unchanged), (2, 0, 0));
    let second = app
        .import_batch(&batch("TJJ", vec![obs("GDP", "430102", 2024, "1600"), obs("GDP", "430103", 2024, "900.00")]))
        .await
        .unwrap();
    assert_eq!((second.new, second.revised, second.unchanged), (0, 1, 1));
    let current = app.store.observations().await.unwrap();
    let furong = current.iter().find(|o| o.observation.unit == "430102").unwrap();
    assert_eq!(furong.observation.value, Decimal::from(1600));
    assert_eq!(furong.revision, 2);
    assert_eq!(furong.batch_id, second.batch_id);
    let events = app.store.audit_events().await.unwrap();
    assert!(events.last().unwrap().detail.contains("修订 1"));
    assert_eq!(app.store.verify_audit().await.unwrap(), None);
}

#[tokio::test]
async fn the_demo_never_wipes_real_data() {
    let (_db, app) = common::reference_app().await;
    app.import_batch(&batch("TJJ", vec![obs("GDP", "430102", 2024, "1500.5")])).await.unwrap();
    let err = app.build_demo(&|_| {}).await.unwrap_err().to_string();
    assert!(err.contains("已有 1 个正式数据批次") && err.contains("--db"), "{err}");
    assert_eq!(app.store.batches().await.unwrap().len(), 1, "nothing was cleared");
}
