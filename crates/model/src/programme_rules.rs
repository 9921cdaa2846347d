//! The rules a year's programme sets once for all its measures (`[rules]` in the programme
//! file): reward channels, named unit kinds, park classes, commendation sources, the plans'
//! indicator-count limits, programme-wide vetoes and a cap on awards per unit and year.
//!
//! These used to be constants of the 2024 notice; a new notice must load without a code
//! change, so each year's file says them. Programmes stored before the rules were data carry
//! none: they read as [`Rules::legacy`], the 2024 constants they were checked against.

use crate::error::ModelError;
use crate::location::Location;
use crate::plan::{Threshold, Veto};
use crate::unit::Level;
use serde::{Deserialize, Serialize};

/// The 2024 notice's reward channels: what programmes stored before `[rules]` were checked against.
const LEGACY_CHANNELS: [&str; 6] = [
    "资金奖励",
    "省预算内基本建设投资",
    "相关专项资金、试点安排",
    "相关专项资金、项目安排",
    "创新型省份建设专项资金",
    "相关专项资金",
];

/// The 2024 notice's inspections behind a commendation (通报表扬).
const LEGACY_SOURCES: [&str; 2] = ["国务院综合督查", "省政府综合督查"];

/// A programme's rules for all its measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    /// The reward channels the notice names; every measure pays through one of them.
    pub channels: Vec<String>,
    /// Named unit kinds a measure's `levels` (and a plan's groups) may use.
    #[serde(default)]
    pub kinds: Vec<UnitKind>,
    /// The park classes (`Unit.kind` of a 园区) the programme recognises.
    #[serde(default)]
    pub park_classes: Vec<String>,
    /// The inspections whose findings a commendation may cite.
    #[serde(default)]
    pub commendation_sources: Vec<String>,
    /// How many indicators a plan may have; no limit where `None`.
    #[serde(default)]
    pub indicators: IndicatorLimits,
    /// Vetoes applying to every measure (a plan may add its own).
    #[serde(default)]
    pub vetoes: Vec<Veto>,
    /// At most this much per unit and year across all measures.
    #[serde(default)]
    pub cap: Option<Cap>,
}

/// A named kind of unit: a base level, narrowed to units whose `kind` is one of `unit_kinds`
/// (e.g. 国家级园区 = 园区 of class 国家级经开区 or 国家级高新区; 市辖区 = 县市区 of kind 市辖区).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitKind {
    pub name: String,
    pub level: Level,
    /// `Unit.kind` values admitted; empty admits every unit of the level.
    #[serde(default)]
    pub unit_kinds: Vec<String>,
}

impl UnitKind {
    /// Whether a unit of `level` and `kind` is of this named kind.
    pub fn admits(&self, level: Level, kind: &str) -> bool {
        self.level == level && (self.unit_kinds.is_empty() || self.unit_kinds.iter().any(|k| k == kind))
    }
}

/// Indicator-count limits for plans.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorLimits {
    #[serde(default)]
    pub min: Option<u32>,
    #[serde(default)]
    pub max: Option<u32>,
}

impl IndicatorLimits {
    /// The problem with a plan of `n` indicators, if any. A plan needs one indicator whatever
    /// the programme says: nothing can be scored without.
    pub fn problem(&self, n: usize) -> Option<String> {
        let min = self.min.unwrap_or(1).max(1) as usize;
        let too_many = self.max.is_some_and(|max| n > max as usize);
        if n >= min && !too_many {
            return None;
        }
        let rule = match self.max {
            Some(max) => format!("{min}–{max} 个"),
            None => format!("至少 {min} 个"),
        };
        Some(format!("方案有 {n} 个指标：年度激励方案要求每个实施方案有{rule}客观量化指标"))
    }
}

/// A cap on what one unit may receive in a year across all measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cap {
    /// At most this many awards.
    #[serde(default)]
    pub awards: Option<u32>,
    /// At most this many 万元 (integer).
    #[serde(default)]
    pub amount_wan: Option<u64>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules::legacy()
    }
}

impl Rules {
    /// The 2024 constants: what a stored programme without rules was checked against.
    pub fn legacy() -> Rules {
        Rules {
            channels: LEGACY_CHANNELS.iter().map(|s| s.to_string()).collect(),
            kinds: Vec::new(),
            park_classes: Vec::new(),
            commendation_sources: LEGACY_SOURCES.iter().map(|s| s.to_string()).collect(),
            indicators: IndicatorLimits::default(),
            vetoes: Vec::new(),
            cap: None,
        }
    }

    /// The named kind `name`.
    pub fn kind(&self, name: &str) -> Option<&UnitKind> {
        self.kinds.iter().find(|k| k.name == name)
    }

    /// A measure's `levels` entry: a level's name, or a named kind (its base level and name).
    pub fn resolve_level(&self, word: &str) -> Option<(Level, Option<&str>)> {
        if let Ok(level) = word.parse::<Level>() {
            return Some((level, None));
        }
        self.kind(word).map(|k| (k.level, Some(k.name.as_str())))
    }
}

/// `[rules]` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RulesFile {
    channels: Vec<String>,
    #[serde(default)]
    kinds: Vec<UnitKind>,
    #[serde(default)]
    park_classes: Vec<String>,
    #[serde(default)]
    commendation_sources: Vec<String>,
    #[serde(default)]
    indicators: IndicatorLimits,
    #[serde(default)]
    vetoes: Vec<VetoFile>,
    #[serde(default)]
    cap: Option<Cap>,
}

/// `[[rules.vetoes]]`: the same shape as a plan's `[[vetoes]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VetoFile {
    when: VetoWhen,
    reason: String,
    basis: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VetoWhen {
    series: String,
    above: Option<f64>,
    below: Option<f64>,
}

impl RulesFile {
    /// Check the rules on their own; `at(field, needle)` locates a field in the file.
    pub(crate) fn check(self, at: &dyn Fn(&str, &str) -> Location) -> Result<Rules, ModelError> {
        let bad = |field: &str, needle: &str, message: String| Err(ModelError::invalid(at(field, needle), message));
        if self.channels.iter().all(|c| c.trim().is_empty()) {
            return bad("rules.channels", "channels", "rules.channels 为空：请照通知写明奖励渠道".into());
        }
        if let Some(dup) = first_duplicate(&self.channels) {
            return bad("rules.channels", "channels", format!("奖励渠道“{dup}”写了两次"));
        }
        if let Some(dup) = first_duplicate(&self.park_classes) {
            return bad("rules.park_classes", "park_classes", format!("园区类别“{dup}”写了两次"));
        }
        if let Some(dup) = first_duplicate(&self.commendation_sources) {
            return bad("rules.commendation_sources", "commendation_sources", format!("督查“{dup}”写了两次"));
        }
        for (i, k) in self.kinds.iter().enumerate() {
            let field = format!("rules.kinds[{}]", i + 1);
            let needle = format!("\"{}\"", k.name);
            if k.name.trim().is_empty() {
                return bad(&field, "[[rules.kinds]]", "单位类别缺少名称（name）".into());
            }
            if k.name.parse::<Level>().is_ok() {
                return bad(&field, &needle, format!("单位类别“{}”与层级同名：请另起名称", k.name));
            }
            if self.kinds[..i].iter().any(|o| o.name == k.name) {
                return bad(&field, &needle, format!("单位类别“{}”写了两次", k.name));
            }
            if k.level == Level::Province {
                return bad(&field, &needle, format!("单位类别“{}”的层级不能是“省”", k.name));
            }
            if k.level == Level::Park
                && let Some(class) = k.unit_kinds.iter().find(|c| !self.park_classes.contains(c))
            {
                return bad(
                    &field,
                    &needle,
                    format!("单位类别“{}”所列园区类别“{class}”不在 rules.park_classes 中：请先在其中登记", k.name),
                );
            }
        }
        if let (Some(min), Some(max)) = (self.indicators.min, self.indicators.max)
            && min > max
        {
            return bad("rules.indicators", "indicators", format!("指标个数下限 {min} 大于上限 {max}"));
        }
        if self.indicators.max == Some(0) {
            return bad("rules.indicators", "indicators", "指标个数上限不能为 0".into());
        }
        let mut vetoes = Vec::new();
        for (i, v) in self.vetoes.into_iter().enumerate() {
            let field = format!("rules.vetoes[{}]", i + 1);
            let needle = format!("\"{}\"", v.when.series);
            let threshold = match (v.when.above, v.when.below) {
                (Some(a), None) if a.is_finite() => Threshold::Above(a),
                (None, Some(b)) if b.is_finite() => Threshold::Below(b),
                _ => return bad(&field, &needle, "否决条件应写 above 或 below 中的一个（有限数值）".into()),
            };
            if v.basis.trim().is_empty() {
                return bad(&field, &needle, "全省统一的一票否决必须写明依据（basis）".into());
            }
            if v.reason.trim().is_empty() {
                return bad(&field, &needle, "一票否决必须写明原因（reason）".into());
            }
            vetoes.push(Veto { series: v.when.series, threshold, reason: v.reason, basis: v.basis });
        }
        if let Some(cap) = &self.cap {
            if cap.awards.is_none() && cap.amount_wan.is_none() {
                return bad(
                    "rules.cap",
                    "cap",
                    "rules.cap 应写 awards（项数）或 amount_wan（万元）中的至少一个".into(),
                );
            }
            if cap.awards == Some(0) || cap.amount_wan == Some(0) {
                return bad("rules.cap", "cap", "rules.cap 的上限不能为 0：不设上限请删去该项".into());
            }
        }
        Ok(Rules {
            channels: self.channels,
            kinds: self.kinds,
            park_classes: self.park_classes,
            commendation_sources: self.commendation_sources,
            indicators: self.indicators,
            vetoes,
            cap: self.cap,
        })
    }
}

fn first_duplicate(items: &[String]) -> Option<&String> {
    items.iter().enumerate().find(|(i, s)| items[..*i].contains(s)).map(|(_, s)| s)
}
