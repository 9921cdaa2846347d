//! Where a plan version is in its review (方案的审核状态), and which step may follow which: a
//! lead drafts and submits; the office returns or approves; an approved plan is published. The
//! rule lives here once; the store records the steps, the app and the pages ask.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A plan version's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlanStatus {
    /// 草稿: the lead may still edit it in place.
    Draft,
    /// 已提交待审: waiting for the office.
    Submitted,
    /// 已退回修改: the office sent it back with a comment; a revision is a new version.
    Returned,
    /// 已批准: in force for runs.
    Approved,
    /// 已公布: in force, and its results may be published.
    Published,
}

impl PlanStatus {
    pub const ALL: [PlanStatus; 5] =
        [PlanStatus::Draft, PlanStatus::Submitted, PlanStatus::Returned, PlanStatus::Approved, PlanStatus::Published];

    /// The word stored and used in URLs and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Submitted => "submitted",
            PlanStatus::Returned => "returned",
            PlanStatus::Approved => "approved",
            PlanStatus::Published => "published",
        }
    }

    /// In Chinese, for people.
    pub fn label(self) -> &'static str {
        match self {
            PlanStatus::Draft => "草稿",
            PlanStatus::Submitted => "已提交待审",
            PlanStatus::Returned => "已退回修改",
            PlanStatus::Approved => "已批准",
            PlanStatus::Published => "已公布",
        }
    }

    /// The statuses a version may move to this one from: submission from a draft, a return or
    /// an approval from submitted, publication from approved. Nothing moves back to a draft: a
    /// revision is a new version.
    pub fn reached_from(self) -> &'static [PlanStatus] {
        match self {
            PlanStatus::Draft => &[],
            PlanStatus::Submitted => &[PlanStatus::Draft],
            PlanStatus::Returned | PlanStatus::Approved => &[PlanStatus::Submitted],
            PlanStatus::Published => &[PlanStatus::Approved],
        }
    }

    /// Whether a version in this status may move to `to` (see [`PlanStatus::reached_from`]):
    /// what a page asks before offering the step.
    pub fn may_move_to(self, to: PlanStatus) -> bool {
        to.reached_from().contains(&self)
    }

    /// Whether a version in this status is the plan in force (what runs evaluate).
    pub fn in_force(self) -> bool {
        matches!(self, PlanStatus::Approved | PlanStatus::Published)
    }

    /// Whether the version may still be edited in place (only a draft; anything else submitted
    /// is frozen, and saving starts a new version).
    pub fn editable(self) -> bool {
        self == PlanStatus::Draft
    }
}

impl fmt::Display for PlanStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status word that is not one of the five.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的方案状态“{0}”：应为 draft、submitted、returned、approved 或 published")]
pub struct UnknownStatus(pub String);

impl FromStr for PlanStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PlanStatus::ALL.into_iter().find(|p| p.as_str() == s).ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

impl TryFrom<String> for PlanStatus {
    type Error = UnknownStatus;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::PlanStatus::{self, *};

    #[test]
    fn every_status_reads_back_from_its_word() {
        for s in PlanStatus::ALL {
            assert_eq!(s.as_str().parse::<PlanStatus>(), Ok(s));
        }
        assert!("Draft".parse::<PlanStatus>().is_err());
    }

    #[test]
    fn the_review_moves_forward_only() {
        let may = |from: PlanStatus, to: PlanStatus| from.may_move_to(to);
        assert!(
            may(Draft, Submitted) && may(Submitted, Returned) && may(Submitted, Approved) && may(Approved, Published)
        );
        for s in PlanStatus::ALL {
            assert!(!may(s, Draft), "nothing goes back to a draft");
            assert!(!may(s, s), "{s} to itself");
        }
        assert!(!may(Returned, Approved) && !may(Draft, Approved) && !may(Published, Approved));
        let in_force: Vec<_> = PlanStatus::ALL.into_iter().filter(|s| s.in_force()).collect();
        assert_eq!(in_force, [Approved, Published]);
    }
}
