//! `jili index` and `jili mcda` as a user runs them: files in a temporary directory, no database.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

/// A temporary working directory; on drop, checks that no command created a database there.
pub(crate) struct Dir(tempfile::TempDir);

impl Dir {
    pub(crate) fn new(files: &[(&str, &str)]) -> Dir {
        let dir = Dir(tempfile::tempdir().unwrap());
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    pub(crate) fn path(&self) -> &Path {
        self.0.path()
    }

    pub(crate) fn jili(&self, args: &[&str]) -> Output {
        let out = Command::new(env!("CARGO_BIN_EXE_jili"))
            .current_dir(self.path())
            .args(args)
            .env_remove("JILI_DATABASE_URL")
            .output()
            .expect("the jili binary runs");
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
        assert!(!self.path().join("jili.db").exists(), "jili {args:?} created a database");
        out
    }

    /// Run, expect success, return stdout.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.jili(args);
        assert!(out.status.success(), "jili {args:?}: {}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Run, expect failure, return stderr.
    pub(crate) fn fails(&self, args: &[&str]) -> String {
        let out = self.jili(args);
        assert!(!out.status.success(), "jili {args:?} should fail: {}", String::from_utf8_lossy(&out.stdout));
        let err = stderr(&out);
        assert!(err.starts_with("错误："), "{err}");
        err
    }
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn close(actual: f64, expected: f64, tol: f64) -> bool {
    (actual - expected).abs() <= tol
}

/// A CSV line split into cells, honouring double quotes.
pub(crate) fn split(line: &str) -> Vec<String> {
    let (mut cells, mut cell, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

/// Header and rows of a CSV text.
pub(crate) fn table(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines().filter(|l| !l.is_empty());
    (split(lines.next().unwrap()), lines.map(split).collect())
}

pub(crate) fn num(cell: &str) -> f64 {
    cell.parse().unwrap_or_else(|_| panic!("“{cell}” is a number"))
}

// ---- jili index on a hand-made example ------------------------------------------------------

/// A (weight 2, higher better) and B (weight 1, lower better) make P1; C alone makes P2;
/// Index = P1 (weight 3) and P2 (weight 1).
const META: &str = "Level,iCode,iName,Direction,Weight,Parent,Type\n\
                    1,A,Alpha,1,2,P1,Indicator\n\
                    1,B,Beta,-1,1,P1,Indicator\n\
                    1,C,Gamma,1,1,P2,Indicator\n\
                    2,P1,Pillar one,1,3,Index,Aggregate\n\
                    2,P2,Pillar two,1,1,Index,Aggregate\n\
                    3,Index,The index,1,1,,Aggregate\n";
const DATA: &str =
    "uCode,uName,A,B,C\nU1,Unit one,10,5,1\nU2,Unit two,20,NA,3\nU3,Unit three,30,15,2\nU4,Unit four,50,10,4\n";

/// Min-max to 0–100:
///   A: 10,20,30,50 (min 10, max 50)      → 0, 25, 50, 100
///   B: 5,NA,15,10 (lower better)          → 100, NA, 0, 50
///   C: 1,3,2,4                            → 0, 66.67, 33.33, 100
/// P1 = (2A + B)/3 over present values (U2: A alone) → 100/3, 25, 100/3, 250/3
/// P2 = C                                  → 0, 200/3, 100/3, 100
/// Index = (3·P1 + P2)/4                   → 25, 425/12 = 35.417, 100/3, 87.5
/// Rank on Index                           → 4, 2, 3, 1
const EXPECTED: [[f64; 4]; 4] = [
    [100.0 / 3.0, 0.0, 25.0, 4.0],
    [25.0, 200.0 / 3.0, 425.0 / 12.0, 2.0],
    [100.0 / 3.0, 100.0 / 3.0, 100.0 / 3.0, 3.0],
    [250.0 / 3.0, 100.0, 87.5, 1.0],
];
const UNITS: [(&str, &str); 4] = [("U1", "Unit one"), ("U2", "Unit two"), ("U3", "Unit three"), ("U4", "Unit four")];

pub(crate) fn example() -> Dir {
    Dir::new(&[("meta.csv", META), ("data.csv", DATA)])
}

pub(crate) const INDEX: [&str; 5] = ["index", "--data", "data.csv", "--meta", "meta.csv"];

pub(crate) fn with<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    INDEX.iter().copied().chain(extra.iter().copied()).collect()
}

fn assert_scores(csv: &str, expected: &[[f64; 4]; 4]) {
    let (header, rows) = table(csv);
    assert_eq!(header[..6], ["uCode", "uName", "P1", "P2", "Index", "Rank"]);
    assert_eq!(rows.len(), 4, "{csv}");
    for (row, ((code, name), want)) in rows.iter().zip(UNITS.iter().zip(expected)) {
        assert_eq!((row[0].as_str(), row[1].as_str()), (*code, *name));
        for (cell, w) in row[2..6].iter().zip(want) {
            assert!(close(num(cell), *w, 1e-9), "{code}: {cell} vs {w}\n{csv}");
        }
    }
}

#[test]
fn index_minmax_weighted_mean() {
    let dir = example();
    assert_scores(&dir.ok(&INDEX), &EXPECTED);
}

#[test]
fn index_json_and_out_file() {
    let dir = example();
    let json: Value = serde_json::from_str(&dir.ok(&with(&["--format", "json"]))).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    for (row, ((code, name), want)) in rows.iter().zip(UNITS.iter().zip(&EXPECTED)) {
        let keys: Vec<&str> = row.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 6, "{row}");
        for k in ["uCode", "uName", "P1", "P2", "Index", "Rank"] {
            assert!(keys.contains(&k), "{row}");
        }
        assert_eq!((row["uCode"].as_str().unwrap(), row["uName"].as_str().unwrap()), (*code, *name));
        for (k, w) in ["P1", "P2", "Index", "Rank"].iter().zip(want) {
            assert!(close(row[*k].as_f64().unwrap(), *w, 1e-9), "{code} {k}: {row}");
        }
    }

    let printed = dir.ok(&INDEX);
    let out = dir.jili(&with(&["--out", "scores.csv"]));
    assert!(out.status.success() && out.stdout.is_empty(), "{}", stderr(&out));
    assert!(stderr(&out).contains("scores.csv") && stderr(&out).contains("4 个单位"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.path().join("scores.csv")).unwrap(), printed);
}

#[test]
fn index_zscore() {
    // z-scores with the sample standard deviation (as R's sd), sign flipped for B:
    //   A: mean 27.5, sd √(875/3);  B: 5,15,10 → mean 10, sd 5 → +1, NA, −1, 0;
    //   C: mean 2.5, sd √(5/3).  Then the same weighted means as above.
    let (sa, sc) = ((875.0f64 / 3.0).sqrt(), (5.0f64 / 3.0).sqrt());
    let a = [10.0, 20.0, 30.0, 50.0].map(|x| (x - 27.5) / sa);
    let b = [Some(1.0), None, Some(-1.0), Some(0.0)];
    let c = [1.0, 3.0, 2.0, 4.0].map(|x| (x - 2.5) / sc);
    let ranks = [4.0, 2.0, 3.0, 1.0];
    let expected: Vec<[f64; 4]> = (0..4)
        .map(|u| {
            let p1 = b[u].map_or(a[u], |b| (2.0 * a[u] + b) / 3.0);
            [p1, c[u], (3.0 * p1 + c[u]) / 4.0, ranks[u]]
        })
        .collect();
    let dir = example();
    assert_scores(&dir.ok(&with(&["--normalise", "zscore"])), &expected.try_into().unwrap());
}

#[test]
fn index_uncertainty_is_reproducible() {
    let dir = example();
    let args = with(&["--uncertainty", "50", "--seed", "1"]);
    let first = dir.ok(&args);
    assert_eq!(dir.ok(&args), first, "same seed, same output");
    let (header, rows) = table(&first);
    assert_eq!(header, ["uCode", "uName", "P1", "P2", "Index", "Rank", "RankMedian", "RankQ05", "RankQ95"]);
    assert_scores(&first, &EXPECTED);
    for row in &rows {
        let (median, q05, q95) = (num(&row[6]), num(&row[7]), num(&row[8]));
        assert!((1.0..=4.0).contains(&q05) && q05 <= median && median <= q95 && q95 <= 4.0, "{row:?}");
    }
}

// ---- jili index on a panel ------------------------------------------------------------------

const PANEL_META: &str = "Level,iCode,iName,Direction,Weight,Parent,Type\n\
                          1,a,A,1,1,Index,Indicator\n1,b,B,1,1,Index,Indicator\n\
                          2,Index,Index,1,,,Aggregate\n";
/// Two years; in 2021 every value of `a` and `b` lies on a wider range than in 2020.
const PANEL_DATA: &str = "uCode,uName,Time,a,b\nX,x,2020,0,10\nY,y,2020,10,0\nZ,z,2020,5,5\n\
                          X,x,2021,20,20\nY,y,2021,10,10\nZ,z,2021,0,0\n";

fn panel_scores(dir: &Dir, extra: &[&str]) -> Vec<(String, f64, f64, f64)> {
    let mut args = vec!["index", "--data", "data.csv", "--meta", "meta.csv", "--format", "json"];
    args.extend_from_slice(extra);
    let json: Value = serde_json::from_str(&dir.ok(&args)).unwrap();
    json.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let time = r["Time"].as_f64().unwrap_or(f64::NAN);
            (r["uCode"].as_str().unwrap().to_string(), time, r["Index"].as_f64().unwrap(), r["Rank"].as_f64().unwrap())
        })
        .collect()
}

#[test]
fn index_builds_a_panel_year_by_year_or_on_pooled_bounds() {
    let dir = Dir::new(&[("meta.csv", PANEL_META), ("data.csv", PANEL_DATA)]);
    // Each year on its own bounds: in 2020 every unit scores 50; in 2021 X 100, Y 50, Z 0.
    let by_year = panel_scores(&dir, &["--time", "all"]);
    let want = [
        ("X", 2020.0, 50.0, 1.0),
        ("Y", 2020.0, 50.0, 1.0),
        ("Z", 2020.0, 50.0, 1.0),
        ("X", 2021.0, 100.0, 1.0),
        ("Y", 2021.0, 50.0, 2.0),
        ("Z", 2021.0, 0.0, 3.0),
    ];
    assert_eq!(by_year.len(), 6);
    for (got, want) in by_year.iter().zip(want) {
        assert_eq!(got.0, want.0);
        assert!(close(got.1, want.1, 0.0) && close(got.2, want.2, 1e-9) && close(got.3, want.3, 0.0), "{got:?}");
    }
    // Pooled: 2020's values sit at 0–50 of the two years' range, so every 2020 unit scores 25.
    let pooled = panel_scores(&dir, &["--time", "all", "--bounds", "pooled"]);
    assert!(pooled[..3].iter().all(|r| close(r.2, 25.0, 1e-9) && close(r.3, 1.0, 0.0)), "{pooled:?}");
    assert!(close(pooled[3].2, 100.0, 1e-9) && close(pooled[5].2, 0.0, 1e-9), "{pooled:?}");
    // One year, and the latest (the default) without a Time column.
    let one = panel_scores(&dir, &["--time", "2021"]);
    assert_eq!(one.iter().map(|r| r.2).collect::<Vec<_>>(), [100.0, 50.0, 0.0]);
    let latest = panel_scores(&dir, &[]);
    assert!(latest.iter().all(|r| r.1.is_nan()) && latest.len() == 3, "{latest:?}");
    // A year the data lacks, and panels with uncertainty, are refused with what to do.
    let out = dir.jili(&["index", "--data", "data.csv", "--meta", "meta.csv", "--time", "2019"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("Time 为 2019"));
    let out = dir.jili(&["index", "--data", "data.csv", "--meta", "meta.csv", "--time", "all", "--uncertainty", "10"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--time 年份"));
}

// ---- jili index on COINr's ASEM data ---------------------------------------------------------

/// COINr's ASEM tables (`asem_iData.csv`, `asem_iMeta.csv`): not in the repository. Read from
/// `JILI_ASEM_DIR`, else from `../shared/peers/asem` beside the checkout; `None` (and a note)
/// where neither has them.
pub(crate) fn asem() -> Option<(String, String)> {
    let dirs = [
        std::env::var("JILI_ASEM_DIR").ok().map(std::path::PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/peers/asem")),
    ];
    for dir in dirs.into_iter().flatten() {
        let (data, meta) = (dir.join("asem_iData.csv"), dir.join("asem_iMeta.csv"));
        if data.is_file() && meta.is_file() {
            return Some((data.display().to_string(), meta.display().to_string()));
        }
    }
    eprintln!("skipped: COINr's ASEM data not found (set JILI_ASEM_DIR; it is not in the repository)");
    None
}

/// A fixture COINr wrote (`scripts/peers/coinr/`): `#` lines say how, then a CSV table.
pub(crate) fn coinr_fixture(name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/tests/fixtures/coinr").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    table(&body.join("\n"))
}

#[test]
fn index_on_coinr_asem() {
    let Some((data, meta)) = asem() else { return };
    let (header, rows) = table(&std::fs::read_to_string(&meta).unwrap());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let aggregates: Vec<&str> =
        rows.iter().filter(|r| r[col("Type")] == "Aggregate").map(|r| r[col("iCode")].as_str()).collect();
    assert_eq!(aggregates.len(), 11);

    let dir = Dir::new(&[]);
    let args = ["index", "--data", &data, "--meta", &meta, "--format", "json"];
    let json: Value = serde_json::from_str(&dir.ok(&args)).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 51);
    let mut scored: Vec<(f64, u32)> = Vec::new();
    for row in rows {
        assert!(!row["uCode"].as_str().unwrap().is_empty() && row["uName"].is_string(), "{row}");
        for a in &aggregates {
            let x = row[*a].as_f64().unwrap_or_else(|| panic!("{a} missing in {row}"));
            assert!((0.0..=100.0).contains(&x), "{a} = {x}");
        }
        let rank = row["Rank"].as_f64().unwrap();
        assert!(rank.fract() == 0.0 && (1.0..=51.0).contains(&rank), "{rank}");
        scored.push((row["Index"].as_f64().unwrap(), rank as u32));
    }
    // Competition ranks: sorted by score (best first), each rank is its place or its tied
    // predecessor's.
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (place, w) in scored.iter().enumerate() {
        let tied = place > 0 && scored[place - 1].0.total_cmp(&w.0).is_eq();
        let want = if tied { scored[place - 1].1 } else { place as u32 + 1 };
        assert_eq!(w.1, want, "place {place}: {scored:?}");
    }
}

/// COINr's whole worked example, `build_example_coin()`: denominate by iMeta's Denominator,
/// impute by the EurAsia group's mean, screen at 90% data, winsorise up to 5 points, min-max
/// 0–100, arithmetic means. Every unit's Index and every aggregate as COINr 1.1.14 computed
/// them (crates/engine/tests/fixtures/coinr/example_index.csv), to 1e-6.
#[test]
fn index_reproduces_coinr_build_example_coin() {
    let Some((data, meta)) = asem() else { return };
    let dir = Dir::new(&[]);
    let args = [
        "index",
        "--data",
        &data,
        "--meta",
        &meta,
        "--denominate",
        "--impute",
        "group-mean:EurAsia_group",
        "--screen",
        "0.9",
        "--treat",
        "winsorise:5",
        "--format",
        "json",
    ];
    let out = dir.jili(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // What the steps did, as COINr reports it: 65 cells filled, no unit dropped, 15 indicators
    // winsorised, none log-transformed.
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("补齐：65 个缺失值") && !said.contains("剔除") && !said.contains("对数"), "{said}");
    let (_, treatment) = coinr_fixture("example_treatment.csv");
    let treated: Vec<&Vec<String>> = treatment.iter().filter(|r| r[1] == "TRUE").collect();
    assert_eq!(treated.len(), 15);
    for r in &treated {
        assert!(said.contains(&format!("缩尾：{} {} 个值", r[0], r[4])), "{} {}: {said}", r[0], r[4]);
    }
    let json: Value = serde_json::from_str(&String::from_utf8_lossy(&out.stdout)).unwrap();
    let ours: std::collections::BTreeMap<&str, &Value> =
        json.as_array().unwrap().iter().map(|r| (r["uCode"].as_str().unwrap(), r)).collect();
    let (header, expected) = coinr_fixture("example_index.csv");
    assert_eq!(expected.len(), 51);
    assert_eq!(ours.len(), 51);
    for row in &expected {
        let unit = ours.get(row[0].as_str()).unwrap_or_else(|| panic!("{} missing", row[0]));
        for (k, name) in header.iter().enumerate().skip(3) {
            let (got, want) = (unit[name.as_str()].as_f64().unwrap(), num(&row[k]));
            assert!(close(got, want, 1e-6), "{} {name}: jili {got}, COINr {want}", row[0]);
        }
        assert_eq!(unit["Rank"].as_f64().map(|r| r as u64), row[2].parse::<u64>().ok(), "{} rank", row[0]);
    }
}

/// `--analyse` on the worked example: every aggregate's Cronbach's alpha and every indicator's
/// correlation with its pillar as COINr's `get_cronbach` and `cor` give them
/// (fixtures/coinr/example_checks.csv), and the indicators that run against their pillar flagged.
#[test]
fn index_analyse_matches_coinr_checks() {
    let Some((data, meta)) = asem() else { return };
    let dir = Dir::new(&[]);
    let args = [
        "index",
        "--data",
        &data,
        "--meta",
        &meta,
        "--denominate",
        "--impute",
        "group-mean:EurAsia_group",
        "--screen",
        "0.9",
        "--treat",
        "winsorise:5",
        "--analyse",
        "--format",
        "json",
    ];
    let json: Value = serde_json::from_str(&dir.ok(&args)).unwrap();
    let ours: std::collections::BTreeMap<&str, &Value> =
        json.as_array().unwrap().iter().map(|r| (r["iCode"].as_str().unwrap(), r)).collect();
    let (_, expected) = coinr_fixture("example_checks.csv");
    assert_eq!(expected.len(), 11 + 49);
    for row in &expected {
        let node = ours.get(row[0].as_str()).unwrap_or_else(|| panic!("{} missing", row[0]));
        let (column, want) = (row[1].as_str(), num(&row[3]));
        let got = node[column].as_f64().unwrap_or_else(|| panic!("{} {column}: {node}", row[0]));
        assert!(close(got, want, 1e-9), "{} {column}: jili {got}, COINr {want}", row[0]);
        if column == "CorrParent" {
            assert_eq!(node["Parent"].as_str(), Some(row[2].as_str()));
            assert_eq!(node["Flag"].as_str() == Some("负相关"), want < 0.0, "{node}");
        }
    }
}

/// COINr's artificial ASEM panel (`ASEM_iData_p`, 51 units × 2018–2022), where the analyst
/// exported it beside the ASEM tables (`scripts/peers/coinr/export_panel_input.R`): every year's
/// Index and aggregates as COINr builds the panel with pooled (`global = TRUE`) and per-year
/// bounds, to 1e-9, and the ranks within each year.
#[test]
fn index_panel_matches_coinr_pooled_and_per_year() {
    let Some((_, meta)) = asem() else { return };
    let panel = Path::new(&meta).with_file_name("asem_iData_p.csv");
    if !panel.is_file() {
        eprintln!("skipped: {} not found (export it with scripts/peers/coinr/export_panel_input.R)", panel.display());
        return;
    }
    let dir = Dir::new(&[]);
    let data = panel.display().to_string();
    for (bounds, fixture) in [("pooled", "panel_default_pooled.csv"), ("year", "panel_default_peryear.csv")] {
        let args = ["index", "--data", &data, "--meta", &meta, "--time", "all", "--bounds", bounds, "--format", "json"];
        let json: Value = serde_json::from_str(&dir.ok(&args)).unwrap();
        let ours: std::collections::BTreeMap<(String, i64), &Value> = json
            .as_array()
            .unwrap()
            .iter()
            .map(|r| ((r["uCode"].as_str().unwrap().to_string(), r["Time"].as_f64().unwrap() as i64), r))
            .collect();
        let (header, expected) = coinr_fixture(fixture);
        assert_eq!((expected.len(), ours.len()), (255, 255));
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        for row in &expected {
            let key = (row[at("uCode")].clone(), row[at("Time")].parse::<i64>().unwrap());
            let unit = ours[&key];
            for (k, name) in header.iter().enumerate() {
                if ["uCode", "uName", "Time", "Rank"].contains(&name.as_str()) || row[k] == "NA" {
                    continue;
                }
                let (got, want) = (unit[name.as_str()].as_f64().unwrap(), num(&row[k]));
                assert!(close(got, want, 1e-9), "{bounds} {key:?} {name}: jili {got}, COINr {want}");
            }
            assert_eq!(unit["Rank"].as_f64().map(|r| r as i64), row[at("Rank")].parse::<i64>().ok(), "{key:?}");
        }
    }
}

// ---- jili mcda -------------------------------------------------------------------------------

/// Tzeng & Huang (2011), the TOPSIS example.
const TZENG: &str = "alternative,C1,C2,C3\nA1,5,8,4\nA2,7,6,8\nA3,8,8,6\nA4,7,4,6\n";
/// Xu (2004), the entropy-weight example.
const XU: &str = "alternative,C1,C2,C3,C4\nA1,30,30,38,29\nA2,19,54,86,29\nA3,19,15,85,28.9\nA4,68,70,60,29\n";

fn mcda_dir() -> Dir {
    Dir::new(&[("tzeng.csv", TZENG), ("xu.csv", XU)])
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

fn all_close(actual: &[f64], expected: &[f64], tol: f64) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    assert!(actual.iter().zip(expected).all(|(a, e)| close(*a, *e, tol)), "{actual:?} vs {expected:?}");
}

const TOPSIS: [&str; 9] =
    ["mcda", "--matrix", "tzeng.csv", "--types", "max,max,max", "--weights", "0.3,0.4,0.3", "--method", "topsis"];

#[test]
fn mcda_topsis_tzeng_huang() {
    let dir = mcda_dir();
    let json: Value = serde_json::from_str(&dir.ok(&TOPSIS)).unwrap();
    let mut keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["ranking", "scores", "weights"]);
    all_close(&floats(&json["weights"]), &[0.3, 0.4, 0.3], 1e-12);
    all_close(&floats(&json["scores"]), &[0.5037, 0.6581, 0.7482, 0.3340], 5e-5);
    assert_eq!(floats(&json["ranking"]), [3.0, 2.0, 1.0, 4.0]);
}

#[test]
fn mcda_entropy_weights_xu() {
    let dir = mcda_dir();
    let args =
        ["mcda", "--matrix", "xu.csv", "--types", "max,max,max,max", "--weights", "entropy", "--method", "topsis"];
    let json: Value = serde_json::from_str(&dir.ok(&args)).unwrap();
    all_close(&floats(&json["weights"]), &[0.4630, 0.3992, 0.1378, 0.0000], 5e-5);
}

#[test]
fn mcda_vikor_adds_s_and_r() {
    let dir = mcda_dir();
    let mut args = TOPSIS;
    args[8] = "vikor";
    let json: Value = serde_json::from_str(&dir.ok(&args)).unwrap();
    let mut keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["R", "S", "ranking", "scores", "weights"]);
    let (q, s, r) = (floats(&json["scores"]), floats(&json["S"]), floats(&json["R"]));
    // Q = ½(S − S*)/(S⁻ − S*) + ½(R − R*)/(R⁻ − R*); lower is better.
    let span = |xs: &[f64]| xs.iter().fold((f64::MAX, f64::MIN), |(lo, hi), x| (lo.min(*x), hi.max(*x)));
    let ((s0, s1), (r0, r1)) = (span(&s), span(&r));
    let want: Vec<f64> =
        s.iter().zip(&r).map(|(s, r)| 0.5 * (s - s0) / (s1 - s0) + 0.5 * (r - r0) / (r1 - r0)).collect();
    all_close(&q, &want, 1e-9);
    assert!(s.iter().zip(&r).all(|(s, r)| s >= r), "S sums what R maximises: {s:?} {r:?}");
    let ranking: Vec<u64> = json["ranking"].as_array().unwrap().iter().map(|k| k.as_u64().unwrap()).collect();
    let best = q.iter().copied().fold(f64::MAX, f64::min);
    assert!(q.iter().zip(&ranking).all(|(q, k)| q.total_cmp(&best).is_eq() == (*k == 1)), "{q:?} {ranking:?}");
}

#[test]
fn mcda_csv_output() {
    let dir = mcda_dir();
    let out = dir.jili(&[&TOPSIS[..], &["--format", "csv"][..]].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    let (header, rows) = table(&String::from_utf8(out.stdout.clone()).unwrap());
    assert_eq!(header, ["alternative", "score", "ranking"]);
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["A1", "A2", "A3", "A4"]);
    let scores: Vec<f64> = rows.iter().map(|r| num(&r[1])).collect();
    all_close(&scores, &[0.5037, 0.6581, 0.7482, 0.3340], 5e-5);
    let ranking: Vec<f64> = rows.iter().map(|r| num(&r[2])).collect();
    assert_eq!(ranking, [3.0, 2.0, 1.0, 4.0]);
    assert!(stderr(&out).contains("权重：0.300000, 0.400000, 0.300000"), "{}", stderr(&out));
}

// ---- bad input -------------------------------------------------------------------------------

#[test]
fn bad_input_fails_with_a_clear_message() {
    let dir = mcda_dir();
    std::fs::write(dir.path().join("text.csv"), "alternative,C1,C2\nA1,1,2\nA2,lots,3\n").unwrap();
    let mut args = TOPSIS;

    args[2] = "nope.csv";
    let e = dir.fails(&args);
    assert!(e.contains("无法读取文件 nope.csv"), "{e}");
    let e = dir.fails(&["index", "--data", "nope.csv", "--meta", "tzeng.csv"]);
    assert!(e.contains("无法读取文件 nope.csv"), "{e}");

    args = TOPSIS;
    args[4] = "max,max";
    let e = dir.fails(&args);
    assert!(e.contains("--types 给了 2 个方向，矩阵有 3 个准则"), "{e}");

    args = TOPSIS;
    args[8] = "electre";
    let e = dir.fails(&args);
    assert!(e.contains("--method“electre”应为 topsis、vikor、wsm 或 wpm"), "{e}");

    args = TOPSIS;
    args[2] = "text.csv";
    args[4] = "max,max";
    args[6] = "0.5,0.5";
    let e = dir.fails(&args);
    assert!(e.contains("文件 text.csv 第 3 行 第 2 列 字段 C1：“lots”不是数值"), "{e}");

    // iMeta where iData was expected, and the other way round.
    let dir = example();
    let e = dir.fails(&["index", "--data", "meta.csv", "--meta", "data.csv"]);
    assert!(e.contains("文件 data.csv 第 1 行") && e.contains("缺少“Level”列"), "{e}");
}

/// Bug: a negative, NaN or infinite weight is reported as "all weights are zero".
#[test]
fn a_bad_given_weight_is_named() {
    let dir = mcda_dir();
    for w in ["--weights=-1,1,1", "--weights=nan,1,1", "--weights=inf,1,1"] {
        let e = dir.fails(&["mcda", "--matrix", "tzeng.csv", "--types", "max,max,max", w, "--method", "topsis"]);
        assert!(!e.contains("全部为零"), "{w}: {e}");
    }
}

/// Bug: weights whose sum overflows are all divided by infinity, and the run succeeds with every
/// weight 0 and every alternative tied.
#[test]
fn huge_given_weights_do_not_become_zero() {
    let dir = mcda_dir();
    let mut args = TOPSIS;
    args[6] = "1e308,1e308,1";
    let out = dir.jili(&args);
    if out.status.success() {
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        all_close(&floats(&json["weights"]), &[0.5, 0.5, 0.0], 1e-9);
    }
}
