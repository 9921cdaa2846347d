//! Data releases (定期通报主要指标数据): the office regularly releases the public series'
//! values as of a cut-off period, on its own calendar, independently of the yearly results.
//! Each release is immutable and versioned: a correction is a new version with its reason, and
//! the older version stays readable, marked superseded. Results publications cite the newest
//! release they rest on.

mod calendar;
pub mod files;
mod make;

pub use calendar::{CALENDAR_KEY, CalendarView, ScheduledRelease};

use crate::App;
use crate::access::Action;
use crate::error::{AppError, Result};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// What a release holds, stored as JSON and digested.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseBody {
    /// The calendar's release id and name when made.
    pub calendar: String,
    pub name: String,
    /// 年, 季 or 月.
    pub frequency: String,
    /// The cut-off period, canonical (2024-Q3), and as a reader says it (2024年第3季度).
    pub cutoff: String,
    pub cutoff_label: String,
    /// The date it was due by the calendar (YYYY-MM-DD).
    pub due: String,
    /// Invented data went into it: labelled 演示 wherever it is shown.
    pub demo: bool,
    /// The newest import batch when it was made: its values are the data as of that batch.
    pub as_of_batch: i64,
    /// The audit chain's newest event when it was made.
    pub audit_head: (i64, String),
    pub series: Vec<ReleasedSeries>,
    pub units: Vec<ReleasedUnit>,
    pub values: Vec<ReleasedValue>,
}

/// A series in a release, as the catalogue described it then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasedSeries {
    pub code: String,
    pub name: String,
    /// Unit of measure.
    pub unit: String,
    /// The providing department.
    pub source: String,
}

/// A unit in a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasedUnit {
    pub code: String,
    pub name: String,
}

/// One released value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleasedValue {
    pub series: String,
    pub unit: String,
    pub period: String,
    pub value: String,
    /// preliminary (初步) or final (最终).
    pub status: jili_model::Status,
}

/// A release version as lists show it (no values).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseSummary {
    pub id: i64,
    pub calendar: String,
    pub name: String,
    pub cutoff: String,
    pub cutoff_label: String,
    pub version: i64,
    pub reason: String,
    pub released_at: String,
    pub sha256: String,
    pub demo: bool,
    /// A later version corrected this one (已更正).
    pub superseded: bool,
    /// The newest version of the same release: this one's id unless it was corrected.
    pub newest_id: i64,
    pub newest_version: i64,
}

/// What a results publication records of the data release it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseRef {
    pub id: i64,
    pub name: String,
    pub cutoff: String,
    pub cutoff_label: String,
    pub version: i64,
    pub sha256: String,
    pub released_at: String,
}

impl ReleaseRef {
    /// As a notice cites it: 主要指标数据年度通报（2024年）第 1 版.
    pub fn title(&self) -> String {
        format!("{}（{}）第 {} 版", self.name, self.cutoff_label, self.version)
    }
}

/// One release version with its values, and where it stands among its versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataRelease {
    #[serde(flatten)]
    pub summary: ReleaseSummary,
    /// Every version of the same release, oldest first.
    pub versions: Vec<ReleaseSummary>,
    /// Shared: a release never changes; its body is parsed once per process.
    pub body: Arc<ReleaseBody>,
}

/// Parsed bodies, by the digest of their text.
static BODIES: crate::runs::parsed::ParseCache<ReleaseBody> = crate::runs::parsed::ParseCache::new(8);

impl App {
    /// Every release version, newest first, each saying whether it was corrected since.
    pub async fn data_releases(&self) -> Result<Vec<ReleaseSummary>> {
        self.allow(Action::ReadPublished)?;
        let heads = self.store.release_heads().await?;
        let mut out: Vec<ReleaseSummary> = heads.iter().map(|h| summary(h, &heads)).collect();
        out.reverse();
        Ok(out)
    }

    /// One release version with its values.
    pub async fn data_release(&self, id: i64) -> Result<DataRelease> {
        self.allow(Action::ReadPublished)?;
        let stored = self.store.release(id).await?.ok_or_else(|| {
            AppError::NotFound(format!(
                "没有编号为 {id} 的数据通报：请从数据通报列表（/releases 或 jili release list）中选择"
            ))
        })?;
        let heads = self.store.release_versions(&stored.head.calendar, &stored.head.cutoff).await?;
        let body = BODIES.get(&stored.body).map_err(|e| {
            AppError::Invalid(format!("数据通报 {id} 的内容无法读取：{e}；请用 jili audit verify 核验"))
        })?;
        Ok(DataRelease {
            summary: summary(&stored.head, &heads),
            versions: heads.iter().map(|h| summary(h, &heads)).collect(),
            body,
        })
    }

    /// The release made last, as a results publication cites it; `None` before any release.
    pub async fn newest_release_ref(&self) -> Result<Option<ReleaseRef>> {
        self.allow(Action::ReadPublished)?;
        let Some(stored) = self.store.newest_release().await? else { return Ok(None) };
        let body = BODIES.get(&stored.body).map_err(|e| {
            AppError::Invalid(format!("数据通报 {} 的内容无法读取：{e}；请用 jili audit verify 核验", stored.head.id))
        })?;
        let h = stored.head;
        Ok(Some(ReleaseRef {
            id: h.id,
            name: h.title,
            cutoff: h.cutoff,
            cutoff_label: body.cutoff_label.clone(),
            version: h.version,
            sha256: h.sha256,
            released_at: h.released_at,
        }))
    }

    /// Releases whose recorded audit chain head is no longer in the log (`holds` says whether
    /// an event is): events after it were deleted or rewritten.
    pub(crate) async fn release_head_problems(
        &self,
        holds: &(dyn Fn(i64, &str) -> bool + Sync),
    ) -> Result<Vec<jili_store::AuditProblem>> {
        let mut out = Vec::new();
        for h in self.store.release_heads().await? {
            let Some(stored) = self.store.release(h.id).await? else { continue };
            let Ok(body) = BODIES.get(&stored.body) else { continue };
            let (seq, hash) = &body.audit_head;
            if !holds(*seq, hash) {
                out.push(jili_store::AuditProblem {
                    seq: Some(*seq),
                    object: format!("release/{}/{}/v{}", h.calendar, h.cutoff, h.version),
                    what: format!("通报时的审计链尾（事件 #{seq}）已不在日志中：其后的事件被删除或改动"),
                });
            }
        }
        Ok(out)
    }

    /// A fingerprint of the releases made (id and digest of each), for caches.
    pub(crate) async fn release_fingerprint(&self) -> Result<String> {
        let heads = self.store.release_heads().await?;
        Ok(heads.iter().map(|h| format!("r{}/{}", h.id, h.sha256)).collect::<Vec<_>>().join(";"))
    }
}

/// A stored head as lists show it; `all` holds at least the other versions of its release.
fn summary(h: &jili_store::ReleaseHead, all: &[jili_store::ReleaseHead]) -> ReleaseSummary {
    let newest = all
        .iter()
        .filter(|o| o.calendar == h.calendar && o.cutoff == h.cutoff)
        .max_by_key(|o| o.version)
        .map_or((h.id, h.version), |o| (o.id, o.version));
    ReleaseSummary {
        id: h.id,
        calendar: h.calendar.clone(),
        name: h.title.clone(),
        cutoff: h.cutoff.clone(),
        cutoff_label: h.cutoff.parse::<jili_model::Period>().map_or_else(|_| h.cutoff.clone(), |p| p.label()),
        version: h.version,
        reason: h.reason.clone(),
        released_at: h.released_at.clone(),
        sha256: h.sha256.clone(),
        demo: h.demo,
        superseded: newest.0 != h.id,
        newest_id: newest.0,
        newest_version: newest.1,
    }
}

impl crate::document::Document for ReleaseBody {
    const KIND: &'static str = "数据通报内容";
    const SCHEMA: u32 = 1;
}
