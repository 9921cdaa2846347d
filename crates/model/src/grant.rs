//! Data grants: a department's consent that one lead department may use one of its series that
//! are 原则上不向社会公布 in the plan of one measure in one year. Without a grant, a plan reading
//! another department's confidential series fails lint and cannot be tried: its scores would
//! give the values away. A grant is requested by the lead, given or declined by the owning
//! department (or recorded by the office from the department's letter), and can be revoked.

use serde::{Deserialize, Serialize};

/// Where a grant stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantStatus {
    /// Asked for by the lead department; not yet decided.
    Requested,
    /// In force: the lead may use the series in this measure's plan of this year.
    Granted,
    /// Refused by the owning department.
    Declined,
    /// Was in force, withdrawn by the owning department.
    Revoked,
}

impl GrantStatus {
    /// Every status, for parsing and listing.
    pub const ALL: [GrantStatus; 4] =
        [GrantStatus::Requested, GrantStatus::Granted, GrantStatus::Declined, GrantStatus::Revoked];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            GrantStatus::Requested => "requested",
            GrantStatus::Granted => "granted",
            GrantStatus::Declined => "declined",
            GrantStatus::Revoked => "revoked",
        }
    }

    /// The word a reader knows.
    pub fn label(self) -> &'static str {
        match self {
            GrantStatus::Requested => "待授权",
            GrantStatus::Granted => "已授权",
            GrantStatus::Declined => "未同意",
            GrantStatus::Revoked => "已撤销",
        }
    }

    /// A status from its stored word.
    pub fn parse(word: &str) -> Option<GrantStatus> {
        GrantStatus::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// The statuses a grant may move to from this one: a request is given or declined; a grant
    /// is revoked; a declined or revoked grant is final (ask again for a new one).
    pub fn next(self) -> &'static [GrantStatus] {
        match self {
            GrantStatus::Requested => &[GrantStatus::Granted, GrantStatus::Declined],
            GrantStatus::Granted => &[GrantStatus::Revoked],
            GrantStatus::Declined | GrantStatus::Revoked => &[],
        }
    }
}

/// One grant, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub id: i64,
    pub year: i32,
    pub measure: u32,
    pub series: String,
    /// The owning department's code.
    pub owner: String,
    /// The lead department's code.
    pub grantee: String,
    pub status: GrantStatus,
    /// Why the lead asks (or why the office records it).
    pub reason: String,
    /// The owner's decision: its letter (湘财函〔2024〕12号) or a note; empty until decided.
    pub basis: String,
    pub requested_by: String,
    pub requested_at: String,
    pub decided_by: String,
    pub decided_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_and_only_requests_and_grants_move_on() {
        for s in GrantStatus::ALL {
            assert_eq!(GrantStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(GrantStatus::Requested.next(), [GrantStatus::Granted, GrantStatus::Declined]);
        assert_eq!(GrantStatus::Granted.next(), [GrantStatus::Revoked]);
        assert!(GrantStatus::Revoked.next().is_empty() && GrantStatus::Declined.next().is_empty());
    }
}
