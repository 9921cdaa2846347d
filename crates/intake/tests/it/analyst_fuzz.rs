//! The analyst readers (COINr's iMeta/iData, the MCDA matrix): property tests that they never
//! panic and always say where a problem is, then examples of the errors an analyst meets.

#![allow(clippy::unwrap_used)] // helpers outside #[test] fns unwrap too: a panic is a failing test

use jili_intake::IntakeError;
use jili_intake::analyst::{read_idata, read_imeta, read_matrix};
use jili_model::composite::{Composite, NodeKind};
use proptest::prelude::*;

const META: &str = "Level,iCode,iName,Direction,Weight,Parent,Type\n\
                    1,A,Alpha,1,2,P1,Indicator\n\
                    1,B,Beta,-1,1,P1,Indicator\n\
                    1,C,Gamma,1,1,P2,Indicator\n\
                    2,P1,Pillar one,1,3,Index,Aggregate\n\
                    2,P2,Pillar two,1,1,Index,Aggregate\n\
                    3,Index,Index,1,1,,Aggregate\n";
const DATA: &str = "uCode,uName,Time,A,B,C\nU1,One,2020,10,5,1\nU2,Two,2020,20,NA,3\nU3,Three,2020,30,15,2\n";
const MATRIX: &str = "alternative,C1,C2,C3\nA1,5,8,4\nA2,7,6,8\nA3,8,8,6\nA4,7,4,6\n";

/// Every header the readers know, plus the example's codes.
const HEADERS: &[&str] = &[
    "Level",
    "iCode",
    "iName",
    "Direction",
    "Weight",
    "Parent",
    "Type",
    "Normalise",
    "NormLow",
    "NormHigh",
    "Target",
    "Log",
    "Aggregate",
    "WeightMethod",
    "uCode",
    "uName",
    "Time",
    "A",
    "B",
    "C",
    "alternative",
    "C1",
    "level",
    "",
];
/// Cells that mean something to some reader, and many that do not.
const CELLS: &[&str] = &[
    "",
    "NA",
    "NaN",
    "#N/A",
    "1",
    "-1",
    "0",
    "2",
    "1.0",
    "-1.0",
    "3",
    "1e308",
    "1e309",
    "-1e400",
    "inf",
    "abc",
    "1,000",
    "\"a, b\"",
    "\"say \"\"hi\"\"\"",
    "\"open",
    "Indicator",
    "Aggregate",
    "Group",
    "Other",
    "A",
    "B",
    "C",
    "P1",
    "P2",
    "Index",
    "goalposts",
    "target",
    "zscore",
    "bogus",
    "TRUE",
    "maybe",
    "gmean",
    "entropy",
    "中文",
    "  7 ",
    "18446744073709551616",
    "U1",
    "2020",
];

fn tree() -> Composite {
    read_imeta("m.csv", META.as_bytes()).unwrap()
}

fn lines_of(bytes: &[u8]) -> usize {
    // As the readers count them: LF, CRLF and a lone CR each end a line.
    let lone_cr =
        bytes.windows(2).filter(|w| w[0] == b'\r' && w[1] != b'\n').count() + usize::from(bytes.last() == Some(&b'\r'));
    bytes.iter().filter(|b| **b == b'\n').count() + lone_cr + 1
}

/// Every problem is in `name`, its Display says so, and a line (if any) is in the file.
fn check_located(err: &IntakeError, name: &str, bytes: &[u8]) {
    let max_line = lines_of(bytes);
    let whole = err.to_string();
    for p in err.problems() {
        let IntakeError::At { at, .. } = p else { unreachable!("problems() flattens") };
        let text = p.to_string();
        assert_eq!(at.file, name);
        assert!(text.starts_with(&format!("文件 {name}")), "{text}");
        assert!(whole.contains(&text), "{whole} lacks {text}");
        if let Some(line) = at.line {
            assert!((1..=max_line).contains(&(line as usize)), "line {line} of {max_line}: {text}");
            assert!(text.contains(&format!("第 {line} 行")), "{text}");
        }
    }
}

/// What a successful read promises the engine.
fn check_tree(c: &Composite) {
    let last = c.nodes.len() - 1;
    assert_eq!(c.root(), last);
    assert!(c.nodes[last].parent.is_none() && matches!(c.nodes[last].kind, NodeKind::Aggregate(_)));
    for (i, n) in c.nodes.iter().enumerate().take(last) {
        let p = n.parent.expect("only the root has no parent");
        assert!(p > i && p <= last, "children come before parents");
        assert!(matches!(c.nodes[p].kind, NodeKind::Aggregate(_)) && c.nodes[p].level > n.level);
        assert!(n.weight >= 0.0 && n.weight.is_finite());
    }
    for (i, n) in c.nodes.iter().enumerate() {
        if matches!(n.kind, NodeKind::Aggregate(_)) {
            assert!(!c.children(i).is_empty(), "{} has children", n.code);
        }
    }
}

/// A CSV built from known headers and cells: some rows too short or too long, maybe a BOM,
/// maybe CRLF.
fn structured() -> impl Strategy<Value = Vec<u8>> {
    let header = proptest::collection::vec(proptest::sample::select(HEADERS), 1..9);
    let cell = prop_oneof![
        4 => proptest::sample::select(CELLS).prop_map(str::to_string),
        1 => any::<f64>().prop_map(|x| x.to_string()),
        1 => "[a-zA-Z0-9 .,\"-]{0,6}",
    ];
    let rows = proptest::collection::vec(proptest::collection::vec(cell, 0..10), 0..8);
    (header, rows, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(h, rows, bom, crlf, ragged)| {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        if bom {
            text.push('\u{feff}');
        }
        text.push_str(&h.join(","));
        text.push_str(end);
        for mut r in rows {
            if !ragged {
                r.resize(h.len(), "1".into());
            }
            text.push_str(&r.join(","));
            text.push_str(end);
        }
        text.into_bytes()
    })
}

/// A valid file with one byte range replaced by arbitrary bytes.
fn mutated(base: &'static str) -> impl Strategy<Value = Vec<u8>> {
    (0..base.len(), 0usize..20, proptest::collection::vec(any::<u8>(), 0..12)).prop_map(move |(at, cut, insert)| {
        let mut bytes = base.as_bytes().to_vec();
        let end = (at + cut).min(bytes.len());
        bytes.splice(at..end, insert);
        bytes
    })
}

/// Run all three readers on `bytes`, checking errors and successes.
fn read_all(bytes: &[u8]) {
    match read_imeta("meta.csv", bytes) {
        Ok(c) => {
            check_tree(&c);
            // The tree it describes, read against the same bytes as iData.
            if let Err(e) = read_idata("data.csv", bytes, &c) {
                check_located(&e, "data.csv", bytes);
            }
        }
        Err(e) => check_located(&e, "meta.csv", bytes),
    }
    match read_idata("data.csv", bytes, &tree()) {
        Ok(t) => {
            assert_eq!(t.columns.len(), 3);
            assert!(t.columns.iter().all(|c| c.len() == t.codes.len()) && t.names.len() == t.codes.len());
            assert!(!t.codes.is_empty() && t.codes.iter().all(|c| !c.is_empty()));
            let mut unique = t.codes.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), t.codes.len(), "one row per unit");
        }
        Err(e) => check_located(&e, "data.csv", bytes),
    }
    match read_matrix("x.csv", bytes) {
        Ok(m) => {
            assert!(m.alternatives.len() >= 2 && m.columns.len() == m.criteria.len());
            assert!(m.columns.iter().all(|c| c.len() == m.alternatives.len() && c.iter().all(|x| x.is_finite())));
        }
        Err(e) => check_located(&e, "x.csv", bytes),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_bytes_at_all(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        read_all(&bytes);
    }

    #[test]
    fn structured_csv(bytes in structured()) {
        read_all(&bytes);
    }

    #[test]
    fn mutated_meta(bytes in mutated(META)) {
        read_all(&bytes);
    }

    #[test]
    fn mutated_data(bytes in mutated(DATA)) {
        read_all(&bytes);
    }

    #[test]
    fn mutated_matrix(bytes in mutated(MATRIX)) {
        read_all(&bytes);
    }
}

// ---- examples -------------------------------------------------------------------------------

/// Found by `mutated_meta`: a last line ending in a lone CR and a NUL is line 8 of a file whose
/// LFs alone count 7; the reader is right (a lone CR ends a line), the check had counted wrong.
#[test]
fn a_lone_carriage_return_ends_a_line_for_the_location_check() {
    let mut bytes = b"Level,iCode,iName,Direction,Weight,Parent,Type\n1,A,Alpha,1,2,P1,Indicator\n1,B,Beta,-1,1,P1,Indicator\n1,C,Gamma,1,1,P2,Indicator\n2,P1,Pillar one,1,3,Index,Aggregate\n2,P2,Pillar two,1,1,Index,Aggregate\n3,Index,Index,1,1,,Aggre".to_vec();
    bytes.extend_from_slice(b"\r\0");
    assert_eq!(lines_of(&bytes), 8);
    read_all(&bytes);
}

fn meta_err(text: &str) -> String {
    let e = read_imeta("m.csv", text.as_bytes()).unwrap_err();
    check_located(&e, "m.csv", text.as_bytes());
    e.to_string()
}

fn data_err(text: &str) -> String {
    let e = read_idata("d.csv", text.as_bytes(), &tree()).unwrap_err();
    check_located(&e, "d.csv", text.as_bytes());
    e.to_string()
}

#[test]
fn the_examples_read() {
    let c = tree();
    check_tree(&c);
    let codes: Vec<&str> = c.nodes.iter().map(|n| n.code.as_str()).collect();
    assert_eq!(codes, ["A", "B", "C", "P1", "P2", "Index"]);
    let t = read_idata("d.csv", DATA.as_bytes(), &c).unwrap();
    assert_eq!(t.codes, ["U1", "U2", "U3"]);
    assert!(t.columns[1][1].is_nan());
    let m = read_matrix("x.csv", MATRIX.as_bytes()).unwrap();
    assert_eq!(m.criteria, ["C1", "C2", "C3"]);
}

#[test]
fn imeta_unknown_parent() {
    let e = meta_err(&META.replace("1,C,Gamma,1,1,P2", "1,C,Gamma,1,1,Nope"));
    // C was P2's only child, so P2 is also reported.
    assert!(
        e.contains("文件 m.csv 第 4 行 第 6 列 字段 Parent：上级“Nope”不在 iMeta 的 Indicator/Aggregate 行中"),
        "{e}"
    );
    assert!(e.contains("文件 m.csv 第 6 行 第 2 列 字段 iCode：合成指标 P2 没有下级"), "{e}");
}

#[test]
fn imeta_two_roots() {
    let e = meta_err(&META.replace("2,P2,Pillar two,1,1,Index", "2,P2,Pillar two,1,1,"));
    assert!(e.contains("文件 m.csv 第 6 行 第 6 列 字段 Parent"), "{e}");
    assert!(e.contains("应恰好有一个顶层（Parent 为空）的合成指标，现有 2：P2、Index"), "{e}");
}

#[test]
fn imeta_parent_at_a_lower_level() {
    // P2 claims P1 (level 2) as parent while itself at level 3.
    let e = meta_err(&META.replace("2,P2,Pillar two,1,1,Index", "3,P2,Pillar two,1,1,P1"));
    assert_eq!(e, "文件 m.csv 第 6 行 第 1 列 字段 Level：P2 的 Level 3 应低于上级 P1 的 Level 2");
    // A true cycle: P1 and P2 each other's parent; Index is then left without children.
    let cycle = META
        .replace("2,P1,Pillar one,1,3,Index", "2,P1,Pillar one,1,3,P2")
        .replace("2,P2,Pillar two,1,1,Index", "2,P2,Pillar two,1,1,P1");
    let e = meta_err(&cycle);
    assert!(e.contains("第 5 行 第 1 列 字段 Level：P1 的 Level 2 应低于上级 P2 的 Level 2"), "{e}");
    assert!(e.contains("第 6 行 第 1 列 字段 Level：P2 的 Level 2 应低于上级 P1 的 Level 2"), "{e}");
    assert!(e.contains("合成指标 Index 没有下级"), "{e}");
    // A node its own parent.
    let e = meta_err(&META.replace("2,P2,Pillar two,1,1,Index", "2,P2,Pillar two,1,1,P2"));
    assert!(e.contains("P2 的 Level 2 应低于上级 P2 的 Level 2"), "{e}");
}

#[test]
fn imeta_unknown_normalise_code() {
    let text = META
        .replace(",Type\n", ",Type,Normalise\n")
        .replace("Indicator\n", "Indicator,\n")
        .replace("Aggregate\n", "Aggregate,\n");
    let e = meta_err(&text.replace("1,B,Beta,-1,1,P1,Indicator,", "1,B,Beta,-1,1,P1,Indicator,minimax"));
    assert!(
        e.starts_with("文件 m.csv 第 3 行 第 8 列 字段 Normalise：标准化方法“minimax”不认识：可用 minmax、zscore、"),
        "{e}"
    );
}

#[test]
fn imeta_goalposts_without_bounds() {
    let text = META.replace(",Type\n", ",Type,Normalise,NormLow,NormHigh\n").replace("Indicator\n", "Indicator,,,\n");
    let text = text.replace("Aggregate\n", "Aggregate,,,\n");
    let e = meta_err(&text.replace("1,A,Alpha,1,2,P1,Indicator,,,", "1,A,Alpha,1,2,P1,Indicator,goalposts,0,"));
    assert_eq!(
        e,
        "文件 m.csv 第 2 行 第 8 列 字段 Normalise：指标 A 用 goalposts，须在 NormLow 和 NormHigh 列填写上下限"
    );
    // With both bounds it reads.
    let ok = text.replace("1,A,Alpha,1,2,P1,Indicator,,,", "1,A,Alpha,1,2,P1,Indicator,goalposts,0,100");
    let c = read_imeta("m.csv", ok.as_bytes()).unwrap();
    let NodeKind::Indicator(leaf) = &c.nodes[0].kind else { panic!("A is an indicator") };
    assert_eq!((leaf.low, leaf.high), (Some(0.0), Some(100.0)));
}

#[test]
fn idata_missing_an_indicator_column() {
    let e = data_err("uCode,uName,A,B\nU1,One,1,2\nU2,Two,3,4\n");
    assert!(e.contains("文件 d.csv 第 1 行") && e.contains("字段 C"), "{e}");
    assert!(e.ends_with("iMeta 的指标 C 在 iData 中没有同名的列"), "{e}");
}

#[test]
fn idata_duplicate_ucode() {
    let e = data_err("uCode,uName,A,B,C\nU1,One,1,2,3\nU2,Two,3,4,5\nU1,Again,5,6,7\n");
    assert_eq!(e, "文件 d.csv 第 4 行 第 1 列 字段 uCode：单位 U1 与第 2 行重复");
}

#[test]
fn idata_text_in_a_numeric_column() {
    let e = data_err("uCode,uName,A,B,C\nU1,One,1,2,3\nU2,Two,3,about 4,5\n");
    assert_eq!(e, "文件 d.csv 第 3 行 第 4 列 字段 B：“about 4”不是数值：请填写数字，缺失值请留空或写 NA");
}

#[test]
fn matrix_with_a_missing_value() {
    let text = "alternative,C1,C2\nA1,1,2\nA2,NA,3\nA3,4,\n";
    let e = read_matrix("x.csv", text.as_bytes()).unwrap_err();
    check_located(&e, "x.csv", text.as_bytes());
    let e = e.to_string();
    assert!(e.starts_with("共 2 处问题："), "{e}");
    assert!(
        e.contains(
            "文件 x.csv 第 3 行 第 2 列 字段 C1：“NA”不是数值：请填写数字，缺失值请留空或写 NA（决策矩阵不允许缺失值）"
        ),
        "{e}"
    );
    assert!(e.contains("文件 x.csv 第 4 行 第 3 列 字段 C2：“”不是数值"), "{e}");
}

#[test]
fn not_utf8_names_the_line_of_the_bad_byte() {
    let e = read_matrix("x.csv", b"alternative,C1\nA1,1\n\xb1\xb1,2\n").unwrap_err();
    assert_eq!(e.to_string(), "文件 x.csv 第 3 行：不是 UTF-8 编码：请在 Excel/WPS 中另存为“CSV UTF-8”");
}

/// Bug: after a BOM, the line of a non-UTF-8 byte is counted in the bytes *with* the BOM up to
/// an offset measured *without* it, so a bad byte within 3 bytes of a line start is placed on
/// the line before.
#[test]
fn not_utf8_after_a_bom_names_the_line_of_the_bad_byte() {
    let e = read_matrix("x.csv", b"\xEF\xBB\xBFalternative,C1\nA1,1\n\xb1\xb1,2\n").unwrap_err();
    assert_eq!(e.to_string(), "文件 x.csv 第 3 行：不是 UTF-8 编码：请在 Excel/WPS 中另存为“CSV UTF-8”");
}

/// Bug: Excel for Mac's "CSV (Macintosh)" ends lines with a bare CR; the csv crate counts lines
/// by LF only, so every problem is reported on line 1.
#[test]
fn cr_line_endings_name_the_right_line() {
    let e = read_matrix("x.csv", b"alternative,C1\rA1,1\rA2,x\r").unwrap_err();
    assert!(e.to_string().starts_with("文件 x.csv 第 3 行 第 2 列 字段 C1：“x”不是数值"), "{e}");
}
