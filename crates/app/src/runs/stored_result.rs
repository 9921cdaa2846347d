//! The part of a stored run result that a publication and the list of runs read, as types: what a run stored is
//! read back field by field with serde, not picked out of untyped JSON, so a result that does
//! not read is an error naming the run rather than a silently empty field.

use serde::Deserialize;

/// A run's result as stored (the engine's `RunResult`, the fields a publication uses).
#[derive(Debug, Deserialize)]
pub(crate) struct StoredResult {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub total_wan: u64,
    #[serde(default)]
    pub units: Vec<StoredUnit>,
}

/// One evaluated unit as stored.
#[derive(Debug, Deserialize)]
pub(crate) struct StoredUnit {
    pub code: String,
    pub name: String,
    pub group: Option<String>,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    /// `winner`, `vetoed`, `not_selected` …
    pub outcome: String,
    pub award: Option<StoredAward>,
    #[serde(default)]
    pub vetoes: Vec<StoredVeto>,
}

/// A winner's award as stored.
#[derive(Debug, Deserialize)]
pub(crate) struct StoredAward {
    pub amount_wan: u64,
    #[serde(default)]
    pub items: Vec<String>,
}

/// A veto that applied, as stored (its value is never read here: it may be confidential).
#[derive(Debug, Deserialize)]
pub(crate) struct StoredVeto {
    pub reason: String,
    pub basis: String,
    pub series: String,
}

impl StoredResult {
    /// Parse the stored text of run `id`.
    pub(crate) fn parse(id: i64, text: &str) -> crate::Result<StoredResult> {
        crate::document::from_text(text).map_err(|e| crate::AppError::Invalid(format!("运行 {id}：{e}")))
    }
}

/// The parts of a run's result a reader without the right to every value may see: the same
/// document, so the same version.
impl crate::document::Document for StoredResult {
    const KIND: &'static str = "运行结果";
    const SCHEMA: u32 = <jili_engine::RunResult as crate::document::Document>::SCHEMA;
}
