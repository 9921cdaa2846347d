//! `jili index`'s choices as a user makes them: principal-component weights, and `--uncertainty`
//! and `--sensitivity` with the choices they vary; on COINr's ASEM example, against COINr's own
//! uncertainty and sensitivity results.

use super::analyst::{Dir, asem, coinr_fixture, example, num, split, table, with};
use std::collections::HashMap;

/// Column `name` of a header.
fn at(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// Two positively correlated indicators load equally on the first principal component, so the
/// pillar is their plain mean; a third that runs against them is refused, not given a negative
/// weight.
#[test]
fn pca_weights_are_the_first_component_and_a_contrary_child_is_refused() {
    let meta = |w: &str| {
        format!(
            "Level,iCode,iName,Direction,Weight,Parent,Type,WeightMethod\n\
             1,a,A,1,5,P,Indicator,\n1,b,B,1,1,P,Indicator,\n1,c,C,1,1,Q,Indicator,\n\
             2,P,P,1,1,Index,Aggregate,{w}\n2,Q,Q,1,1,Index,Aggregate,\n3,Index,Index,1,,,Aggregate,\n"
        )
    };
    let data = "uCode,uName,a,b,c\nU1,u1,0,10,1\nU2,u2,10,30,2\nU3,u3,20,20,3\nU4,u4,40,50,4\n";
    let dir = Dir::new(&[("meta.csv", &meta("pca")), ("fixed.csv", &meta("equal")), ("data.csv", data)]);
    let pca = dir.ok(&["index", "--data", "data.csv", "--meta", "meta.csv"]);
    let equal = dir.ok(&["index", "--data", "data.csv", "--meta", "fixed.csv"]);
    let p = |csv: &str| table(csv).1.iter().map(|r| num(&r[2])).collect::<Vec<_>>();
    let (a, b) = (p(&pca), p(&equal));
    assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-9), "pca {a:?} = equal {b:?} (not the fixed 5:1)");
    let contrary = data.replace("U1,u1,0,10,1", "U1,u1,0,60,1").replace("U4,u4,40,50,4", "U4,u4,40,0,4");
    let dir = Dir::new(&[("meta.csv", &meta("pca")), ("data.csv", &contrary)]);
    let err = dir.fails(&["index", "--data", "data.csv", "--meta", "meta.csv"]);
    assert!(err.contains("载荷为负") && err.contains('P'), "{err}");
}

/// The steps set per indicator in iMeta (`Impute`, `Treat`) instead of by flags: COINr's worked
/// example written that way gives COINr's Index, and a `Treat` of `none` on one indicator keeps it
/// out of the build's `--treat`.
#[test]
fn per_indicator_impute_and_treat_columns_reproduce_coinrs_example() {
    let Some((data, meta)) = asem() else { return };
    let text = std::fs::read_to_string(&meta).unwrap();
    let mut lines = text.lines();
    let header = split(lines.next().unwrap());
    let kind = header.iter().position(|h| h == "Type").unwrap();
    let mut own = format!("{},Impute,Treat\n", lines_to_csv(&header));
    let mut flights_left = own.clone();
    for line in lines.filter(|l| !l.is_empty()) {
        let row = split(line);
        let steps = if row[kind] == "Indicator" { "group-mean:EurAsia_group,winsorise:5" } else { "," };
        own.push_str(&format!("{},{steps}\n", lines_to_csv(&row)));
        let flights = if row.iter().any(|c| c == "Flights") { "group-mean:EurAsia_group,none" } else { steps };
        flights_left.push_str(&format!("{},{flights}\n", lines_to_csv(&row)));
    }
    let dir = Dir::new(&[("own.csv", &own), ("flights.csv", &flights_left)]);
    let run = |meta: &str| {
        let out = dir.jili(&["index", "--data", &data, "--meta", meta, "--denominate", "--screen", "0.9"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (String::from_utf8(out.stdout).unwrap(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (csv, said) = run("own.csv");
    assert!(said.contains("补齐：65 个缺失值") && said.contains("缩尾：Flights"), "{said}");
    let (h, rows) = table(&csv);
    let (ch, coinr) = coinr_fixture("example_index.csv");
    for c in &coinr {
        let o = rows.iter().find(|r| r[0] == c[0]).unwrap();
        let (got, want) = (num(&o[at(&h, "Index")]), num(&c[at(&ch, "Index")]));
        assert!((got - want).abs() < 1e-6, "{}: jili {got}, COINr {want}", c[0]);
    }
    let (_, said) = run("flights.csv");
    assert!(!said.contains("缩尾：Flights") && said.contains("缩尾："), "{said}");
}

/// Cells back into a CSV line, quoted as R writes them.
fn lines_to_csv(cells: &[String]) -> String {
    cells.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect::<Vec<_>>().join(",")
}

#[test]
fn uncertainty_varies_each_named_choice_and_writes_every_sample() {
    let dir = example();
    let args = with(&[
        "--uncertainty",
        "40",
        "--seed",
        "3",
        "--vary-weights",
        "0.3",
        "--vary-normalise",
        "minmax,zscore",
        "--vary-aggregate",
        "amean,median",
        "--quantiles",
        "0.1,0.5,0.9",
        "--samples-out",
        "samples.csv",
    ]);
    let first = dir.ok(&args);
    let samples = std::fs::read_to_string(dir.path().join("samples.csv")).unwrap();
    assert_eq!(dir.ok(&args), first, "same seed, same table");
    assert_eq!(std::fs::read_to_string(dir.path().join("samples.csv")).unwrap(), samples, "and the same samples");

    let (header, rows) = table(&first);
    assert_eq!(header[5..], ["Rank", "RankMedian", "RankQ10", "RankQ50", "RankQ90"]);
    for row in &rows {
        let (median, q10, q90) = (num(&row[6]), num(&row[7]), num(&row[9]));
        assert_eq!(row[6], row[8], "the 0.5 quantile is the median: {row:?}");
        assert!(1.0 <= q10 && q10 <= median && median <= q90 && q90 <= 4.0, "{row:?}");
    }

    let (sh, srows) = table(&samples);
    assert_eq!(
        sh,
        ["Sample", "weights", "normalise", "aggregate", "uCode", "uName", "Rank", "NominalRank", "RankShift"]
    );
    assert_eq!(srows.len(), 40 * 4, "one row per sample and unit");
    for choice in ["minmax", "zscore"] {
        assert!(srows.iter().any(|r| r[2] == choice), "{choice} drawn in 40 samples");
    }
    for aggregate in ["amean", "median"] {
        assert!(srows.iter().any(|r| r[3] == aggregate), "{aggregate} drawn in 40 samples");
    }
    // Each sample's RankShift is the mean |Rank − NominalRank| over its four units.
    for sample in srows.chunks(4) {
        let shift: f64 = sample.iter().map(|r| (num(&r[6]) - num(&r[7])).abs()).sum::<f64>() / 4.0;
        assert!((num(&sample[0][8]) - shift).abs() < 1e-12, "{sample:?}");
        let nominal: Vec<f64> = sample.iter().map(|r| num(&r[7])).collect();
        assert_eq!(nominal, [4.0, 2.0, 3.0, 1.0], "the nominal ranks of the example");
    }
}

#[test]
fn a_sample_that_imputes_ranks_as_the_build_that_imputes() {
    let dir = example();
    // Unit two lacks B: imputing the mean of B changes its pillar score and may change ranks.
    let imputed: Vec<String> = table(&dir.ok(&with(&["--impute", "mean"]))).1.iter().map(|r| r[5].clone()).collect();
    let plain: Vec<String> = table(&dir.ok(&with(&[]))).1.iter().map(|r| r[5].clone()).collect();
    dir.ok(&with(&["--uncertainty", "30", "--vary-impute", "none,mean", "--samples-out", "s.csv"]));
    let (h, rows) = table(&std::fs::read_to_string(dir.path().join("s.csv")).unwrap());
    let (imp, rank) = (at(&h, "impute"), at(&h, "Rank"));
    let mut seen = HashMap::new();
    for sample in rows.chunks(4) {
        let ranks: Vec<String> = sample.iter().map(|r| r[rank].clone()).collect();
        let expected = if sample[0][imp] == "mean" { &imputed } else { &plain };
        assert_eq!(&ranks, expected, "{sample:?}");
        *seen.entry(sample[0][imp].clone()).or_insert(0) += 1;
    }
    assert_eq!(seen.len(), 2, "both imputations drawn: {seen:?}");
}

#[test]
fn sensitivity_gives_sobol_indices_per_varied_choice_with_bootstrap_bounds() {
    let dir = example();
    let args = with(&[
        "--sensitivity",
        "64",
        "--bootstrap",
        "50",
        "--vary-weights",
        "0.4",
        "--vary-normalise",
        "minmax,zscore,percentile",
        "--samples-out",
        "sa.csv",
    ]);
    let out = dir.ok(&args);
    assert_eq!(dir.ok(&args), out, "seeded");
    let (header, rows) = table(&out);
    assert_eq!(header, ["Variable", "Si", "STi", "Si_q5", "Si_q95", "STi_q5", "STi_q95"]);
    assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["weights", "normalise"]);
    for r in &rows {
        let v: Vec<f64> = r[1..].iter().map(|c| num(c)).collect();
        assert!(v.iter().all(|x| x.is_finite()), "{r:?}");
        assert!(v[2] <= v[3] && v[4] <= v[5] && v[1] >= 0.0, "bounds ordered, STi ≥ 0: {r:?}");
    }
    // N(d + 2) builds: A, B and A with each choice from B.
    let (h, srows) = table(&std::fs::read_to_string(dir.path().join("sa.csv")).unwrap());
    assert_eq!(srows.len(), 64 * 4 * 4);
    let design = at(&h, "Design");
    let parts: Vec<&str> = srows.chunks(64 * 4).map(|c| c[0][design].as_str()).collect();
    assert_eq!(parts, ["A", "B", "AB_weights", "AB_normalise"]);
    // AB_normalise takes A's weights and B's normalisation.
    let (w, n) = (at(&h, "weights"), at(&h, "normalise"));
    for j in 0..64 {
        let row = |part: usize| &srows[(part * 64 + j) * 4];
        assert_eq!((row(3)[w].as_str(), row(3)[n].as_str()), (row(0)[w].as_str(), row(1)[n].as_str()));
    }
}

#[test]
fn analysis_flags_that_cannot_work_are_refused_with_what_to_do() {
    let dir = example();
    for (extra, says) in [
        (vec!["--uncertainty", "10", "--vary-normalise", "goalposts,minmax"], "goalposts"),
        (vec!["--uncertainty", "10", "--vary-aggregate", "amean,topsis"], "topsis"),
        (vec!["--uncertainty", "10", "--vary-weights", "2"], "0 到 1"),
        (vec!["--uncertainty", "10", "--vary-impute", "none,group-mean:Region"], "Region"),
        (vec!["--uncertainty", "10", "--vary-normalise", "minmax"], "没有要变动的选择"),
        (vec!["--sensitivity", "10", "--vary-weights", "0.2"], "至少要变动两项"),
        (vec!["--sensitivity", "1", "--vary-weights", "0.2"], "--sensitivity"),
        (vec!["--uncertainty", "5", "--sensitivity", "5"], "只能选一个"),
        (vec!["--vary-weights", "0.2"], "--uncertainty"),
        (vec!["--samples-out", "x.csv"], "--samples-out"),
        (vec!["--uncertainty", "5", "--quantiles", "0.5,1.5"], "1.5"),
        (vec!["--uncertainty", "100001", "--samples-out", "x.csv"], "100000"),
        (vec!["--uncertainty", "5", "--weight-sets", "3"], "--vary-weights"),
    ] {
        let err = dir.fails(&with(&extra));
        assert!(err.contains(says), "{extra:?}: {err}");
    }
    assert!(!dir.path().join("x.csv").exists(), "a refused analysis writes nothing");
}

/// The same choices as COINr's run that wrote the fixture (scripts/peers/coinr/timings.R).
fn asem_args<'a>(data: &'a str, meta: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "index",
        "--data",
        data,
        "--meta",
        meta,
        "--denominate",
        "--impute",
        "group-mean:EurAsia_group",
        "--screen",
        "0.9",
        "--treat",
        "winsorise:5",
    ];
    args.extend_from_slice(extra);
    args
}

/// COINr's uncertainty analysis of its worked example (`get_sensitivity(SA_type = "UA")`, N = 1000,
/// weights ×U(0.75, 1.25) at levels 1–3, normalisation min-max / percentile rank / z-score):
/// a Monte Carlo estimate, so the same design with jili's own random draws gives every unit's
/// median rank within one place of COINr's and its 5 % and 95 % ranks within two.
#[test]
fn uncertainty_on_asem_agrees_with_coinr_per_unit() {
    let Some((data, meta)) = asem() else { return };
    let dir = Dir::new(&[]);
    let extra = [
        "--uncertainty",
        "1000",
        "--vary-weights",
        "0.25@1,2,3",
        "--vary-normalise",
        "minmax:0:100,percentile,zscore:0:1",
    ];
    let (h, rows) = table(&dir.ok(&asem_args(&data, &meta, &extra)));
    let ours: HashMap<&str, &Vec<String>> = rows.iter().map(|r| (r[0].as_str(), r)).collect();
    let (ch, coinr) = coinr_fixture("example_ua_ranks.csv");
    assert_eq!(coinr.len(), 51);
    for c in &coinr {
        let o = ours[c[at(&ch, "uCode")].as_str()];
        let pair = |mine: &str, theirs: &str| (num(&o[at(&h, mine)]), num(&c[at(&ch, theirs)]));
        let (rank, nominal) = pair("Rank", "Nominal");
        assert!((rank - nominal).abs() < 0.5, "{c:?}");
        let (m, cm) = pair("RankMedian", "Median");
        assert!((m - cm).abs() <= 1.0, "median rank {m} vs COINr {cm}: {c:?}");
        for (mine, theirs) in [("RankQ05", "Q5"), ("RankQ95", "Q95")] {
            let (q, cq) = pair(mine, theirs);
            assert!((q - cq).abs() <= 2.0, "{mine} {q} vs COINr {cq}: {c:?}");
        }
    }
    // 20,000 samples × 51 units would be more rows than a samples file may hold: refused first.
    let err = dir.fails(&asem_args(&data, &meta, &["--uncertainty", "20000", "--samples-out", "s.csv"]));
    assert!(err.contains("1020000 行"), "{err}");
    assert!(!dir.path().join("s.csv").exists());
}

/// COINr's sensitivity analysis of its worked example (`SA_type = "SA"`, vignette design: winsorising
/// up to 1–5 points, min-max [1, 100] or z-score (10, 2), weights ×U(0.75, 1.25) at levels 2–3,
/// arithmetic or geometric mean): both are estimates, so each choice's bootstrap 5–95 % interval
/// for Si and for STi overlaps COINr's, and the choices rank the same by STi.
#[test]
fn sensitivity_on_asem_agrees_with_coinr() {
    let Some((data, meta)) = asem() else { return };
    let dir = Dir::new(&[]);
    let treat = (1..=5).map(|k| format!("winsorise:{k}")).collect::<Vec<_>>().join(",");
    let extra = [
        "--sensitivity",
        "2000",
        "--vary-treat",
        &treat,
        "--vary-normalise",
        "minmax:1:100,zscore:10:2",
        "--vary-weights",
        "0.25@2,3",
        "--vary-aggregate",
        "amean,gmean",
    ];
    let (h, rows) = table(&dir.ok(&asem_args(&data, &meta, &extra)));
    let (ch, coinr) = coinr_fixture("example_sobol.csv");
    let name = |coinr: &str| match coinr {
        "Winmax" => "treat",
        "Normalisation" => "normalise",
        "Weights" => "weights",
        _ => "aggregate",
    };
    let by_total = |rows: &[Vec<String>], col: usize, rename: bool| {
        let mut v: Vec<(f64, String)> =
            rows.iter().map(|r| (num(&r[col]), if rename { name(&r[0]).to_string() } else { r[0].clone() })).collect();
        v.sort_by(|a, b| b.0.total_cmp(&a.0));
        v.into_iter().map(|x| x.1).collect::<Vec<_>>()
    };
    assert_eq!(by_total(&rows, at(&h, "STi"), false), by_total(&coinr, at(&ch, "STi"), true));
    for c in &coinr {
        let o = rows.iter().find(|r| r[0] == name(&c[0])).unwrap();
        for (lo, hi) in [("Si_q5", "Si_q95"), ("STi_q5", "STi_q95")] {
            let (a, b) = (num(&o[at(&h, lo)]), num(&o[at(&h, hi)]));
            let (ca, cb) = (num(&c[at(&ch, lo)]), num(&c[at(&ch, hi)]));
            assert!(a <= cb && ca <= b, "{} {lo}–{hi}: jili [{a}, {b}] vs COINr [{ca}, {cb}]", c[0]);
        }
    }
}
