//! Finding a unit from what a provider wrote: a GB/T 2260 code, the full name, the short name
//! or the usual variants (长沙 for 长沙市, 湘西州 for 湘西土家族苗族自治州, 通道县 for 通道侗族自治县),
//! following code changes over time (祁阳县 431121 became 祁阳市 431181 in 2021).

use jili_model::Unit;
use std::collections::HashMap;

/// How a written unit was understood.
#[derive(Debug, Clone, PartialEq)]
pub enum UnitMatch<'a> {
    Found(&'a Unit),
    /// The text names a unit whose code was not in force in that year; its successor (or
    /// predecessor) was.
    Renamed {
        written: &'a Unit,
        used: &'a Unit,
    },
    /// Several units answer to the text.
    Ambiguous(Vec<&'a Unit>),
    /// No unit answers; the closest names, best first.
    Unknown(Vec<&'a Unit>),
}

/// The units, indexed by every way they are written.
#[derive(Debug)]
pub struct UnitNames<'a> {
    /// Exact codes, names and short names: the strongest keys.
    exact: HashMap<String, Vec<&'a Unit>>,
    /// Generated variants, used when no exact key answers.
    variants: HashMap<String, Vec<&'a Unit>>,
    all: Vec<&'a Unit>,
}

const PEOPLES: [&str; 6] = ["土家族", "苗族", "侗族", "瑶族", "回族", "白族"];

/// A name as keys compare: no spaces of any width, no invisible characters (zero-width spaces
/// from web pages, a BOM left mid-file), ASCII digits and letters for full-width ones, and no
/// yearbook marks before a name (其中：浏阳市, #宁乡市 — “#” means 其中).
pub fn clean(text: &str) -> String {
    let t: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '\u{3000}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}'))
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    let mut t = t.as_str();
    loop {
        let before = t;
        for mark in ["其中：", "其中:", "其中", "#", "＃", "△", "▲", "*", "※", "-", "—"] {
            if let Some(rest) = t.strip_prefix(mark)
                && !rest.is_empty()
            {
                t = rest;
            }
        }
        if t == before {
            break;
        }
    }
    t.to_string()
}

/// Words for the province's own row in yearbook tables.
const PROVINCE: [&str; 3] = ["全省", "湖南", "全省合计"];

/// Parks' usual abbreviations (长沙经开区 for 长沙经济技术开发区).
const PARK_WORDS: [(&str, &str); 4] =
    [("经济技术开发区", "经开区"), ("高新技术产业开发区", "高新区"), ("经济开发区", "经开区"), ("工业园区", "工业园")];

fn variants(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (long, short) in PARK_WORDS {
        if name.contains(long) {
            out.push(name.replacen(long, short, 1));
        }
    }
    for (suffix, kind) in [("自治州", "州"), ("自治县", "县")] {
        if let Some(head) = name.strip_suffix(suffix) {
            let stem = PEOPLES.iter().filter_map(|p| head.find(p)).min().map_or(head, |i| &head[..i]);
            if stem.chars().count() >= 2 {
                out.extend([stem.to_string(), format!("{stem}{kind}"), format!("{stem}{suffix}")]);
            }
        }
    }
    for suffix in ["市", "县", "区", "州"] {
        if let Some(stem) = name.strip_suffix(suffix)
            && stem.chars().count() >= 2
        {
            out.push(stem.to_string());
        }
    }
    out
}

/// The part of a name that survives a change of kind (祁阳县 → 祁阳市: 祁阳).
fn stem(unit: &Unit) -> String {
    variants(&unit.name).into_iter().next().unwrap_or_else(|| unit.name.clone())
}

impl<'a> UnitNames<'a> {
    /// Index `units` (all of them, including retired codes).
    pub fn new(units: impl IntoIterator<Item = &'a Unit>) -> Self {
        let all: Vec<&Unit> = units.into_iter().collect();
        let mut exact: HashMap<String, Vec<&Unit>> = HashMap::new();
        let mut variants_map: HashMap<String, Vec<&Unit>> = HashMap::new();
        for u in &all {
            for key in [u.code.clone(), clean(&u.name), clean(&u.short_name)] {
                let list = exact.entry(key).or_default();
                if !list.iter().any(|x| x.code == u.code) {
                    list.push(u);
                }
            }
            let mut keys = variants(&clean(&u.name));
            if u.level == jili_model::Level::Province {
                keys.extend(PROVINCE.iter().map(|w| w.to_string()));
            }
            for key in keys {
                let list = variants_map.entry(key).or_default();
                if !list.iter().any(|x| x.code == u.code) {
                    list.push(u);
                }
            }
        }
        UnitNames { exact, variants: variants_map, all }
    }

    /// Understand `text` for a value of `year`.
    pub fn resolve(&self, text: &str, year: i32) -> UnitMatch<'a> {
        let key = clean(text);
        // 12-digit statistical codes end in six zeros for county-level units and above.
        let key = match key.strip_suffix("000000") {
            Some(code) if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) => code.to_string(),
            _ => key,
        };
        let candidates = self.exact.get(&key).or_else(|| self.variants.get(&key));
        let Some(candidates) = candidates else { return UnitMatch::Unknown(self.closest(&key)) };
        // Prefer the candidates in force in the year; several names can point at a retired
        // code and its successor.
        let current: Vec<&Unit> = candidates.iter().copied().filter(|u| u.valid_in(year)).collect();
        match (current.as_slice(), candidates.as_slice()) {
            ([one], _) => {
                if let Some(written) = candidates.iter().find(|u| !u.valid_in(year) && u.code == key) {
                    return UnitMatch::Renamed { written, used: one };
                }
                UnitMatch::Found(one)
            }
            ([], [one]) => match self.successor(one, year) {
                Some(used) => UnitMatch::Renamed { written: one, used },
                None => UnitMatch::Found(one),
            },
            ([], many) | (many, _) => {
                // Different levels answering to one short name (长沙 = 长沙市, not 长沙县) are
                // settled by the exact table; what remains is truly ambiguous.
                UnitMatch::Ambiguous(many.to_vec())
            }
        }
    }

    /// The unit in force in `year` that continues `unit` (same parent, same stem).
    fn successor(&self, unit: &Unit, year: i32) -> Option<&'a Unit> {
        let stem = stem(unit);
        let mut found = self.all.iter().copied().filter(|u| {
            u.code != unit.code
                && u.parent == unit.parent
                && u.level == unit.level
                && u.valid_in(year)
                && self::stem(u) == stem
        });
        let first = found.next()?;
        found.next().is_none().then_some(first)
    }

    /// Up to three units whose names are closest to `key` (edit distance on characters).
    pub fn closest(&self, key: &str) -> Vec<&'a Unit> {
        let wanted: Vec<char> = key.chars().collect();
        // Parks are long names often abbreviated: allow more edits for them.
        let limit = (wanted.len() / 2).max(1);
        let mut scored: Vec<(usize, &Unit)> = self
            .all
            .iter()
            .filter(|u| u.valid_to.is_none())
            .map(|u| {
                let d = [&u.name, &u.short_name]
                    .iter()
                    .map(|n| distance(&wanted, &n.chars().collect::<Vec<_>>()))
                    .min()
                    .unwrap_or(usize::MAX);
                (d, *u)
            })
            .filter(|(d, _)| *d <= limit)
            .collect();
        // Among equally close names, those starting like the text (邵东县 → 邵东市) come first.
        let head: String = wanted.iter().take(2).collect();
        scored.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(b.1.name.starts_with(&head).cmp(&a.1.name.starts_with(&head)))
                .then(a.1.code.cmp(&b.1.code))
        });
        scored.into_iter().take(3).map(|(_, u)| u).collect()
    }
}

/// Levenshtein distance.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + usize::from(ca != cb));
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// "长沙市（430100）、长沙县（430121）" for messages.
pub fn list(units: &[&Unit]) -> String {
    units.iter().map(|u| format!("{}（{}）", u.name, u.code)).collect::<Vec<_>>().join("、")
}
