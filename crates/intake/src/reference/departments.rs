//! `data/departments/*.csv`: code,name,full_name,lead,provider.

use crate::error::IntakeError;
use crate::table;
use jili_model::Department;
use std::collections::BTreeMap;

const HEADERS: [&str; 5] = ["code", "name", "full_name", "lead", "provider"];

/// Read the departments file. Codes and names must be unique.
pub fn read_departments(file: &str, bytes: &[u8]) -> Result<Vec<Department>, IntakeError> {
    let rows = table::read(file, bytes, &HEADERS)?;
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for row in &rows {
        let parsed = (|| {
            Ok::<_, IntakeError>(Department {
                code: row.required("code")?,
                name: row.required("name")?,
                full_name: row.required("full_name")?,
                lead: row.flag("lead")?,
                provider: row.flag("provider")?,
            })
        })();
        match parsed {
            Ok(d) => {
                for key in [&d.code, &d.name] {
                    if let Some(first) = seen.insert(key.clone(), row.line) {
                        problems.push(IntakeError::at(
                            row.at("code"),
                            format!("“{key}”与第 {first} 行重复：部门代码和名称都应唯一"),
                        ));
                    }
                }
                out.push(d);
            }
            Err(e) => problems.push(e),
        }
    }
    IntakeError::collect(problems)?;
    Ok(out)
}
