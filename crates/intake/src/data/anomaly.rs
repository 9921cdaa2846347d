//! Anomaly flags on an imported batch, for reviewers. They never reject data: the notice
//! 湘政办发〔2024〕16号 forbids falsified, inflated or hidden data, and these flags point a
//! reviewer at the values most worth a second look. Pure: no IO, no clock; the caller passes
//! the stored values it already has.
//!
//! Four tests, each cheap and explainable in one sentence to a provider:
//! - `outlier-in-group`: a value far from its peers (Iglewicz & Hoaglin 1993, *How to Detect
//!   and Handle Outliers*: the modified z-score on median and MAD, threshold 3.5; a mean
//!   squared z-score would let the outlier inflate its own yardstick);
//! - `yoy-jump`: a year-on-year change far outside the series' usual changes (same robust z);
//! - `pair-disagrees`: high reported growth while the related tax fell, the classic sign of
//!   an inflated growth figure;
//! - `benford`: the batch's first digits against Benford's law, judged by Nigrini's MAD bounds
//!   (Nigrini 2012, *Benford's Law*: above 0.015 is nonconformity), not by chi-square, which
//!   rejects almost any real data set once n is large.

pub use super::benford::{BENFORD_SPAN, Benford, benford};
use super::kind::{SeriesKind, Tests};
use super::robust::{Spread, median, spread};
use jili_model::{Catalogue, Observation, ObservationKey, Period};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// Thresholds and the series pairs to compare. The defaults are the literature's.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Modified z-score threshold; 3.5 as Iglewicz & Hoaglin recommend.
    pub z: f64,
    /// Smallest peer group tested: a median of three says little.
    pub min_group: usize,
    /// Robust z of a year-on-year change against the series' usual changes.
    pub yoy_z: f64,
    /// Fewest values for a Benford test (Nigrini: the bounds assume a few hundred).
    pub benford_min: usize,
    /// Nigrini's first-digit MAD bound for nonconformity.
    pub benford_mad: f64,
    /// How far (a share, 0.05 = 5%) the level series must fall for a pair to disagree: a tax
    /// take 0.3% below last year's is noise beside high growth, not a contradiction.
    pub pair_drop: f64,
    pub pairs: Vec<Pair>,
}

/// A growth-rate series (%) and a level series whose year-on-year change should not be
/// negative when the reported growth is high.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub growth: String,
    pub against: String,
}

impl Default for Settings {
    fn default() -> Self {
        let pair = |g: &str, a: &str| Pair { growth: g.into(), against: a.into() };
        Self {
            z: 3.5,
            min_group: 5,
            yoy_z: 3.5,
            benford_min: 100,
            benford_mad: 0.015,
            pair_drop: 0.0,
            pairs: vec![pair("GDP_GROWTH", "TAX_REV"), pair("IND_VA_GROWTH", "IND_TAX_REV")],
        }
    }
}

/// One flag. `index` is the position in the batch of the observation it is about; `None` for
/// a flag on the whole batch (Benford).
#[derive(Debug, Clone, PartialEq)]
pub struct Anomaly {
    pub index: Option<usize>,
    pub code: &'static str,
    pub message: String,
    pub fix: String,
}

type Key<'a> = (&'a str, &'a str, Period);
/// Batch ∪ known: value and, when it comes from the batch, its index there.
type All<'a> = BTreeMap<Key<'a>, (f64, Option<usize>)>;

/// Flags on `batch`. `known` holds the stored current values (series, unit, period) → value of
/// the batch's series and of pair partners, not including the batch (a batch value replaces a
/// stored one with the same key). `peer` maps a unit code to its peer group (市州, 县市区, 园区
/// …); units absent from it are not compared with peers. Sorted by index, then code; at most
/// one flag per (observation, code). A message quotes figures only of the series the batch
/// brings: a pair's other side is named, with whom to ask, never its numbers. `tests` says
/// which tests apply to a series (a grade gets none of the continuous ones).
pub fn flags(
    batch: &[Observation],
    known: &BTreeMap<ObservationKey, f64>,
    peer: &HashMap<String, String>,
    catalogue: &Catalogue,
    settings: &Settings,
    tests: &dyn Fn(&str) -> Tests,
) -> Vec<Anomaly> {
    let mut resolved: HashMap<&str, Tests> = HashMap::new();
    for o in batch {
        resolved.entry(o.series.as_str()).or_insert_with(|| tests(&o.series));
    }
    let test = |s: &str| resolved.get(s).cloned().unwrap_or_else(Tests::none);
    let mut all: All = known
        .iter()
        .filter(|(_, x)| x.is_finite())
        .map(|((s, u, p), x)| ((s.as_str(), u.as_str(), *p), (*x, None)))
        .collect();
    // A Decimal always parses as a finite f64 (|x| < 8e28); the filter is belt and braces.
    let xs: Vec<Option<f64>> =
        batch.iter().map(|o| o.value.to_string().parse::<f64>().ok().filter(|x| x.is_finite())).collect();
    for (i, o) in batch.iter().enumerate() {
        if let Some(x) = xs[i] {
            all.insert((&o.series, &o.unit, o.period), (x, Some(i)));
        }
    }
    let unit_of = |s: &str| catalogue.series(s).map_or("", |s| s.unit.as_str());
    let name_of = |s: &str| catalogue.series(s).map_or(s.to_string(), |s| s.name.clone());
    let owner_of = |s: &str| {
        let owner = &catalogue.series(s)?.owner;
        Some(catalogue.department(owner).map_or(owner.clone(), |d| d.name.clone()))
    };
    let brought: std::collections::BTreeSet<&str> = batch.iter().map(|o| o.series.as_str()).collect();
    let mut out = Vec::new();

    // 1. Outlier among peers: same series and period, same peer group.
    let mut groups: BTreeMap<(&str, Period, &str), Group> = BTreeMap::new();
    for (i, o) in batch.iter().enumerate() {
        let (Some(x), Some(g)) = (xs[i], peer.get(o.unit.as_str())) else { continue };
        if !test(&o.series).outlier {
            continue;
        }
        let shape = Shape {
            // Totals (GDP, revenue …) spread over orders of magnitude between a provincial
            // capital and a mountain county; they are compared on a log scale.
            additive: catalogue.series(&o.series).is_some_and(|s| s.additive),
            count: test(&o.series).kind == SeriesKind::Count,
            min_group: settings.min_group,
        };
        let mut z_of = |period: Period, x: f64| {
            let stats = *groups
                .entry((&o.series, period, g))
                .or_insert_with(|| group(&peers(&all, &o.series, period, g, peer), shape));
            stats.and_then(|(s, log)| z(x, s, log).map(|m| (m, s, log)))
        };
        let Some((m, Spread { n, median, .. }, log)) = z_of(o.period, x) else { continue };
        if m.abs() <= settings.z {
            continue;
        }
        // As odd last year, the same way: a fact about the unit (the smallest 市州 stays the
        // smallest), not a question about this value.
        let last = previous(&all, (&o.series, &o.unit, o.period)).and_then(|(before, _)| {
            let year = o.period.year.checked_sub(1)?;
            z_of(Period { year, ..o.period }, before)
        });
        if last.is_some_and(|(before, _, _)| before.abs() > settings.z && before.signum() == m.signum()) {
            continue;
        }
        let median = if log { median.exp() } else { median };
        let unit = unit_of(&o.series);
        let message = format!(
            "数值 {} 在同组（{g}，共 {n} 个）中异常{}：修正 z 值 {m:.1}{}（中位数 {}）",
            amount(x, unit),
            if m > 0.0 { "偏高" } else { "偏低" },
            if log { "，按对数尺度" } else { "" },
            amount(median, unit)
        );
        let fix = "请核实数据来源、计量单位（如万元与亿元）和统计口径；如无误可不处理";
        out.push(Anomaly { index: Some(i), code: "outlier-in-group", message, fix: fix.into() });
    }

    // 2. Year-on-year jump against the series' usual changes over all units and years.
    let mut usual: BTreeMap<&str, Option<Spread>> = BTreeMap::new();
    for (i, o) in batch.iter().enumerate() {
        let Some(x) = xs[i] else { continue };
        if !test(&o.series).yoy {
            continue;
        }
        let pct = unit_of(&o.series) == "%";
        let Some(c) = previous(&all, (&o.series, &o.unit, o.period)).and_then(|(prev, _)| change(x, prev, pct)) else {
            continue;
        };
        let stats = *usual.entry(&o.series).or_insert_with(|| {
            spread(
                of_series(&all, &o.series).filter_map(|(k, (x, _))| change(*x, previous(&all, *k)?.0, pct)).collect(),
                10,
            )
        });
        let Some(Spread { n, median, scale, lo, hi }) = stats else { continue };
        let z = (c - median) / scale;
        if z.abs() > settings.yoy_z {
            let show = |c: f64| if pct { format!("{c:+.1} 个百分点") } else { format!("{:+.1}%", c * 100.0) };
            let (c, lo, hi, name) = (show(c), show(lo), show(hi), name_of(&o.series));
            let message =
                format!("同比 {c}，远超{name}通常的同比变化（{lo} 至 {hi}，据 {n} 个同比变化）：稳健 z 值 {z:.1}");
            let fix = "请核实本期与上年同期的统计口径是否一致（区划调整、统计范围、计量单位）；如无误可不处理";
            out.push(Anomaly { index: Some(i), code: "yoy-jump", message, fix: fix.into() });
        }
    }

    // 3. High growth while the related level fell.
    for pair in &settings.pairs {
        let mut medians: BTreeMap<(Period, &str), Option<f64>> = BTreeMap::new();
        for (&(_, u, t), &(growth, gi)) in of_series(&all, &pair.growth) {
            let Some(g) = peer.get(u) else { continue };
            let (Some(&(now, ai)), Some((before, bi))) =
                (all.get(&(pair.against.as_str(), u, t)), previous(&all, (&pair.against, u, t)))
            else {
                continue;
            };
            // A median of fewer than `min_group` peers says little, as for outliers.
            let median = *medians.entry((t, g)).or_insert_with(|| {
                let values = peers(&all, &pair.growth, t, g, peer);
                if values.len() < settings.min_group { None } else { median(&values) }
            });
            let Some(median) = median else { continue };
            let Some(index) = gi.or(ai).or(bi) else { continue };
            if growth > 0.0 && growth > median && now < before * (1.0 - settings.pair_drop) {
                let unit = unit_of(&pair.against);
                let fell = if before > 0.0 {
                    format!("同比下降 {:.1}%", (1.0 - now / before) * 100.0)
                } else {
                    format!("同比减少 {}", amount(before - now, unit))
                };
                let (year, gn, an) = (t.label(), name_of(&pair.growth), name_of(&pair.against));
                // Only the figures of series this batch brings (the sender's own) are quoted:
                // the other side is another department's, perhaps 原则上不向社会公布.
                let (own_growth, own_against) =
                    (brought.contains(pair.growth.as_str()), brought.contains(pair.against.as_str()));
                let growth_text = if own_growth {
                    format!("{gn} {growth:.1}%（高于同组中位数 {median:.1}%）")
                } else {
                    format!("{gn}高于同组中位数")
                };
                let against_text = if own_against { format!("{an}{fell}") } else { format!("{an}同比下降") };
                let message = format!("{year}{growth_text}，而{against_text}：两者背离");
                let other = if own_growth { &pair.against } else { &pair.growth };
                let ask = match (own_growth && own_against, owner_of(other)) {
                    (false, Some(dept)) => format!("请与{dept}（{}的提供部门）核对口径和期别", name_of(other)),
                    _ => format!("请核对{gn}与{an}的口径和期别"),
                };
                let fix = format!("{ask}；如有合理原因（如减税降费、留抵退税、产业结构变化），请在复核意见中说明");
                out.push(Anomaly { index: Some(index), code: "pair-disagrees", message, fix });
            }
        }
    }

    // 4. Outside the series' plausible range, where the rules file gives one.
    for (i, o) in batch.iter().enumerate() {
        let Some(x) = xs[i] else { continue };
        let (lo, hi) = test(&o.series).expected;
        let low = lo.is_some_and(|lo| x < lo);
        if low || hi.is_some_and(|hi| x > hi) {
            let unit = unit_of(&o.series);
            let bound = |b: Option<f64>| b.map_or("—".to_string(), |b| amount(b, unit));
            let message = format!(
                "数值 {} {}{}的合理范围（{} 至 {}）",
                amount(x, unit),
                if low { "低于" } else { "高于" },
                name_of(&o.series),
                bound(lo),
                bound(hi)
            );
            let fix = "请核实数值和计量单位；合理范围由校验规则文件设定，如确属实可在复核意见中说明";
            out.push(Anomaly { index: Some(i), code: "outside-expected", message, fix: fix.into() });
        }
    }

    // 5. Benford on the batch's values of series whose kind Benford's law describes.
    let values: Vec<f64> =
        batch.iter().zip(&xs).filter(|(o, _)| test(&o.series).benford).filter_map(|(_, x)| *x).collect();
    out.extend(benford_flag(&values, settings, "本批"));

    out.sort_by(|a, b| (a.index, a.code).cmp(&(b.index, b.code)));
    out.dedup_by(|a, b| a.index == b.index && a.code == b.code);
    out
}

/// The Benford flag on `values`, described as `what` ("本批", "省统计局库中地区生产总值"), when
/// the test applies (enough values, spanning two orders of magnitude) and they do not conform.
pub fn benford_flag(values: &[f64], settings: &Settings, what: &str) -> Option<Anomaly> {
    let (message, fix) = super::benford::nonconformity(values, settings.benford_min, settings.benford_mad, what)?;
    Some(Anomaly { index: None, code: "benford", message, fix })
}

/// A peer group's spread, and whether on a log scale; `None` when the group says nothing.
type Group = Option<(Spread, bool)>;

/// What decides how a series' peers are compared.
#[derive(Debug, Clone, Copy)]
struct Shape {
    additive: bool,
    count: bool,
    min_group: usize,
}

/// The spread of a peer group. A series that is zero for most peers (a characteristic
/// indicator, new hidden debt) makes any non-zero value "odd", and rare-event counts (a median
/// under 10) are Poisson noise: neither says anything about one unit, so neither is judged.
fn group(values: &[f64], shape: Shape) -> Group {
    let zeros = values.iter().filter(|v| **v == 0.0).count();
    if zeros * 2 > values.len() || (shape.count && median(values).is_some_and(|m| m < 10.0)) {
        return None;
    }
    let log = shape.additive && values.iter().all(|v| *v > 0.0);
    let values = if log { values.iter().map(|v| v.ln()).collect() } else { values.to_vec() };
    spread(values, shape.min_group).map(|s| (s, log))
}

/// The modified z of `x` in a group; `None` for a non-positive value on a log scale.
fn z(x: f64, s: Spread, log: bool) -> Option<f64> {
    if log { (x > 0.0).then(|| (x.ln() - s.median) / s.scale) } else { Some((x - s.median) / s.scale) }
}

/// The entries of one series, in (unit, period) order.
fn of_series<'a, 'k>(
    all: &'a All<'k>,
    series: &'k str,
) -> impl Iterator<Item = (&'a Key<'k>, &'a (f64, Option<usize>))> {
    all.range((series, "", Period { year: i32::MIN, part: Default::default() })..)
        .take_while(move |(k, _)| k.0 == series)
}

/// The values of `series` for `period` of the units in peer group `group`.
fn peers(all: &All, series: &str, period: Period, group: &str, peer: &HashMap<String, String>) -> Vec<f64> {
    of_series(all, series)
        .filter(|((_, u, p), _)| *p == period && peer.get(*u).is_some_and(|g| g == group))
        .map(|(_, (x, _))| *x)
        .collect()
}

/// The entry for the same series, unit and part of the previous year.
fn previous(all: &All, (s, u, p): Key) -> Option<(f64, Option<usize>)> {
    let year = p.year.checked_sub(1)?;
    all.get(&(s, u, Period { year, ..p })).copied()
}

/// A year-on-year change: in percentage points for a % series, else as a ratio − 1 (only when
/// both values are positive: a ratio across zero or of negatives means nothing).
fn change(x: f64, prev: f64, pct: bool) -> Option<f64> {
    let c = if pct {
        x - prev
    } else if x > 0.0 && prev > 0.0 {
        x / prev - 1.0
    } else {
        return None;
    };
    c.is_finite().then_some(c)
}

/// A value as a reader writes it: thousands separators, one decimal (more when small), and
/// the unit of measure.
fn amount(x: f64, unit: &str) -> String {
    let decimals = match x.abs() {
        a if a >= 10.0 || a == 0.0 => 1,
        a if a >= 0.1 => 2,
        _ => 4,
    };
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 && x.is_finite() {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let frac = if frac.is_empty() { String::new() } else { format!(".{frac}") };
    match unit {
        "" => format!("{sign}{grouped}{frac}"),
        "%" => format!("{sign}{grouped}{frac}%"),
        _ => format!("{sign}{grouped}{frac} {unit}"),
    }
}
