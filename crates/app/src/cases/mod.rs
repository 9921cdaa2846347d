//! Verification cases (核查案件): what happens to an anomaly flag once someone doubts the value.
//! The office opens a case on one or more flags of one providing department, queries it, the
//! department answers (and may point to a corrected upload), and the office resolves the case:
//! explained (已说明), corrected (已更正) or referred to discipline inspection (移送纪检监察) with
//! the evidence — the flags, each value's revision history, the notes, the queries and answers —
//! frozen into the referral. Every step is a store transaction with its audit event.
//!
//! Who sees what: the office and the auditor every case; a provider only the cases put to it,
//! without what only the office may know (a cut-off crossing's message, the evidence, the
//! watch list). The auditor reads and changes nothing.

pub mod evidence;
pub mod guard;
pub mod watch;

use crate::App;
use crate::access::{Action, Role};
use crate::error::{AppError, Result};
use evidence::Evidence;
use jili_model::{CaseStatus, CaseStep, Catalogue};
use jili_store::{NewCaseStep, StoredBatch, StoredCase, StoredCaseStep, StoredFlag};
use serde::Serialize;

/// What a flag's message says to a reader who may not know it (a cut-off crossing names
/// units and unpublished ranks, a cross-source comparison quotes another department: the
/// office's and the auditor's only).
pub const WITHHELD: &str = "（此疑点的说明涉及评价结果，仅省政府办公厅和纪检监察可见）";

/// A case in a list.
#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    pub case: StoredCase,
    pub provider_name: String,
    pub flags: usize,
    /// The newest step's time.
    pub updated_at: String,
}

/// A flag of a case, as its reader may see it.
#[derive(Debug, Clone, Serialize)]
pub struct CaseFlag {
    pub id: i64,
    pub batch_id: i64,
    pub series: String,
    pub series_name: String,
    pub unit: String,
    pub unit_name: String,
    pub period: String,
    pub code: String,
    pub message: String,
    pub prominent: bool,
}

/// What the reader may do to a case now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CaseControls {
    pub query: bool,
    pub answer: bool,
    pub resolve: bool,
}

/// One case with everything its reader may see.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    pub case: StoredCase,
    pub provider_name: String,
    pub flags: Vec<CaseFlag>,
    /// Oldest first; a referral's evidence text is left out (see `evidence`).
    pub steps: Vec<StoredCaseStep>,
    /// Each flagged value's revisions as they stand now (office and auditor only).
    pub histories: Vec<evidence::ValueHistory>,
    /// The evidence frozen at referral (office and auditor only).
    pub evidence: Option<Evidence>,
    pub may: CaseControls,
}

/// A required text of a step: trimmed, not empty, within the text limit.
async fn required(app: &App, field: &str, text: &str, what: &str) -> Result<String> {
    let text = text.trim();
    crate::limits::check_text(field, text, &app.limits().await?)?;
    if text.is_empty() {
        return Err(AppError::Invalid(format!("“{field}”不能为空：{what}")));
    }
    Ok(text.to_string())
}

/// The department that provides a flagged value: the series' owner, or for a flag on a whole
/// batch (no series) the batch's provider.
fn owner_of(flag: &StoredFlag, catalogue: &Catalogue, batches: &[StoredBatch]) -> String {
    catalogue.series(&flag.series).map(|s| s.owner.clone()).unwrap_or_else(|| {
        batches.iter().find(|b| b.id == flag.batch_id).map(|b| b.provider.clone()).unwrap_or_default()
    })
}

fn department_name(catalogue: &Catalogue, code: &str) -> String {
    catalogue.department(code).map_or_else(|| code.to_string(), |d| d.name.clone())
}

impl App {
    /// Open a case on `flags` (their ids), all of one providing department. Returns its id.
    pub async fn open_case(&self, title: &str, flags: &[i64], note: &str) -> Result<i64> {
        self.allow(Action::ManageCases)?;
        let title =
            required(self, "案件标题", title, "请用一句话写明核查什么（如“宜章县社会消费品零售总额跳变”）").await?;
        crate::limits::check_name("案件标题", &title, &self.limits().await?)?;
        crate::limits::check_text("立案说明", note, &self.limits().await?)?;
        if flags.is_empty() {
            return Err(AppError::Invalid("请至少选定一条数据疑点（编号见 jili data flags 或数据核查页面）".into()));
        }
        // Each flag once, and no more than exist: a list is checked before it is looked up.
        let flags: Vec<i64> = flags.iter().copied().collect::<std::collections::BTreeSet<i64>>().into_iter().collect();
        let all = self.store.flags(None).await?;
        if flags.len() > all.len() {
            return Err(AppError::Invalid(format!(
                "选定了 {} 条疑点，而库中只有 {} 条：请核对编号（见 jili data flags）",
                flags.len(),
                all.len()
            )));
        }
        let catalogue = self.catalogue().await?;
        let batches = self.store.batches().await?;
        let mut owners = std::collections::BTreeSet::new();
        for id in &flags {
            let flag = all
                .iter()
                .find(|f| f.id == *id)
                .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的数据疑点（编号见 jili data flags）")))?;
            owners.insert(owner_of(flag, &catalogue, &batches));
        }
        if owners.len() > 1 {
            let names: Vec<String> = owners.iter().map(|c| department_name(&catalogue, c)).collect();
            return Err(AppError::Invalid(format!(
                "所选疑点分属 {} 个部门（{}）：一个案件只向一个数据提供部门询问，请按部门分别立案",
                owners.len(),
                names.join("、")
            )));
        }
        let provider = owners.into_iter().next().unwrap_or_default();
        Ok(self.store.open_case(&self.actor(), &title, &provider, &flags, note.trim()).await?)
    }

    /// Ask the provider about case `id` (again, after an answer that did not settle it).
    pub async fn query_case(&self, id: i64, query: &str) -> Result<StoredCase> {
        self.allow(Action::ManageCases)?;
        let text = required(self, "询问内容", query, "请写明要数据提供部门说明什么、何时前答复").await?;
        self.case_step(id, NewCaseStep { step: CaseStep::Query, text: &text, batch_id: None, evidence: "" }).await
    }

    /// Answer case `id` as the department it was put to (or the office, recording an answer
    /// received in writing); `batch` points to a corrected upload.
    pub async fn answer_case(&self, id: i64, answer: &str, batch: Option<i64>) -> Result<StoredCase> {
        let record = self.case_record(id).await?;
        self.allow(Action::AnswerCase { provider: &record.case.provider })?;
        let text = required(self, "答复", answer, "请说明该数值的来源和变化原因；已重新报送的，写明批次号").await?;
        if let Some(b) = batch {
            self.correction_batch(&record, b).await?;
        }
        self.case_step(id, NewCaseStep { step: CaseStep::Answer, text: &text, batch_id: batch, evidence: "" }).await
    }

    /// Resolve case `id` as explained, corrected or referred (`resolution` is one of the three
    /// resolving steps). A correction names the batch that corrected a flagged value (given,
    /// or the one the provider's answer pointed to); a referral freezes the evidence.
    pub async fn resolve_case(
        &self,
        id: i64,
        resolution: CaseStep,
        reason: &str,
        batch: Option<i64>,
    ) -> Result<StoredCase> {
        self.allow(Action::ManageCases)?;
        if !resolution.resolves() {
            return Err(AppError::Invalid(format!(
                "办结结论应为 explained（已说明）、corrected（已更正）或 referred（移送纪检监察），不能是“{}”",
                resolution.label()
            )));
        }
        let record = self.case_record(id).await?;
        let text = required(self, "办结意见", reason, "请写明结论的依据").await?;
        let mut batch_id = None;
        let mut evidence = String::new();
        match resolution {
            CaseStep::Correct => {
                let answered = record.steps.iter().rev().find_map(|s| s.batch_id);
                let Some(b) = batch.or(answered) else {
                    return Err(AppError::Invalid(format!(
                        "核查案件 {id} 没有更正批次：“已更正”须指明数据提供部门重新报送的批次（--batch 批次号；批次见 jili data batches）"
                    )));
                };
                self.correction_batch(&record, b).await?;
                self.corrects_a_flagged_value(&record, b).await?;
                batch_id = Some(b);
            }
            CaseStep::Refer => {
                let frozen = self.evidence_of(&record, &text).await?;
                evidence = crate::document::to_text(&frozen)
                    .map_err(|e| AppError::Invalid(format!("移送证据无法编码：{e}")))?;
            }
            _ => {}
        }
        self.case_step(id, NewCaseStep { step: resolution, text: &text, batch_id, evidence: &evidence }).await
    }

    /// The cases the actor may read, oldest first: every case for the office and the auditor,
    /// a provider's own.
    pub async fn cases(&self) -> Result<Vec<CaseSummary>> {
        match &self.principal().role {
            Role::Provider(d) => self.allow(Action::ReadCases { provider: d })?,
            _ => self.allow(Action::ReadCases { provider: "" })?,
        }
        let catalogue = self.catalogue().await?;
        let links = self.store.case_flag_links().await?;
        let steps = self.store.case_steps().await?;
        Ok(self
            .store
            .cases()
            .await?
            .into_iter()
            .filter(|c| self.may(&Action::ReadCases { provider: &c.provider }))
            .map(|c| CaseSummary {
                provider_name: department_name(&catalogue, &c.provider),
                flags: links.iter().filter(|(case, _)| *case == c.id).count(),
                updated_at: steps.iter().rev().find(|s| s.case_id == c.id).map_or_else(String::new, |s| s.at.clone()),
                case: c,
            })
            .collect())
    }

    /// One case, as the actor may see it.
    pub async fn case(&self, id: i64) -> Result<CaseView> {
        let record = self.case_record(id).await?;
        let case = &record.case;
        self.allow(Action::ReadCases { provider: &case.provider })?;
        let catalogue = self.catalogue().await?;
        // What only the office and the auditor may know: crossings, histories, the evidence.
        let everything = self.may(&Action::Watch);
        let flags = record
            .flags
            .iter()
            .map(|f| CaseFlag {
                id: f.id,
                batch_id: f.batch_id,
                series_name: catalogue.series(&f.series).map_or_else(String::new, |s| s.name.clone()),
                unit_name: catalogue.unit(&f.unit).map_or_else(String::new, |u| u.name.clone()),
                series: f.series.clone(),
                unit: f.unit.clone(),
                period: f.period.clone(),
                code: f.code.clone(),
                message: if everything || (f.code != "crosses-cutoff" && !f.office_only) {
                    f.message.clone()
                } else {
                    WITHHELD.into()
                },
                prominent: f.prominent,
            })
            .collect();
        let evidence = match record.steps.iter().find(|s| s.step == CaseStep::Refer) {
            Some(s) if everything => Some(
                crate::document::from_text::<Evidence>(&s.evidence)
                    .map_err(|e| AppError::Invalid(format!("核查案件 {id} 的移送证据无法读取：{e}")))?,
            ),
            _ => None,
        };
        let histories = if everything { evidence::histories(self, &record.flags).await? } else { Vec::new() };
        let open = !case.status.resolved();
        let may = CaseControls {
            query: open && self.may(&Action::ManageCases) && case.status.after(CaseStep::Query).is_some(),
            answer: open
                && self.may(&Action::AnswerCase { provider: &case.provider })
                && case.status.after(CaseStep::Answer).is_some(),
            resolve: open && self.may(&Action::ManageCases),
        };
        let steps = record.steps.iter().map(|s| StoredCaseStep { evidence: String::new(), ..s.clone() }).collect();
        Ok(CaseView {
            provider_name: department_name(&catalogue, &case.provider),
            case: record.case.clone(),
            flags,
            steps,
            histories,
            evidence,
            may,
        })
    }

    /// The stored case, or NotFound.
    async fn case_record(&self, id: i64) -> Result<jili_store::CaseRecord> {
        self.store
            .case(id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的核查案件（编号见 jili case list）")))
    }

    async fn case_step(&self, id: i64, step: NewCaseStep<'_>) -> Result<StoredCase> {
        self.case_record(id).await?;
        Ok(self.store.add_case_step(&self.actor(), id, step).await?)
    }

    /// Check that batch `b` can be a correction for the case: it exists, comes from the case's
    /// department and is newer than the flagged batches.
    async fn correction_batch(&self, record: &jili_store::CaseRecord, b: i64) -> Result<()> {
        let batches = self.store.batches().await?;
        let Some(batch) = batches.iter().find(|x| x.id == b) else {
            return Err(AppError::NotFound(format!("没有批次 {b}（批次见 jili data batches 或数据批次页面）")));
        };
        if batch.provider != record.case.provider {
            return Err(AppError::Invalid(format!(
                "批次 {b} 是 {} 报送的，不是本案所询问的 {}：更正须由该部门重新报送",
                batch.provider, record.case.provider
            )));
        }
        let flagged = record.flags.iter().map(|f| f.batch_id).max().unwrap_or(0);
        if b <= flagged {
            return Err(AppError::Invalid(format!(
                "批次 {b} 不晚于引发疑点的批次 {flagged}：更正应是此后重新报送的批次"
            )));
        }
        Ok(())
    }

    /// Check that batch `b` revised at least one flagged value.
    async fn corrects_a_flagged_value(&self, record: &jili_store::CaseRecord, b: i64) -> Result<()> {
        for f in record.flags.iter().filter(|f| !f.series.is_empty() && !f.unit.is_empty()) {
            let revisions = self.store.revisions(&f.series, &f.unit, &f.period).await?;
            if revisions.iter().any(|r| r.batch_id == b && r.revision > 1) {
                return Ok(());
            }
        }
        Err(AppError::Invalid(format!("批次 {b} 没有修订本案疑点所涉的任何数值：请核对批次号，或以“已说明”办结")))
    }

    /// The open (unresolved) cases: for the watch list and the publication guard.
    pub(crate) async fn open_cases(&self) -> Result<Vec<StoredCase>> {
        Ok(self.store.cases().await?.into_iter().filter(|c| !c.status.resolved()).collect())
    }

    /// The number of cases awaiting the actor: for a provider, its cases awaiting an answer;
    /// for the office and the auditor, every open case. For dashboards.
    pub async fn cases_waiting(&self) -> Result<usize> {
        let cases = self.cases().await?;
        let provider = matches!(self.principal().role, Role::Provider(_));
        Ok(cases
            .iter()
            .filter(|c| if provider { c.case.status == CaseStatus::Queried } else { !c.case.status.resolved() })
            .count())
    }
}
