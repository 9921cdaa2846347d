//! Where a request to publish a year's results stands (发布申请): one office user asks, another
//! confirms (双人把关), or either withdraws it. A request is closed once: a confirmed or
//! withdrawn request does not move again.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A publication request's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RequestStatus {
    /// 待确认: waiting for another office user.
    Pending,
    /// 确认发布: confirmed, and the results published.
    Confirmed,
    /// 撤回: withdrawn before anyone confirmed it.
    Withdrawn,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 3] = [RequestStatus::Pending, RequestStatus::Confirmed, RequestStatus::Withdrawn];

    /// The word stored and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Confirmed => "confirmed",
            RequestStatus::Withdrawn => "withdrawn",
        }
    }

    /// In Chinese, for people (“发布申请 3 已撤回”).
    pub fn label(self) -> &'static str {
        match self {
            RequestStatus::Pending => "待确认",
            RequestStatus::Confirmed => "确认发布",
            RequestStatus::Withdrawn => "撤回",
        }
    }

    /// Whether the request is still open: only a pending request may be confirmed or withdrawn.
    pub fn is_open(self) -> bool {
        self == RequestStatus::Pending
    }
}

impl fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status word that is not one of the three.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的发布申请状态“{0}”：应为 pending、confirmed 或 withdrawn")]
pub struct UnknownRequestStatus(pub String);

impl FromStr for RequestStatus {
    type Err = UnknownRequestStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RequestStatus::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| UnknownRequestStatus(s.to_string()))
    }
}

impl TryFrom<String> for RequestStatus {
    type Error = UnknownRequestStatus;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

#[cfg(test)]
mod tests {
    use super::RequestStatus;

    #[test]
    fn every_status_reads_back_from_its_word_and_serialises_as_it() {
        for s in RequestStatus::ALL {
            assert_eq!(s.as_str().parse::<RequestStatus>(), Ok(s));
            assert_eq!(RequestStatus::try_from(s.to_string()), Ok(s));
            assert_eq!(serde_json::to_string(&s).ok(), Some(format!("\"{s}\"")));
        }
        assert!("Pending".parse::<RequestStatus>().is_err());
        let open: Vec<_> = RequestStatus::ALL.into_iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, [RequestStatus::Pending]);
    }
}
