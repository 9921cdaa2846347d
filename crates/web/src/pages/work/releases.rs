//! The office's form on the data releases page (`/releases`): make a release of a calendar
//! entry (按日程通报), or correct one (更正, with its public reason) — the same use-cases as
//! `jili release make` and `jili release correct`, run on the heavy pool by the app. The form is
//! shown only to a user the app lets release; `POST /work/releases` answers with the new
//! release's page, or the list page again with the app's message.

use crate::auth::Visitor;
use crate::error::WebResult;
use crate::extract::{CheckedForm, LoggedIn};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use jili_app::publication::release::CalendarView;
use jili_app::{Action, AppError, StoreError};
use jili_model::Period;
use jili_model::date::{civil, days};
use jili_model::release::{Frequency, period_end};
use minijinja::context;
use serde::{Deserialize, Serialize};

/// The words of the form (key, 中文, English).
pub const WORDS: &[(&str, &str, &str)] = &[
    ("rlf_title", "通报与更正（省政府办公厅）", "Release or correct (General Office)"),
    (
        "rlf_intro",
        "按通报日程通报截止期及以前的主要指标数据（只含可公开的数据项）。通报后不可更改；数据修订后用更正生成新版本并写明原因（随新版本公开），旧版本保留，标为“已更正”。每次通报和更正记入审计日志。",
        "Release the main indicator data up to a cut-off on the calendar (public series only). A release never changes; after a revision, a correction makes a new version with its reason (made public) and the older one stays, marked corrected. Each is in the audit log.",
    ),
    ("rlf_make", "按日程通报", "Release on the calendar"),
    ("rlf_correct", "更正", "Correct"),
    ("rlf_entry", "通报日程", "Calendar entry"),
    ("rlf_date", "截止日期", "Cut-off date"),
    (
        "rlf_date_help",
        "通报该日程频度中到这一天已结束的最近一期，默认今天（北京时间）。按今天：",
        "The newest period of the entry's frequency ended by this day; today (Beijing time) by default. As of today: ",
    ),
    ("rlf_reason", "更正原因（将随新版本公开）", "Why (made public with the new version)"),
];

/// What the office typed; shown again when refused.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct Draft {
    /// `make` or `correct`.
    #[serde(default)]
    action: String,
    #[serde(default)]
    calendar: String,
    /// YYYY-MM-DD; empty: today in Beijing.
    #[serde(default)]
    date: String,
    #[serde(default)]
    reason: String,
}

/// One calendar entry to choose, with the cut-off today's date gives it.
#[derive(Debug, Serialize)]
struct Entry {
    id: String,
    name: String,
    /// 年, 季 or 月.
    frequency: &'static str,
    /// The cut-off as of today (2024年第4季度), empty when none has ended.
    today_cutoff: String,
}

/// The form's content on the list page.
#[derive(Debug, Serialize)]
pub struct ReleaseForm {
    entries: Vec<Entry>,
    /// Today in Beijing (YYYY-MM-DD), the date field's default.
    today: String,
    draft: Draft,
    error: String,
}

/// Today's date in Beijing (the office's calendar day).
fn today() -> (i32, u32, u32) {
    civil((jili_app::clock::unix_now() + 8 * 3600).div_euclid(86_400))
}

fn ymd((y, m, d): (i32, u32, u32)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// A date typed as YYYY-MM-DD (empty: today in Beijing).
fn date_of(text: &str) -> Result<(i32, u32, u32), String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(today());
    }
    let bad = || format!("截止日期应写成 年-月-日，如 2025-01-10；收到的是“{text}”");
    let mut parts = text.splitn(3, '-');
    let mut next = || parts.next().map(str::trim).ok_or_else(bad);
    let y: i32 = next()?.parse().map_err(|_| bad())?;
    let m: u32 = next()?.parse().map_err(|_| bad())?;
    let d: u32 = next()?.parse().map_err(|_| bad())?;
    let date = (y, m, d);
    // A real day: it survives the round trip through the day count.
    if !(1..=9999).contains(&y) || civil(days(date)) != date {
        return Err(bad());
    }
    Ok(date)
}

/// The newest period of `frequency` whose last day is on or before `date`.
fn cutoff_by(frequency: Frequency, date: (i32, u32, u32)) -> Option<Period> {
    [date.0 - 1, date.0]
        .into_iter()
        .flat_map(|y| frequency.periods_in(y))
        .filter(|p| days(period_end(*p)) <= days(date))
        .max_by_key(|p| days(period_end(*p)))
}

/// The form for `v` on the list page, when the app lets `v` release (the office); `None`
/// otherwise, so nobody else sees it.
pub(crate) fn release_form(
    v: &Visitor,
    calendar: &CalendarView,
    draft: Option<&Draft>,
    error: &str,
) -> Option<ReleaseForm> {
    if !v.app.may(&Action::Release) {
        return None;
    }
    let now = today();
    let entries = calendar
        .releases
        .iter()
        .map(|r| Entry {
            id: r.schedule.id.clone(),
            name: r.schedule.name.clone(),
            frequency: r.schedule.frequency.word(),
            today_cutoff: cutoff_by(r.schedule.frequency, now).map_or_else(String::new, |p| p.label()),
        })
        .collect();
    Some(ReleaseForm { entries, today: ymd(now), draft: draft.cloned().unwrap_or_default(), error: error.to_string() })
}

/// `POST /work/releases`: `action=make` (calendar, date) or `action=correct` (calendar, date,
/// reason). Made: to the new release's page. Refused: the list page with the app's message.
pub(super) async fn submit(
    State(state): State<AppState>,
    v: LoggedIn,
    CheckedForm(f): CheckedForm<Draft>,
) -> WebResult<Response> {
    v.app.allow(Action::Release)?;
    let calendar = v.app.release_schedule(None).await?;
    let made = match cutoff_of(&calendar, &f) {
        Ok((entry, cutoff)) if f.action == "correct" => v.app.correct_release(Some(&entry), &cutoff, &f.reason).await,
        Ok((entry, cutoff)) => v.app.make_release(Some(&entry), &cutoff).await,
        Err(m) => Err(AppError::Invalid(m)),
    };
    let error = match made {
        Ok(r) => {
            // The public's cached pages list releases: look again for what is published.
            state.0.cache.stale();
            return Ok(Redirect::to(&format!("/releases/{}", r.summary.id)).into_response());
        }
        Err(AppError::Invalid(m) | AppError::NotFound(m) | AppError::Store(StoreError::Conflict(m))) => m,
        Err(e) => return Err(e.into()),
    };
    // Shown again with the calendar as it stands and every release (fresh: a logged-in page).
    let calendar = v.app.release_schedule(None).await?;
    let releases = v.app.data_releases().await?;
    let release_form = release_form(&v, &calendar, Some(&f), &error);
    let page = v.page("portal/releases.html", context! { calendar, releases, release_form })?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The calendar entry chosen and the cut-off its date gives (`2024-Q4`).
fn cutoff_of(calendar: &CalendarView, f: &Draft) -> Result<(String, String), String> {
    let entry = calendar.releases.iter().find(|r| r.schedule.id == f.calendar.trim()).ok_or_else(|| {
        let ids: Vec<String> = calendar.releases.iter().map(|r| r.schedule.name.clone()).collect();
        format!("请从通报日程中选择一种通报：{}", ids.join("、"))
    })?;
    let date = date_of(&f.date)?;
    let cutoff = cutoff_by(entry.schedule.frequency, date).ok_or_else(|| {
        format!(
            "到 {} 为止{}还没有已结束的{}度截止期：请改选截止日期",
            ymd(date),
            entry.schedule.name,
            entry.schedule.frequency.word()
        )
    })?;
    Ok((entry.schedule.id.clone(), cutoff.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_gives_the_newest_period_ended_by_it() {
        let q = |d| cutoff_by(Frequency::Quarter, d).map(|p| p.to_string());
        assert_eq!(q((2025, 1, 10)).as_deref(), Some("2024-Q4"));
        assert_eq!(q((2024, 9, 30)).as_deref(), Some("2024-Q3"), "a quarter's last day gives that quarter");
        assert_eq!(q((2024, 9, 29)).as_deref(), Some("2024-Q2"));
        let y = |d| cutoff_by(Frequency::Year, d).map(|p| p.to_string());
        assert_eq!(y((2025, 6, 1)).as_deref(), Some("2024"));
        assert_eq!(y((2024, 12, 31)).as_deref(), Some("2024"));
    }

    #[test]
    fn dates_are_read_strictly() {
        assert_eq!(date_of("2024-01-15"), Ok((2024, 1, 15)));
        assert_eq!(date_of(" 2024-2-29 "), Ok((2024, 2, 29)));
        for bad in ["2023-02-29", "2024-13-01", "2024/01/15", "2024-01", "今天"] {
            assert!(date_of(bad).is_err_and(|m| m.contains("年-月-日")), "{bad}");
        }
        assert!(date_of("").is_ok(), "empty is today");
    }
}
