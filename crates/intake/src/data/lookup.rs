//! What the reader looks up once per distinct text, not once per row: series, units (per year),
//! periods and measure factors. A hit allocates nothing; ids stand in for codes in the
//! duplicate check, so a million-row file costs a million hash lookups and no more.

use super::finding::Finding;
use super::header::{series_named, split_measure};
use super::measure;
use super::names::{UnitMatch, UnitNames, list};
use foldhash::HashMap;
use jili_model::{Catalogue, Decimal, Location, Period, Series, Unit};

/// A series as read: the series and its id.
pub(super) type SeriesRead<'c> = Result<(&'c Series, u32), Box<Finding>>;
/// A unit as read: the unit, its id and a notice when the code was changed, or why not.
pub(super) type UnitRead<'c> = Result<(&'c Unit, u32, Option<Box<Finding>>), Box<Finding>>;

/// The caches.
#[derive(Debug)]
pub(super) struct Lookup<'c> {
    catalogue: &'c Catalogue,
    provider: String,
    file: String,
    names: UnitNames<'c>,
    series: HashMap<String, SeriesRead<'c>>,
    units: HashMap<i32, HashMap<String, UnitRead<'c>>>,
    periods: HashMap<String, Option<Period>>,
    factors: HashMap<(String, String), Result<Option<Decimal>, String>>,
    next_series: u32,
    unit_ids: HashMap<&'c str, u32>,
}

impl<'c> Lookup<'c> {
    pub fn new(catalogue: &'c Catalogue, provider: &str, file: &str) -> Self {
        Lookup {
            catalogue,
            provider: provider.to_string(),
            file: file.to_string(),
            names: UnitNames::new(catalogue.units()),
            series: HashMap::default(),
            units: HashMap::default(),
            periods: HashMap::default(),
            factors: HashMap::default(),
            next_series: 0,
            unit_ids: HashMap::default(),
        }
    }

    /// The series a cell or header names (by code or name), owned by the provider.
    pub fn series(&mut self, text: &str) -> SeriesRead<'c> {
        let key = text.trim();
        if let Some(r) = self.series.get(key) {
            return r.clone();
        }
        let (name, _) = split_measure(key);
        let result = match series_named(self.catalogue, &name) {
            Some(s) if s.owner != self.provider => Err(Box::new(Finding::error(
                "not-owner",
                Location::file(&self.file),
                format!("数据项 {}（{}）由 {} 提供，不能由 {} 导入", s.name, s.code, s.owner, self.provider),
                "无扰评价：每个部门只报送本部门的数据；请删除该数据项，或由负责部门导入",
            ))),
            Some(s) => {
                // The same series under another spelling keeps its id.
                let id = self
                    .series
                    .values()
                    .find_map(|r| r.as_ref().ok().filter(|(x, _)| x.code == s.code).map(|(_, id)| *id));
                let id = id.unwrap_or_else(|| {
                    self.next_series += 1;
                    self.next_series
                });
                Ok((s, id))
            }
            None => Err(Box::new(self.unknown_series(&name).quoting(key))),
        };
        self.series.insert(key.to_string(), result.clone());
        result
    }

    fn unknown_series(&self, name: &str) -> Finding {
        let similar = self.catalogue.similar_series(&name.to_ascii_uppercase());
        let by_name: Vec<String> = self
            .catalogue
            .all_series()
            .filter(|s| s.owner == self.provider && (s.name.contains(name) || name.contains(&s.name)))
            .take(3)
            .map(|s| format!("{}（{}）", s.name, s.code))
            .collect();
        let hint = if !by_name.is_empty() {
            format!("是否为：{}？", by_name.join("、"))
        } else if !similar.is_empty() {
            format!("是否为：{}？", similar.join("、"))
        } else {
            "可用 jili data series 查看数据项目录".to_string()
        };
        Finding::error("unknown-series", Location::file(&self.file), "数据项不在目录中", hint)
    }

    /// A period cell's text (a year typed into a date-formatted cell is handled by the caller).
    pub fn period(&mut self, text: &str) -> Option<Period> {
        if let Some(p) = self.periods.get(text) {
            return *p;
        }
        let p = text.parse().ok();
        self.periods.insert(text.to_string(), p);
        p
    }

    /// The factor from the written measure to the series' own.
    pub fn factor(&mut self, written: &str, wanted: &str) -> Result<Option<Decimal>, String> {
        if let Some(f) = self.factors.get(&(written.to_string(), wanted.to_string())) {
            return f.clone();
        }
        let f = measure::factor(written, wanted);
        self.factors.insert((written.to_string(), wanted.to_string()), f.clone());
        f
    }

    /// The unit a cell names for a value of `year`. A renamed unit's notice comes with its
    /// first reading only.
    pub fn unit(&mut self, text: &str, year: i32) -> UnitRead<'c> {
        if let Some(r) = self.units.get(&year).and_then(|m| m.get(text)) {
            return r.clone().map(|(u, id, _)| (u, id, None));
        }
        let result = match self.names.resolve(text, year) {
            UnitMatch::Found(u) => Ok((u, self.unit_id(u), None)),
            UnitMatch::Renamed { written, used } => {
                // Forward (县 → 市) or back (a new code used for a year before it existed).
                let message = if used.valid_from > written.valid_from {
                    format!(
                        "{}（{}）已改为 {}（{}），{year} 年的数值按新代码导入",
                        written.name, written.code, used.name, used.code
                    )
                } else {
                    format!(
                        "{year} 年时尚为 {}（{}），{}（{}）的数值按当年代码导入",
                        used.name, used.code, written.name, written.code
                    )
                };
                let notice = Finding::notice(
                    "renamed-unit",
                    Location::file(&self.file),
                    message,
                    "无需处理；代码变更见 jili units",
                )
                .quoting(text);
                Ok((used, self.unit_id(used), Some(Box::new(notice))))
            }
            UnitMatch::Ambiguous(many) => Err(Box::new(
                Finding::error(
                    "ambiguous-unit",
                    Location::file(&self.file),
                    format!("地区名称对应多个单位：{}", list(&many)),
                    "请写全称或填行政区划代码",
                )
                .quoting(text),
            )),
            UnitMatch::Unknown(close) => {
                let hint = if close.is_empty() {
                    "请填写全称（如 长沙市、浏阳市）、6 位行政区划代码或园区代码；可用 jili units 查看".to_string()
                } else {
                    format!("最接近的是：{}；请改为正确的名称或代码", list(&close))
                };
                Err(Box::new(
                    Finding::error("unknown-unit", Location::file(&self.file), "找不到这个地区/单位", hint)
                        .quoting(text),
                ))
            }
        };
        self.units.entry(year).or_default().insert(text.to_string(), result.clone());
        result
    }

    fn unit_id(&mut self, u: &'c Unit) -> u32 {
        let next = self.unit_ids.len() as u32 + 1;
        *self.unit_ids.entry(u.code.as_str()).or_insert(next)
    }
}
