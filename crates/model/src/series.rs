//! Series (数据项): the raw statistics a providing department owns.

use serde::{Deserialize, Serialize};

/// Whether a series measures a result or the work done to get it. The notice bans process
/// work (开会发文、留痕打卡) as a criterion, so plans may read outcome series only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Nature {
    Outcome,
    Process,
}

impl Nature {
    /// The word used in the catalogue files.
    pub fn as_str(self) -> &'static str {
        match self {
            Nature::Outcome => "outcome",
            Nature::Process => "process",
        }
    }
}

/// One series of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    /// Upper-snake ASCII code (`GDP`, `IND_VA_GROWTH`).
    pub code: String,
    pub name: String,
    /// Unit of measure (亿元, 万元, %, 个 …).
    pub unit: String,
    /// 年, 季, 月.
    pub frequency: String,
    /// The owning department's code; its data come from that department only (无扰评价).
    pub owner: String,
    /// False for series that are 原则上不向社会公布: never published.
    pub public: bool,
    pub nature: Nature,
    /// A 市州's value is the sum of its counties' (totals and counts), so sums can be checked.
    pub additive: bool,
    pub description: String,
}
