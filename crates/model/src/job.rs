//! Where a job (long work started from the web) stands. A job moves queued → running → done
//! or failed; a queued job can also fail (its server stopped before it began). Nothing else.

use serde::{Deserialize, Serialize};

/// A job's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobStatus {
    Queued,
    Running,
    Done,
    Failed,
}

impl JobStatus {
    /// As stored and in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }

    /// A stored status; `None` for anything else.
    pub fn parse(text: &str) -> Option<JobStatus> {
        match text {
            "queued" => Some(JobStatus::Queued),
            "running" => Some(JobStatus::Running),
            "done" => Some(JobStatus::Done),
            "failed" => Some(JobStatus::Failed),
            _ => None,
        }
    }

    /// In words.
    pub fn label(self) -> &'static str {
        match self {
            JobStatus::Queued => "排队中",
            JobStatus::Running => "进行中",
            JobStatus::Done => "已完成",
            JobStatus::Failed => "失败",
        }
    }

    /// Done or failed: it will not change again.
    pub fn is_finished(self) -> bool {
        matches!(self, JobStatus::Done | JobStatus::Failed)
    }

    /// Whether a job may move from `self` to `to`.
    pub fn may_become(self, to: JobStatus) -> bool {
        matches!(
            (self, to),
            (JobStatus::Queued, JobStatus::Running | JobStatus::Failed)
                | (JobStatus::Running, JobStatus::Done | JobStatus::Failed)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_only_move_forward() {
        for s in [JobStatus::Queued, JobStatus::Running, JobStatus::Done, JobStatus::Failed] {
            assert_eq!(JobStatus::parse(s.as_str()), Some(s));
            assert!(!s.may_become(JobStatus::Queued));
        }
        assert!(JobStatus::Queued.may_become(JobStatus::Failed));
        assert!(!JobStatus::Queued.may_become(JobStatus::Done));
        assert!(!JobStatus::Done.may_become(JobStatus::Failed));
        assert!(JobStatus::Failed.is_finished() && !JobStatus::Running.is_finished());
        assert_eq!(JobStatus::parse("half"), None);
    }
}
