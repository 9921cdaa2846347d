//! Per-series anomaly settings (issue 22): each series' kind decides which tests apply, and
//! each exemption is shown against a series the test does apply to, so it could fail.

use crate::common;
use jili_intake::data::anomaly::{Anomaly, Settings, benford_flag, flags};
use jili_intake::data::checks::CheckConfig;
use jili_intake::data::cross::Relation;
use jili_intake::data::kind::{SeriesKind, Tests};
use jili_model::{Catalogue, Decimal, Observation, ObservationKey, Period, Status};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

const CITIES: [&str; 14] = [
    "430100", "430200", "430300", "430400", "430500", "430600", "430700", "430800", "430900", "431000", "431100",
    "431200", "431300", "433100",
];

fn catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(common::catalogue)
}

fn obs(series: &str, unit: &str, year: i32, value: f64) -> Observation {
    Observation {
        series: series.into(),
        unit: unit.into(),
        period: Period::year(year),
        value: format!("{value}").parse::<Decimal>().unwrap(),
        status: Status::Final,
    }
}

fn tests_of(config: &CheckConfig) -> impl Fn(&str) -> Tests + '_ {
    move |s: &str| catalogue().series(s).map_or_else(Tests::none, |s| config.tests(s))
}

/// Flags on 14 cities' values of `series` in 2024, with `last` as every city's 2023 value.
fn flags_of(series: &str, values: &[f64], last: Option<f64>, config: &CheckConfig) -> Vec<Anomaly> {
    let batch: Vec<Observation> = CITIES.iter().zip(values).map(|(c, x)| obs(series, c, 2024, *x)).collect();
    let known: BTreeMap<ObservationKey, f64> = match last {
        Some(x) => CITIES.iter().map(|c| ((series.into(), (*c).into(), Period::year(2023)), x)).collect(),
        None => BTreeMap::new(),
    };
    let peer: HashMap<String, String> = CITIES.iter().map(|c| (c.to_string(), "市州".to_string())).collect();
    flags(&batch, &known, &peer, catalogue(), &config.anomaly, &tests_of(config))
}

fn codes(found: &[Anomaly]) -> Vec<&str> {
    found.iter().map(|a| a.code).collect()
}

#[test]
fn kinds_are_inferred_from_the_catalogue_and_may_be_set() {
    let c = CheckConfig::default();
    let kind = |s: &str| c.tests(catalogue().series(s).unwrap()).kind;
    assert_eq!(kind("DEBT_RISK_LEVEL"), SeriesKind::Grade);
    assert_eq!(kind("ACCIDENTS"), SeriesKind::Count);
    assert_eq!(kind("NPL_RATIO"), SeriesKind::Share);
    assert_eq!(kind("GDP"), SeriesKind::Continuous);
    let text = "[series.GDP]\nkind = \"grade\"\nyoy = true\n";
    let c = CheckConfig::from_toml("t.toml", text, catalogue()).unwrap();
    let t = c.tests(catalogue().series("GDP").unwrap());
    assert_eq!((t.kind, t.outlier, t.yoy), (SeriesKind::Grade, false, true), "the kind's defaults, then the file");
    let bad = CheckConfig::from_toml("t.toml", "[series.GDP]\nkind = \"level\"\n", catalogue()).unwrap_err();
    assert!(bad.contains("t.toml"), "{bad}");
    let bad = CheckConfig::from_toml("t.toml", "[series.GDP]\nexpected_min = 5\nexpected_max = 1\n", catalogue());
    assert!(bad.unwrap_err().contains("expected_min"));
}

#[test]
fn a_grade_gets_no_peer_or_year_on_year_test_where_a_share_does() {
    let c = CheckConfig::default();
    // Thirteen units at 2, one at 4, all at 1 last year.
    let mut values = [2.0; 14];
    values[5] = 4.0;
    assert!(flags_of("DEBT_RISK_LEVEL", &values, Some(1.0), &c).is_empty(), "a grade is not a quantity");
    let share = flags_of("NPL_RATIO", &values, Some(1.0), &c);
    assert!(codes(&share).contains(&"outlier-in-group"), "{share:#?}");
}

#[test]
fn rare_event_counts_and_mostly_zero_series_are_not_compared_with_peers() {
    let c = CheckConfig::default();
    let mut zeros = [0.0; 14];
    zeros[2] = 3.0;
    assert!(flags_of("SAFETY_MAJOR_ACCIDENTS", &zeros, None, &c).is_empty(), "zero for most: not judged");
    let mut small: Vec<f64> = (0..14).map(|i| 2.0 + (i % 4) as f64).collect();
    small[2] = 14.0;
    assert!(flags_of("ACCIDENTS", &small, None, &c).is_empty(), "a median under 10 is Poisson noise");
    // A count of firms in the hundreds is judged.
    let mut firms: Vec<f64> = (0..14).map(|i| 100.0 + 10.0 * i as f64).collect();
    firms[2] = 5000.0;
    assert_eq!(codes(&flags_of("HNTE_FIRMS", &firms, None, &c)), ["outlier-in-group"]);
}

#[test]
fn an_outlier_as_odd_last_year_is_a_fact_about_the_unit() {
    let c = CheckConfig::default();
    let ordinary: Vec<f64> = (0..14).map(|i| 1800.0 + 50.0 * i as f64).collect();
    let mut now = ordinary.clone();
    now[7] = 150.0;
    let peer: HashMap<String, String> = CITIES.iter().map(|cc| (cc.to_string(), "市州".to_string())).collect();
    let run = |last_small: bool| {
        let batch: Vec<Observation> = CITIES.iter().zip(&now).map(|(u, x)| obs("GDP", u, 2024, *x)).collect();
        let known: BTreeMap<ObservationKey, f64> = CITIES
            .iter()
            .zip(&ordinary)
            .map(|(u, x)| {
                let x = if *u == CITIES[7] && last_small { 140.0 } else { *x };
                (("GDP".into(), (*u).into(), Period::year(2023)), x)
            })
            .collect();
        flags(&batch, &known, &peer, catalogue(), &c.anomaly, &tests_of(&c))
    };
    assert!(!codes(&run(false)).is_empty(), "small only this year: flagged");
    assert!(!codes(&run(false)).contains(&"yoy-jump") || codes(&run(false)).contains(&"outlier-in-group"));
    assert!(!codes(&run(true)).contains(&"outlier-in-group"), "small last year too: the smallest city stays small");
}

#[test]
fn a_value_outside_its_expected_range_is_flagged_not_rejected() {
    let text = "[series.NPL_RATIO]\nexpected_min = 0\nexpected_max = 5\n";
    let c = CheckConfig::from_toml("t.toml", text, catalogue()).unwrap();
    let mut values = [1.5; 14];
    values[0] = 7.5;
    let found = flags_of("NPL_RATIO", &values, None, &c);
    let out: Vec<&Anomaly> = found.iter().filter(|a| a.code == "outside-expected").collect();
    assert_eq!(out.len(), 1, "{found:#?}");
    assert!(out[0].message.contains("7.50%") && out[0].message.contains("高于"), "{}", out[0].message);
    assert!(flags_of("NPL_RATIO", &values, None, &CheckConfig::default()).iter().all(|a| a.code != "outside-expected"));
}

#[test]
fn benford_needs_values_spanning_two_orders_of_magnitude() {
    let s = Settings::default();
    // Fives and nines between 500 and 999: first digits set by size, not a Benford question.
    let narrow: Vec<f64> =
        (0..200).map(|i| if i % 2 == 0 { 500.0 + i as f64 } else { 900.0 + i as f64 / 4.0 }).collect();
    assert!(benford_flag(&narrow, &s, "本批").is_none());
    let wide: Vec<f64> = narrow.iter().enumerate().map(|(i, x)| x * 10f64.powi((i / 2 % 3) as i32)).collect();
    let flag = benford_flag(&wide, &s, "省统计局库中地区生产总值").unwrap();
    assert!(flag.message.starts_with("省统计局库中地区生产总值 200 个数值"), "{}", flag.message);
}

fn values(rows: &[(&str, &str, i32, i64)]) -> BTreeMap<ObservationKey, Decimal> {
    rows.iter().map(|(s, u, y, v)| (((*s).into(), (*u).into(), Period::year(*y)), Decimal::from(*v))).collect()
}

#[test]
fn cross_source_rules_compare_two_departments_series() {
    let text = r#"
[[cross]]
name = "工业税收不超过税收收入"
a = "IND_TAX_REV"
b = "TAX_REV"
relation = "at_most"
tolerance = 0.02

[[cross]]
name = "收入与生产总值之比"
a = "GEN_BUDGET_REV"
b = "GDP"
relation = "ratio"
min = 100
max = 2000

[[cross]]
name = "居民收入增长与经济增长基本同步"
a = "RESIDENT_INCOME"
b = "GDP_PER_CAPITA"
relation = "growth"
tolerance = 10
"#;
    let c = CheckConfig::from_toml("t.toml", text, catalogue()).unwrap();
    assert_eq!(
        c.cross.iter().map(|r| r.relation).collect::<Vec<_>>(),
        [Relation::AtMost, Relation::Ratio, Relation::Growth]
    );
    let v = values(&[
        ("IND_TAX_REV", "430100", 2024, 120),
        ("TAX_REV", "430100", 2024, 100),
        ("IND_TAX_REV", "430200", 2024, 101),
        ("TAX_REV", "430200", 2024, 100),
        ("GEN_BUDGET_REV", "430100", 2024, 50_000),
        ("GDP", "430100", 2024, 10),
        ("RESIDENT_INCOME", "430100", 2023, 100),
        ("RESIDENT_INCOME", "430100", 2024, 130),
        ("GDP_PER_CAPITA", "430100", 2023, 100),
        ("GDP_PER_CAPITA", "430100", 2024, 105),
    ]);
    let found: Vec<Vec<(String, i32)>> = c
        .cross
        .iter()
        .map(|r| r.breaches(&v, catalogue()).into_iter().map(|b| (b.unit, b.period.year)).collect())
        .collect();
    let at = |u: &str| vec![(u.to_string(), 2024)];
    assert_eq!(found, [at("430100"), at("430100"), at("430100")], "430200 is within its 2%");
    let msg = &c.cross[0].breaches(&v, catalogue())[0].message;
    assert!(msg.contains("省税务局") && msg.contains("省财政厅") && msg.contains("120"), "{msg}");
    let msg = &c.cross[2].breaches(&v, catalogue())[0].message;
    assert!(msg.contains("+30") && msg.contains("+5") && msg.contains("相差 25"), "{msg}");

    for (bad, says) in [
        ("[[cross]]\nname = \"x\"\na = \"GDP\"\nb = \"NOPE\"\nrelation = \"ratio\"\nmin = 1\n", "NOPE"),
        ("[[cross]]\nname = \"x\"\na = \"GDP\"\nb = \"TAX_REV\"\nrelation = \"ratio\"\n", "min 或 max"),
        ("[[cross]]\nname = \"x\"\na = \"GDP\"\nb = \"TAX_REV\"\nrelation = \"growth\"\n", "tolerance"),
    ] {
        let e = CheckConfig::from_toml("t.toml", bad, catalogue()).unwrap_err();
        assert!(e.contains(says) && e.contains("[[cross]]"), "{e}");
    }
}
