//! Rules a batch must pass before anything is stored: each series' bounds, whole numbers,
//! signs and shares; the sum of a 市州's counties against the 市州 where the series adds up;
//! completeness against the plans that read the series. Pure: the app passes in what the
//! store knows.

use super::anomaly::Settings;
use super::cross::CrossRule;
use super::kind::{SeriesKind, Tests};
use super::measure::WHOLE;
use jili_model::{Catalogue, Decimal, Level, Observation, ObservationKey, Period, Series};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The rules file (`data/checks/hunan.toml`): per-series bounds over the defaults each series
/// gets from its measure, the tolerance of county sums, and the anomaly settings.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// Largest relative gap between a 市州's value and the sum of its counties (0.01 = 1%).
    pub consistency_tolerance: Decimal,
    pub series: BTreeMap<String, SeriesRule>,
    pub anomaly: Settings,
    /// Rules comparing series of different providers (`[[cross]]`).
    pub cross: Vec<CrossRule>,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            consistency_tolerance: Decimal::new(1, 2),
            series: BTreeMap::new(),
            anomaly: Settings::default(),
            cross: Vec::new(),
        }
    }
}

impl CheckConfig {
    /// Read the rules file; unknown keys are errors (a misspelt `mim` must not pass silently).
    pub fn from_toml(file: &str, text: &str, catalogue: &Catalogue) -> Result<CheckConfig, String> {
        let config: CheckConfig = toml::from_str(text).map_err(|e| format!("{file}：格式错误：{e}"))?;
        for (code, rule) in &config.series {
            if catalogue.series(code).is_none() {
                return Err(format!("{file}：[series.{code}] 不是目录中的数据项"));
            }
            if let (Some(min), Some(max)) = (rule.min, rule.max)
                && min > max
            {
                return Err(format!("{file}：[series.{code}] 的 min（{min}）大于 max（{max}）"));
            }
            if rule.tolerance.is_some_and(|t| t.is_sign_negative()) {
                return Err(format!("{file}：[series.{code}] 的 tolerance 不能为负"));
            }
            if let (Some(lo), Some(hi)) = (rule.expected_min, rule.expected_max)
                && lo > hi
            {
                return Err(format!("{file}：[series.{code}] 的 expected_min（{lo}）大于 expected_max（{hi}）"));
            }
        }
        for (i, rule) in config.cross.iter().enumerate() {
            rule.check(catalogue).map_err(|e| format!("{file}：第 {} 条 [[cross]]（{}）：{e}", i + 1, rule.name))?;
        }
        if config.consistency_tolerance.is_sign_negative() {
            return Err(format!("{file}：consistency_tolerance 不能为负（0.01 表示 1%）"));
        }
        let a = &config.anomaly;
        for (name, v) in [("z", a.z), ("yoy_z", a.yoy_z), ("benford_mad", a.benford_mad)] {
            if !(v.is_finite() && v > 0.0) {
                return Err(format!("{file}：[anomaly] {name} 应为正数，收到 {v}"));
            }
        }
        if !(0.0..1.0).contains(&a.pair_drop) {
            return Err(format!(
                "{file}：[anomaly] pair_drop 应在 0 与 1 之间（0.05 表示下降 5%），收到 {}",
                a.pair_drop
            ));
        }
        if a.min_group < 3 {
            return Err(format!("{file}：[anomaly] min_group 至少为 3"));
        }
        Ok(config)
    }

    /// The rule for a series: its configured bounds over the defaults of its measure.
    pub fn rule(&self, series: &Series) -> SeriesRule {
        let mut rule = SeriesRule::default_for(series);
        if let Some(r) = self.series.get(&series.code) {
            rule.min = r.min.or(rule.min);
            rule.max = r.max.or(rule.max);
            rule.integer = r.integer || rule.integer;
            rule.tolerance = r.tolerance.or(rule.tolerance);
            rule.kind = r.kind.or(rule.kind);
            rule.expected_min = r.expected_min;
            rule.expected_max = r.expected_max;
            rule.outlier = r.outlier;
            rule.yoy = r.yoy;
            rule.benford = r.benford;
            rule.county_sum = r.county_sum;
        }
        rule
    }

    /// The anomaly tests that apply to a series: its kind's defaults, then what the file says.
    pub fn tests(&self, series: &Series) -> Tests {
        let rule = self.rule(series);
        let kind = rule.kind.unwrap_or(SeriesKind::Continuous);
        let mut t = Tests::of_kind(kind, series.additive);
        t.outlier = rule.outlier.unwrap_or(t.outlier);
        t.yoy = rule.yoy.unwrap_or(t.yoy);
        t.benford = rule.benford.unwrap_or(t.benford);
        t.county_sum = rule.county_sum.unwrap_or(t.county_sum);
        let f = |d: Option<Decimal>| d.and_then(|d| d.to_string().parse::<f64>().ok());
        t.expected = (f(rule.expected_min), f(rule.expected_max));
        t
    }
}

/// Bounds and kind of one series' values.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SeriesRule {
    pub min: Option<Decimal>,
    pub max: Option<Decimal>,
    /// Whole numbers only (counts of firms, accidents …).
    pub integer: bool,
    /// Tolerance for the county-sum check of this series, over the file's default.
    pub tolerance: Option<Decimal>,
    /// What kind of numbers the series holds (inferred from the catalogue when not set).
    pub kind: Option<SeriesKind>,
    /// A plausible range: a value outside it is flagged for review, not rejected.
    pub expected_min: Option<Decimal>,
    pub expected_max: Option<Decimal>,
    /// Turn a test of the kind's defaults on or off for this series.
    pub outlier: Option<bool>,
    pub yoy: Option<bool>,
    pub benford: Option<bool>,
    pub county_sum: Option<bool>,
}

impl SeriesRule {
    /// What a series' measure implies: counts are whole and not negative; totals and
    /// per-capita amounts are not negative; a share in % lies in [0, 100].
    pub fn default_for(series: &Series) -> SeriesRule {
        let unit = series.unit.as_str();
        let integer = WHOLE.contains(&unit);
        let change = ["增速", "增长", "降低率", "债务率", "变化"].iter().any(|w| series.name.contains(w));
        let (min, max) = if unit == "%" {
            if change { (None, None) } else { (Some(Decimal::ZERO), Some(Decimal::ONE_HUNDRED)) }
        } else if series.additive || integer || ["元", "万元", "亿元", "万人", "微克/立方米", "毫克/升"].contains(&unit)
        {
            (Some(Decimal::ZERO), None)
        } else {
            (None, None)
        };
        SeriesRule { min, max, integer, kind: Some(SeriesKind::infer(series, integer)), ..SeriesRule::default() }
    }
}

/// A broken rule, by the index of the observation in the batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach {
    pub index: usize,
    pub code: &'static str,
    pub message: String,
    pub fix: String,
}

/// Bounds, whole numbers, signs and shares.
pub fn value_rules(batch: &[Observation], catalogue: &Catalogue, config: &CheckConfig) -> Vec<Breach> {
    let mut rules: HashMap<&str, SeriesRule> = HashMap::new();
    let mut out = Vec::new();
    for (index, o) in batch.iter().enumerate() {
        // Unknown series are the reader's errors already.
        let Some(series) = catalogue.series(&o.series) else { continue };
        let rule = rules.entry(o.series.as_str()).or_insert_with(|| config.rule(series)).clone();
        let v = o.value;
        let name = &series.name;
        if rule.kind == Some(SeriesKind::Flag) && v != Decimal::ZERO && v != Decimal::ONE {
            out.push(Breach {
                index,
                code: "not-yes-no",
                message: format!("{name}是“是否”指标，只能填 1（是）或 0（否）"),
                fix: "请填写 1 或 0".into(),
            });
            continue;
        }
        if rule.integer && !v.fract().is_zero() {
            out.push(Breach {
                index,
                code: "not-integer",
                message: format!("{name}以{}计，应为整数", series.unit),
                fix: "请填写整数".into(),
            });
        }
        if let Some(min) = rule.min
            && v < min
        {
            let (code, message) = if min.is_zero() {
                ("negative", format!("{name}不能为负数"))
            } else {
                ("below-min", format!("{name}应不小于 {min}{}", series.unit))
            };
            out.push(Breach { index, code, message, fix: "请核实数值和正负号".into() });
        }
        if let Some(max) = rule.max
            && v > max
        {
            let (code, message) = if max == Decimal::ONE_HUNDRED && series.unit == "%" {
                ("share-over-100", format!("{name}是比重（%），不能超过 100"))
            } else {
                ("above-max", format!("{name}应不大于 {max}{}", series.unit))
            };
            out.push(Breach {
                index,
                code,
                message,
                fix: if series.unit == "%" && max == Decimal::ONE_HUNDRED {
                    "请核实数值；比重应在 0–100 之间".into()
                } else {
                    "请核实数值：是否多输或少输了一位（如 8.5 写成 85）".into()
                },
            });
        }
    }
    out
}

/// A 市州's value against the sum of its counties, for additive series where this batch
/// brings the 市州 or any of its counties and every county's value is known (batch or store).
pub fn county_sums(
    batch: &[Observation],
    known: &BTreeMap<ObservationKey, Decimal>,
    catalogue: &Catalogue,
    config: &CheckConfig,
) -> Vec<Breach> {
    let mut value: BTreeMap<(&str, &str, Period), (Decimal, Option<usize>)> = BTreeMap::new();
    for ((s, u, p), v) in known {
        value.insert((s, u, *p), (*v, None));
    }
    for (i, o) in batch.iter().enumerate() {
        value.insert((&o.series, &o.unit, o.period), (o.value, Some(i)));
    }
    let touched: BTreeSet<(&str, &str, Period)> = batch
        .iter()
        .filter_map(|o| {
            let unit = catalogue.unit(&o.unit)?;
            let city = match unit.level {
                Level::City => unit.code.as_str(),
                Level::County | Level::Zone => unit.parent.as_deref()?,
                _ => return None,
            };
            Some((o.series.as_str(), city, o.period))
        })
        .collect();
    // Each 市州's counties, once.
    let mut children: HashMap<&str, Vec<&jili_model::Unit>> = HashMap::new();
    for u in catalogue.units().filter(|u| matches!(u.level, Level::County | Level::Zone)) {
        if let Some(p) = u.parent.as_deref() {
            children.entry(p).or_default().push(u);
        }
    }
    let mut out = Vec::new();
    for (series_code, city, period) in touched {
        let Some(series) = catalogue.series(series_code).filter(|s| s.additive && config.tests(s).county_sum) else {
            continue;
        };
        let Some(&(city_value, city_index)) = value.get(&(series_code, city, period)) else { continue };
        let counties: Vec<&str> = children
            .get(city)
            .map(|c| c.iter().filter(|u| u.valid_in(period.year)).map(|u| u.code.as_str()).collect())
            .unwrap_or_default();
        let parts: Option<Vec<(Decimal, Option<usize>)>> =
            counties.iter().map(|c| value.get(&(series_code, *c, period)).copied()).collect();
        let Some(parts) = parts.filter(|p| !p.is_empty()) else { continue };
        let sum: Decimal = parts.iter().map(|(v, _)| *v).sum();
        let tolerance = config.rule(series).tolerance.unwrap_or(config.consistency_tolerance);
        let gap = (sum - city_value).abs();
        let scale = city_value.abs().max(Decimal::ONE);
        // Counts: a 市州's own (市本级) firms or projects belong to no county; a gap of one or two
        // is not an error whatever the percentage.
        let slack = if WHOLE.contains(&series.unit.as_str()) { Decimal::TWO } else { Decimal::ZERO };
        if gap > tolerance * scale && gap > slack {
            let index = city_index.or_else(|| parts.iter().find_map(|(_, i)| *i));
            let Some(index) = index else { continue };
            let name = catalogue.unit(city).map_or(city, |u| u.name.as_str());
            let pct = (gap / scale * Decimal::ONE_HUNDRED).round_dp(2);
            out.push(Breach {
                index,
                code: "county-sum",
                message: format!(
                    "{name}的{}为 {city_value}{}，所辖 {} 个县市区合计 {sum}，相差 {pct}%（允许 {}%）",
                    series.name,
                    series.unit,
                    counties.len(),
                    (tolerance * Decimal::ONE_HUNDRED).normalize()
                ),
                fix: "请核对市州数和县市区数是否同一口径、同一期别".into(),
            });
        }
    }
    out
}

/// A thousandfold jump from last year's value, or from the value it revises, is a unit slip
/// (万元 typed into a 亿元 column), not an economy. `known` holds the stored values.
pub fn magnitude(
    batch: &[Observation],
    known: &BTreeMap<ObservationKey, Decimal>,
    catalogue: &Catalogue,
) -> Vec<Breach> {
    let thousand = Decimal::from(1000);
    let mut out = Vec::new();
    for (index, o) in batch.iter().enumerate() {
        let Some(series) = catalogue.series(&o.series).filter(|s| s.unit != "%" && s.unit != "‰") else { continue };
        let last_year = Period { year: o.period.year - 1, part: o.period.part };
        for (against, what) in [(o.period, "已入库的数值"), (last_year, "上年数值")] {
            let Some(old) = known.get(&(o.series.clone(), o.unit.clone(), against)) else { continue };
            if old.is_sign_positive() && !old.is_zero() && o.value.is_sign_positive() && !o.value.is_zero() {
                let ratio = if o.value > *old { o.value / *old } else { *old / o.value };
                if ratio >= thousand {
                    out.push(Breach {
                        index,
                        code: "magnitude",
                        message: format!(
                            "与{what} {old}{} 相差 {} 倍，疑似计量单位写错（如万元与亿元）",
                            series.unit,
                            ratio.round()
                        ),
                        fix: format!("请按 {} 核对数值和表头的计量单位", series.unit),
                    });
                    break;
                }
            }
        }
    }
    out
}

/// Units a plan expects for a series and period, named by the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    pub series: String,
    pub period: Period,
    /// The plan, as the message should name it (措施 3《…》).
    pub plan: String,
    pub units: Vec<String>,
}

/// Units in a plan's scope that the batch leaves out, for each (series, period) the batch
/// brings at the scope's level. `present` holds every (series, unit, period) the file
/// mentions, including cells marked as having no value (those are reported, not missing).
pub fn completeness(
    batch: &[Observation],
    present: &BTreeSet<ObservationKey>,
    scopes: &[Scope],
    catalogue: &Catalogue,
) -> Vec<(Scope, Vec<String>)> {
    let brought: BTreeSet<(&str, Period, Level)> =
        batch.iter().filter_map(|o| Some((o.series.as_str(), o.period, catalogue.unit(&o.unit)?.level))).collect();
    let mut out = Vec::new();
    for scope in scopes {
        // Only the levels the batch brings for this series: a file of 市州 values is not
        // incomplete for lacking counties, which may come in another file.
        let absent: Vec<String> = scope
            .units
            .iter()
            .filter(|u| {
                catalogue
                    .unit(u)
                    .is_some_and(|unit| brought.contains(&(scope.series.as_str(), scope.period, unit.level)))
            })
            .filter(|u| !present.contains(&(scope.series.as_str().into(), u.as_str().into(), scope.period)))
            .cloned()
            .collect();
        if !absent.is_empty() {
            out.push((scope.clone(), absent));
        }
    }
    out
}
