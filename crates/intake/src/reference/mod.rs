//! Reference data: departments, divisions, parks and the series catalogue, read together and
//! checked against each other.

mod departments;
mod divisions;
mod parks;
mod series;

pub use departments::read_departments;
pub use divisions::read_divisions;
pub use parks::read_parks;
pub use series::read_series;

use crate::error::IntakeError;
use jili_model::{Department, Level, Location, Series, Unit};
use std::collections::BTreeMap;

/// A named file's bytes. Readers take bytes, not paths; the name is for error messages.
#[derive(Debug, Clone)]
pub struct NamedBytes {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl NamedBytes {
    /// Pair a name with its contents.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self { name: name.into(), bytes: bytes.into() }
    }
}

/// The reference files of a deployment.
#[derive(Debug, Clone, Default)]
pub struct ReferenceFiles {
    pub departments: Vec<NamedBytes>,
    pub divisions: Vec<NamedBytes>,
    pub parks: Vec<NamedBytes>,
    pub series: Vec<NamedBytes>,
}

/// Reference data read and cross-checked: ready to store.
#[derive(Debug, Clone)]
pub struct Reference {
    pub departments: Vec<Department>,
    pub units: Vec<Unit>,
    pub series: Vec<Series>,
}

/// Read every reference file. Any problem in any file rejects the whole set.
pub fn read_reference(files: &ReferenceFiles) -> Result<Reference, IntakeError> {
    let mut departments = Vec::new();
    for f in &files.departments {
        departments.extend(read_departments(&f.name, &f.bytes)?);
    }
    let mut units = Vec::new();
    for f in &files.divisions {
        units.extend(read_divisions(&f.name, &f.bytes)?);
    }
    let mut parks = Vec::new();
    for f in &files.parks {
        parks.extend(read_parks(&f.name, &f.bytes, &units)?);
    }
    // A park listed under its statistical code enriches that division row (class, source).
    for park in parks {
        match units.iter_mut().find(|u| u.code == park.code) {
            Some(zone) if zone.level == Level::Park => *zone = Unit { parent: zone.parent.clone(), ..park },
            Some(other) => {
                return Err(IntakeError::at(
                    Location::file(files.parks.first().map_or("parks", |f| f.name.as_str())).field("code"),
                    format!(
                        "园区代码 {} 已是区划 {} 的代码：园区只能使用统计用园区代码或 YQ 开头的代码",
                        park.code, other.name
                    ),
                ));
            }
            None => units.push(park),
        }
    }
    units.sort_by(|a, b| a.code.cmp(&b.code));
    let mut series = Vec::new();
    let mut first_file: BTreeMap<String, String> = BTreeMap::new();
    for f in &files.series {
        for s in read_series(&f.name, &f.bytes, &departments)? {
            if let Some(other) = first_file.insert(s.code.clone(), f.name.clone()) {
                return Err(IntakeError::at(
                    Location::file(&f.name).field("code"),
                    format!("数据项代码 {} 已在 {other} 中定义：代码在整个目录中只能出现一次", s.code),
                ));
            }
            series.push(s);
        }
    }
    series.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(Reference { departments, units, series })
}
