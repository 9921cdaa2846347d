//! What the work pages need besides the use-cases the command line has: the recent runs as a
//! list, plans waiting for the office, a search over the audit log.

use crate::App;
use crate::access::Action;
use crate::error::Result;
use jili_store::AuditEvent;
use serde::Serialize;

/// One recorded run as the office's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunRow {
    pub id: i64,
    pub year: i32,
    pub measure: i64,
    pub title: String,
    pub plan_version: i64,
    pub run_at: String,
    pub actor: String,
    pub units: usize,
    pub winners: usize,
    pub vetoed: usize,
    /// The awards of the run, in 万元.
    pub total_wan: u64,
    pub seed: i64,
    pub samples: i64,
    pub data_batch: Option<i64>,
}

/// What to look for in the audit log; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Any text of the event (actor, action, object, detail, hashes).
    pub q: String,
    pub action: String,
    pub actor: String,
    /// The object changed, or the start of it (`batch/`, `plan/2024/3`).
    pub object: String,
    /// 1-based page.
    pub page: usize,
    pub per_page: usize,
}

/// One page of the audit log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditPage {
    pub events: Vec<AuditEvent>,
    /// Events matching the filter.
    pub matching: usize,
    /// Events in the whole log.
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// Every action named in the log, for the filter's choice.
    pub actions: Vec<String>,
}

/// Events per page when the caller does not say.
pub const AUDIT_PAGE: usize = 50;

impl App {
    /// The newest runs first, at most `limit`: what the office ran, when, and what came out.
    pub async fn recent_runs(&self, limit: usize) -> Result<Vec<RunRow>> {
        self.allow(Action::ReadResults)?;
        Ok(self.store.newest_runs(limit).await?.iter().map(run_row).collect())
    }

    /// How many runs are recorded.
    pub async fn run_count(&self) -> Result<usize> {
        self.allow(Action::ReadResults)?;
        Ok(self.store.run_count().await?)
    }

    /// Plans submitted and waiting for the office's review (the newest year's programme).
    pub async fn plans_awaiting_review(&self) -> Result<usize> {
        self.allow(Action::ReviewPlan)?;
        let year = self.programme(None).await?.year;
        Ok(self.plans(year).await?.iter().filter(|p| p.status == jili_model::PlanStatus::Submitted).count())
    }

    /// The providing departments (code, name): whom the office may import for.
    pub async fn providers(&self) -> Result<Vec<(String, String)>> {
        let catalogue = self.catalogue().await?;
        Ok(catalogue.departments().filter(|d| d.provider).map(|d| (d.code.clone(), d.name.clone())).collect())
    }

    /// The audit log filtered on the server, newest first, one page of it.
    pub async fn search_audit(&self, filter: &AuditFilter) -> Result<AuditPage> {
        let events = self.audit_events().await?;
        let total = events.len();
        let mut actions: Vec<String> = events.iter().map(|e| e.action.clone()).collect();
        actions.sort();
        actions.dedup();
        let q = filter.q.trim().to_lowercase();
        let (action, actor, object) = (filter.action.trim(), filter.actor.trim(), filter.object.trim());
        let hits: Vec<AuditEvent> = events
            .into_iter()
            .rev()
            .filter(|e| action.is_empty() || e.action == action)
            .filter(|e| actor.is_empty() || e.actor.contains(actor))
            .filter(|e| object.is_empty() || e.subject.starts_with(object) || e.subject.contains(object))
            .filter(|e| {
                q.is_empty()
                    || [&e.actor, &e.action, &e.subject, &e.detail, &e.hash, &e.at]
                        .iter()
                        .any(|f| f.to_lowercase().contains(&q))
                    || e.seq.to_string() == q
            })
            .collect();
        let per_page = if filter.per_page == 0 { AUDIT_PAGE } else { filter.per_page.min(500) };
        let matching = hits.len();
        let pages = matching.div_ceil(per_page).max(1);
        let page = filter.page.clamp(1, pages);
        let events = hits.into_iter().skip((page - 1) * per_page).take(per_page).collect();
        Ok(AuditPage { events, matching, total, page, pages, actions })
    }
}

pub(crate) fn run_row(r: &jili_store::StoredRun) -> RunRow {
    // Parsed here, not through the cache: a list of every run would crowd out the published
    // ones the pages keep reading. A result that does not read still lists, saying so.
    let (title, units, total_wan) = match crate::runs::stored_result::StoredResult::parse(r.id, &r.result) {
        Ok(s) => (s.title, s.units, s.total_wan),
        Err(e) => (format!("（{e}）"), Vec::new(), 0),
    };
    let count = |outcome: &str| units.iter().filter(|u| u.outcome == outcome).count();
    RunRow {
        id: r.id,
        year: r.year,
        measure: r.measure,
        title,
        plan_version: r.plan_version,
        run_at: r.run_at.clone(),
        actor: r.actor.clone(),
        units: units.len(),
        winners: count("winner"),
        vetoed: count("vetoed"),
        total_wan,
        seed: r.seed,
        samples: r.samples,
        data_batch: r.data_batch,
    }
}
