//! The office's calendar and the deliveries the board reads: the same on both backends — a date
//! set, replaced (one row, each change audited), unchanged (nothing recorded); a value's first
//! arrival and its revision count.

use crate::*;
use jili_store::CalendarDate;

fn date(kind: &str, subject: &str, period: &str, due: &str) -> CalendarDate {
    CalendarDate {
        year: 2024,
        kind: kind.into(),
        subject: subject.into(),
        period: period.into(),
        due: due.into(),
        note: String::new(),
        actor: String::new(),
        at: String::new(),
    }
}

#[tokio::test]
async fn dates_replace_and_deliveries_count_alike() {
    let mut seen = Vec::new();
    for db in backends().await {
        let store = seeded(&db).await;
        let name = db.name();
        assert!(store.set_calendar_date(&me(), &date("plan", "*", "", "2024-03-31")).await.unwrap());
        assert!(store.set_calendar_date(&me(), &date("data", "TJJ", "2023", "2024-04-30")).await.unwrap());
        assert!(store.set_calendar_date(&me(), &date("data", "TJJ", "2023", "2024-05-31")).await.unwrap());
        assert!(!store.set_calendar_date(&me(), &date("data", "TJJ", "2023", "2024-05-31")).await.unwrap());
        let dates = store.calendar_dates(2024).await.unwrap();
        let dues: Vec<(&str, &str)> = dates.iter().map(|d| (d.kind.as_str(), d.due.as_str())).collect();
        assert_eq!(dues, [("data", "2024-05-31"), ("plan", "2024-03-31")], "{name}");
        let audited = store.audit_events().await.unwrap().iter().filter(|e| e.action == "calendar.set").count();
        assert_eq!(audited, 3, "{name}");

        let first = batch("TJJ", "a.csv", vec![obs("GDP", "430100", "2023", "900", Status::Final)]);
        store.import_batch(&me(), &first).await.unwrap();
        let second = batch(
            "TJJ",
            "b.csv",
            vec![
                obs("GDP", "430100", "2023", "910", Status::Final),
                obs("GDP", "430200", "2023", "500", Status::Final),
            ],
        );
        store.import_batch(&me(), &second).await.unwrap();
        let got = store.deliveries(&["GDP"], "2023").await.unwrap();
        let got: Vec<(String, i64)> = got.into_iter().map(|d| (d.unit, d.revisions)).collect();
        assert_eq!(got, [("430100".to_string(), 2), ("430200".to_string(), 1)], "{name}");
        seen.push((dues.len(), got.len()));
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
}
