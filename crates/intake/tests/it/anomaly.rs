//! Anomaly flags: each test plants one kind of anomaly and checks it, and only it, is flagged.

use crate::common;

use jili_intake::data::anomaly::{Anomaly, Benford, Settings, benford, flags};
use jili_intake::data::checks::CheckConfig;
use jili_intake::data::kind::Tests;
use jili_model::{Catalogue, Decimal, Observation, ObservationKey, Period, Status};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

const CITIES: [&str; 14] = [
    "430100", "430200", "430300", "430400", "430500", "430600", "430700", "430800", "430900", "431000", "431100",
    "431200", "431300", "433100",
];

type Known = BTreeMap<ObservationKey, f64>;

fn catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(common::catalogue)
}

fn obs(series: &str, unit: &str, year: i32, value: f64) -> Observation {
    Observation {
        series: series.into(),
        unit: unit.into(),
        period: Period::year(year),
        value: format!("{value:.6}").parse::<Decimal>().or_else(|_| format!("{value:.0}").parse()).expect("a Decimal"),
        status: Status::Final,
    }
}

fn key(series: &str, unit: &str, year: i32) -> ObservationKey {
    (series.into(), unit.into(), Period::year(year))
}

fn cities() -> HashMap<String, String> {
    CITIES.iter().map(|c| (c.to_string(), "市州".to_string())).collect()
}

/// The tests each series gets from its kind under the default rules.
fn tests(series: &str) -> Tests {
    catalogue().series(series).map_or_else(Tests::none, |s| CheckConfig::default().tests(s))
}

fn run(batch: &[Observation], known: &Known) -> Vec<Anomaly> {
    flags(batch, known, &cities(), catalogue(), &Settings::default(), &tests)
}

fn with(list: &[Anomaly], code: &str) -> Vec<Option<usize>> {
    list.iter().filter(|a| a.code == code).map(|a| a.index).collect()
}

#[test]
fn a_planted_outlier_among_the_14_cities_is_flagged_and_no_other() {
    // Twelve ordinary values (1,800–2,350), one large but plausible, one planted ×10.
    let mut batch: Vec<Observation> =
        CITIES.iter().enumerate().map(|(i, c)| obs("GDP", c, 2024, 1800.0 + 50.0 * i as f64)).collect();
    batch[3] = obs("GDP", CITIES[3], 2024, 21000.0);
    let found = run(&batch, &Known::new());
    assert_eq!(with(&found, "outlier-in-group"), [Some(3)], "{found:#?}");
    let a = &found[0];
    assert!(a.message.contains("市州，共 14 个") && a.message.contains("偏高"), "{}", a.message);
    assert!(a.message.contains("21,000.0 亿元"), "{}", a.message);
    assert!(!a.fix.is_empty());

    // The same with most peers already stored: only the batch's values are tested.
    let known: Known =
        batch.iter().filter(|o| o.unit != CITIES[3]).map(|o| (key("GDP", &o.unit, 2024), 2000.0)).collect();
    let found = run(&batch[3..5], &known);
    assert_eq!(with(&found, "outlier-in-group"), [Some(0)]);
    // A stored outlier is not the batch's business.
    let mut known = known;
    known.insert(key("GDP", CITIES[3], 2024), 99999.0);
    assert!(run(&batch[4..5], &known).is_empty());
    // A unit without a peer group is not tested.
    let found = flags(&batch, &Known::new(), &HashMap::new(), catalogue(), &Settings::default(), &tests);
    assert!(with(&found, "outlier-in-group").is_empty());
    // A group smaller than min_group is not tested.
    assert!(run(&batch[..4], &Known::new()).is_empty());
}

#[test]
fn a_low_outlier_is_flagged_as_low() {
    let mut batch: Vec<Observation> =
        CITIES.iter().enumerate().map(|(i, c)| obs("GDP", c, 2024, 1800.0 + 50.0 * i as f64)).collect();
    batch[9] = obs("GDP", CITIES[9], 2024, 18.0);
    let found = run(&batch, &Known::new());
    assert_eq!(with(&found, "outlier-in-group"), [Some(9)]);
    assert!(found[0].message.contains("偏低"), "{}", found[0].message);
}

#[test]
fn equal_values_are_not_flagged_and_ties_fall_back_to_the_mean_deviation() {
    let batch: Vec<Observation> = CITIES.iter().map(|c| obs("GDP", c, 2024, 100.0)).collect();
    assert!(run(&batch, &Known::new()).is_empty());
    let zeros: Vec<Observation> = CITIES.iter().map(|c| obs("GDP", c, 2024, 0.0)).collect();
    assert!(run(&zeros, &Known::new()).is_empty());
    // Thirteen equal and one different: MAD = 0, the MeanAD variant still sees the odd one.
    let mut batch = batch;
    batch[5] = obs("GDP", CITIES[5], 2024, 200.0);
    assert_eq!(with(&run(&batch, &Known::new()), "outlier-in-group"), [Some(5)]);
}

/// Eight years (2016–2023) of GDP for ten cities, changing by −5%…+5% a year.
fn gdp_history() -> Known {
    let mut known = Known::new();
    for (i, c) in CITIES.iter().take(10).enumerate() {
        let mut x = 1000.0 + 100.0 * i as f64;
        for year in 2016..=2023 {
            known.insert(key("GDP", c, year), x);
            let step = ((i * 7 + year as usize * 3) % 11) as f64 - 5.0; // −5 … +5
            x *= 1.0 + step / 100.0;
        }
    }
    known
}

#[test]
fn a_300_percent_jump_is_flagged_and_a_6_percent_rise_is_not() {
    let known = gdp_history();
    let last = |c: &str| known[&key("GDP", c, 2023)];
    let batch =
        vec![obs("GDP", CITIES[0], 2024, last(CITIES[0]) * 4.0), obs("GDP", CITIES[1], 2024, last(CITIES[1]) * 1.06)];
    // No peer groups, so only the year-on-year rule speaks.
    let found = flags(&batch, &known, &HashMap::new(), catalogue(), &Settings::default(), &tests);
    assert_eq!(with(&found, "yoy-jump"), [Some(0)], "{found:#?}");
    let m = &found[0].message;
    assert!(m.contains("同比 +300.0%") && m.contains("地区生产总值"), "{m}");
    assert!(m.contains("（-5.0% 至 +5.0%"), "usual range shown: {m}");
    // A fall of 75% is as suspicious.
    let batch = vec![obs("GDP", CITIES[2], 2024, last(CITIES[2]) * 0.25)];
    assert_eq!(
        with(&flags(&batch, &known, &HashMap::new(), catalogue(), &Settings::default(), &tests), "yoy-jump"),
        [Some(0)]
    );
    // Fewer than ten changes known: no verdict.
    let few: Known =
        known.iter().filter(|((_, u, p), _)| u == CITIES[0] && p.year >= 2020).map(|(k, v)| (k.clone(), *v)).collect();
    let batch = vec![obs("GDP", CITIES[0], 2024, last(CITIES[0]) * 4.0)];
    assert!(flags(&batch, &few, &HashMap::new(), catalogue(), &Settings::default(), &tests).is_empty());
    // No previous value, or a non-positive one: no change to judge.
    let mut zero = known.clone();
    zero.insert(key("GDP", CITIES[0], 2023), 0.0);
    assert!(
        with(&flags(&batch, &zero, &HashMap::new(), catalogue(), &Settings::default(), &tests), "yoy-jump").is_empty()
    );
}

#[test]
fn a_rate_series_jumps_in_percentage_points() {
    let mut known = Known::new();
    for (i, c) in CITIES.iter().enumerate() {
        for year in 2018..=2023 {
            known.insert(key("GDP_GROWTH", c, year), 6.0 + ((i + year as usize) % 5) as f64 * 0.2);
        }
    }
    let prev = known[&key("GDP_GROWTH", CITIES[4], 2023)];
    let batch = vec![obs("GDP_GROWTH", CITIES[4], 2024, prev + 12.3), obs("GDP_GROWTH", CITIES[5], 2024, 6.4)];
    let found = flags(&batch, &known, &HashMap::new(), catalogue(), &Settings::default(), &tests);
    assert_eq!(with(&found, "yoy-jump"), [Some(0)], "{found:#?}");
    assert!(found[0].message.contains("同比 +12.3 个百分点"), "{}", found[0].message);
}

/// Industrial value-added growth 4.0–9.2% for the 14 cities in 2024, stored.
fn growth_known() -> Known {
    CITIES.iter().enumerate().map(|(i, c)| (key("IND_VA_GROWTH", c, 2024), 4.0 + 0.4 * i as f64)).collect()
}

#[test]
fn high_growth_with_falling_tax_is_flagged_rising_tax_is_not() {
    let mut known = growth_known();
    for (c, before, now) in [(CITIES[0], 100.0, 96.8), (CITIES[1], 100.0, 110.0), (CITIES[2], 100.0, 50.0)] {
        known.insert(key("IND_TAX_REV", c, 2023), before);
        known.insert(key("IND_TAX_REV", c, 2024), now);
    }
    // 长沙 and 株洲 report 8.5% (above the median 7.4%); 湘潭 3.0% (below it).
    let batch = vec![
        obs("IND_VA_GROWTH", CITIES[0], 2024, 8.5),
        obs("IND_VA_GROWTH", CITIES[1], 2024, 8.5),
        obs("IND_VA_GROWTH", CITIES[2], 2024, 3.0),
    ];
    let found = run(&batch, &known);
    assert_eq!(with(&found, "pair-disagrees"), [Some(0)], "{found:#?}");
    let m = &found.iter().find(|a| a.code == "pair-disagrees").unwrap().message;
    // The tax series is another department's (税务局's, not public): named, not quoted.
    assert_eq!(m, "2024年规模以上工业增加值增速 8.5%（高于同组中位数 7.4%），而工业税收收入同比下降：两者背离");
    let fix = &found.iter().find(|a| a.code == "pair-disagrees").unwrap().fix;
    assert!(fix.starts_with("请与") && fix.contains("工业税收收入的提供部门"), "{fix}");

    // The growth figure stored, the falling tax in the batch: the flag is on the tax.
    let mut stored = known.clone();
    stored.insert(key("IND_VA_GROWTH", CITIES[0], 2024), 8.5);
    stored.remove(&key("IND_TAX_REV", CITIES[0], 2024));
    let batch = vec![obs("TAX_REV", CITIES[0], 2024, 5.0), obs("IND_TAX_REV", CITIES[0], 2024, 96.8)];
    let found = run(&batch, &stored);
    assert_eq!(with(&found, "pair-disagrees"), [Some(1)]);
    // Now the tax is the sender's own and the growth another's: the growth is not quoted.
    let m = &found.iter().find(|a| a.code == "pair-disagrees").unwrap().message;
    assert_eq!(m, "2024年规模以上工业增加值增速高于同组中位数，而工业税收收入同比下降 3.2%：两者背离");
    // Neither in the batch: nothing to say about this batch.
    stored.insert(key("IND_TAX_REV", CITIES[0], 2024), 96.8);
    assert!(with(&run(&batch[..1], &stored), "pair-disagrees").is_empty());
    // Zero or negative growth is never "high".
    let mut low = growth_known();
    for (c, _) in CITIES.iter().zip(0..) {
        low.insert(key("IND_VA_GROWTH", c, 2024), -3.0);
    }
    low.insert(key("IND_TAX_REV", CITIES[0], 2023), 100.0);
    low.insert(key("IND_TAX_REV", CITIES[0], 2024), 90.0);
    assert!(run(&[obs("IND_VA_GROWTH", CITIES[0], 2024, -1.0)], &low).iter().all(|a| a.code != "pair-disagrees"));
}

/// 10^(k·φ mod 4): spread evenly on a log scale, so first digits follow Benford's law.
#[test]
fn a_pair_in_a_group_smaller_than_min_group_is_not_judged() {
    // Two units only: “above the group median” means nothing, as for outliers.
    let mut known = Known::new();
    for (c, tax_now) in [(CITIES[0], 90.0), (CITIES[1], 110.0)] {
        known.insert(key("IND_TAX_REV", c, 2023), 100.0);
        known.insert(key("IND_TAX_REV", c, 2024), tax_now);
    }
    known.insert(key("IND_VA_GROWTH", CITIES[1], 2024), 2.5);
    let found = run(&[obs("IND_VA_GROWTH", CITIES[0], 2024, 8.5)], &known);
    assert!(with(&found, "pair-disagrees").is_empty(), "{found:#?}");
}

fn log_uniform(n: usize) -> Vec<f64> {
    let phi = (1.0 + 5f64.sqrt()) / 2.0;
    (1..=n).map(|k| 10f64.powf((k as f64 * phi) % 4.0) * 10.0).collect()
}

fn spread_batch(values: &[f64]) -> Vec<Observation> {
    values.iter().enumerate().map(|(i, x)| obs("GDP", &format!("U{i}"), 2024, *x)).collect()
}

#[test]
fn benford_accepts_log_uniform_values_and_flags_fives_and_nines() {
    let good = log_uniform(1000);
    let b = benford(&good).unwrap();
    assert_eq!(b.n, 1000);
    assert!(b.mad < 0.006, "close conformity: {b:?}");
    assert!(with(&run(&spread_batch(&good), &Known::new()), "benford").is_empty());

    // Fives and nines at every order of magnitude (50s to 90,000s): data the test applies to.
    let bad: Vec<f64> = (0..200)
        .map(|i| {
            let scale = 10f64.powi(i % 4);
            if i % 2 == 0 { (50.0 + i as f64 / 40.0) * scale } else { (90.0 + i as f64 / 40.0) * scale }
        })
        .collect();
    let found = run(&spread_batch(&bad), &Known::new());
    assert_eq!(with(&found, "benford"), [None]);
    assert_eq!(found[0].index, None, "the batch-level flag comes first");
    assert!(
        found[0].message.contains("本批 200 个数值") && found[0].message.contains("首位为 9 的占 50.0%"),
        "{}",
        found[0].message
    );
    let b = benford(&bad).unwrap();
    assert!((b.digits[4] - 0.5).abs() < 1e-12 && (b.digits[8] - 0.5).abs() < 1e-12);
    assert!(b.chi2 > 15.51);

    // Too few values: no verdict.
    assert!(with(&run(&spread_batch(&bad[..99]), &Known::new()), "benford").is_empty());
}

#[test]
fn benford_ignores_small_and_non_finite_values() {
    assert_eq!(benford(&[]), None);
    assert_eq!(benford(&[0.0, 9.99, -5.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY]), None);
    let b = benford(&[10.0, -20.0, 99.9999, 1e300, f64::MAX, f64::MIN_POSITIVE]).unwrap();
    assert_eq!(b.n, 5);
    assert!((b.digits[0] - 0.6).abs() < 1e-12); // 10, 1e300, 1.79e308
    assert!((Benford::expected(1) - std::f64::consts::LOG10_2).abs() < 1e-12);
}

#[test]
fn output_is_sorted_by_index_then_code_and_empty_input_is_quiet() {
    assert!(run(&[], &Known::new()).is_empty());
    assert!(run(&[], &gdp_history()).is_empty());
    // One value that is both an outlier among peers and a jump from its own history.
    let known = gdp_history();
    let mut batch: Vec<Observation> =
        CITIES.iter().take(10).map(|c| obs("GDP", c, 2024, known[&key("GDP", c, 2023)] * 1.01)).collect();
    batch[7] = obs("GDP", CITIES[7], 2024, 50000.0);
    let found = run(&batch, &known);
    let keys: Vec<(Option<usize>, &str)> = found.iter().map(|a| (a.index, a.code)).collect();
    assert_eq!(keys, [(Some(7), "outlier-in-group"), (Some(7), "yoy-jump")]);
}

#[test]
fn settings_read_from_toml_with_documented_defaults() {
    let s: Settings = toml::from_str("z = 3.0\n").unwrap();
    assert_eq!(s, Settings { z: 3.0, ..Settings::default() });
    assert_eq!(s.pairs.len(), 2);
    assert_eq!((s.pairs[1].growth.as_str(), s.pairs[1].against.as_str()), ("IND_VA_GROWTH", "IND_TAX_REV"));
    let s: Settings = toml::from_str("pairs = [{ growth = \"GDP_GROWTH\", against = \"GDP\" }]").unwrap();
    assert_eq!(s.pairs.len(), 1);
    assert!(toml::from_str::<Settings>("zz = 3.0").is_err());
    assert!(toml::from_str::<Settings>("pairs = [{ growth = \"A\", against = \"B\", x = 1 }]").is_err());
}

// ---- never panics ---------------------------------------------------------------------------

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.0),
        Just(1e-9),
        Just(-1e-9),
        Just(7.9e27),
        Just(-7.9e27),
        -1e6..1e6f64,
        (-28i32..28).prop_map(|e| 10f64.powi(e)),
    ]
}

fn known_value() -> impl Strategy<Value = f64> {
    prop_oneof![value(), Just(f64::MAX), Just(f64::MIN), Just(f64::MIN_POSITIVE), Just(f64::NAN), Just(f64::INFINITY)]
}

const SERIES: [&str; 6] = ["GDP", "GDP_GROWTH", "TAX_REV", "IND_VA_GROWTH", "IND_TAX_REV", "NOT_A_SERIES"];

fn key_parts() -> impl Strategy<Value = (usize, usize, i32)> {
    (0..SERIES.len(), 0..8usize, 2019..2025i32)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_batches_never_panic(
        batch in proptest::collection::vec((key_parts(), value()), 0..60),
        known in proptest::collection::vec((key_parts(), known_value()), 0..60),
        z in prop_oneof![Just(0.0), Just(3.5), Just(f64::NAN)],
        min_group in 0..6usize,
        benford_min in 0..5usize,
    ) {
        let unit = |u: usize| if u < 7 { CITIES[u * 2].to_string() } else { "999999".to_string() };
        let batch: Vec<Observation> = batch.iter().map(|((s, u, y), x)| obs(SERIES[*s], &unit(*u), *y, *x)).collect();
        let known: Known = known.iter().map(|((s, u, y), x)| (key(SERIES[*s], &unit(*u), *y), *x)).collect();
        let peer: HashMap<String, String> = CITIES.iter().enumerate().map(|(i, c)| (c.to_string(), ["市州", "县市区"][i % 2].to_string())).collect();
        let settings = Settings { z, min_group, yoy_z: z, benford_min, ..Settings::default() };
        let found = flags(&batch, &known, &peer, catalogue(), &settings, &tests);
        for pair in found.windows(2) {
            prop_assert!((pair[0].index, pair[0].code) < (pair[1].index, pair[1].code));
        }
        for a in &found {
            prop_assert!(a.index.is_none_or(|i| i < batch.len()));
            prop_assert!(!a.message.is_empty() && !a.fix.is_empty());
        }
        let values: Vec<f64> = known.values().copied().collect();
        if let Some(b) = benford(&values) {
            prop_assert!(b.mad.is_finite() && b.chi2.is_finite() && b.n > 0);
        }
    }
}
