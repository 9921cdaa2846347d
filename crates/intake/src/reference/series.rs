//! `data/series/*.csv`: the series catalogue.

use crate::error::IntakeError;
use crate::table;
use jili_model::{Department, Nature, Series};

const HEADERS: [&str; 9] =
    ["code", "name", "unit", "frequency", "owner", "public", "nature", "additive", "description"];

/// Read one catalogue file. Owners must be departments (never localities).
pub fn read_series(file: &str, bytes: &[u8], departments: &[Department]) -> Result<Vec<Series>, IntakeError> {
    let rows = table::read(file, bytes, &HEADERS)?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for row in &rows {
        let parsed = (|| {
            let code = row.required("code")?;
            if !code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') {
                return Err(IntakeError::at(row.at("code"), format!("数据项代码“{code}”只能用大写字母、数字和下划线")));
            }
            let owner = row.required("owner")?;
            if !departments.iter().any(|d| d.code == owner) {
                return Err(IntakeError::at(
                    row.at("owner"),
                    format!("所属单位“{owner}”不在部门表 data/departments/ 中"),
                ));
            }
            let nature = match row.get("nature") {
                "outcome" => Nature::Outcome,
                "process" => Nature::Process,
                other => {
                    return Err(IntakeError::at(
                        row.at("nature"),
                        format!("“{other}”应为 outcome（结果）或 process（过程）"),
                    ));
                }
            };
            Ok(Series {
                code,
                name: row.required("name")?,
                unit: row.required("unit")?,
                frequency: row.required("frequency")?,
                owner,
                public: row.flag("public")?,
                nature,
                additive: row.flag("additive")?,
                description: row.get("description").to_string(),
            })
        })();
        match parsed {
            Ok(s) => out.push((row.line, s)),
            Err(e) => problems.push(e),
        }
    }
    IntakeError::collect(problems)?;
    Ok(out.into_iter().map(|(_, s)| s).collect())
}
