//! `evaluate_with` on small hand-built plans; every expected number is worked out in a comment.
//! Unless said otherwise: indicators are 总量 of the series named by their id in capitals, read at
//! 2024 (base 2022), min-max onto [0, 100] within the group, fixed weights, arithmetic mean.

use jili_engine::{Driver, IndicatorScore, Options, Outcome, RunResult, Snapshot, SnapshotUnit, UnitResult};
use jili_engine::{EngineError, evaluate_with};
use jili_model::plan::{
    Amount, AppliesTo, Basis, Category, Group, Header, Indicator, Method, MissingRule, Peer, Plan, Polarity, Ratio,
    Reward, Selection, Threshold, Veto,
};
use jili_model::{Aggregation, Level, Normalise, Plate};

const PERIOD: i32 = 2024;
const NAN: f64 = f64::NAN;

fn close(got: impl Into<Option<f64>>, want: f64) {
    let got = got.into().expect("a value");
    assert!((got - want).abs() < 1e-9, "got {got}, want {want}");
}

fn unit_at(code: &str, level: Level, plate: Option<Plate>) -> SnapshotUnit {
    let name = format!("{code}{}", if level == Level::City { "市" } else { "县" });
    SnapshotUnit { code: code.into(), name, level, plate, kind: String::new() }
}

fn counties(codes: &[&str]) -> Vec<SnapshotUnit> {
    codes.iter().map(|c| unit_at(c, Level::County, None)).collect()
}

/// Each series' values at the period, one per unit in `units` order; NaN = no value.
fn data(units: Vec<SnapshotUnit>, series: &[(&str, &[f64])]) -> Snapshot {
    let codes: Vec<String> = units.iter().map(|u| u.code.clone()).collect();
    let mut s = Snapshot::new(units);
    for (name, values) in series {
        for (code, v) in codes.iter().zip(*values).filter(|(_, v)| !v.is_nan()) {
            s.insert(name, code, PERIOD, *v);
        }
    }
    s
}

fn indicator(id: &str, series: &str, basis: Basis, weight: f64) -> Indicator {
    Indicator {
        id: id.into(),
        name: format!("指标{id}"),
        series: series.into(),
        basis,
        polarity: Polarity::Higher,
        category: Category::Common,
        applies_to: AppliesTo::All,
        pillar: None,
        weight,
        normalise: Normalise::Minmax,
        bounds: None,
        target: None,
        outlier: None,
        note: None,
    }
}

fn total(id: &str, weight: f64) -> Indicator {
    indicator(id, &id.to_uppercase(), Basis::Total, weight)
}

fn group(id: &str, level: Level, plates: &[Plate]) -> Group {
    Group {
        id: id.into(),
        levels: vec![level],
        plates: plates.to_vec(),
        kinds: Vec::new(),
        units: Vec::new(),
        size: None,
    }
}

/// A plan with the given quotas (one per group), no veto, no reward, no Monte Carlo.
fn plan(groups: Vec<Group>, quotas: &[Option<u32>], indicators: Vec<Indicator>) -> Plan {
    let header = Header {
        measure: 1,
        year: PERIOD,
        title: "测试方案".into(),
        lead: "省财政厅".into(),
        period: PERIOD,
        base: 2022,
        units: vec![Level::City, Level::County],
        exclude: Vec::new(),
        example: false,
        missing: MissingRule::Reweight,
        publish_ranking: false,
        publish_vetoes: None,
        note: None,
    };
    let quota = groups.iter().zip(quotas).map(|(g, q)| (g.id.clone(), *q)).collect();
    let selection = Selection { quota, total: None, min_score: None, tie_break: Vec::new() };
    let method = Method { samples: 0, ..Method::default() };
    Plan { header, groups, pillars: Vec::new(), indicators, vetoes: Vec::new(), selection, rewards: Vec::new(), method }
}

fn one_group(quota: Option<u32>, indicators: Vec<Indicator>) -> Plan {
    plan(vec![group("县", Level::County, &[])], &[quota], indicators)
}

fn try_run(plan: &Plan, snap: &Snapshot, samples: u32) -> Result<RunResult, EngineError> {
    evaluate_with(plan, snap, 7, &Options { samples: Some(samples), parallel: samples > 0 })
}

fn run(plan: &Plan, snap: &Snapshot) -> RunResult {
    try_run(plan, snap, 0).expect("the plan evaluates")
}

fn unit<'a>(r: &'a RunResult, code: &str) -> &'a UnitResult {
    r.units.iter().find(|u| u.code == code).unwrap_or_else(|| panic!("no unit {code} in the result"))
}

fn winners(r: &RunResult, g: usize) -> Vec<&str> {
    r.groups[g].winners.iter().map(String::as_str).collect()
}

fn readings(s: &IndicatorScore) -> Vec<(&str, i32, Option<f64>)> {
    s.readings.iter().map(|r| (r.series.as_ref(), r.year, r.value)).collect()
}

fn flag(s: &IndicatorScore) -> &str {
    s.flag.as_deref().unwrap_or("")
}

#[test]
fn bases_give_the_notice_values_and_record_their_readings() {
    // X: A 100 → 110 → 121 (2022‥2024), B 200 → 150 → 180, C only 50 in 2024. D in 2024: A 10, B 20.
    let mut snap = data(counties(&["A", "B", "C"]), &[("X", &[121.0, 180.0, 50.0]), ("D", &[10.0, 20.0, NAN])]);
    for (u, year, v) in [("A", 2022, 100.0), ("A", 2023, 110.0), ("B", 2022, 200.0), ("B", 2023, 150.0)] {
        snap.insert("X", u, year, v);
    }
    let ratio = Basis::Ratio(Ratio { denominator: "D".into(), factor: 100.0 });
    let bases = [Basis::Total, Basis::Increment, Basis::Rate, ratio, Basis::Average, Basis::Cagr, Basis::Improvement];
    let inds = bases.iter().enumerate().map(|(i, b)| indicator(&format!("i{i}"), "X", b.clone(), 1.0)).collect();
    let r = run(&one_group(None, inds), &snap);
    // A: 总量 121; 增量 121 − 100 = 21; 比率 (121/100 − 1)·100 = 21; 121/10·100 = 1210;
    //    (100 + 110 + 121)/3 = 110.333…; 年均增速 (121/100)^(1/2) − 1 = 10%; 提升 121 − 110 = 11.
    // B: 180; 180 − 200 = −20; (180/200 − 1)·100 = −10; 180/20·100 = 900; 530/3 = 176.666…;
    //    (180/200)^(1/2) − 1 = −5.131670194948620…%; 180 − 150 = 30.
    let a = [121.0, 21.0, 21.0, 1210.0, 331.0 / 3.0, 10.0, 11.0];
    let b = [180.0, -20.0, -10.0, 900.0, 530.0 / 3.0, -5.131_670_194_948_62, 30.0];
    for (code, values) in [("A", a), ("B", b)] {
        for (j, v) in values.into_iter().enumerate() {
            close(unit(&r, code).indicators[j].value, v);
        }
    }
    let a = &unit(&r, "A").indicators;
    assert_eq!(readings(&a[0]), [("X", 2024, Some(121.0))]);
    assert_eq!(readings(&a[1]), [("X", 2024, Some(121.0)), ("X", 2022, Some(100.0))]);
    assert_eq!(readings(&a[3]), [("X", 2024, Some(121.0)), ("D", 2024, Some(10.0))]);
    assert_eq!(readings(&a[4]), [("X", 2022, Some(100.0)), ("X", 2023, Some(110.0)), ("X", 2024, Some(121.0))]);
    assert_eq!(readings(&a[6]), [("X", 2024, Some(121.0)), ("X", 2023, Some(110.0))]);
    // C has no 2022 value: its 增量 is missing, and the missing reading is recorded as such.
    let c = &unit(&r, "C").indicators;
    close(c[0].value, 50.0);
    assert_eq!(c[1].value, None);
    assert_eq!(readings(&c[1]), [("X", 2024, Some(50.0)), ("X", 2022, None)]);
}

#[test]
fn a_veto_excludes_even_the_best_unit_and_keeps_its_evidence() {
    // X: A 30 (best), B 20, C 10. V: A 2 (> 0: vetoed), B 0 (not above 0), C none.
    let snap = data(counties(&["A", "B", "C"]), &[("X", &[30.0, 20.0, 10.0]), ("V", &[2.0, 0.0, NAN])]);
    let mut p = one_group(Some(1), vec![total("x", 1.0)]);
    let (reason, basis) = ("发生较大安全生产事故".to_string(), "安全生产一票否决".to_string());
    p.vetoes = vec![Veto { series: "V".into(), threshold: Threshold::Above(0.0), reason, basis }];
    p.rewards =
        vec![Reward { group: "县".into(), amount: Amount::Each(100), channel: "资金奖励".into(), items: vec![] }];
    let r = run(&p, &snap);
    let a = unit(&r, "A");
    assert_eq!((a.outcome, &a.award), (Outcome::Vetoed, &None));
    close(a.score, 100.0);
    assert!(a.reason.as_deref().unwrap().contains("发生较大安全生产事故"), "{:?}", a.reason);
    let hit = &a.vetoes[0];
    assert_eq!((hit.series.as_str(), hit.period, hit.condition.as_str()), ("V", PERIOD, "V > 0"));
    close(hit.value, 2.0);
    // The quota goes to the best unit that is not vetoed.
    assert_eq!(winners(&r, 0), ["B"]);
    assert_eq!((unit(&r, "B").outcome, unit(&r, "C").outcome), (Outcome::Winner, Outcome::NotSelected));
    assert!(unit(&r, "B").vetoes.is_empty() && unit(&r, "C").vetoes.is_empty());
    assert_eq!(r.total_wan, 100);
}

#[test]
fn quotas_per_group_then_in_total_then_a_minimum_score() {
    // 市 C1–C3: X 10, 20, 30 → 0, 50, 100; 县 K1–K3: X 1, 5, 3 → 0, 100, 50.
    let mut units: Vec<SnapshotUnit> = ["C1", "C2", "C3"].iter().map(|c| unit_at(c, Level::City, None)).collect();
    units.extend(counties(&["K1", "K2", "K3"]));
    let snap = data(units, &[("X", &[10.0, 20.0, 30.0, 1.0, 5.0, 3.0])]);
    let groups = vec![group("市", Level::City, &[]), group("县", Level::County, &[])];
    let mut p = plan(groups, &[Some(2), Some(1)], vec![total("x", 1.0)]);
    // Per group: 市 takes C3 (100) and C2 (50); 县 takes K2 (100).
    let r = run(&p, &snap);
    assert_eq!((winners(&r, 0), winners(&r, 1)), (vec!["C3", "C2"], vec!["K2"]));
    assert_eq!(r.groups[1].ranking, ["K2", "K3", "K1"]);
    close(r.groups[0].cutoff, 50.0);
    // At most 2 in all: of C3 100, C2 50 and K2 100 the best two are C3 and K2.
    p.selection.total = Some(2);
    let r = run(&p, &snap);
    assert_eq!((winners(&r, 0), winners(&r, 1)), (vec!["C3"], vec!["K2"]));
    assert_eq!(unit(&r, "C2").outcome, Outcome::NotSelected);
    // No total, minimum 60: C2 (50) is out although 市 has room for two.
    p.selection.total = None;
    p.selection.min_score = Some(60.0);
    let r = run(&p, &snap);
    assert_eq!((winners(&r, 0), winners(&r, 1)), (vec!["C3"], vec!["K2"]));
    let c2 = unit(&r, "C2");
    assert_eq!(c2.outcome, Outcome::Ineligible);
    assert!(c2.reason.as_deref().unwrap().contains("最低分 60"), "{:?}", c2.reason);
    assert_eq!(r.groups[0].cutoff, None, "the quota of 2 was not filled");
}

#[test]
fn ties_are_broken_by_the_plan_then_by_the_code() {
    // X: A 100, B 0, C 50; Y: A 0, B 100, C 50 → every composite is ½·100 = ½·50 + ½·50 = 50.
    let units = counties(&["C", "B", "A"]);
    let snap = data(units, &[("X", &[50.0, 0.0, 100.0]), ("Y", &[50.0, 100.0, 0.0])]);
    let mut p = one_group(Some(1), vec![total("x", 1.0), total("y", 1.0)]);
    let ranking = |p: &Plan, snap: &Snapshot| run(p, snap).groups[0].ranking.clone();
    assert_eq!(ranking(&p, &snap), ["A", "B", "C"], "no tie-break: by code");
    p.selection.tie_break = vec!["y".into()];
    assert_eq!(ranking(&p, &snap), ["B", "C", "A"], "y: B 100, C 50, A 0");
    assert_eq!(winners(&run(&p, &snap), 0), ["B"]);
    p.selection.tie_break = vec!["x".into()];
    assert_eq!(ranking(&p, &snap), ["A", "C", "B"], "x: A 100, C 50, B 0");
    // Full ties (identical data, so the tie-break ties too): the code decides.
    let snap = data(counties(&["Z", "M", "A"]), &[("X", &[5.0; 3]), ("Y", &[1.0; 3])]);
    assert_eq!(ranking(&p, &snap), ["A", "M", "Z"]);
}

#[test]
fn missing_data_follows_the_plan_rule() {
    // X (weight 3): A 10, B 20, C 30, D missing → A 0, B 50, C 100.
    // Y (weight 1): A 1, B 2, C 3, D 4 → 0, 33.33…, 66.66…, 100. Weights ¾, ¼.
    // C = ¾·100 + ¼·66.66… = 91.66…
    let snap = data(counties(&["A", "B", "C", "D"]), &[("X", &[10.0, 20.0, 30.0, NAN]), ("Y", &[1.0, 2.0, 3.0, 4.0])]);
    let with = |rule: MissingRule| {
        let mut p = one_group(Some(1), vec![total("x", 3.0), total("y", 1.0)]);
        p.header.missing = rule;
        run(&p, &snap)
    };
    // Reweight: D is scored on Y alone, whose weight becomes 1 → 100, and D wins.
    let r = with(MissingRule::Reweight);
    let d = &unit(&r, "D").indicators;
    close(unit(&r, "D").score, 100.0);
    assert!(flag(&d[0]).contains("重新计权"), "{:?}", d[0].flag);
    assert_eq!((d[0].value, d[0].score), (None, None));
    close(d[0].weight, 0.0);
    close(d[1].weight, 1.0);
    close(unit(&r, "C").indicators[0].weight, 0.75);
    assert_eq!(winners(&r, 0), ["D"]);
    // GroupMean: D's X = (10 + 20 + 30)/3 = 20 → 50; D = ¾·50 + ¼·100 = 62.5; C wins.
    let r = with(MissingRule::GroupMean);
    let d = &unit(&r, "D").indicators;
    close(d[0].value, 20.0);
    close(d[0].score, 50.0);
    assert!(flag(&d[0]).contains("补齐"), "{:?}", d[0].flag);
    close(unit(&r, "D").score, 62.5);
    assert_eq!(winners(&r, 0), ["C"]);
    // Zero: D's X scores 0 → D = ¾·0 + ¼·100 = 25; the others are unchanged.
    let r = with(MissingRule::Zero);
    let d = &unit(&r, "D").indicators;
    close(d[0].score, 0.0);
    assert!(flag(&d[0]).contains("零分"), "{:?}", d[0].flag);
    close(unit(&r, "D").score, 25.0);
    close(unit(&r, "B").indicators[0].score, 50.0);
    // Ineligible: D takes no part; C wins.
    let r = with(MissingRule::Ineligible);
    assert_eq!(unit(&r, "D").outcome, Outcome::Ineligible);
    assert_eq!(winners(&r, 0), ["C"]);
    close(unit(&r, "C").score, 75.0 + 50.0 / 3.0);
}

#[test]
fn a_characteristic_indicator_counts_only_on_its_plates() {
    // X (0.6) for all: A 10, B 20, C 30, D 40 → 0, 33.33…, 66.66…, 100.
    // Z (0.4) for 大湘西 (A, B) only: A 5, B 15 → 0, 100; C's and D's Z data is not used.
    // A = 0; B = 0.6·33.33… + 0.4·100 = 60; C = 66.66… (X alone, weight 1); D = 100.
    let (xx, czt) = (Some(Plate::Xiangxi), Some(Plate::ChangZhuTan));
    let units = [("A", xx), ("B", xx), ("C", czt), ("D", czt)].map(|(c, p)| unit_at(c, Level::County, p));
    let snap = data(units.to_vec(), &[("X", &[10.0, 20.0, 30.0, 40.0]), ("Z", &[5.0, 15.0, 1000.0, 0.0])]);
    let mut z = total("z", 0.4);
    z.category = Category::Characteristic;
    z.applies_to = AppliesTo::Plates(vec![Plate::Xiangxi]);
    let r = run(&one_group(None, vec![total("x", 0.6), z]), &snap);
    for (code, score) in [("A", 0.0), ("B", 60.0), ("C", 200.0 / 3.0), ("D", 100.0)] {
        let u = unit(&r, code);
        close(u.score, score);
        close(u.indicators.iter().map(|i| i.contribution).sum::<f64>(), score);
    }
    let c = &unit(&r, "C").indicators;
    assert_eq!((c[1].value, c[1].score), (None, None));
    assert!(c[1].readings.is_empty());
    assert!(flag(&c[1]).contains("不适用"), "{:?}", c[1].flag);
    close(c[0].weight, 1.0);
    let b = &unit(&r, "B").indicators;
    close(b[0].weight, 0.6);
    close(b[1].weight, 0.4);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn rewards_each_tiers_pool_and_items() {
    // One group per plate; X equals the score where a group's min is 0 and max 100.
    // 长株潭 每个 500, quota 2: A3 (30), A2 (20) → 500 + 500.
    // 洞庭湖 300/200 by rank, quota 3: B3 300, B2 200, B1 200 (the last tier repeats).
    // 湘南 pool 1000, quota 3: C4 100, C3 70, C2 60 (Σ 230): 434.78, 304.35, 260.87 → floors
    //   434 + 304 + 260 = 998; the 2 left go to the largest remainders, C2 (.87) and C4 (.78).
    // 大湘西 items only, quota 1: D2 gets 0 万元 and the item.
    let x = [10.0, 20.0, 30.0, 10.0, 20.0, 30.0, 0.0, 60.0, 70.0, 100.0, 10.0, 20.0];
    let codes = ["A1", "A2", "A3", "B1", "B2", "B3", "C1", "C2", "C3", "C4", "D1", "D2"];
    let plate = |c: &str| Plate::ALL[usize::from(c.as_bytes()[0] - b'A')];
    let snap = data(codes.iter().map(|c| unit_at(c, Level::County, Some(plate(c)))).collect(), &[("X", &x)]);
    let groups = Plate::ALL.iter().map(|p| group(p.as_str(), Level::County, &[*p])).collect();
    let mut p = plan(groups, &[Some(2), Some(3), Some(3), Some(1)], vec![total("x", 1.0)]);
    let amounts = [Amount::Each(500), Amount::Tiers(vec![300, 200]), Amount::Pool(1000), Amount::None];
    p.rewards = (Plate::ALL.iter().zip(amounts))
        .map(|(g, amount)| Reward { group: g.as_str().into(), amount, channel: "资金奖励".into(), items: vec![] })
        .collect();
    p.rewards[3].items = vec!["用地指标倾斜".into()];
    let r = run(&p, &snap);
    let want = [None, Some(500), Some(500), Some(200), Some(200), Some(300), None, Some(261), Some(304), Some(435)];
    for (code, amount) in codes.iter().zip(want.into_iter().chain([None, Some(0)])) {
        assert_eq!(unit(&r, code).award.as_ref().map(|a| a.amount_wan), amount, "{code}");
    }
    assert_eq!(unit(&r, "D2").award.as_ref().unwrap().items, ["用地指标倾斜"]);
    assert_eq!(r.total_wan, 2700);
    assert_eq!(r.total_wan, r.units.iter().filter_map(|u| u.award.as_ref()).map(|a| a.amount_wan).sum::<u64>());
}

#[test]
fn impossible_methods_are_errors_that_say_why() {
    // Min-max gives A (10) the score 0, and a geometric mean cannot take 0.
    let snap = data(counties(&["A", "B"]), &[("X", &[10.0, 20.0])]);
    let mut p = one_group(None, vec![total("x", 1.0)]);
    p.method.aggregate = Aggregation::Gmean;
    let err = try_run(&p, &snap, 0).unwrap_err().to_string();
    assert!(err.contains("A A县"), "{err}");
    // All weights zero (the plan check refuses this; the engine must too).
    let p = one_group(None, vec![total("x", 0.0), indicator("y", "X", Basis::Total, 0.0)]);
    let err = try_run(&p, &snap, 0).unwrap_err().to_string();
    assert!(err.contains("权重全部为零"), "{err}");
}

/// Five counties; X 0.5, Y 0.3, Z 0.2, raw values already on 0–100 (min 0, max 100):
///   X: A 100, B 75, C 50, D 25, E 0       (median 50)
///   Y: A 0, B 100, C 50, D 75, E 25       (median 50)
///   Z: A 60, B 0, C 100, D 25, E 75       (median 60)
/// A = 50 + 0 + 12 = 62; B = 37.5 + 30 + 0 = 67.5; C = 25 + 15 + 20 = 60; D = 12.5 + 22.5 + 5 = 40;
/// E = 0 + 7.5 + 15 = 22.5. Quota 2: B and A win; the cut-off is 62.
fn five() -> (Plan, Snapshot) {
    let x: &[f64] = &[100.0, 75.0, 50.0, 25.0, 0.0];
    let series = [("X", x), ("Y", &[0.0, 100.0, 50.0, 75.0, 25.0]), ("Z", &[60.0, 0.0, 100.0, 25.0, 75.0])];
    let snap = data(counties(&["A", "B", "C", "D", "E"]), &series);
    (one_group(Some(2), vec![total("x", 0.5), total("y", 0.3), total("z", 0.2)]), snap)
}

#[test]
fn explanations_give_the_gap_and_the_drivers_in_order() {
    let (p, snap) = five();
    let r = run(&p, &snap);
    assert_eq!(r.groups[0].ranking, ["B", "A", "C", "D", "E"]);
    close(r.groups[0].cutoff, 62.0);
    // The first non-winner C needs 62 − 60 = 2 more, D 22; the winners lead C by 7.5 and 2.
    for (code, gap) in [("C", 2.0), ("D", 22.0), ("B", -7.5), ("A", -2.0)] {
        close(unit(&r, code).gap, gap);
    }
    // Effects (score − median)·weight. B: X +12.5, Y +15, Z −12 → raises Y, X; lowers Z.
    // D: X −12.5, Y +7.5, Z −7 → raises Y; lowers X, then Z (the strongest first).
    let check = |got: &[Driver], want: &[(usize, f64)]| {
        assert_eq!(got.iter().map(|d| d.indicator).collect::<Vec<_>>(), want.iter().map(|w| w.0).collect::<Vec<_>>());
        got.iter().zip(want).for_each(|(d, w)| close(d.effect, w.1));
    };
    let (b, d) = (unit(&r, "B"), unit(&r, "D"));
    check(&b.raises, &[(1, 15.0), (0, 12.5)]);
    check(&b.lowers, &[(2, -12.0)]);
    check(&d.raises, &[(1, 7.5)]);
    check(&d.lowers, &[(0, -12.5), (2, -7.0)]);
}

#[test]
fn robustness_summaries_are_consistent() {
    let (p, snap) = five();
    let r = try_run(&p, &snap, 64).unwrap();
    let rob = r.robustness.as_ref().unwrap();
    assert_eq!((rob.samples, rob.winners, rob.sensitivity.len()), (64, 2, 3));
    assert!(rob.stable_winners <= rob.winners);
    for u in &r.units {
        let x = u.robustness.as_ref().unwrap();
        assert!(x.rank_q05 <= x.median_rank && x.median_rank <= x.rank_q95, "{}: {x:?}", u.code);
        assert!(1.0 <= x.rank_q05 && x.rank_q95 <= 5.0 && (0.0..=1.0).contains(&x.p_selected), "{}: {x:?}", u.code);
        assert_eq!(Some(x.nominal_rank), u.rank);
    }
}

#[test]
fn a_unit_that_wins_under_every_choice_is_a_stable_winner() {
    // One indicator, no missing data: no weight, normalisation or missing-data rule can change
    // the order K2 (5) > K5 > K3 > K4 > K1, so K2 wins in every sample — also when the plan sets
    // a minimum score of 60, which K2's 100 clears.
    let snap = data(counties(&["K1", "K2", "K3", "K4", "K5"]), &[("X", &[1.0, 5.0, 3.0, 2.0, 4.0])]);
    for min_score in [None, Some(60.0)] {
        let mut p = one_group(Some(1), vec![total("x", 1.0)]);
        p.selection.min_score = min_score;
        let r = try_run(&p, &snap, 100).unwrap();
        let k2 = unit(&r, "K2").robustness.as_ref().unwrap();
        close(k2.median_rank, 1.0);
        assert!((k2.p_selected - 1.0).abs() < 1e-12, "min_score {min_score:?}: p_selected {}", k2.p_selected);
        assert_eq!(r.robustness.as_ref().unwrap().stable_winners, 1, "min_score {min_score:?}");
    }
}

#[test]
fn a_geometric_plan_with_missing_data_survives_monte_carlo() {
    // 功效系数法 puts every present value in [60, 100], so a geometric mean is defined:
    // X: A 10, B 20, C missing → 60, 100; Y: A 1, B 2, C 3 → 60, 80, 100. C is re-weighted to Y.
    // A = 60; B = √(100·80) = 89.44…; C = 100. The Monte Carlo may vary the missing-data rule,
    // but not into one that gives C a score of 0, which no geometric mean can take.
    let snap = data(counties(&["A", "B", "C"]), &[("X", &[10.0, 20.0, NAN]), ("Y", &[1.0, 2.0, 3.0])]);
    let mut p = one_group(Some(1), vec![total("x", 1.0), total("y", 1.0)]);
    p.indicators.iter_mut().for_each(|i| i.normalise = Normalise::Efficacy);
    p.method.aggregate = Aggregation::Gmean;
    let r = run(&p, &snap);
    for (code, score) in [("A", 60.0), ("B", 8000f64.sqrt()), ("C", 100.0)] {
        close(unit(&r, code).score, score);
    }
    if let Err(e) = try_run(&p, &snap, 32) {
        panic!("the plan evaluates without Monte Carlo but not with it: {e}");
    }
}

#[test]
fn a_target_indicator_shows_the_units_own_value() {
    // Target 5: X A 7, B 5, C 1 → distances 2, 0, 4 → scores A 50, B 100, C 0. The value shown is
    // the unit's 总量 as read (7, 5, 1), which its readings trace, not the internal −|x − 5|.
    let snap = data(counties(&["A", "B", "C"]), &[("X", &[7.0, 5.0, 1.0])]);
    let mut p = one_group(None, vec![total("x", 1.0)]);
    p.indicators[0].polarity = Polarity::Target(5.0);
    let r = run(&p, &snap);
    for (code, value, score) in [("A", 7.0, 50.0), ("B", 5.0, 100.0), ("C", 1.0, 0.0)] {
        let i = &unit(&r, code).indicators[0];
        close(i.score, score);
        assert_eq!(readings(i), [("X", PERIOD, Some(value))]);
        close(i.value, value);
    }
}

#[test]
fn peer_all_normalises_across_groups() {
    // 市 C1 100, C2 200; 县 K1 10, K2 20. Within each group: C1 0, C2 100, K1 0, K2 100.
    // Across all (min 10, max 200): C1 90/190·100 = 47.37…, C2 100, K1 0, K2 10/190·100 = 5.26….
    let units = vec![unit_at("C1", Level::City, None), unit_at("C2", Level::City, None)];
    let snap = data([units, counties(&["K1", "K2"])].concat(), &[("X", &[100.0, 200.0, 10.0, 20.0])]);
    let groups = vec![group("市", Level::City, &[]), group("县", Level::County, &[])];
    let mut p = plan(groups, &[None, None], vec![total("x", 1.0)]);
    let scores = |p: &Plan| {
        let r = run(p, &snap);
        ["C1", "C2", "K1", "K2"].map(|c| unit(&r, c).score.unwrap())
    };
    scores(&p).into_iter().zip([0.0, 100.0, 0.0, 100.0]).for_each(|(g, w)| close(g, w));
    p.method.peer = Peer::All;
    scores(&p).into_iter().zip([9000.0 / 190.0, 100.0, 0.0, 1000.0 / 190.0]).for_each(|(g, w)| close(g, w));
    // Ranks stay within the groups.
    let r = run(&p, &snap);
    assert_eq!((unit(&r, "K2").rank, unit(&r, "C2").rank), (Some(1), Some(1)));
}

#[test]
fn a_result_reads_back_as_it_was_stored() {
    // What the store keeps is the result as JSON; the pages and the publication read it back as
    // the type. With missing data (a NaN weight or value becomes JSON null) and robustness, the
    // result read back writes the same bytes again.
    let snap = data(counties(&["A", "B", "C"]), &[("X", &[10.0, 20.0, NAN]), ("Y", &[1.0, 2.0, 3.0])]);
    let p = one_group(Some(1), vec![total("x", 1.0), total("y", 1.0)]);
    let r = try_run(&p, &snap, 16).unwrap();
    let stored = serde_json::to_string(&r).unwrap();
    let back: RunResult = serde_json::from_str(&stored).unwrap();
    assert_eq!(serde_json::to_string(&back).unwrap(), stored);
    assert_eq!(unit(&back, "B").outcome, unit(&r, "B").outcome);
    // A NaN stored as null comes back as NaN, not as an error.
    let with_null = stored.replacen("\"effect\":", "\"effect\":null,\"x\":", 1);
    if with_null != stored {
        let back: RunResult = serde_json::from_str(&with_null).unwrap();
        assert!(back.units.iter().flat_map(|u| u.raises.iter().chain(&u.lowers)).any(|d| d.effect.is_nan()));
    }
}

/// Peer groups by the catalogue's kind and by an explicit list: 市辖区 compete with 市辖区, 县 and
/// 县级市 with each other, and a listed unit only where it is listed.
#[test]
fn groups_by_kind_and_by_list_of_units() {
    let kinds = [("A", "市辖区"), ("B", "市辖区"), ("C", "县"), ("D", "县级市"), ("E", "县")];
    let units: Vec<SnapshotUnit> =
        kinds.iter().map(|(c, k)| SnapshotUnit { kind: (*k).into(), ..unit_at(c, Level::County, None) }).collect();
    // X: A 1, B 2, C 3, D 4, E 5. Within 市辖区 B is best; among 县/县级市 E.
    let snap = data(units, &[("X", &[1.0, 2.0, 3.0, 4.0, 5.0])]);
    let mut districts = group("市辖区", Level::County, &[]);
    districts.kinds = vec!["市辖区".into()];
    let mut counties = group("县", Level::County, &[]);
    counties.kinds = vec!["县".into(), "县级市".into()];
    let r = run(&plan(vec![districts, counties], &[Some(1), Some(1)], vec![total("x", 1.0)]), &snap);
    assert_eq!((winners(&r, 0), winners(&r, 1)), (vec!["B"], vec!["E"]));
    close(unit(&r, "B").score, 100.0);
    close(unit(&r, "C").score, 0.0); // the lowest of C, D, E
    assert_eq!(unit(&r, "A").group.as_deref(), Some("市辖区"));

    // An explicit list: only C and D compete; the others fall in no group and are not ranked.
    let mut listed = group("试点县", Level::County, &[]);
    listed.units = vec!["C".into(), "D".into()];
    let r = run(&plan(vec![listed], &[Some(1)], vec![total("x", 1.0)]), &snap);
    assert_eq!(winners(&r, 0), ["D"]);
    assert_eq!(unit(&r, "E").group, None);
}
