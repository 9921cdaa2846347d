//! The decision matrix of `jili mcda`: header `alternative,C1,C2,…`, one row per alternative,
//! every cell a number.

use crate::error::IntakeError;
use crate::sheet::{number, visit};
use jili_model::Location;
use jili_model::composite::DecisionMatrix;

/// A row's numbers, and the (column, message) of each cell that is not one.
type ParsedRow = (Vec<f64>, Vec<(usize, String)>);

/// Read the rows' cells as they are, then turn them into numbers on every core (a 3000 × 200
/// matrix is 600,000 cells: parsing them is most of `jili mcda`'s time).
pub fn read_matrix(file: &str, bytes: &[u8]) -> Result<DecisionMatrix, IntakeError> {
    use rayon::prelude::*;
    let mut records: Vec<(usize, csv::StringRecord)> = Vec::new();
    let headers = visit(file, bytes, false, |line, record| {
        records.push((line, record.clone()));
        Ok(())
    })?;
    let at = |line: usize, col: usize| Location::file(file).at_line(line).at_column(col + 1).field(&headers[col]);
    if headers.len() < 2 {
        return Err(IntakeError::at(at(1, 0), "表头应为 alternative,C1,C2,…：至少一个准则列"));
    }
    let parsed: Vec<ParsedRow> = records
        .par_iter()
        .map(|(_, record)| {
            let mut bad = Vec::new();
            let values = record
                .iter()
                .skip(1)
                .enumerate()
                .map(|(j, cell)| {
                    number(cell).unwrap_or_else(|message| {
                        bad.push((j + 1, message));
                        f64::NAN
                    })
                })
                .collect();
            (values, bad)
        })
        .collect();
    let mut problems = Vec::new();
    for ((line, _), (_, bad)) in records.iter().zip(&parsed) {
        for (col, message) in bad {
            problems.push(IntakeError::at(at(*line, *col), format!("{message}（决策矩阵不允许缺失值）")));
        }
    }
    IntakeError::collect(problems)?;
    if records.len() < 2 {
        return Err(IntakeError::at(at(1, 0), "决策矩阵至少需要两个备选方案（行）"));
    }
    let columns = (0..headers.len() - 1).map(|j| parsed.iter().map(|(row, _)| row[j]).collect()).collect();
    let alternatives = records.iter().map(|(_, r)| r.get(0).unwrap_or_default().trim().to_string()).collect();
    Ok(DecisionMatrix { alternatives, criteria: headers[1..].to_vec(), columns })
}
