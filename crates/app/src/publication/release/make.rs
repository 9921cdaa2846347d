//! Making a data release and correcting one. The body is built from the calendar, the catalogue
//! (public series only) and the newest revision of every value, as of the newest batch.

use super::calendar::{today, ymd};
use super::{DataRelease, ReleaseBody, ReleasedSeries, ReleasedUnit, ReleasedValue};
use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use jili_model::Period;
use jili_model::release::{ReleaseSchedule, days, period_end};
use jili_store::NewRelease;
use std::collections::{BTreeMap, BTreeSet};

impl App {
    /// Make the first release of a calendar entry for a cut-off period (`2024-Q3`, `2024`).
    /// Without `calendar`, the one entry whose frequency fits the cut-off. Heavy work.
    pub async fn make_release(&self, calendar: Option<&str>, cutoff: &str) -> Result<DataRelease> {
        self.allow(Action::Release)?;
        let (calendar, cutoff) = (calendar.map(String::from), cutoff.to_string());
        let id = self
            .heavy(crate::Work::Publish, move |app| async move {
                app.release_here(calendar.as_deref(), &cutoff, None).await
            })
            .await?;
        self.data_release(id).await
    }

    /// Correct a release: a new version built from the data as they now stand, with the reason
    /// (made public). Refused when nothing changed. Heavy work.
    pub async fn correct_release(&self, calendar: Option<&str>, cutoff: &str, reason: &str) -> Result<DataRelease> {
        self.allow(Action::Release)?;
        if reason.trim().is_empty() {
            return Err(AppError::Invalid(
                "更正必须写明原因（将随更正版本公开），如“省统计局修订了株洲市第3季度地区生产总值”：命令行用 --reason"
                    .into(),
            ));
        }
        crate::limits::check_text("更正原因", reason, &self.limits().await?)?;
        let (calendar, cutoff, reason) = (calendar.map(String::from), cutoff.to_string(), reason.trim().to_string());
        let id = self
            .heavy(crate::Work::Publish, move |app| async move {
                app.release_here(calendar.as_deref(), &cutoff, Some(&reason)).await
            })
            .await?;
        self.data_release(id).await
    }

    /// Make a release (`reason` `None`) or its correction; returns the stored id.
    async fn release_here(&self, calendar: Option<&str>, cutoff: &str, reason: Option<&str>) -> Result<i64> {
        let cutoff: Period = cutoff.parse().map_err(|e: jili_model::PeriodError| AppError::Invalid(e.to_string()))?;
        let schedule = self.schedule_for(calendar, cutoff).await?;
        schedule.check_cutoff(cutoff).map_err(AppError::Invalid)?;
        let (key, label) = (cutoff.to_string(), cutoff.label());
        let ended = period_end(cutoff);
        if days(ended) >= days(today()) {
            return Err(AppError::Invalid(format!(
                "{label}到 {} 才结束：截止期结束后才能通报（按日程应在 {} 前通报）",
                ymd(ended),
                ymd(schedule.due(cutoff))
            )));
        }
        let previous = self.store.release_versions(&schedule.id, &key).await?;
        let last = previous.last();
        match (reason, last) {
            (None, Some(last)) => {
                return Err(AppError::Invalid(format!(
                    "{}（{label}）已通报第 {} 版（编号 {}）：数据如有修订，请用更正生成新版本（jili release correct --cutoff {key} --reason …）",
                    schedule.name, last.version, last.id
                )));
            }
            (Some(_), None) => {
                return Err(AppError::Invalid(format!(
                    "{}（{label}）还没有通报，无从更正：请先通报（jili release make --cutoff {key}）",
                    schedule.name
                )));
            }
            _ => {}
        }
        // Nothing is released from a database edited behind the application's back.
        let audit = self.store.verify_audit().await?;
        if !audit.is_intact() {
            return Err(AppError::Invalid(format!(
                "审计核验发现 {} 处问题，不能通报：数据库在本系统之外被改动过。请先用 jili audit verify 查看并报告纪检监察",
                audit.problems.len()
            )));
        }
        let head = audit.head.clone().unwrap_or((0, String::new()));
        let body = self.release_body(&schedule, cutoff, head).await?;
        if let Some(last) = last {
            let stored = self.store.release(last.id).await?.map(|r| r.body).unwrap_or_default();
            let same = crate::document::from_text::<ReleaseBody>(&stored).is_ok_and(|b| {
                (b.series, b.units, b.values) == (body.series.clone(), body.units.clone(), body.values.clone())
            });
            if same {
                return Err(AppError::Invalid(format!(
                    "数据与第 {} 版相同，无需更正：请先由数据提供部门导入修订后的数据，再更正",
                    last.version
                )));
            }
        }
        let text = crate::document::to_text(&body).map_err(|e| AppError::Invalid(format!("通报内容无法编码：{e}")))?;
        let new = NewRelease {
            calendar: &schedule.id,
            cutoff: &key,
            title: &schedule.name,
            demo: body.demo,
            reason: reason.unwrap_or("首次通报"),
            body: &text,
        };
        let (id, _) = self.store.add_release(&self.actor(), new).await?;
        Ok(id)
    }

    /// The calendar entry named, or the one whose frequency fits the cut-off.
    async fn schedule_for(&self, calendar: Option<&str>, cutoff: Period) -> Result<ReleaseSchedule> {
        let (_, all) = self.release_calendar().await?;
        let ids = || all.releases.iter().map(|r| format!("{}（{}）", r.id, r.name)).collect::<Vec<_>>().join("、");
        if let Some(id) = calendar {
            return all.entry(id).cloned().ok_or_else(|| {
                AppError::NotFound(format!("通报日程中没有“{id}”：可用 {}（见 jili release calendar）", ids()))
            });
        }
        let frequency = jili_model::release::Frequency::of(cutoff);
        let fits: Vec<&ReleaseSchedule> = all.releases.iter().filter(|r| r.frequency == frequency).collect();
        match fits.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(AppError::Invalid(format!(
                "通报日程中没有{}度通报，“{}”无从通报：日程中有 {}",
                frequency.word(),
                cutoff.label(),
                ids()
            ))),
            _ => Err(AppError::Invalid(format!(
                "通报日程中有多个{}度通报，请用 --calendar 指定：{}",
                frequency.word(),
                ids()
            ))),
        }
    }

    /// The body of the release cut off at `cutoff`: every public series of the entry, each
    /// value of a period it covers, at its newest revision as of the newest batch.
    async fn release_body(
        &self,
        schedule: &ReleaseSchedule,
        cutoff: Period,
        audit_head: (i64, String),
    ) -> Result<ReleaseBody> {
        let catalogue = self.catalogue().await?;
        let series: Vec<&jili_model::Series> = schedule.series_in(&catalogue);
        let codes: Vec<&str> = series.iter().map(|s| s.code.as_str()).collect();
        let as_of = self.store.last_batch().await?;
        let demo_batches: BTreeSet<i64> =
            self.store.batches().await?.into_iter().filter(|b| b.demo).map(|b| b.id).collect();
        let mut demo = false;
        let mut values = Vec::new();
        let mut units = BTreeMap::new();
        for o in self.store.observations_as_of(&codes, as_of).await? {
            let x = &o.observation;
            if !schedule.covers(cutoff, x.period) {
                continue;
            }
            demo |= demo_batches.contains(&o.batch_id);
            let unit = x.unit.to_string();
            let name = catalogue.unit(&unit).map_or_else(|| unit.clone(), |u| u.name.clone());
            units.insert(unit.clone(), name);
            values.push(ReleasedValue {
                series: x.series.to_string(),
                unit,
                period: x.period.to_string(),
                value: x.value.to_string(),
                status: x.status,
            });
        }
        if values.is_empty() {
            return Err(AppError::Invalid(format!(
                "{}（{}）没有可通报的数据：日程收录的可公开数据项（{}）在截止期前 {} 年内没有数据。请先导入数据，或检查通报日程",
                schedule.name,
                cutoff.label(),
                if codes.is_empty() { "无".to_string() } else { codes.join("、") },
                schedule.years
            )));
        }
        Ok(ReleaseBody {
            calendar: schedule.id.clone(),
            name: schedule.name.clone(),
            frequency: schedule.frequency.word().to_string(),
            cutoff: cutoff.to_string(),
            cutoff_label: cutoff.label(),
            due: ymd(schedule.due(cutoff)),
            demo,
            as_of_batch: as_of,
            audit_head,
            series: series
                .iter()
                .filter(|s| values.iter().any(|v| v.series == s.code))
                .map(|s| ReleasedSeries {
                    code: s.code.clone(),
                    name: s.name.clone(),
                    unit: s.unit.clone(),
                    source: catalogue.department(&s.owner).map_or_else(|| s.owner.clone(), |d| d.name.clone()),
                })
                .collect(),
            units: units.into_iter().map(|(code, name)| ReleasedUnit { code, name }).collect(),
            values,
        })
    }
}
