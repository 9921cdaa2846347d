//! The demo-data generator: a pure, seeded function from (profile, units, series) to batches.
//! Same inputs, same output — every value draws from its own generator seeded by
//! (seed, unit, series), so adding a series never changes another's values.

use super::profile::{Planted, PlantedKind, Profile, SeriesProfile, Shape};
use jili_model::{Batch, Decimal, Level, Observation, Period, Series, Status, Unit};
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// Units of measure whose values are whole numbers.
const INTEGER_UNITS: [&str; 10] = ["个", "家", "户", "件", "列", "起", "人", "天", "项", "级"];

/// The generated data: one batch per providing department, and the problems planted in it.
#[derive(Debug, Clone)]
pub struct DemoData {
    pub batches: Vec<Batch>,
    pub planted: Vec<Planted>,
}

/// Which series to make for which level: those the plans in scope read.
pub type Scope = BTreeMap<Level, BTreeSet<String>>;

/// A unit's economy: its size relative to a typical county and its trend growth.
#[derive(Debug, Clone, Copy)]
struct Economy {
    size: f64,
    growth: f64,
}

type Values = BTreeMap<(String, String, i32), f64>;

/// Generate demo observations for every series in `scope` over the profile's years.
pub fn generate(profile: &Profile, units: &[Unit], series: &[Series], scope: &Scope) -> DemoData {
    let by_code: BTreeMap<&str, &Series> = series.iter().map(|s| (s.code.as_str(), s)).collect();
    let get = |l: Level| scope.get(&l).cloned().unwrap_or_default();
    let city_series = get(Level::City);
    let mut county_series = get(Level::County);
    county_series.extend(get(Level::Zone));
    county_series.extend(city_series.iter().cloned());
    let park_series = get(Level::Park);

    let mut values = Values::new();
    for unit in units {
        let wanted = match unit.level {
            Level::County | Level::Zone => &county_series,
            Level::Park => &park_series,
            Level::Province | Level::City => continue,
        };
        let economy = economy(profile, unit);
        for code in wanted {
            let Some(s) = by_code.get(code.as_str()) else { continue };
            for &year in &profile.years {
                if !unit.valid_in(year) {
                    continue;
                }
                if let Some(v) = value(profile, unit, economy, s, year) {
                    values.insert((code.clone(), unit.code.clone(), year), v);
                }
            }
        }
    }
    parts(profile, &mut values);
    plant(profile, &mut values, |k| k == PlantedKind::Jump);
    cities(profile, units, &by_code, &city_series, &mut values);
    plant(profile, &mut values, |k| k != PlantedKind::Jump);

    let last = profile.years.iter().copied().max().unwrap_or_default();
    let mut by_owner: BTreeMap<String, Vec<Observation>> = BTreeMap::new();
    for ((code, unit, year), v) in values {
        let Some(s) = by_code.get(code.as_str()) else { continue };
        let status = if year == last { Status::Preliminary } else { Status::Final };
        by_owner.entry(s.owner.clone()).or_default().push(Observation {
            value: decimal(v, is_integer(profile, s)),
            series: code.into(),
            unit: unit.into(),
            period: Period::year(year),
            status,
        });
    }
    let batches = by_owner
        .into_iter()
        .map(|(provider, observations)| Batch {
            source: format!("演示数据生成器 jili demo（种子 {}，data/demo/profile.toml）", profile.seed),
            provider,
            demo: true,
            observations,
        })
        .collect();
    DemoData { batches, planted: profile.planted.clone() }
}

fn economy(profile: &Profile, unit: &Unit) -> Economy {
    let plate = unit.plate.and_then(|p| profile.plates.get(&p)).copied();
    let (base_size, base_growth) = plate.map_or((1.0, 0.05), |p| (p.size, p.growth));
    let mut rng = rng(profile.seed, &unit.code, "economy");
    let mut size = base_size * (0.35 * normal(&mut rng)).exp();
    if unit.code.starts_with("4301") {
        size *= profile.changsha_factor;
    }
    if unit.level == Level::Zone {
        size *= profile.zone_factor;
    }
    Economy { size, growth: base_growth + 0.012 * normal(&mut rng) }
}

fn applies(p: &SeriesProfile, unit: &Unit) -> bool {
    let plate_ok = p.only_plates.is_empty() || unit.plate.is_some_and(|pl| p.only_plates.contains(&pl));
    let unit_ok = p.only_units.is_empty()
        || p.only_units.iter().any(|c| *c == unit.code || unit.parent.as_deref() == Some(c.as_str()));
    plate_ok && unit_ok
}

/// The shape and settings of a series: the profile's, else a default from its unit and name.
fn settings(profile: &Profile, s: &Series) -> (Shape, SeriesProfile) {
    let p = profile.series.get(&s.code).cloned().unwrap_or_default();
    if let Some(shape) = p.shape {
        return (shape, p);
    }
    let name = s.name.as_str();
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    let level = |mean: f64, sd: f64, min: f64, max: f64| SeriesProfile {
        mean: Some(mean),
        sd: Some(sd),
        min: Some(min),
        max: Some(max),
        ..p.clone()
    };
    if s.additive {
        if matches!(s.unit.as_str(), "起" | "人") {
            return (Shape::Count, SeriesProfile { county: Some(2.0), ..p });
        }
        return (Shape::Total, p);
    }
    match s.unit.as_str() {
        "元" => (Shape::PerCapita, SeriesProfile { mean: Some(30_000.0), ..p }),
        "%" if has(&["增速", "增长", "增幅"]) => (Shape::Growth, p),
        "%" if has(&["降低"]) => (Shape::Level, level(3.0, 1.0, -5.0, 15.0)),
        "%" if has(&["占比", "比重"]) => (Shape::Level, level(20.0, 8.0, 0.0, 100.0)),
        "%" if has(&["失业"]) => (Shape::Level, level(5.2, 0.4, 2.0, 10.0)),
        "%" => (Shape::Level, level(90.0, 5.0, 0.0, 100.0)),
        _ => (Shape::Level, level(50.0, 10.0, 0.0, f64::MAX)),
    }
}

fn is_integer(profile: &Profile, s: &Series) -> bool {
    INTEGER_UNITS.contains(&s.unit.as_str()) || profile.series.get(&s.code).is_some_and(|p| p.integer)
}

fn value(profile: &Profile, unit: &Unit, e: Economy, s: &Series, year: i32) -> Option<f64> {
    let (shape, p) = settings(profile, s);
    if !applies(&p, unit) {
        return s.additive.then_some(0.0);
    }
    let first = profile.years.first().copied().unwrap_or(year);
    let k = f64::from(year - first);
    // A unit's persistent effect on this series, and this year's noise.
    let mut persistent = rng(profile.seed, &unit.code, &s.code);
    let z_unit = normal(&mut persistent);
    let mut yearly = rng(profile.seed, &unit.code, &format!("{}/{year}", s.code));
    let z_year = normal(&mut yearly);
    let v = match shape {
        Shape::Total => {
            let county = p.county.or_else(|| profile.totals.get(&s.unit).copied()).unwrap_or(10.0);
            county * e.size * (0.25 * z_unit).exp() * (1.0 + e.growth).powf(k) * (1.0 + 0.03 * z_year)
        }
        Shape::Count => poisson(&mut yearly, p.county.unwrap_or(2.0) * e.size * 0.97f64.powf(k)),
        Shape::Growth => 100.0 * e.growth + p.offset.unwrap_or(0.0) + 0.8 * z_unit + 1.2 * z_year,
        Shape::Level => {
            let sd = p.sd.unwrap_or(5.0);
            let raw = p.mean.unwrap_or(50.0) + sd * (0.8 * z_unit + 0.3 * z_year) + p.trend.unwrap_or(0.0) * k;
            raw.clamp(p.min.unwrap_or(f64::MIN), p.max.unwrap_or(f64::MAX))
        }
        Shape::PerCapita => {
            let plate = unit.plate.and_then(|pl| profile.plates.get(&pl)).map_or(1.0, |pp| pp.size);
            // Each income series grows at its own pace around the economy's.
            let z_growth = normal(&mut persistent);
            let growth = e.growth + 0.01 + 0.008 * z_growth + 0.004 * z_year;
            p.mean.unwrap_or(30_000.0) * plate.powf(0.35) * (1.0 + growth).powf(k) * (1.0 + 0.06 * z_unit)
        }
    };
    Some(v.max(if shape == Shape::Growth || shape == Shape::Level { f64::MIN } else { 0.0 }))
}

/// Series that are part of another (`part_of`): a unit-specific share of the whole, at most 95%.
fn parts(profile: &Profile, values: &mut Values) {
    let parts: Vec<(&String, &String, f64)> = profile
        .series
        .iter()
        .filter_map(|(code, p)| p.part_of.as_ref().map(|whole| (code, whole, p.share.unwrap_or(0.6))))
        .collect();
    let keys: Vec<(String, String, i32)> = values.keys().cloned().collect();
    for (code, whole, share) in parts {
        for (c, unit, year) in keys.iter().filter(|k| &k.0 == code) {
            let Some(&total) = values.get(&(whole.clone(), unit.clone(), *year)) else { continue };
            let z_unit = normal(&mut rng(profile.seed, unit, &format!("{c}/share")));
            let z_year = normal(&mut rng(profile.seed, unit, &format!("{c}/share/{year}")));
            let s = (share * (1.0 + 0.12 * z_unit + 0.02 * z_year)).clamp(0.2, 0.95);
            values.insert((c.clone(), unit.clone(), *year), total * s);
        }
    }
}

/// 市州 values: the sum of their counties for additive series, the size-weighted mean otherwise.
fn cities(
    profile: &Profile,
    units: &[Unit],
    series: &BTreeMap<&str, &Series>,
    wanted: &BTreeSet<String>,
    values: &mut Values,
) {
    for city in units.iter().filter(|u| u.level == Level::City) {
        let children: Vec<&Unit> = units
            .iter()
            .filter(|u| {
                matches!(u.level, Level::County | Level::Zone) && u.parent.as_deref() == Some(city.code.as_str())
            })
            .collect();
        for code in wanted {
            let Some(s) = series.get(code.as_str()) else { continue };
            for &year in &profile.years {
                let mut sum = 0.0;
                let mut weights = 0.0;
                for child in &children {
                    if let Some(v) = values.get(&(code.clone(), child.code.clone(), year)) {
                        let w = if s.additive { 1.0 } else { economy(profile, child).size };
                        sum += w * v;
                        weights += w;
                    }
                }
                if weights > 0.0 {
                    let v = if s.additive { sum } else { sum / weights };
                    values.insert((code.clone(), city.code.clone(), year), v);
                }
            }
        }
    }
}

fn plant(profile: &Profile, values: &mut Values, which: impl Fn(PlantedKind) -> bool) {
    for p in profile.planted.iter().filter(|p| which(p.kind)) {
        let key = (p.series.clone(), p.unit.clone(), p.period);
        match p.kind {
            PlantedKind::Missing => {
                values.remove(&key);
            }
            PlantedKind::Jump | PlantedKind::SumMismatch => {
                if let Some(v) = values.get_mut(&key) {
                    *v *= p.factor.unwrap_or(1.0);
                }
            }
        }
    }
}

fn decimal(v: f64, integer: bool) -> Decimal {
    let text = if integer { format!("{:.0}", v.round()) } else { format!("{v:.2}") };
    Decimal::from_str(&text).unwrap_or_default().normalize()
}

/// A generator for one (seed, unit, purpose): FNV-1a over the parts.
fn rng(seed: u64, unit: &str, purpose: &str) -> ChaCha8Rng {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in unit.bytes().chain([0]).chain(purpose.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    ChaCha8Rng::seed_from_u64(h)
}

fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let (u1, u2) = (uniform(rng), uniform(rng));
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A Poisson draw: Knuth's method for small means, a rounded normal for large ones.
fn poisson(rng: &mut ChaCha8Rng, mean: f64) -> f64 {
    if mean <= 0.0 {
        return 0.0;
    }
    if mean > 30.0 {
        return (mean + mean.sqrt() * normal(rng)).round().max(0.0);
    }
    let limit = (-mean).exp();
    let mut k = 0.0;
    let mut p = uniform(rng);
    while p > limit {
        k += 1.0;
        p *= uniform(rng);
    }
    k
}
