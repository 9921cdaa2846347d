//! Verification cases (核查案件): the office opens a case from one or more anomaly flags, queries
//! the providing department, records its answers, and resolves the case as explained, corrected
//! or referred to discipline inspection (移送纪检监察). Where a case stands, and which step may
//! follow which, is decided here once; the store records the steps, the app and the pages ask.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseStatus {
    /// 已立案: opened, the provider not yet asked.
    Open,
    /// 已询问待答复: the office asked the provider; its answer is awaited.
    Queried,
    /// 已答复待办结: the provider answered; the office decides.
    Answered,
    /// 已说明（办结）: the value stands, the explanation is accepted.
    Explained,
    /// 已更正（办结）: the provider sent a corrected value.
    Corrected,
    /// 移送纪检监察（办结）: referred to discipline inspection with the evidence.
    Referred,
}

/// A step of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseStep {
    /// 立案: the first step, which makes the case.
    Open,
    /// 询问: the office asks the provider (again, after an answer that did not satisfy).
    Query,
    /// 答复: the provider explains (and may point to a corrected upload).
    Answer,
    /// 办结：已说明.
    Explain,
    /// 办结：已更正.
    Correct,
    /// 办结：移送纪检监察.
    Refer,
    /// 发布说明: the office publishes results while the case is open and records why. The
    /// case's status does not change.
    Waive,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 6] = [
        CaseStatus::Open,
        CaseStatus::Queried,
        CaseStatus::Answered,
        CaseStatus::Explained,
        CaseStatus::Corrected,
        CaseStatus::Referred,
    ];

    /// The word stored and used in URLs and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Queried => "queried",
            CaseStatus::Answered => "answered",
            CaseStatus::Explained => "explained",
            CaseStatus::Corrected => "corrected",
            CaseStatus::Referred => "referred",
        }
    }

    /// In Chinese, for people.
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Open => "已立案",
            CaseStatus::Queried => "已询问待答复",
            CaseStatus::Answered => "已答复待办结",
            CaseStatus::Explained => "已说明",
            CaseStatus::Corrected => "已更正",
            CaseStatus::Referred => "移送纪检监察",
        }
    }

    /// Whether the case is closed (办结): explained, corrected or referred. A closed case takes
    /// no more steps; new doubts about the same value open a new case.
    pub fn resolved(self) -> bool {
        matches!(self, CaseStatus::Explained | CaseStatus::Corrected | CaseStatus::Referred)
    }

    /// The status after `step`, or `None` when the step may not follow this status: a query
    /// from any open status; an answer only after a query (or to add to an answer); a
    /// resolution from any open status; a waiver leaves an open case as it is. Nothing follows
    /// a resolution, and `Open` is never a step on an existing case.
    pub fn after(self, step: CaseStep) -> Option<CaseStatus> {
        if self.resolved() {
            return None;
        }
        match step {
            CaseStep::Open => None,
            CaseStep::Query => Some(CaseStatus::Queried),
            CaseStep::Answer => {
                matches!(self, CaseStatus::Queried | CaseStatus::Answered).then_some(CaseStatus::Answered)
            }
            CaseStep::Explain => Some(CaseStatus::Explained),
            CaseStep::Correct => Some(CaseStatus::Corrected),
            CaseStep::Refer => Some(CaseStatus::Referred),
            CaseStep::Waive => Some(self),
        }
    }

    /// The steps that may follow this status, in the order a page offers them.
    pub fn next_steps(self) -> Vec<CaseStep> {
        CaseStep::ALL.into_iter().filter(|s| self.after(*s).is_some()).collect()
    }
}

impl CaseStep {
    pub const ALL: [CaseStep; 7] = [
        CaseStep::Open,
        CaseStep::Query,
        CaseStep::Answer,
        CaseStep::Explain,
        CaseStep::Correct,
        CaseStep::Refer,
        CaseStep::Waive,
    ];

    /// The word stored, and the audit action's suffix (`case.query` …).
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStep::Open => "open",
            CaseStep::Query => "query",
            CaseStep::Answer => "answer",
            CaseStep::Explain => "explain",
            CaseStep::Correct => "correct",
            CaseStep::Refer => "refer",
            CaseStep::Waive => "waive",
        }
    }

    /// In Chinese, for people.
    pub fn label(self) -> &'static str {
        match self {
            CaseStep::Open => "立案",
            CaseStep::Query => "询问",
            CaseStep::Answer => "答复",
            CaseStep::Explain => "办结：已说明",
            CaseStep::Correct => "办结：已更正",
            CaseStep::Refer => "办结：移送纪检监察",
            CaseStep::Waive => "未结发布说明",
        }
    }

    /// Whether the step closes the case.
    pub fn resolves(self) -> bool {
        matches!(self, CaseStep::Explain | CaseStep::Correct | CaseStep::Refer)
    }

    /// The resolution a word names, as the command line and forms write it: `explained`,
    /// `corrected`, `referred` (or the step's own word).
    pub fn resolution(word: &str) -> Option<CaseStep> {
        match word.trim() {
            "explained" | "explain" | "已说明" => Some(CaseStep::Explain),
            "corrected" | "correct" | "已更正" => Some(CaseStep::Correct),
            "referred" | "refer" | "移送纪检监察" => Some(CaseStep::Refer),
            _ => None,
        }
    }
}

impl fmt::Display for CaseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for CaseStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status or step word that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的案件状态或步骤“{0}”")]
pub struct UnknownCaseWord(pub String);

impl FromStr for CaseStatus {
    type Err = UnknownCaseWord;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CaseStatus::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| UnknownCaseWord(s.to_string()))
    }
}

impl FromStr for CaseStep {
    type Err = UnknownCaseWord;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CaseStep::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| UnknownCaseWord(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::CaseStatus::*;
    use super::*;

    #[test]
    fn every_word_reads_back() {
        for s in CaseStatus::ALL {
            assert_eq!(s.as_str().parse::<CaseStatus>(), Ok(s));
        }
        for s in CaseStep::ALL {
            assert_eq!(s.as_str().parse::<CaseStep>(), Ok(s));
        }
        assert!("Open".parse::<CaseStatus>().is_err());
        assert_eq!(CaseStep::resolution("referred"), Some(CaseStep::Refer));
        assert_eq!(CaseStep::resolution("已更正"), Some(CaseStep::Correct));
        assert_eq!(CaseStep::resolution("query"), None, "a query is no resolution");
    }

    #[test]
    fn a_case_goes_from_query_to_answer_to_resolution_and_stops() {
        assert_eq!(Open.after(CaseStep::Query), Some(Queried));
        assert_eq!(Open.after(CaseStep::Answer), None, "no answer before a query");
        assert_eq!(Queried.after(CaseStep::Answer), Some(Answered));
        assert_eq!(Answered.after(CaseStep::Answer), Some(Answered), "an answer may be added to");
        assert_eq!(Answered.after(CaseStep::Query), Some(Queried), "a follow-up query");
        assert_eq!(Answered.after(CaseStep::Refer), Some(Referred));
        assert_eq!(Open.after(CaseStep::Explain), Some(Explained));
        assert_eq!(Queried.after(CaseStep::Waive), Some(Queried), "a waiver changes nothing");
        for s in CaseStatus::ALL {
            assert_eq!(s.after(CaseStep::Open), None, "{s}: a case is opened once");
            if s.resolved() {
                assert!(s.next_steps().is_empty(), "{s} is final");
            } else {
                assert!(s.next_steps().iter().any(|x| x.resolves()), "{s} can be resolved");
            }
        }
        let resolved: Vec<_> = CaseStatus::ALL.into_iter().filter(|s| s.resolved()).collect();
        assert_eq!(resolved, [Explained, Corrected, Referred]);
        for step in CaseStep::ALL.into_iter().filter(|s| s.resolves()) {
            assert!(Open.after(step).is_some_and(CaseStatus::resolved));
        }
    }
}
