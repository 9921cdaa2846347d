//! COINr's input tables, so that users of the R package can bring their data to `jili index`:
//! iMeta (the indicator tree) and iData (one row per unit). jili's optional iMeta columns choose
//! the method per indicator and per aggregate; see docs/analyst.md.

use crate::error::IntakeError;
use crate::sheet::{Sheet, is_missing, number};
use jili_model::composite::{Branch, Composite, Leaf, Node, NodeKind, UnitColumns, UnitTable};
use jili_model::pipeline::{Impute, Time, Treat};
use jili_model::{Aggregation, Direction, Normalise, Outlier, WeightMethod};
use std::collections::BTreeMap;

/// A row of iMeta that builds the tree, before ordering.
struct MetaRow {
    line: usize,
    level: u32,
    code: String,
    name: String,
    parent: Option<String>,
    weight: f64,
    kind: NodeKind,
}

/// Read iMeta into a checked tree. Every problem is reported at once.
pub fn read_imeta(file: &str, bytes: &[u8]) -> Result<Composite, IntakeError> {
    let sheet = Sheet::read(file, bytes)?;
    let mut problems = Vec::new();
    let col = |name: &str| sheet.column(name);
    let required: Vec<usize> = ["Level", "iCode", "Direction", "Weight", "Parent", "Type"]
        .iter()
        .filter_map(|h| sheet.require(h).map_err(|e| problems.push(e)).ok())
        .collect();
    if required.len() < 6 {
        return Err(IntakeError::Several(problems).flatten());
    }
    let mut rows: Vec<MetaRow> = Vec::new();
    for (line, cells) in &sheet.rows {
        let line = *line;
        let cell = |name: &str| col(name).map_or("", |c| cells[c].as_str());
        let fail = |problems: &mut Vec<IntakeError>, name: &str, message: String| {
            let at = col(name).map_or_else(|| sheet.at(line, 0), |c| sheet.at(line, c));
            problems.push(IntakeError::at(at, message));
        };
        let kind = cell("Type");
        if !matches!(kind, "Indicator" | "Aggregate") {
            if !matches!(kind, "Group" | "Denominator" | "Other") {
                fail(
                    &mut problems,
                    "Type",
                    format!("Type“{kind}”应为 Indicator、Aggregate、Group、Denominator 或 Other"),
                );
            }
            continue;
        }
        let code = cell("iCode").to_string();
        if code.is_empty() {
            fail(&mut problems, "iCode", "iCode 不能为空".into());
            continue;
        }
        let level = match cell("Level").parse::<u32>() {
            Ok(l) if l >= 1 => l,
            _ => {
                fail(&mut problems, "Level", format!("Level“{}”应为 1 以上的整数", cell("Level")));
                1
            }
        };
        let weight = match number(cell("Weight")) {
            Ok(w) if w >= 0.0 => w,
            Ok(w) => {
                fail(&mut problems, "Weight", format!("权重 {w} 不能为负"));
                0.0
            }
            // The root's weight is never used; R writes it as NA.
            Err(_) if is_missing(cell("Weight")) && kind == "Aggregate" && is_missing(cell("Parent")) => 1.0,
            Err(m) => {
                fail(&mut problems, "Weight", m);
                0.0
            }
        };
        let parent = Some(cell("Parent")).filter(|p| !is_missing(p)).map(str::to_string);
        let optional = |problems: &mut Vec<IntakeError>, name: &str| -> Option<f64> {
            let c = cell(name);
            if is_missing(c) {
                return None;
            }
            number(c).map_err(|m| fail(problems, name, m)).ok()
        };
        let node_kind = if kind == "Indicator" {
            let direction = match cell("Direction") {
                "1" | "1.0" => Direction::Higher,
                "-1" | "-1.0" => Direction::Lower,
                other => {
                    fail(&mut problems, "Direction", format!("Direction“{other}”应为 1（越高越好）或 -1（越低越好）"));
                    Direction::Higher
                }
            };
            let normalise = match cell("Normalise") {
                c if c.is_empty() || is_missing(c) => None,
                c => Normalise::from_code(c).or_else(|| {
                    let all: Vec<&str> = Normalise::ALL.iter().map(|n| n.code()).collect();
                    fail(&mut problems, "Normalise", format!("标准化方法“{c}”不认识：可用 {}", all.join("、")));
                    None
                }),
            };
            let log = match cell("Log") {
                "TRUE" | "true" | "1" => true,
                c if c.is_empty() || is_missing(c) || matches!(c, "FALSE" | "false" | "0") => false,
                other => {
                    fail(&mut problems, "Log", format!("Log“{other}”应为 TRUE 或 FALSE"));
                    false
                }
            };
            let (low, high) = (optional(&mut problems, "NormLow"), optional(&mut problems, "NormHigh"));
            if normalise == Some(Normalise::Goalposts) && (low.is_none() || high.is_none()) {
                fail(
                    &mut problems,
                    "Normalise",
                    format!("指标 {code} 用 goalposts，须在 NormLow 和 NormHigh 列填写上下限"),
                );
            }
            let target = optional(&mut problems, "Target");
            if normalise == Some(Normalise::Target) && target.is_none() {
                fail(&mut problems, "Target", format!("指标 {code} 用 target，须在 Target 列填写目标值"));
            }
            let denominator = Some(cell("Denominator")).filter(|d| !d.is_empty() && !is_missing(d)).map(str::to_string);
            let impute = match cell("Impute") {
                c if c.is_empty() || is_missing(c) => None,
                c => Impute::parse(c).map_err(|m| fail(&mut problems, "Impute", m)).ok(),
            };
            let treat = match cell("Treat") {
                c if c.is_empty() || is_missing(c) => None,
                c => Treat::parse(c).map_err(|m| fail(&mut problems, "Treat", m)).ok(),
            };
            NodeKind::Indicator(Leaf {
                direction,
                normalise,
                low,
                high,
                target,
                outlier: log.then_some(Outlier::Log),
                denominator,
                impute,
                treat,
            })
        } else {
            let aggregate = match cell("Aggregate") {
                c if c.is_empty() || is_missing(c) => Aggregation::Amean,
                c => Aggregation::from_code(c).unwrap_or_else(|| {
                    fail(
                        &mut problems,
                        "Aggregate",
                        format!("合成方法“{c}”不认识：可用 amean、gmean、hmean、median、copeland、topsis、vikor"),
                    );
                    Aggregation::Amean
                }),
            };
            let weights = match cell("WeightMethod") {
                c if c.is_empty() || is_missing(c) => WeightMethod::Fixed,
                c => WeightMethod::from_code(c).unwrap_or_else(|| {
                    fail(
                        &mut problems,
                        "WeightMethod",
                        format!("赋权方法“{c}”不认识：可用 fixed、equal、entropy、critic、sd、merec"),
                    );
                    WeightMethod::Fixed
                }),
            };
            NodeKind::Aggregate(Branch { aggregate, weights })
        };
        rows.push(MetaRow { line, level, code, name: cell("iName").to_string(), parent, weight, kind: node_kind });
    }
    tree(&sheet, rows, problems)
}

/// Order the rows (leaves, then aggregates by level) and check the tree.
fn tree(sheet: &Sheet, rows: Vec<MetaRow>, mut problems: Vec<IntakeError>) -> Result<Composite, IntakeError> {
    let at = |line: usize, name: &str| sheet.at(line, sheet.column(name).unwrap_or(0));
    let mut seen = BTreeMap::new();
    for r in &rows {
        if let Some(first) = seen.insert(r.code.clone(), r.line) {
            problems.push(IntakeError::at(at(r.line, "iCode"), format!("iCode“{}”与第 {first} 行重复", r.code)));
        }
    }
    let mut order: Vec<&MetaRow> = rows.iter().filter(|r| matches!(r.kind, NodeKind::Indicator(_))).collect();
    let mut aggregates: Vec<&MetaRow> = rows.iter().filter(|r| matches!(r.kind, NodeKind::Aggregate(_))).collect();
    aggregates.sort_by_key(|r| r.level);
    order.extend(aggregates);
    let index: BTreeMap<&str, usize> = order.iter().enumerate().map(|(i, r)| (r.code.as_str(), i)).collect();
    let roots: Vec<&&MetaRow> = order.iter().filter(|r| r.parent.is_none()).collect();
    if order.iter().all(|r| matches!(r.kind, NodeKind::Indicator(_))) {
        problems.push(IntakeError::at(at(1, "Type"), "iMeta 中没有 Type 为 Aggregate 的行：至少需要一个顶层合成指标"));
    } else if roots.len() != 1 {
        let codes: Vec<&str> = roots.iter().map(|r| r.code.as_str()).collect();
        problems.push(IntakeError::at(
            at(roots.first().map_or(1, |r| r.line), "Parent"),
            format!("应恰好有一个顶层（Parent 为空）的合成指标，现有 {}：{}", roots.len(), codes.join("、")),
        ));
    } else if matches!(roots[0].kind, NodeKind::Indicator(_)) {
        problems.push(IntakeError::at(
            at(roots[0].line, "Parent"),
            format!("指标 {} 没有上级：请填写 Parent", roots[0].code),
        ));
    }
    let mut nodes = Vec::with_capacity(order.len());
    for r in &order {
        let parent = match &r.parent {
            None => None,
            Some(p) => match index.get(p.as_str()) {
                None => {
                    problems.push(IntakeError::at(
                        at(r.line, "Parent"),
                        format!("上级“{p}”不在 iMeta 的 Indicator/Aggregate 行中"),
                    ));
                    None
                }
                Some(&i) => {
                    let parent = order[i];
                    if matches!(parent.kind, NodeKind::Indicator(_)) {
                        problems.push(IntakeError::at(
                            at(r.line, "Parent"),
                            format!("上级“{p}”是指标而不是合成指标（Aggregate）"),
                        ));
                    } else if parent.level <= r.level {
                        problems.push(IntakeError::at(
                            at(r.line, "Level"),
                            format!("{} 的 Level {} 应低于上级 {p} 的 Level {}", r.code, r.level, parent.level),
                        ));
                    }
                    Some(i)
                }
            },
        };
        nodes.push(Node {
            code: r.code.clone(),
            name: r.name.clone(),
            level: r.level,
            parent,
            weight: r.weight,
            kind: r.kind.clone(),
        });
    }
    for (i, r) in order.iter().enumerate() {
        if matches!(r.kind, NodeKind::Aggregate(_)) && !nodes.iter().any(|n| n.parent == Some(i)) {
            problems.push(IntakeError::at(at(r.line, "iCode"), format!("合成指标 {} 没有下级", r.code)));
        }
    }
    IntakeError::collect(problems)?;
    Ok(Composite { nodes })
}

/// Read iData for the tree's indicators: uCode, uName, then a column per indicator iCode.
/// Where `Time` has several values, each unit's latest row is used.
pub fn read_idata(file: &str, bytes: &[u8], tree: &Composite) -> Result<UnitTable, IntakeError> {
    read_idata_with(file, bytes, tree, &[], false, &Time::Latest).map(|(table, _)| table)
}

/// [`read_idata`], plus the named group columns and, with `denominators`, the columns the
/// indicators' iMeta `Denominator` names — for the same rows, in the same order. `time` picks
/// the rows: each unit's latest, one year's, or all (then ordered by time, each row's time in
/// `UnitColumns::times`).
pub fn read_idata_with(
    file: &str,
    bytes: &[u8],
    tree: &Composite,
    groups: &[String],
    denominators: bool,
    time: &Time,
) -> Result<(UnitTable, UnitColumns), IntakeError> {
    let sheet = Sheet::read(file, bytes)?;
    let mut wanted_denominators: Vec<&str> = Vec::new();
    if denominators {
        for (_, _, leaf) in tree.leaves() {
            if let Some(d) = leaf.denominator.as_deref().filter(|d| !wanted_denominators.contains(d)) {
                wanted_denominators.push(d);
            }
        }
    }
    let mut missing = Vec::new();
    let mut at_of = |name: &str, what: &str| match sheet.headers.iter().position(|h| h == name) {
        Some(c) => Some(c),
        None => {
            missing.push(IntakeError::at(
                jili_model::Location::file(file).at_line(1).field(name),
                format!("iData 中没有{what}列“{name}”：请检查列名，或去掉相应选项"),
            ));
            None
        }
    };
    let group_at: Vec<(String, Option<usize>)> = groups.iter().map(|g| (g.clone(), at_of(g, "分组"))).collect();
    let denominator_at: Vec<(String, Option<usize>)> =
        wanted_denominators.iter().map(|d| (d.to_string(), at_of(d, "分母"))).collect();
    IntakeError::collect(missing)?;
    let code_col = sheet.require("uCode")?;
    let name_col = sheet.column("uName");
    let time_col = sheet.column("Time");
    let mut problems = Vec::new();
    let mut columns_at = Vec::new();
    for (_, node, _) in tree.leaves() {
        match sheet.headers.iter().position(|h| *h == node.code) {
            Some(c) => columns_at.push(c),
            None => problems.push(IntakeError::at(
                jili_model::Location::file(file).at_line(1).field(&node.code),
                format!("iMeta 的指标 {} 在 iData 中没有同名的列", node.code),
            )),
        }
    }
    IntakeError::collect(std::mem::take(&mut problems))?;
    // Each unit's rows by time: duplicates are errors; then the rows `time` asks for.
    let mut by_unit: BTreeMap<String, Vec<(f64, usize)>> = BTreeMap::new();
    let mut order = Vec::new();
    for (i, (line, cells)) in sheet.rows.iter().enumerate() {
        let code = cells[code_col].clone();
        if code.is_empty() {
            problems.push(IntakeError::at(sheet.at(*line, code_col), "uCode 不能为空"));
            continue;
        }
        let time = match time_col.map(|c| &cells[c]) {
            Some(t) if !is_missing(t) => match number(t) {
                Ok(v) => v,
                Err(m) => {
                    problems.push(IntakeError::at(sheet.at(*line, time_col.unwrap_or(0)), m));
                    continue;
                }
            },
            _ => f64::NEG_INFINITY,
        };
        let rows = by_unit.entry(code.clone()).or_insert_with(|| {
            order.push(code.clone());
            Vec::new()
        });
        // Times are years as written; equal text gives equal floats.
        match rows.iter().find(|(t, _)| t.total_cmp(&time).is_eq()) {
            Some(&(_, first)) => problems.push(IntakeError::at(
                sheet.at(*line, code_col),
                format!(
                    "单位 {code} 与第 {} 行重复{}",
                    sheet.rows[first].0,
                    if time_col.is_some() { "（Time 相同）" } else { "" }
                ),
            )),
            None => rows.push((time, i)),
        }
    }
    let mut chosen: Vec<(f64, usize, usize)> = Vec::new(); // (time, unit order, row)
    for (k, code) in order.iter().enumerate() {
        let rows = &by_unit[code];
        match time {
            Time::Latest => {
                if let Some(&(t, i)) = rows.iter().max_by(|a, b| a.0.total_cmp(&b.0)) {
                    chosen.push((t, k, i));
                }
            }
            Time::Year(y) => {
                chosen.extend(rows.iter().filter(|(t, _)| t.total_cmp(y).is_eq()).map(|&(t, i)| (t, k, i)))
            }
            Time::All => chosen.extend(rows.iter().map(|&(t, i)| (t, k, i))),
        }
    }
    if !matches!(time, Time::Latest) {
        chosen.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    }
    if let (Time::Year(y), true) = (time, chosen.is_empty() && problems.is_empty()) {
        return Err(IntakeError::at(
            sheet.at(1, time_col.unwrap_or(code_col)),
            format!("iData 中没有 Time 为 {y} 的行：请检查 --time"),
        ));
    }
    let mut table = UnitTable { codes: Vec::new(), names: Vec::new(), columns: vec![Vec::new(); columns_at.len()] };
    let mut extra = UnitColumns::default();
    for (t, k, i) in chosen {
        let code = order[k].clone();
        let (line, cells) = &sheet.rows[i];
        if !matches!(time, Time::Latest) {
            extra.times.push(t);
        }
        for (g, c) in &group_at {
            let cell = c.map(|c| cells[c].trim()).filter(|v| !v.is_empty() && !is_missing(v));
            extra.groups.entry(g.clone()).or_default().push(cell.map(str::to_string));
        }
        for (d, c) in &denominator_at {
            let v = match c.map(|c| (c, cells[c].as_str())) {
                Some((c, cell)) if !is_missing(cell) => number(cell).unwrap_or_else(|m| {
                    problems.push(IntakeError::at(sheet.at(*line, c), m));
                    f64::NAN
                }),
                _ => f64::NAN,
            };
            extra.denominators.entry(d.clone()).or_default().push(v);
        }
        table.names.push(name_col.map_or_else(|| code.clone(), |c| cells[c].clone()));
        table.codes.push(code);
        for (k, &c) in columns_at.iter().enumerate() {
            let cell = &cells[c];
            let v = if is_missing(cell) {
                f64::NAN
            } else {
                number(cell).unwrap_or_else(|m| {
                    problems.push(IntakeError::at(sheet.at(*line, c), m));
                    f64::NAN
                })
            };
            table.columns[k].push(v);
        }
    }
    IntakeError::collect(problems)?;
    if table.codes.is_empty() {
        return Err(IntakeError::at(sheet.at(1, code_col), "iData 没有任何单位行"));
    }
    Ok((table, extra))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_may_have_na_parent_and_weight_as_r_writes_them() {
        let meta = "\"Level\",\"iCode\",\"iName\",\"Direction\",\"Weight\",\"Parent\",\"Type\"\n\
                    1,\"a\",\"A\",1,1,\"Index\",\"Indicator\"\n\
                    1,\"b\",\"B\",-1,2,\"Index\",\"Indicator\"\n\
                    2,\"Index\",\"Index\",1,NA,NA,\"Aggregate\"\n";
        let tree = read_imeta("iMeta.csv", meta.as_bytes()).unwrap();
        assert_eq!(tree.nodes[tree.root()].code, "Index");
        assert_eq!(tree.children(tree.root()), [0, 1]);
    }
}
