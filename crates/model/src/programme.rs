//! The yearly programme (年度激励方案): its measures, lead departments and, in `[rules]`
//! (see [`crate::programme_rules`]), the rules it sets for all measures.

use crate::error::{ModelError, toml_error};
use crate::location::Location;
use crate::programme_notice::NoticeForm;
use crate::programme_rules::{Rules, RulesFile};
use crate::unit::Level;
use serde::{Deserialize, Serialize};

/// A year's programme, as published in its notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Programme {
    pub year: i32,
    pub province: String,
    /// 文号, e.g. 湘政办发〔2024〕16号.
    pub doc_no: String,
    pub title: String,
    pub issuer: String,
    /// YYYY-MM-DD.
    pub date: String,
    pub source: String,
    /// The lead departments by name, in the notice's order.
    pub leads: Vec<String>,
    pub measures: Vec<Measure>,
    pub commendation: Option<Commendation>,
    /// For a programme known only in part (the file lists fewer measures than the notice has):
    /// the counts the sources report. `None` when the file lists every measure.
    #[serde(default)]
    pub declared: Option<Declared>,
    /// What the publication of results discloses (`[publication]`; defaults to the notice's
    /// spirit). A plan may tighten it, never loosen it.
    #[serde(default)]
    pub publication: PublicationPolicy,
    /// The rules for all measures (`[rules]`). Stored programmes from before the rules were
    /// data read as [`Rules::legacy`].
    #[serde(default)]
    pub rules: Rules,
    /// What happens to an award recovered (追回) after publication (`[recovery]`).
    #[serde(default)]
    pub recovery: RecoveryRule,
    /// How the results notice is worded (`[notice]`; defaults to the form of 湘政办发〔2025〕1号).
    #[serde(default)]
    pub notice: NoticeForm,
}

/// The programme's rule for a recovered award (`[recovery]`). The notices say nothing of
/// who takes a place a unit loses when its result is overturned, so by default nobody does:
/// the place stays empty and the money goes back to the budget line. A programme that says
/// otherwise sets `refill = true`: the next-ranked unit of the same peer group moves up, with
/// the recovered unit's award, as a public correction.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryRule {
    #[serde(default)]
    pub refill: bool,
}

/// How vetoed units appear in published results. The notice asks for 强化正向激励 and forbids
/// 随意约谈问责 of units not rewarded: by default they are only counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VetoDisclosure {
    /// “N 个单位因一票否决未参加评选”: no names (the default).
    #[default]
    Count,
    /// Named, with the veto's reason where the vetoing series is public; never score or rank
    /// unless the plan publishes its ranking.
    Name,
}

impl VetoDisclosure {
    /// The stricter of two settings (a plan may tighten the programme's policy only).
    pub fn stricter(self, other: VetoDisclosure) -> VetoDisclosure {
        self.min(other)
    }
}

/// The programme's publication policy.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationPolicy {
    #[serde(default)]
    pub vetoes: VetoDisclosure,
}

/// The size of a programme as reported, when its file is incomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declared {
    pub measures: u32,
    pub leads: u32,
}

/// One incentive measure (激励措施).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub no: u32,
    /// jili's short label for lists (not from the notice).
    pub short: String,
    /// The measure's sentence verbatim from the notice.
    pub text: String,
    /// The lead department's name.
    pub lead: String,
    /// The unit levels the text rewards (a named kind's base level where `kinds` names one).
    pub levels: Vec<Level>,
    /// The named kinds (`[[rules.kinds]]`) among the file's `levels`, e.g. 国家级园区.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<String>,
    /// One of the programme's `rules.channels`.
    pub channel: String,
    /// Further lead departments where the notice names several (the first is `lead`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_leads: Vec<String>,
    /// The next year's measures this one continues as (several measures continuing as one
    /// were merged). jili's reading of the two notices, used by `programme diff`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub continued_as: Vec<u32>,
}

/// The commendation item (通报表扬): named in the notice, no money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commendation {
    pub text: String,
    pub levels: Vec<Level>,
    pub kind: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgrammeFile {
    programme: Header,
    rules: RulesFile,
    measures: Vec<MeasureFile>,
    commendation: Option<Commendation>,
    #[serde(default)]
    publication: PublicationPolicy,
    #[serde(default)]
    recovery: RecoveryRule,
    #[serde(default)]
    notice: NoticeForm,
}

/// A measure as written: `levels` may name a level or a kind from `[[rules.kinds]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MeasureFile {
    no: u32,
    short: String,
    text: String,
    lead: String,
    levels: Vec<String>,
    channel: String,
    #[serde(default)]
    co_leads: Vec<String>,
    #[serde(default)]
    continued_as: Vec<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    year: i32,
    province: String,
    doc_no: String,
    title: String,
    issuer: String,
    date: String,
    source: String,
    leads: Vec<String>,
    declared: Option<Declared>,
}

impl Programme {
    /// Parse and check a programme TOML file. `file` names it in errors.
    ///
    /// Checks: measures numbered 1..=n in order, each with a known channel, at least one level,
    /// and a lead listed in `leads`; every listed lead leads something.
    pub fn from_toml(file: &str, text: &str) -> Result<Programme, ModelError> {
        let raw: ProgrammeFile = toml::from_str(text).map_err(|e| toml_error(file, text, &e))?;
        let h = raw.programme;
        let at = |field: &str, needle: &str| {
            let loc = Location::file(file).field(field);
            // A rule's words are looked for from `[rules]` on, past the header's comments.
            let from = if field.starts_with("rules") { text.find("[rules]").unwrap_or(0) } else { 0 };
            match text[from..].find(needle).map(|o| o + from) {
                Some(offset) => loc.at_offset(text, offset),
                None => loc,
            }
        };
        // An incomplete programme may not know its date.
        if !(is_date(&h.date) || h.date.is_empty() && h.declared.is_some()) {
            return Err(ModelError::invalid(
                at("programme.date", "date"),
                format!("日期“{}”应写成 YYYY-MM-DD", h.date),
            ));
        }
        let rules = raw.rules.check(&at)?;
        raw.notice.check(&|field| at(field, "[notice]"))?;
        if raw.commendation.is_some() && rules.commendation_sources.is_empty() {
            return Err(ModelError::invalid(
                at("rules.commendation_sources", "[commendation]"),
                "方案有通报表扬（[commendation]），须在 rules.commendation_sources 中写明据以表扬的督查".to_string(),
            ));
        }
        let mut measures = Vec::with_capacity(raw.measures.len());
        for (i, m) in raw.measures.into_iter().enumerate() {
            let field = format!("measures[{}]", i + 1);
            let here = || at(&field, &format!("no = {}", m.no));
            if m.no as usize != i + 1 {
                return Err(ModelError::invalid(
                    here(),
                    format!("措施序号应为 {}，实际为 {}：请按 1、2、3… 顺序排列", i + 1, m.no),
                ));
            }
            if !rules.channels.contains(&m.channel) {
                return Err(ModelError::invalid(
                    here(),
                    format!(
                        "第 {} 条的奖励渠道“{}”不在 rules.channels 所列渠道中：{}",
                        m.no,
                        m.channel,
                        rules.channels.join(" / ")
                    ),
                ));
            }
            if m.levels.is_empty() {
                return Err(ModelError::invalid(here(), format!("第 {} 条没有写明激励对象（levels）", m.no)));
            }
            let (mut levels, mut kinds) = (Vec::new(), Vec::new());
            for word in &m.levels {
                let Some((level, kind)) = rules.resolve_level(word) else {
                    let named: Vec<&str> = rules.kinds.iter().map(|k| k.name.as_str()).collect();
                    return Err(ModelError::invalid(
                        here(),
                        format!(
                            "第 {} 条的激励对象“{word}”既不是层级（省、市州、县市区、管理区、园区），也不是 rules.kinds 中的单位类别{}",
                            m.no,
                            if named.is_empty() { String::new() } else { format!("（{}）", named.join("、")) }
                        ),
                    ));
                };
                if !levels.contains(&level) {
                    levels.push(level);
                }
                kinds.extend(kind.map(str::to_string));
            }
            if !h.leads.contains(&m.lead) {
                return Err(ModelError::invalid(
                    here(),
                    format!("第 {} 条的牵头单位“{}”不在 programme.leads 中", m.no, m.lead),
                ));
            }
            measures.push(Measure {
                no: m.no,
                short: m.short,
                text: m.text,
                lead: m.lead,
                levels,
                kinds,
                channel: m.channel,
                co_leads: m.co_leads,
                continued_as: m.continued_as,
            });
        }
        if let Some(idle) = h.leads.iter().find(|l| !measures.iter().any(|m| &m.lead == *l || m.co_leads.contains(l))) {
            return Err(ModelError::invalid(
                at("programme.leads", "leads"),
                format!("牵头单位“{idle}”没有牵头任何措施：请删除或补充措施"),
            ));
        }
        Ok(Programme {
            year: h.year,
            province: h.province,
            doc_no: h.doc_no,
            title: h.title,
            issuer: h.issuer,
            date: h.date,
            source: h.source,
            leads: h.leads,
            measures,
            commendation: raw.commendation,
            declared: h.declared,
            publication: raw.publication,
            rules,
            recovery: raw.recovery,
            notice: raw.notice,
        })
    }

    /// The measure numbered `no`.
    pub fn measure(&self, no: u32) -> Option<&Measure> {
        self.measures.iter().find(|m| m.no == no)
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINI: &str = r#"
[programme]
year = 2024
province = "湖南省"
doc_no = "湘政办发〔2024〕16号"
title = "t"
issuer = "i"
date = "2024-05-29"
source = "s"
leads = ["省财政厅"]

[rules]
channels = ["资金奖励"]

[[measures]]
no = 1
short = "财源"
text = "对……予以资金奖励。"
lead = "省财政厅"
levels = ["市州", "县市区"]
channel = "资金奖励"
"#;

    #[test]
    fn parses_a_minimal_programme() {
        let p = Programme::from_toml("p.toml", MINI).unwrap();
        assert_eq!(p.measures.len(), 1);
        assert_eq!(p.measure(1).unwrap().levels, vec![Level::City, Level::County]);
    }

    #[test]
    fn the_notice_wording_defaults_to_the_2025_form_and_reads_its_section() {
        assert_eq!(Programme::from_toml("p.toml", MINI).unwrap().notice, NoticeForm::default());
        let own = format!("{MINI}\n[notice]\ndoc_word = \"函\"\ntitle = \"{{issuer}}关于{{year}}年激励结果的通报\"\n");
        let p = Programme::from_toml("p.toml", &own).unwrap();
        assert_eq!((p.notice.doc_word.as_str(), p.notice.title.as_str()), ("函", "{issuer}关于{year}年激励结果的通报"));
        assert_eq!(p.notice.annex_title, NoticeForm::default().annex_title, "a field left out keeps its default");
        let bad = own.replace("{year}", "{yr}");
        let err = Programme::from_toml("p.toml", &bad).unwrap_err().to_string();
        assert!(err.contains("notice.title") && err.contains("{yr}") && err.contains("第 23 行"), "{err}");
    }

    #[test]
    fn unknown_channel_names_the_line() {
        let bad = MINI.replace("channel = \"资金奖励\"", "channel = \"现金\"");
        let err = Programme::from_toml("p.toml", &bad).unwrap_err().to_string();
        assert!(err.contains("p.toml") && err.contains("第 16 行") && err.contains("现金"), "{err}");
    }

    #[test]
    fn a_named_kind_resolves_to_its_level() {
        let text = MINI.replace(
            "channels = [\"资金奖励\"]",
            "channels = [\"资金奖励\"]\n[[rules.kinds]]\nname = \"城区\"\nlevel = \"县市区\"\nunit_kinds = [\"市辖区\"]",
        )
        .replace("levels = [\"市州\", \"县市区\"]", "levels = [\"市州\", \"城区\"]");
        let p = Programme::from_toml("p.toml", &text).unwrap();
        let m = p.measure(1).unwrap();
        assert_eq!((m.levels.clone(), m.kinds.clone()), (vec![Level::City, Level::County], vec!["城区".to_string()]));
        assert!(p.rules.kind("城区").unwrap().admits(Level::County, "市辖区"));
        assert!(!p.rules.kind("城区").unwrap().admits(Level::County, "县"));
        let unknown = text.replace("levels = [\"市州\", \"城区\"]", "levels = [\"市州\", \"郊区\"]");
        let err = Programme::from_toml("p.toml", &unknown).unwrap_err().to_string();
        assert!(err.contains("郊区") && err.contains("measures[1]") && err.contains("城区"), "{err}");
    }

    #[test]
    fn a_channel_is_whatever_the_rules_declare() {
        let text = MINI.replace("\"资金奖励\"", "\"给予资金奖励，并在政策、项目上予以支持\"");
        let p = Programme::from_toml("p.toml", &text).unwrap();
        assert_eq!(p.measure(1).unwrap().channel, "给予资金奖励，并在政策、项目上予以支持");
    }

    #[test]
    fn a_stored_body_without_rules_reads_as_the_2024_constants() {
        let p = Programme::from_toml("p.toml", MINI).unwrap();
        let mut body: serde_json::Value = serde_json::to_value(&p).unwrap();
        body.as_object_mut().unwrap().remove("rules");
        let old: Programme = serde_json::from_value(body).unwrap();
        assert_eq!(old.rules, crate::programme_rules::Rules::legacy());
        assert!(old.rules.channels.iter().any(|c| c == "创新型省份建设专项资金"));
    }

    #[test]
    fn bad_rules_name_their_field() {
        let cap = MINI.replace("channels = [\"资金奖励\"]", "channels = [\"资金奖励\"]\ncap = {}");
        let err = Programme::from_toml("p.toml", &cap).unwrap_err().to_string();
        assert!(err.contains("rules.cap") && err.contains("第 14 行"), "{err}");
        let limits =
            MINI.replace("channels = [\"资金奖励\"]", "channels = [\"资金奖励\"]\nindicators = { min = 5, max = 4 }");
        let err = Programme::from_toml("p.toml", &limits).unwrap_err().to_string();
        assert!(err.contains("rules.indicators") && err.contains("下限 5"), "{err}");
        let park = MINI.replace(
            "channels = [\"资金奖励\"]",
            "channels = [\"资金奖励\"]\n[[rules.kinds]]\nname = \"国家级园区\"\nlevel = \"园区\"\nunit_kinds = [\"国家级经开区\"]",
        );
        let err = Programme::from_toml("p.toml", &park).unwrap_err().to_string();
        assert!(err.contains("rules.kinds[1]") && err.contains("park_classes"), "{err}");
    }

    #[test]
    fn malformed_toml_names_the_line_and_column() {
        let bad = MINI.replace("year = 2024", "year = 2024x");
        let err = Programme::from_toml("p.toml", &bad).unwrap_err().to_string();
        assert!(err.contains("p.toml") && err.contains("第 3 行"), "{err}");
    }

    #[test]
    fn the_recovery_rule_defaults_to_no_refill_and_reads_refill() {
        let p = Programme::from_toml("2024.toml", MINI).unwrap();
        assert!(!p.recovery.refill, "a place lost to a recovery stays empty by default");
        let text = format!("{MINI}\n[recovery]\nrefill = true\n");
        assert!(Programme::from_toml("2024.toml", &text).unwrap().recovery.refill);
        let typo = format!("{MINI}\n[recovery]\nrefil = true\n");
        assert!(Programme::from_toml("2024.toml", &typo).is_err(), "an unknown key is refused");
    }

    #[test]
    fn unknown_field_is_rejected() {
        let bad = MINI.replace("short = \"财源\"", "short = \"财源\"\nbudget = 1");
        let err = Programme::from_toml("p.toml", &bad).unwrap_err().to_string();
        assert!(err.contains("budget"), "{err}");
    }
}
