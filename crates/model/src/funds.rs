//! What can happen to an award's money, as recorded in the funds journal (资金台账).

use serde::{Deserialize, Serialize};

/// The kind of a funds journal entry. An award is disbursed (资金下达) in one or more
/// instalments, the finance department reports its use (资金使用情况), and when the result it
/// rests on is overturned the office orders it back (追回) and records what is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FundKind {
    Disburse,
    Use,
    Recover,
    Return,
}

impl FundKind {
    pub const ALL: [FundKind; 4] = [FundKind::Disburse, FundKind::Use, FundKind::Recover, FundKind::Return];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            FundKind::Disburse => "disburse",
            FundKind::Use => "use",
            FundKind::Recover => "recover",
            FundKind::Return => "return",
        }
    }

    /// The name in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            FundKind::Disburse => "资金下达",
            FundKind::Use => "资金使用",
            FundKind::Recover => "责令追回",
            FundKind::Return => "追回到账",
        }
    }
}

impl std::str::FromStr for FundKind {
    type Err = ();

    fn from_str(s: &str) -> Result<FundKind, ()> {
        FundKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_stored_names() {
        for k in FundKind::ALL {
            assert_eq!(k.as_str().parse::<FundKind>(), Ok(k));
        }
        assert!("refund".parse::<FundKind>().is_err());
    }
}
