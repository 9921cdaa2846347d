//! The plan as written: the TOML file read with the position of every item kept, so that
//! checks can point at the line.

use super::types::{AppliesTo, Basis, Category, Header, Method, Normalise, Outlier, Polarity};
use crate::error::{ModelError, toml_error};
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A plan as the lead department wrote it: parsed, not yet checked.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanDraft {
    pub plan: Spanned<Header>,
    pub groups: Vec<Spanned<super::types::Group>>,
    #[serde(default)]
    pub pillars: Vec<Spanned<super::types::Pillar>>,
    pub indicators: Vec<Spanned<IndicatorDraft>>,
    #[serde(default)]
    pub vetoes: Vec<Spanned<VetoDraft>>,
    pub selection: Spanned<SelectionDraft>,
    #[serde(default)]
    pub rewards: Vec<Spanned<RewardDraft>>,
    #[serde(default)]
    pub method: Option<Spanned<Method>>,
}

/// A reward as written: exactly one of `amount_wan`, `tiers_wan`, `pool_wan`, or items only.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RewardDraft {
    pub group: String,
    pub amount_wan: Option<u64>,
    pub tiers_wan: Option<Vec<u64>>,
    pub pool_wan: Option<u64>,
    pub channel: String,
    #[serde(default)]
    pub items: Vec<String>,
}

/// An indicator as written; `series` keeps its position.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDraft {
    pub id: String,
    pub name: String,
    pub series: Spanned<String>,
    pub basis: Basis,
    #[serde(default)]
    pub polarity: Polarity,
    pub category: Category,
    #[serde(default)]
    pub applies_to: AppliesTo,
    #[serde(default)]
    pub pillar: Option<String>,
    pub weight: f64,
    #[serde(default)]
    pub normalise: Normalise,
    #[serde(default)]
    pub bounds: Option<[f64; 2]>,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub outlier: Option<Outlier>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A veto as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VetoDraft {
    pub when: Spanned<VetoWhen>,
    pub reason: String,
    pub basis: String,
}

/// `when = { series = "…", above = 0 }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VetoWhen {
    pub series: Spanned<String>,
    pub above: Option<f64>,
    pub below: Option<f64>,
}

/// `[selection]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectionDraft {
    #[serde(default)]
    pub quota: BTreeMap<String, u32>,
    pub total: Option<u32>,
    pub min_score: Option<f64>,
    #[serde(default)]
    pub tie_break: Vec<String>,
}

impl PlanDraft {
    /// Read a plan file. Syntax errors, wrong types and unknown fields name the line.
    pub fn parse(file: &str, text: &str) -> Result<PlanDraft, ModelError> {
        toml::from_str(text).map_err(|e| toml_error(file, text, &e))
    }
}
