//! The office's calendar (issue 18): the dates plans and data are due, and when the evaluation
//! and the publication are planned, per programme year (object `calendar/YEAR`). Setting a date
//! replaces the row for the same (kind, subject, period) in one transaction with its audit
//! event; deliveries are read from the batches the values came in.

use crate::Store;
use crate::audit::{self, Actor};
use crate::db::on;
use crate::error::Result;
use serde::Serialize;
use sqlx::FromRow;

/// A date of the calendar as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, Serialize)]
pub struct CalendarDate {
    #[sqlx(try_from = "i64")]
    pub year: i32,
    /// `plan`, `data`, `evaluation`, `publication`.
    pub kind: String,
    /// For plans a measure number or `*`; for data a series code, a department code or `*`.
    pub subject: String,
    /// For data, the period owed (canonical); '' otherwise.
    pub period: String,
    /// YYYY-MM-DD: the last day, Beijing time.
    pub due: String,
    pub note: String,
    pub actor: String,
    pub at: String,
}

/// When a (series, unit, period) value first arrived, and how many revisions it has.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Delivery {
    pub series: String,
    pub unit: String,
    pub period: String,
    /// The import time (UTC) of the batch of its first revision.
    pub first_at: String,
    /// The newest revision's number (1: never revised).
    pub revisions: i64,
}

impl Store {
    /// Set one date (replacing the one for the same kind, subject and period) with its audit
    /// event. Setting the same date and note again changes nothing and records nothing.
    pub async fn set_calendar_date(&self, who: &Actor, date: &CalendarDate) -> Result<bool> {
        let mut tx = self.write().await?;
        let now: Option<(String, String)> = on!(tx.conn(), |c| sqlx::query_as(
            "SELECT due, note FROM calendar_dates WHERE year = $1 AND kind = $2 AND subject = $3 AND period = $4"
        )
        .bind(i64::from(date.year))
        .bind(&date.kind)
        .bind(&date.subject)
        .bind(&date.period)
        .fetch_optional(c)
        .await?);
        if now.as_ref().is_some_and(|(due, note)| *due == date.due && *note == date.note) {
            return Ok(false);
        }
        on!(tx.conn(), |c| sqlx::query(
            "INSERT INTO calendar_dates (year, kind, subject, period, due, note, actor, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (year, kind, subject, period) \
             DO UPDATE SET due = excluded.due, note = excluded.note, actor = excluded.actor, at = excluded.at",
        )
        .bind(i64::from(date.year))
        .bind(&date.kind)
        .bind(&date.subject)
        .bind(&date.period)
        .bind(&date.due)
        .bind(&date.note)
        .bind(&who.name)
        .bind(&who.at)
        .execute(c)
        .await?
        .rows_affected());
        let object = format!("calendar/{}", date.year);
        let was = now.map_or_else(|| "新设".to_string(), |(due, _)| format!("原为 {due}"));
        let detail = format!(
            "{} {} {} 截止 {}（{was}）{}",
            date.kind,
            if date.subject.is_empty() { "-" } else { &date.subject },
            if date.period.is_empty() { "-" } else { &date.period },
            date.due,
            date.note
        );
        audit::append(&mut tx, who, "calendar.set", &object, &detail, std::slice::from_ref(&object)).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Every date of a year's calendar, by kind, subject and period.
    pub async fn calendar_dates(&self, year: i32) -> Result<Vec<CalendarDate>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, CalendarDate>(
            "SELECT year, kind, subject, period, due, note, actor, at FROM calendar_dates WHERE year = $1 \
             ORDER BY kind, subject, period",
        )
        .bind(i64::from(year))
        .fetch_all(p)
        .await?))
    }

    /// For each stored value of `series` in `period`: when its first revision arrived and how
    /// many revisions it has.
    pub async fn deliveries(&self, series: &[&str], period: &str) -> Result<Vec<Delivery>> {
        let mut out = Vec::new();
        for s in series {
            let rows: Vec<Delivery> = on!(self.pool.get(), |p| sqlx::query_as::<_, Delivery>(
                "SELECT o.series, o.unit, o.period, MIN(b.imported_at) AS first_at, MAX(o.revision) AS revisions \
                 FROM observations o JOIN batches b ON b.id = o.batch_id \
                 WHERE o.series = $1 AND o.period = $2 GROUP BY o.series, o.unit, o.period ORDER BY o.unit",
            )
            .bind(*s)
            .bind(period)
            .fetch_all(p)
            .await?);
            out.extend(rows);
        }
        Ok(out)
    }

    /// For each (series, period): how many verification cases about its values are still open
    /// (a correction may be coming).
    pub async fn open_case_counts(&self) -> Result<Vec<(String, String, i64)>> {
        Ok(on!(self.pool.get(), |p| sqlx::query_as::<_, (String, String, i64)>(
            "SELECT f.series, f.period, COUNT(DISTINCT c.id) FROM cases c \
             JOIN case_flags cf ON cf.case_id = c.id JOIN flags f ON f.id = cf.flag_id \
             WHERE c.status IN ('open', 'queried', 'answered') GROUP BY f.series, f.period",
        )
        .fetch_all(p)
        .await?))
    }
}
