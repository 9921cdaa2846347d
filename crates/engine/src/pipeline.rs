//! `jili index`'s steps before normalising, in COINr's worked-example order: denominate, impute,
//! screen, treat (see [`jili_model::pipeline`]). Each step reports what it changed, so that an
//! analyst can check every filled cell and every moved point.

use crate::error::EngineError;
use crate::outlier::{Treatment, treat};
use crate::stats;
use jili_model::composite::{Composite, UnitColumns, UnitTable};
use jili_model::pipeline::{Impute, Pipeline, Treat};
use std::collections::BTreeMap;

/// The data after the steps, and what they did.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub table: UnitTable,
    pub report: StepReport,
}

/// What the steps changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepReport {
    /// (indicator, denominator) for each indicator divided.
    pub denominated: Vec<(String, String)>,
    /// (unit, indicator, value filled in).
    pub imputed: Vec<(String, String, f64)>,
    /// Units dropped for too little data, with their share of indicator values.
    pub screened_out: Vec<(String, f64)>,
    /// (indicator, treatment) for each indicator that was not left untouched.
    pub treated: Vec<(String, Treatment)>,
}

/// Run the pipeline's steps on a copy of the data.
pub fn prepare(c: &Composite, data: &UnitTable, extra: &UnitColumns, p: &Pipeline) -> Result<Prepared, EngineError> {
    let mut table = data.clone();
    let mut report = StepReport::default();
    let leaves: Vec<(String, Option<String>)> =
        c.leaves().map(|(_, node, leaf)| (node.code.clone(), leaf.denominator.clone())).collect();
    // An indicator's own iMeta rule wins over the build's.
    let impute_rules: Vec<&Impute> = c.leaves().map(|(_, _, leaf)| leaf.impute.as_ref().unwrap_or(&p.impute)).collect();
    let treat_rules: Vec<Treat> = c.leaves().map(|(_, _, leaf)| leaf.treat.unwrap_or(p.treat)).collect();
    if leaves.len() != table.columns.len() {
        return Err(EngineError::Shape(format!(
            "数据有 {} 列指标，指标体系有 {} 个指标",
            table.columns.len(),
            leaves.len()
        )));
    }
    if p.denominate {
        for (k, (code, denominator)) in leaves.iter().enumerate() {
            let Some(d) = denominator else { continue };
            let den = extra.denominators.get(d).ok_or_else(|| {
                EngineError::Shape(format!(
                    "指标 {code} 的分母“{d}”在 iData 中没有同名的列（iMeta 中 Type 为 Denominator）"
                ))
            })?;
            for (x, q) in table.columns[k].iter_mut().zip(den) {
                *x = if *q == 0.0 || q.is_nan() { f64::NAN } else { *x / q };
            }
            report.denominated.push((code.clone(), d.clone()));
        }
    }
    for (k, (code, _)) in leaves.iter().enumerate() {
        impute(&mut table, k, code, extra, impute_rules[k], &mut report)?;
    }
    if let Some(threshold) = p.screen {
        screen(&mut table, threshold, &mut report);
    }
    for (k, (code, _)) in leaves.iter().enumerate() {
        if let Treat::Winsorise { max } = treat_rules[k] {
            match treat(&mut table.columns[k], max) {
                Treatment::Untouched => {}
                t => report.treated.push((code.clone(), t)),
            }
        }
    }
    Ok(Prepared { table, report })
}

/// Fill the missing values of column `k` with the mean or median of the unit's group (or of all
/// units), computed from the values present before any is filled.
fn impute(
    table: &mut UnitTable,
    k: usize,
    code: &str,
    extra: &UnitColumns,
    rule: &Impute,
    report: &mut StepReport,
) -> Result<(), EngineError> {
    let median = matches!(rule, Impute::Median | Impute::GroupMedian(_));
    let everyone = vec![Some(String::new()); table.codes.len()];
    let groups: &[Option<String>] = match rule {
        Impute::None => return Ok(()),
        Impute::Mean | Impute::Median => &everyone,
        Impute::GroupMean(col) | Impute::GroupMedian(col) => extra.groups.get(col).ok_or_else(|| {
            EngineError::Shape(format!("分组列“{col}”不在 iData 中：请写 iMeta 中 Type 为 Group 的列名"))
        })?,
    };
    let column = &mut table.columns[k];
    let mut members: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for (x, g) in column.iter().zip(groups) {
        if let Some(g) = g {
            members.entry(g.as_str()).or_default().push(*x);
        }
    }
    let fill: BTreeMap<&str, f64> =
        members.into_iter().map(|(g, xs)| (g, if median { stats::median(&xs) } else { stats::mean(&xs) })).collect();
    for (u, g) in groups.iter().enumerate() {
        let Some(value) = g.as_deref().and_then(|g| fill.get(g)).copied() else { continue };
        if column[u].is_nan() && !value.is_nan() {
            column[u] = value;
            report.imputed.push((table.codes[u].clone(), code.to_string(), value));
        }
    }
    Ok(())
}

/// Drop the units whose share of present indicator values is below `threshold`.
fn screen(table: &mut UnitTable, threshold: f64, report: &mut StepReport) {
    let n = table.columns.len().max(1) as f64;
    let keep: Vec<bool> = (0..table.codes.len())
        .map(|u| {
            let share = table.columns.iter().filter(|c| !c[u].is_nan()).count() as f64 / n;
            if share < threshold {
                report.screened_out.push((table.codes[u].clone(), share));
            }
            share >= threshold
        })
        .collect();
    let kept = |v: &[String]| v.iter().zip(&keep).filter(|(_, k)| **k).map(|(x, _)| x.clone()).collect();
    table.codes = kept(&table.codes);
    table.names = kept(&table.names);
    for c in &mut table.columns {
        *c = c.iter().zip(&keep).filter(|(_, k)| **k).map(|(x, _)| *x).collect();
    }
}
