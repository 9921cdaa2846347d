//! The results notice (通报) as a document: its parts and tables, with no knowledge of where
//! they came from (`jili-app` builds it from a publication) or how they are laid out
//! ([`docx`] writes it as Word, the web as a printable page).

pub mod docx;

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

/// The annex (附件): the winners of each measure and the commendations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Annex {
    pub title: String,
    pub measures: Vec<AnnexMeasure>,
    pub commendations: Vec<Commended>,
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
