//! A mapping says which column of a provider's file is what. Detected when the headers speak
//! for themselves; written by the office (TOML) when they do not; saved per provider and file
//! shape so the next file of the same shape imports with no questions.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which column holds what, by header text (as it reads after merged header rows are joined
/// with “/”), and what to assume where the file says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Sheets to read; all visible sheets when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sheets: Vec<String>,
    /// The 1-based row of the (first) header row; detected when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<usize>,
    /// How many header rows (merged header blocks have 2 or 3); detected when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_rows: Option<usize>,
    /// Role → header text: unit, series, period, value, status, measure.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<String, String>,
    /// Wide tables: header text → series code, for headers that are not catalogue names.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub series_columns: BTreeMap<String, String>,
    /// Values for what no column holds: series, period, status, measure (计量单位).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fixed: BTreeMap<String, String>,
}

/// The roles a column can have.
pub const ROLES: [&str; 6] = ["unit", "series", "period", "value", "status", "measure"];

impl Mapping {
    /// Read a mapping file.
    pub fn from_toml(text: &str) -> Result<Mapping, String> {
        let m: Mapping = toml::from_str(text).map_err(|e| format!("映射文件格式错误：{e}"))?;
        for role in m.columns.keys() {
            if !ROLES.contains(&role.as_str()) {
                return Err(format!("映射文件 [columns] 中的“{role}”不是可用的列角色；可用：{}", ROLES.join("、")));
            }
        }
        for key in m.fixed.keys() {
            if !["series", "period", "status", "measure"].contains(&key.as_str()) {
                return Err(format!("映射文件 [fixed] 中的“{key}”不可用；可用：series、period、status、measure"));
            }
        }
        Ok(m)
    }

    /// The mapping as TOML, to save or show.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// The header text given for a role.
    pub fn column(&self, role: &str) -> Option<&str> {
        self.columns.get(role).map(String::as_str)
    }

    /// A fixed value.
    pub fn fixed(&self, key: &str) -> Option<&str> {
        self.fixed.get(key).map(String::as_str)
    }

    /// Whether nothing is said (detect everything).
    pub fn is_empty(&self) -> bool {
        *self == Mapping::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_unknown_roles() {
        let text = "[columns]\nunit = \"地区\"\nvalue = \"数值\"\n\n[fixed]\nseries = \"GDP\"\nperiod = \"2024\"\n";
        let m = Mapping::from_toml(text).unwrap();
        assert_eq!((m.column("unit"), m.fixed("series")), (Some("地区"), Some("GDP")));
        assert_eq!(Mapping::from_toml(&m.to_toml()).unwrap(), m);
        let err = Mapping::from_toml("[columns]\nregion = \"地区\"\n").unwrap_err();
        assert!(err.contains("region") && err.contains("unit"), "{err}");
        assert!(Mapping::from_toml("colums = 1").unwrap_err().contains("格式错误"));
    }
}
