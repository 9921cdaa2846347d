//! The results notice (通报) as a document: its parts and tables, with no knowledge of where
//! they came from (`jili-app` builds it from a publication) or how they are laid out
//! ([`docx`] writes it as Word, the web as a printable page).

pub mod docx;
pub mod fonts;
pub mod layout;

use serde::Serialize;

/// The label a demo notice carries in its title area: demo results must never pass for real ones.
pub const DEMO_LABEL: &str = "演示数据，非正式通报";

/// The headings of an annex table of winners, in column order.
pub const COLUMNS: [&str; 6] = ["单位", "分组", "得分", "名次", "奖励（万元）", "奖励内容"];

/// The headings of the commendations table.
pub const COMMENDATION_COLUMNS: [&str; 3] = ["单位", "肯定其经验做法的督查", "典型经验做法"];

/// A results notice (通报) in the parts GB/T 9704-2012 names, ready to lay out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notice {
    pub year: i32,
    /// The publication version this notice states (a correction is a later version).
    pub version: i64,
    pub sha256: String,
    pub published_at: String,
    /// [`DEMO_LABEL`] for a demo publication, to show prominently in the title area.
    pub demo_label: Option<String>,
    /// 发文机关, e.g. 湖南省人民政府办公厅.
    pub authority: String,
    /// 发文机关标志: the authority followed by 文件, printed in red.
    pub mark: String,
    /// 发文字号 as a placeholder with the number left blank (e.g. 湘政办通〔2025〕　　号):
    /// jili does not assign document numbers; the office's registry fills it in.
    pub doc_no: String,
    pub title: String,
    /// 主送机关, ending with a full-width colon.
    pub addressees: String,
    pub body: Vec<Paragraph>,
    /// 附件说明, e.g. 附件：2024年……评价结果.
    pub annex_note: String,
    /// 落款: the authority's signature and the date in 2025年3月1日 style (Beijing time).
    pub signature: String,
    pub date: String,
    /// 附注, e.g. （此件主动公开）.
    pub remark: String,
    pub annex: Annex,
    /// Where the notice comes from (publication version and date, its SHA-256, the data
    /// release it rests on): short lines set small, left-aligned and unjustified after the
    /// annex, so a 64-character digest never stretches a body line.
    pub provenance: Vec<String>,
}

/// One paragraph of the body, with its level (the levels are set in different typefaces).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    pub kind: Kind,
    pub text: String,
}

/// A paragraph's level: 一、 headings, （一） headings, or running text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Heading1,
    Heading2,
    Text,
}

/// What the annex lists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnnexForm {
    /// The places rewarded under each measure, names only, as the province publishes them
    /// (湘政办发〔2025〕1号's 成效明显的地区名单). The default.
    #[default]
    Names,
    /// The longer annex: each measure's winners in a table with group, score, rank and award,
    /// vetoes and corrections, and the commendations with their practices.
    Scores,
}

impl AnnexForm {
    /// The form named `names` or `scores` (名单 / 得分), as the CLI's `--annex` and the web's
    /// `?annex=` take it.
    pub fn parse(word: &str) -> Option<AnnexForm> {
        match word.trim() {
            "names" | "名单" => Some(AnnexForm::Names),
            "scores" | "得分" => Some(AnnexForm::Scores),
            _ => None,
        }
    }
}

/// The annex (附件): the winners of each measure and the commendations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Annex {
    pub form: AnnexForm,
    pub title: String,
    pub measures: Vec<AnnexMeasure>,
    pub commendations: Vec<Commended>,
    /// The heading of the commended places in the name list: what the programme's commendation
    /// item says they did.
    pub commended_heading: String,
}

/// One section of the name-list annex: its numbered heading and its lines of names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameSection {
    /// 一、推动高质量发展成效明显的县市区
    pub heading: String,
    /// 长沙县、浏阳市…, or one line per level (市州：…) where several levels are rewarded.
    pub lines: Vec<String>,
}

impl Annex {
    /// The name-list annex: a section for each measure with rewarded places (numbered 一、二、…
    /// in order) and one for the commended places. The DOCX and the page show the same.
    pub fn name_sections(&self) -> Vec<NameSection> {
        let mut sections: Vec<NameSection> = Vec::new();
        for m in self.measures.iter().filter(|m| m.names.iter().any(|l| !l.names.is_empty())) {
            let numeral = chinese_number(sections.len() as u32 + 1);
            sections.push(NameSection { heading: format!("{numeral}、{}", m.achievement), lines: m.name_lines() });
        }
        let mut commended: Vec<&str> = Vec::new();
        for c in &self.commendations {
            if !commended.contains(&c.unit.as_str()) {
                commended.push(&c.unit);
            }
        }
        if !commended.is_empty() {
            let numeral = chinese_number(sections.len() as u32 + 1);
            sections.push(NameSection {
                heading: format!("{numeral}、{}", self.commended_heading),
                lines: vec![commended.join("、")],
            });
        }
        sections
    }
}

/// The rewarded places of one level under a measure, in code order (administrative order, as
/// the province lists them: no order that would give away a rank).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameList {
    /// 市州, 县市区, 管理区 or 园区.
    pub level: String,
    pub names: Vec<String>,
}

/// One measure's section of the annex.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnexMeasure {
    pub no: u32,
    /// The heading: the measure's number in Chinese as in the programme, its name and lead.
    pub heading: String,
    /// 评价依据: the implementation plan the results were computed by.
    pub basis: String,
    pub rows: Vec<AnnexRow>,
    /// The measure's award total (万元).
    pub total_wan: u64,
    /// Vetoes and the office's corrections, stated publicly with their reasons.
    pub notes: Vec<String>,
    /// What the measure's own text says was achieved, the heading of its name list
    /// (推动高质量发展成效明显的县市区).
    pub achievement: String,
    /// The rewarded places by level, names only.
    pub names: Vec<NameList>,
}

impl AnnexMeasure {
    /// The name list's lines: the names joined with 、, one line per level prefixed with the
    /// level (市州：…) only where places of several levels are rewarded.
    pub fn name_lines(&self) -> Vec<String> {
        let lists: Vec<&NameList> = self.names.iter().filter(|l| !l.names.is_empty()).collect();
        match lists.as_slice() {
            [one] => vec![one.names.join("、")],
            many => many.iter().map(|l| format!("{}：{}", l.level, l.names.join("、"))).collect(),
        }
    }
}

/// One winner in an annex table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnexRow {
    pub unit: String,
    pub group: Option<String>,
    pub score: Option<f64>,
    pub rank: Option<u32>,
    pub award_wan: Option<u64>,
    pub items: Vec<String>,
}

impl AnnexRow {
    /// The row's cells as printed, in [`COLUMNS`] order (the DOCX and the HTML show the same).
    pub fn cells(&self) -> [String; 6] {
        let dash = || "—".to_string();
        [
            self.unit.clone(),
            self.group.clone().unwrap_or_else(dash),
            self.score.filter(|s| s.is_finite()).map_or_else(dash, |s| format!("{s:.2}")),
            self.rank.map_or_else(dash, |r| r.to_string()),
            self.award_wan.filter(|a| *a > 0).map_or_else(dash, |a| a.to_string()),
            if self.items.is_empty() { dash() } else { self.items.join("；") },
        ]
    }
}

/// A commended unit (通报表扬).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commended {
    pub unit: String,
    pub inspection: String,
    pub practice: String,
}

impl Commended {
    /// The row's cells in [`COMMENDATION_COLUMNS`] order.
    pub fn cells(&self) -> [String; 3] {
        [self.unit.clone(), self.inspection.clone(), self.practice.clone()]
    }
}

/// Chinese numerals for 1–99, as the programme numbers its measures (一、……二十、).
pub fn chinese_number(n: u32) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = ((n / 10) as usize, (n % 10) as usize);
    let unit = if ones == 0 { "" } else { D[ones] };
    match tens {
        0 => D[ones].to_string(),
        1 => format!("十{unit}"),
        2..=9 => format!("{}十{unit}", D[tens]),
        _ => n.to_string(),
    }
}
