//! `jili index --time all`: one build per year of a panel, on each year's own normalisation
//! bounds or on bounds pooled over every year (COINr's `Normalise(global = TRUE)`).

use super::{Cell, Table, engine};
use crate::error::Result;
use jili_engine::index::{BuildOptions, Variation, build};
use jili_engine::pipeline::{StepReport, prepare};
use jili_engine::stats::competition_ranks;
use jili_model::composite::{Composite, NodeKind, UnitColumns, UnitTable};
use jili_model::pipeline::{Bounds, Pipeline};

/// Every year's scores: uCode, uName, Time, the aggregates, the rank within the year.
pub(super) fn panel(
    tree: &Composite,
    raw: &UnitTable,
    extra: &UnitColumns,
    pipeline: &Pipeline,
    options: &BuildOptions,
    bounds: Bounds,
) -> Result<(Table, StepReport)> {
    let mut years: Vec<f64> = extra.times.clone();
    years.sort_by(f64::total_cmp);
    years.dedup();
    // The steps run year by year, as on a split panel: a year's gaps are filled from that year.
    let mut report = StepReport::default();
    let mut prepared: Vec<(f64, UnitTable)> = Vec::new();
    for &year in &years {
        let rows: Vec<usize> = (0..raw.codes.len()).filter(|&u| extra.times[u].total_cmp(&year).is_eq()).collect();
        let (table, columns) = rows_of(raw, extra, &rows);
        let p = prepare(tree, &table, &columns, pipeline).map_err(engine)?;
        let mut r = p.report;
        report.denominated = r.denominated;
        report.imputed.append(&mut r.imputed);
        report.screened_out.append(&mut r.screened_out);
        report.treated.append(&mut r.treated);
        prepared.push((year, p.table));
    }
    let mut built: Vec<Year> = Vec::new();
    match bounds {
        Bounds::Year => {
            for (year, table) in prepared {
                let b = build(tree, &table, options, &Variation::default()).map_err(engine)?;
                built.push((year, table, b.nodes, b.rank));
            }
        }
        Bounds::Pooled => {
            // One build over every year's rows: the bounds (and data-driven weights) are pooled.
            let mut all =
                UnitTable { codes: Vec::new(), names: Vec::new(), columns: vec![Vec::new(); raw.columns.len()] };
            for (_, t) in &prepared {
                all.codes.extend(t.codes.iter().cloned());
                all.names.extend(t.names.iter().cloned());
                for (c, col) in all.columns.iter_mut().zip(&t.columns) {
                    c.extend_from_slice(col);
                }
            }
            let b = build(tree, &all, options, &Variation::default()).map_err(engine)?;
            let mut at = 0;
            for (year, table) in prepared {
                let n = table.codes.len();
                let nodes: Vec<Vec<f64>> = b.nodes.iter().map(|col| col[at..at + n].to_vec()).collect();
                let rank = competition_ranks(&nodes[tree.root()], true);
                built.push((year, table, nodes, rank));
                at += n;
            }
        }
    }
    let aggregates: Vec<usize> =
        (0..tree.nodes.len()).filter(|&i| matches!(tree.nodes[i].kind, NodeKind::Aggregate(_))).collect();
    let mut columns = vec!["uCode".to_string(), "uName".to_string(), "Time".to_string()];
    columns.extend(aggregates.iter().map(|&i| tree.nodes[i].code.clone()));
    columns.push("Rank".into());
    let present = |x: f64| (!x.is_nan()).then_some(x);
    let mut rows = Vec::new();
    for (year, table, nodes, rank) in &built {
        for u in 0..table.codes.len() {
            let mut row =
                vec![Cell::Text(table.codes[u].clone()), Cell::Text(table.names[u].clone()), Cell::Number(Some(*year))];
            row.extend(aggregates.iter().map(|&i| Cell::Number(present(nodes[i][u]))));
            row.push(Cell::Number((rank[u] > 0).then_some(f64::from(rank[u]))));
            rows.push(row);
        }
    }
    Ok((Table { columns, rows }, report))
}

/// One year of a panel: its time, its rows, each node's scores, the rank within the year.
type Year = (f64, UnitTable, Vec<Vec<f64>>, Vec<u32>);

/// The given rows of a table and of its other columns.
fn rows_of(table: &UnitTable, extra: &UnitColumns, rows: &[usize]) -> (UnitTable, UnitColumns) {
    let pick_text = |v: &[String]| rows.iter().map(|&u| v[u].clone()).collect();
    let sub = UnitTable {
        codes: pick_text(&table.codes),
        names: pick_text(&table.names),
        columns: table.columns.iter().map(|c| rows.iter().map(|&u| c[u]).collect()).collect(),
    };
    let columns = UnitColumns {
        groups: extra.groups.iter().map(|(k, v)| (k.clone(), rows.iter().map(|&u| v[u].clone()).collect())).collect(),
        denominators: extra
            .denominators
            .iter()
            .map(|(k, v)| (k.clone(), rows.iter().map(|&u| v[u]).collect()))
            .collect(),
        times: rows.iter().map(|&u| extra.times[u]).collect(),
    };
    (sub, columns)
}
