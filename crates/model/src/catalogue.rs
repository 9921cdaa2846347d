//! The reference data a plan is checked against: departments, units and series.

use crate::department::Department;
use crate::series::Series;
use crate::unit::Unit;
use std::collections::BTreeMap;

/// Departments, units and series, looked up by code. Built once reference data is loaded.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    departments: BTreeMap<String, Department>,
    units: BTreeMap<String, Unit>,
    series: BTreeMap<String, Series>,
}

impl Catalogue {
    /// Index the three lists by code. Later duplicates replace earlier ones; readers reject
    /// duplicates before this point.
    pub fn new(departments: Vec<Department>, units: Vec<Unit>, series: Vec<Series>) -> Self {
        Self {
            departments: departments.into_iter().map(|d| (d.code.clone(), d)).collect(),
            units: units.into_iter().map(|u| (u.code.clone(), u)).collect(),
            series: series.into_iter().map(|s| (s.code.clone(), s)).collect(),
        }
    }

    /// The department with this code.
    pub fn department(&self, code: &str) -> Option<&Department> {
        self.departments.get(code)
    }

    /// The department a person means by `text`: its code in any case (`TJJ`, `tjj`), its name
    /// (`省统计局`) or its full name (`湖南省统计局`). Users type what they know; jili stores codes.
    pub fn find_department(&self, text: &str) -> Option<&Department> {
        let t = text.trim();
        self.departments.get(&t.to_ascii_uppercase()).or_else(|| {
            self.departments.values().find(|d| d.code.eq_ignore_ascii_case(t) || d.name == t || d.full_name == t)
        })
    }

    /// The department with this name (as in the notice: `省统计局`).
    pub fn department_by_name(&self, name: &str) -> Option<&Department> {
        self.departments.values().find(|d| d.name == name)
    }

    /// The code of the department leading `measure` (the notice names it; a name the
    /// catalogue does not know is kept as written, so a check can say which).
    pub fn lead_of(&self, measure: &crate::Measure) -> String {
        self.department_by_name(&measure.lead).map_or_else(|| measure.lead.clone(), |d| d.code.clone())
    }

    /// The unit with this code.
    pub fn unit(&self, code: &str) -> Option<&Unit> {
        self.units.get(code)
    }

    /// The series with this code.
    pub fn series(&self, code: &str) -> Option<&Series> {
        self.series.get(code)
    }

    /// All departments in code order.
    pub fn departments(&self) -> impl Iterator<Item = &Department> {
        self.departments.values()
    }

    /// All units in code order.
    pub fn units(&self) -> impl Iterator<Item = &Unit> {
        self.units.values()
    }

    /// All series in code order.
    pub fn all_series(&self) -> impl Iterator<Item = &Series> {
        self.series.values()
    }

    /// Series codes closest to `code`, for "did you mean" hints.
    pub fn similar_series(&self, code: &str) -> Vec<&str> {
        let wanted: Vec<&str> = code.split('_').filter(|w| !w.is_empty()).collect();
        let mut scored: Vec<(usize, &str)> = self
            .series
            .keys()
            .map(|k| (k.split('_').filter(|w| wanted.contains(w)).count(), k.as_str()))
            .filter(|(score, _)| *score > 0)
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        scored.into_iter().take(3).map(|(_, k)| k).collect()
    }
}
