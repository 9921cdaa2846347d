//! Publication: the office freezes the approved runs of a year with the main indicator data,
//! the commendations and any overrides into an immutable, versioned publication. The public
//! reads only that: winners, rewards and indicator data — a ranking of units that did not win
//! only where the plan chose to publish it.

use crate::App;
mod cap;
mod corrections;
pub mod history;
pub mod notice;

use crate::access::Action;
use crate::error::{AppError, Result};
use crate::runs::stored_result::{StoredResult, StoredUnit};
use jili_model::RequestStatus;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A publication as the portal shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Publication {
    pub year: i32,
    pub version: i64,
    pub reason: String,
    pub published_at: String,
    pub sha256: String,
    /// Shared: a publication never changes, and its body (megabytes of JSON) is parsed once
    /// per process, not once per page view.
    pub body: std::sync::Arc<PublicationBody>,
}

/// A year's publication and its corrections, parsed once per process.
static BODIES: crate::runs::parsed::ParseCache<PublicationBody> = crate::runs::parsed::ParseCache::new(8);

/// A publication's body, from the cache when the same text was read before.
pub(crate) fn publication_body(
    text: &str,
) -> std::result::Result<std::sync::Arc<PublicationBody>, crate::document::DocumentError> {
    BODIES.get(text)
}

/// What a publication holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicationBody {
    pub programme: String,
    /// Invented data or example plans went into it: labelled 演示 wherever it is shown.
    pub demo: bool,
    /// The audit chain's newest event when this was published: anyone holding a copy can
    /// later check that the log still contains it (events deleted after it would show).
    pub audit_head: (i64, String),
    /// Measures not in this publication, and why (no published plan, no run of it).
    pub omitted: Vec<(u32, String)>,
    pub measures: Vec<PublishedMeasure>,
    /// Main indicator data: public series only, as the runs read them.
    pub data: Vec<PublishedValue>,
    pub commendations: Vec<PublishedCommendation>,
    /// The newest data release when this was published (所依据的数据通报); absent in bodies
    /// stored before data releases existed, and when none had been made.
    #[serde(default)]
    pub data_release: Option<crate::publication::release::ReleaseRef>,
}

/// One measure's published result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedMeasure {
    pub measure: u32,
    pub title: String,
    pub run: i64,
    pub plan_version: i64,
    pub plan_sha256: String,
    pub data_sha256: String,
    pub result_sha256: String,
    pub winners: Vec<PublishedUnit>,
    /// How many units a veto kept out of the selection: always published.
    #[serde(default)]
    pub vetoed_count: usize,
    /// The vetoed units by name — only where the publication policy names them (the default
    /// counts them only); never with score or rank unless the ranking is published, and the
    /// reason only where the vetoing series is public.
    pub vetoed: Vec<PublishedUnit>,
    /// The plan's indicators read series 原则上不向社会公布: no score is published (with the
    /// published data and plan, a score would give those values away).
    #[serde(default)]
    pub scores_withheld: bool,
    /// Every evaluated unit in rank order — only when the plan publishes its ranking.
    pub ranking: Option<Vec<PublishedUnit>>,
    pub overrides: Vec<PublishedOverride>,
    /// Awards withdrawn by the programme's yearly cap per unit (`[rules.cap]`), with the rule
    /// applied in words; absent when nothing was capped.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capped: Vec<PublishedOverride>,
}

impl PublishedMeasure {
    /// How many units were vetoed (also for publications made before vetoes were counted).
    pub fn vetoed_total(&self) -> usize {
        self.vetoed_count.max(self.vetoed.len())
    }
}

/// A unit in a published result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedUnit {
    pub code: String,
    pub name: String,
    pub group: Option<String>,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub award_wan: Option<u64>,
    pub items: Vec<String>,
    /// Why (veto reason and basis), where there is one.
    pub note: String,
}

/// An override of a result by the office, always public with its reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedOverride {
    pub unit: String,
    pub name: String,
    pub outcome: String,
    pub reason: String,
    pub at: String,
}

/// One published value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedValue {
    pub series: String,
    pub unit: String,
    pub period: String,
    pub value: String,
    /// 快报 or 年报 when published (SDMX's OBS_STATUS P or A); absent in publications made
    /// before the status was recorded (their bytes, and so their digest, stay as they were).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<jili_model::Status>,
}

/// A commendation (通报表扬) as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedCommendation {
    pub unit: String,
    pub name: String,
    pub inspection: String,
    pub practice: String,
}

impl App {
    /// Ask for the year's approved runs to be published (the maker's step): another office
    /// user confirms it with [`App::confirm_publication`]. A second publication of a year is a
    /// correction and must say why. Returns the request's id.
    pub async fn request_publication(&self, year: Option<i32>, reason: &str) -> Result<i64> {
        self.request_publication_noting(year, reason, "").await
    }

    /// [`App::request_publication`], with the office's reason for publishing while verification
    /// cases material to the results are open (see [`crate::cases::guard`]): refused without
    /// one while such a case is open; stored with each such case otherwise.
    pub async fn request_publication_noting(&self, year: Option<i32>, reason: &str, open_cases: &str) -> Result<i64> {
        self.allow(Action::Publish)?;
        crate::limits::check_text("发布说明", reason, &self.limits().await?)?;
        crate::limits::check_text("未结核查案件说明", open_cases, &self.limits().await?)?;
        let year = self.programme(year).await?.year;
        if !self.store.publications(year).await?.is_empty() && reason.trim().is_empty() {
            return Err(AppError::Invalid(format!(
                "{year}年已发布过：再次发布是更正，须写明更正了什么（网页上填“发布说明”，命令行用 --reason）"
            )));
        }
        if let Some(open) = self.pending_publication(year).await? {
            return Err(AppError::Invalid(format!(
                "{year}年已有待确认的发布申请 {}（{} 提出）：请另一位办公厅用户确认（jili publish --confirm {}），或先撤回",
                open.id, open.requested_by, open.id
            )));
        }
        let material =
            self.heavy(crate::Work::Run, move |app| async move { app.material_here(Some(year)).await }).await?;
        if material.is_empty() {
            return Ok(self.store.add_publication_request(&self.actor(), year, reason.trim()).await?);
        }
        if open_cases.trim().is_empty() {
            return Err(AppError::Invalid(format!(
                "有 {} 件未办结的核查案件可能改变本次发布的入选单位，不能发布：{}。请先办结这些案件（jili case resolve），或写明为何仍须发布（网页上填“未结核查案件说明”，命令行用 --open-cases-reason），说明会记入这些案件和审计日志",
                material.len(),
                crate::cases::guard::describe(&material)
            )));
        }
        let ids: Vec<i64> = material.iter().map(|c| c.id).collect();
        Ok(self
            .store
            .add_publication_request_waiving(&self.actor(), year, reason.trim(), open_cases.trim(), &ids)
            .await?)
    }

    /// Confirm request `id` and publish (the checker's step): for each measure, the newest run
    /// of its plan in force. Refused to the office user who asked: publishing takes two.
    /// Heavy work (see [`crate::workers`]).
    pub async fn confirm_publication(&self, id: i64) -> Result<Publication> {
        self.allow(Action::Publish)?;
        let request = self.publication_request(id).await?;
        if !request.status.is_open() {
            return Err(AppError::Invalid(format!("发布申请 {id} 已{}，不能再确认", request.status.label())));
        }
        if request.requested_by == self.actor().name {
            return Err(AppError::Invalid(format!(
                "发布申请 {id} 是 {} 提出的，须由另一位省政府办公厅用户确认（双人把关）",
                request.requested_by
            )));
        }
        let (year, reason) = (request.year, request.reason.clone());
        let waived = self.waived_for(id).await?;
        let published = self
            .heavy(crate::Work::Publish, move |app| async move {
                // Cases opened or become material since the request stop it.
                let material = app.material_here(Some(year)).await?;
                let unnoted: Vec<_> = material.into_iter().filter(|c| !waived.contains(&c.id)).collect();
                if !unnoted.is_empty() {
                    return Err(AppError::Invalid(format!(
                        "发布申请 {id} 提出后，又有 {} 件未办结的核查案件可能改变入选单位：{}。请撤回本申请，办结这些案件或在重新申请时写明为何仍须发布",
                        unnoted.len(),
                        crate::cases::guard::describe(&unnoted)
                    )));
                }
                app.publish_here(Some(year), &reason).await
            })
            .await?;
        self.store.close_publication_request(&self.actor(), id, RequestStatus::Confirmed).await?;
        Ok(published)
    }

    /// Withdraw pending request `id` (either office user may).
    pub async fn withdraw_publication(&self, id: i64) -> Result<()> {
        self.allow(Action::Publish)?;
        Ok(self.store.close_publication_request(&self.actor(), id, RequestStatus::Withdrawn).await?)
    }

    /// Every publication request, oldest first: for the office and the auditor.
    pub async fn publication_requests(&self) -> Result<Vec<jili_store::PublicationRequest>> {
        if !crate::access::allows(self.principal(), &Action::Audit) {
            self.allow(Action::Publish)?;
        }
        Ok(self.store.publication_requests().await?)
    }

    /// The pending request of `year`, if any.
    pub async fn pending_publication(&self, year: i32) -> Result<Option<jili_store::PublicationRequest>> {
        Ok(self.publication_requests().await?.into_iter().find(|r| r.year == year && r.status.is_open()))
    }

    async fn publication_request(&self, id: i64) -> Result<jili_store::PublicationRequest> {
        self.publication_requests()
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的发布申请：见 jili publish requests")))
    }

    async fn publish_here(&self, year: Option<i32>, reason: &str) -> Result<Publication> {
        let programme = self.programme(year).await?;
        let year = programme.year;
        let catalogue = self.catalogue().await?;
        let previous = self.store.publications(year).await?;
        if !previous.is_empty() && reason.trim().is_empty() {
            return Err(AppError::Invalid(format!(
                "{year}年已发布第 {} 版：再次发布是更正，须写明更正了什么（网页上填“发布说明”，命令行用 --reason）",
                previous.len()
            )));
        }
        // Nothing is published from a database edited behind the application's back.
        let audit = self.store.verify_audit().await?;
        if !audit.is_intact() {
            return Err(AppError::Invalid(format!(
                "审计核验发现 {} 处问题，不能发布：数据库在本系统之外被改动过。请先用 jili audit verify 查看并报告纪检监察",
                audit.problems.len()
            )));
        }
        let runs = self.store.runs().await?;
        let mut measures = Vec::new();
        let mut omitted = Vec::new();
        let mut demo = false;
        let mut series: BTreeSet<String> = BTreeSet::new();
        let mut as_of = 0;
        let mut years = (i32::MAX, i32::MIN);
        for m in &programme.measures {
            let view = match self.plan_in_force(year, m.no).await {
                Ok(view) => view,
                Err(AppError::NotFound(_)) => {
                    omitted.push((m.no, "没有经批准的实施方案".to_string()));
                    continue;
                }
                Err(e) => return Err(e),
            };
            if view.stored.status != jili_model::PlanStatus::Published {
                omitted.push((m.no, format!("方案第 {} 版已批准但尚未公布（jili plan publish）", view.stored.version)));
                continue;
            }
            let Some(run) = runs
                .iter()
                .rev()
                .find(|r| r.year == year && r.measure == i64::from(m.no) && r.plan_version == view.stored.version)
            else {
                omitted.push((m.no, format!("还没有用方案第 {} 版运行评价（jili run）", view.stored.version)));
                continue;
            };
            if let Some((budget, basis)) = self.store.budget(year, m.no).await? {
                let total = StoredResult::parse(run.id, &run.result)?.total_wan;
                let limit = jili_model::Decimal::from_str_exact(&budget).unwrap_or_default();
                if jili_model::Decimal::from(total) > limit {
                    return Err(AppError::Invalid(format!(
                        "第 {} 条措施运行 {} 的奖励合计 {total} 万元，超出预算额度 {budget} 万元（依据：{basis}）：请调整方案或预算后重新运行，再发布",
                        m.no, run.id
                    )));
                }
            }
            demo |= view.plan.header.example;
            let result = StoredResult::parse(run.id, &run.result)?;
            let overrides: Vec<PublishedOverride> = self
                .store
                .overrides(run.id)
                .await?
                .into_iter()
                .map(|o| PublishedOverride {
                    name: catalogue.unit(&o.unit).map_or_else(|| o.unit.clone(), |u| u.name.clone()),
                    unit: o.unit,
                    outcome: o.outcome,
                    reason: o.reason,
                    at: o.at,
                })
                .collect();
            series.extend(view.plan.series_read().into_iter().map(String::from));
            as_of = as_of.max(run.data_batch.unwrap_or(0));
            years = (years.0.min(view.plan.header.base), years.1.max(view.plan.header.period));
            let header = &view.plan.header;
            let vetoes = header
                .publish_vetoes
                .map_or(programme.publication.vetoes, |v| v.stricter(programme.publication.vetoes));
            let public = |s: &str| catalogue.series(s).is_some_and(|x| x.public);
            let scores = view.plan.indicators.iter().all(|i| {
                public(&i.series) && !matches!(&i.basis, jili_model::plan::Basis::Ratio(r) if !public(&r.denominator))
            });
            let policy = Disclosure { ranking: header.publish_ranking, vetoes, scores, public: &public };
            measures.push(published_measure(m.no, run, &result, &policy, overrides));
        }
        if let Some(cap) = programme.rules.cap {
            cap::apply_cap(&mut measures, cap);
        }
        if measures.is_empty() {
            let why: Vec<String> = omitted.iter().take(5).map(|(n, w)| format!("第 {n} 条：{w}")).collect();
            return Err(AppError::Invalid(format!(
                "{year}年没有可发布的评价结果：方案须经批准并公布，且用该版本运行过评价。{}",
                why.join("；")
            )));
        }
        let public: Vec<&str> =
            series.iter().map(String::as_str).filter(|s| catalogue.series(s).is_some_and(|x| x.public)).collect();
        let data = self
            .store
            .observations_as_of(&public, as_of)
            .await?
            .into_iter()
            // The years the runs read: the base year to the evaluated year.
            .filter(|o| (years.0..=years.1).contains(&o.observation.period.year))
            .map(|o| PublishedValue {
                series: o.observation.series.into(),
                unit: o.observation.unit.into(),
                period: o.observation.period.to_string(),
                value: o.observation.value.to_string(),
                status: Some(o.observation.status),
            })
            .collect();
        let commendations = self
            .store
            .commendations(year)
            .await?
            .into_iter()
            .map(|c| PublishedCommendation {
                name: catalogue.unit(&c.unit).map_or_else(|| c.unit.clone(), |u| u.name.clone()),
                unit: c.unit,
                inspection: c.inspection,
                practice: c.practice,
            })
            .collect();
        demo |= self.has_demo_data().await?;
        let head = self.store.audit_events().await?.pop().map_or((0, String::new()), |e| (e.seq, e.hash));
        let body = PublicationBody {
            programme: format!("{}（{}）", programme.title, programme.doc_no),
            demo,
            audit_head: head,
            omitted,
            measures,
            data,
            commendations,
            data_release: self.newest_release_ref().await?,
        };
        let text = crate::document::to_text(&body).map_err(|e| AppError::Invalid(format!("发布内容无法编码：{e}")))?;
        // The same content as the last version (the chain head and the newest data release
        // aside) is no correction.
        let same = |stored: &str| {
            crate::document::from_text::<PublicationBody>(stored).is_ok_and(|b| {
                PublicationBody { audit_head: body.audit_head.clone(), data_release: body.data_release.clone(), ..b }
                    == body
            })
        };
        if let Some(last) = previous.last().filter(|p| same(&p.body)) {
            return Err(AppError::Invalid(format!("内容与 {year} 年第 {} 版发布相同，无需重新发布", last.version)));
        }
        let reason = if reason.trim().is_empty() { "首次发布" } else { reason.trim() };
        self.store.add_publication(&self.actor(), year, reason, &text).await?;
        self.published(Some(year)).await?.ok_or_else(|| {
            AppError::NotFound(
                "发布已保存但未能读回：请用 jili publish --show 查看，并用 jili audit verify 核验".into(),
            )
        })
    }

    /// The newest publication of a year (the newest year when `None`): what the public sees.
    pub async fn published(&self, year: Option<i32>) -> Result<Option<Publication>> {
        self.allow(Action::ReadPublished)?;
        let year = self.programme(year).await?.year;
        let Some(p) = self.store.latest_publication(year).await? else { return Ok(None) };
        let body = publication_body(&p.body)
            .map_err(|e| AppError::Invalid(format!("{year}年第 {} 版发布内容无法读取：{e}", p.version)))?;
        Ok(Some(Publication {
            year: p.year,
            version: p.version,
            reason: p.reason,
            published_at: p.published_at,
            sha256: p.sha256,
            body,
        }))
    }

    /// The newest publication's version of a year (the newest programme's when `None`), 0
    /// when nothing is published: for counters, without reading the body.
    pub async fn published_version(&self, year: Option<i32>) -> Result<i64> {
        self.allow(Action::ReadPublished)?;
        let year = self.programme(year).await?.year;
        Ok(self.store.latest_publication_version(year).await?.unwrap_or(0))
    }
}

/// What one measure's publication discloses: the plan's and the programme's choices, and
/// which series are public.
struct Disclosure<'a> {
    ranking: bool,
    vetoes: jili_model::VetoDisclosure,
    /// Whether scores may be published (every indicator reads public series only).
    scores: bool,
    public: &'a dyn Fn(&str) -> bool,
}

/// A run's result as published: winners (with overrides applied), vetoes as the policy allows,
/// and the ranking only when the plan publishes it.
fn published_measure(
    no: u32,
    run: &jili_store::StoredRun,
    result: &StoredResult,
    policy: &Disclosure<'_>,
    overrides: Vec<PublishedOverride>,
) -> PublishedMeasure {
    let units = &result.units;
    let unit = |u: &StoredUnit| PublishedUnit {
        code: u.code.clone(),
        name: u.name.clone(),
        group: u.group.clone(),
        score: u.score.filter(|_| policy.scores),
        rank: u.rank,
        award_wan: u.award.as_ref().map(|a| a.amount_wan),
        items: u.award.as_ref().map(|a| a.items.clone()).unwrap_or_default(),
        note: u
            .vetoes
            .iter()
            .map(|h| {
                if (policy.public)(&h.series) {
                    format!("{}（依据：{}）", h.reason, h.basis)
                } else {
                    "涉及原则上不向社会公布的数据，原因不公开".to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("；"),
    };
    let last_override = |code: &str| overrides.iter().rev().find(|o| o.unit == code).map(|o| o.outcome == "winner");
    let mut winners = Vec::new();
    for u in units {
        let won = u.outcome == "winner";
        if last_override(&u.code).unwrap_or(won) {
            let mut w = unit(u);
            if !won {
                w.note = "经省政府办公厅更正列入（见更正说明）".into();
            }
            winners.push(w);
        }
    }
    let vetoed_units: Vec<&StoredUnit> = units.iter().filter(|u| u.outcome == "vetoed").collect();
    let vetoed = match policy.vetoes {
        jili_model::VetoDisclosure::Count => Vec::new(),
        jili_model::VetoDisclosure::Name => vetoed_units
            .iter()
            .map(|u| {
                let mut v = unit(u);
                if !policy.ranking {
                    (v.score, v.rank) = (None, None);
                }
                v
            })
            .collect(),
    };
    let ranking = policy.ranking.then(|| {
        let mut ranked: Vec<PublishedUnit> = units.iter().filter(|u| u.rank.is_some()).map(unit).collect();
        ranked.sort_by_key(|u| (u.group.clone(), u.rank));
        ranked
    });
    PublishedMeasure {
        measure: no,
        title: result.title.clone(),
        run: run.id,
        plan_version: run.plan_version,
        plan_sha256: run.plan_sha256.clone(),
        data_sha256: run.data_sha256.clone(),
        result_sha256: run.result_sha256.clone(),
        winners,
        vetoed_count: vetoed_units.len(),
        vetoed,
        scores_withheld: !policy.scores,
        ranking,
        overrides,
        capped: Vec::new(),
    }
}

impl crate::document::Document for PublicationBody {
    const KIND: &'static str = "发布内容";
    const SCHEMA: u32 = 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use jili_model::VetoDisclosure;

    fn run() -> jili_store::StoredRun {
        jili_store::StoredRun {
            id: 9,
            year: 2024,
            measure: 16,
            plan_version: 1,
            plan_sha256: "p".into(),
            data_sha256: "d".into(),
            seed: 1,
            samples: 0,
            result: String::new(),
            result_sha256: "r".into(),
            run_at: String::new(),
            actor: "测试".into(),
            data_batch: None,
            engine: String::new(),
        }
    }

    fn result() -> StoredResult {
        StoredResult::parse(9, &serde_json::json!({ "title": "测试", "units": [
            { "code": "430102", "name": "芙蓉区", "group": "县市区", "score": 91.5, "rank": 1, "outcome": "winner",
              "award": { "amount_wan": 100, "items": [] }, "vetoes": [] },
            { "code": "430181", "name": "浏阳市", "group": "县市区", "score": 56.94, "rank": 93, "outcome": "vetoed",
              "vetoes": [
                { "reason": "新增隐性债务", "basis": "方案第五条", "series": "NEW_HIDDEN_DEBT" },
                { "reason": "发生较大安全事故", "basis": "方案第六条", "series": "SAFETY" }
              ] }
        ]}).to_string())
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn vetoed_units_are_counted_by_default_and_named_without_score_or_secret_reason_otherwise() {
        let public = |s: &str| s == "SAFETY";
        let policy = |vetoes, scores, ranking| Disclosure { ranking, vetoes, scores, public: &public };
        let counted = published_measure(16, &run(), &result(), &policy(VetoDisclosure::Count, true, false), vec![]);
        assert_eq!((counted.vetoed_count, counted.vetoed.len(), counted.vetoed_total()), (1, 0, 1));
        assert_eq!(counted.winners[0].score, Some(91.5));

        let named = published_measure(16, &run(), &result(), &policy(VetoDisclosure::Name, true, false), vec![]);
        let v = &named.vetoed[0];
        assert_eq!((v.name.as_str(), v.score, v.rank), ("浏阳市", None, None), "no score or rank: {v:?}");
        assert!(!v.note.contains("隐性债务") && v.note.contains("原因不公开"), "{}", v.note);
        assert!(v.note.contains("发生较大安全事故（依据：方案第六条）"), "{}", v.note);

        // A plan reading confidential series: no score anywhere, even in a published ranking.
        let ranked = published_measure(16, &run(), &result(), &policy(VetoDisclosure::Name, false, true), vec![]);
        assert!(ranked.scores_withheld && ranked.winners[0].score.is_none());
        assert!(ranked.ranking.iter().flatten().chain(&ranked.vetoed).all(|u| u.score.is_none()));
        assert_eq!(ranked.vetoed[0].rank, Some(93), "ranks stand where the plan publishes its ranking");
        // The stricter of the programme's and the plan's setting holds.
        assert_eq!(VetoDisclosure::Name.stricter(VetoDisclosure::Count), VetoDisclosure::Count);
        assert_eq!(VetoDisclosure::Count.stricter(VetoDisclosure::Name), VetoDisclosure::Count);
    }
}
