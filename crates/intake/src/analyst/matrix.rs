//! The decision matrix of `jili mcda`: header `alternative,C1,C2,…`, one row per alternative,
//! every cell a number.

use crate::error::IntakeError;
use crate::sheet::{Sheet, number};
use jili_model::composite::DecisionMatrix;

pub fn read_matrix(file: &str, bytes: &[u8]) -> Result<DecisionMatrix, IntakeError> {
    let sheet = Sheet::read(file, bytes)?;
    if sheet.headers.len() < 2 {
        return Err(IntakeError::at(sheet.at(1, 0), "表头应为 alternative,C1,C2,…：至少一个准则列"));
    }
    let mut m = DecisionMatrix {
        alternatives: Vec::new(),
        criteria: sheet.headers[1..].to_vec(),
        columns: vec![Vec::new(); sheet.headers.len() - 1],
    };
    let mut problems = Vec::new();
    for (line, cells) in &sheet.rows {
        m.alternatives.push(cells[0].clone());
        for (j, cell) in cells[1..].iter().enumerate() {
            match number(cell) {
                Ok(v) => m.columns[j].push(v),
                Err(message) => {
                    problems
                        .push(IntakeError::at(sheet.at(*line, j + 1), format!("{message}（决策矩阵不允许缺失值）")));
                    m.columns[j].push(f64::NAN);
                }
            }
        }
    }
    IntakeError::collect(problems)?;
    if m.alternatives.len() < 2 {
        return Err(IntakeError::at(sheet.at(1, 0), "决策矩阵至少需要两个备选方案（行）"));
    }
    Ok(m)
}
