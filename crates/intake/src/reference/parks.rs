//! `data/parks/*.csv`: code,name,class,host,stat_code,source — the parks measure 12 rewards.

use crate::error::IntakeError;
use crate::table;
use jili_model::{Level, Unit};
use std::collections::BTreeMap;

const HEADERS: [&str; 6] = ["code", "name", "class", "host", "stat_code", "source"];

/// Read the parks file against the divisions already read: each park's host must be a
/// county-level division; the park inherits its plate. A park with a statistical code keeps it
/// as its own code.
pub fn read_parks(file: &str, bytes: &[u8], divisions: &[Unit]) -> Result<Vec<Unit>, IntakeError> {
    let rows = table::read(file, bytes, &HEADERS)?;
    let hosts: BTreeMap<&str, &Unit> = divisions.iter().map(|u| (u.code.as_str(), u)).collect();
    let mut seen = BTreeMap::new();
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for row in &rows {
        let parsed = (|| {
            let code = row.required("code")?;
            let host_code = row.required("host")?;
            let host = hosts
                .get(host_code.as_str())
                .ok_or_else(|| IntakeError::at(row.at("host"), format!("所在县市区代码 {host_code} 不在区划表中")))?;
            if !matches!(host.level, Level::County | Level::Zone | Level::Park | Level::City) {
                return Err(IntakeError::at(
                    row.at("host"),
                    format!("所在地 {host_code} {} 不是市州或县级单位", host.name),
                ));
            }
            Ok(Unit {
                name: row.required("name")?,
                short_name: row.required("name")?,
                level: Level::Park,
                kind: row.required("class")?,
                parent: Some(host_code.clone()),
                plate: host.plate,
                valid_from: "2010-01-01".into(),
                valid_to: None,
                source: format!("{file}：{}", row.required("source")?),
                code,
            })
        })();
        match parsed {
            Ok(u) => {
                if let Some(first) = seen.insert(u.code.clone(), row.line) {
                    problems.push(IntakeError::at(row.at("code"), format!("园区代码 {} 与第 {first} 行重复", u.code)));
                } else {
                    out.push(u);
                }
            }
            Err(e) => problems.push(e),
        }
    }
    IntakeError::collect(problems)?;
    Ok(out)
}
