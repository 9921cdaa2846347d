//! How the programme's results notice (通报) is worded (`[notice]` in a programme file): the
//! word of its document number and the patterns of its title and annex title. Hunan's 2024
//! results were published as 湘政办发〔2025〕1号, 《湖南省人民政府办公厅关于对实施2024年大抓落实
//! 工作激励措施二十条成效明显的地区予以表扬激励的通报》, with the annex 《实施2024年大抓落实工作
//! 激励措施二十条成效明显的地区名单》; the defaults are that form, and another province or year
//! writes its own words here instead of changing code.

use crate::error::ModelError;
use crate::location::Location;
use serde::{Deserialize, Serialize};

/// The placeholders a notice pattern may use.
pub const PLACEHOLDERS: [&str; 3] = ["{issuer}", "{year}", "{name}"];

/// The wording of the results notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NoticeForm {
    /// The word after the issuer's abbreviation in the document number: 发 in 湘政办发〔2025〕1号
    /// (函, 通 … for other kinds of document).
    pub doc_word: String,
    /// The title, with `{issuer}` (发文机关), `{year}` (the programme year) and `{name}` (the
    /// programme's name, e.g. 2024年大抓落实工作激励措施二十条).
    pub title: String,
    /// The annex's title (the list of rewarded places), with the same placeholders.
    pub annex_title: String,
}

impl Default for NoticeForm {
    fn default() -> Self {
        NoticeForm {
            doc_word: "发".to_string(),
            title: "{issuer}关于对实施{name}成效明显的地区予以表扬激励的通报".to_string(),
            annex_title: "实施{name}成效明显的地区名单".to_string(),
        }
    }
}

impl NoticeForm {
    /// Check the wording: a non-empty document word of a few characters, and patterns that use
    /// only the known placeholders. `at` names the field in errors.
    pub fn check(&self, at: &dyn Fn(&str) -> Location) -> Result<(), ModelError> {
        let word = self.doc_word.trim();
        if word.is_empty() || word.chars().count() > 4 || word.contains(['〔', '〕', '[', ']']) {
            return Err(ModelError::invalid(
                at("notice.doc_word"),
                format!("文号用字“{}”应为一至四个字，例如 发、函（湘政办发〔2025〕1号 中的“发”）", self.doc_word),
            ));
        }
        for (field, pattern) in [("notice.title", &self.title), ("notice.annex_title", &self.annex_title)] {
            if pattern.trim().is_empty() {
                return Err(ModelError::invalid(at(field), "标题不能为空".to_string()));
            }
            let mut rest = pattern.as_str();
            while let Some(open) = rest.find('{') {
                let close = rest[open..].find('}').map(|c| open + c + 1);
                let word = close.map_or(&rest[open..], |c| &rest[open..c]);
                if !PLACEHOLDERS.contains(&word) {
                    return Err(ModelError::invalid(
                        at(field),
                        format!("标题中的“{word}”不是可用的占位符：只能用 {}", PLACEHOLDERS.join("、")),
                    ));
                }
                rest = &rest[close.unwrap_or(rest.len())..];
            }
        }
        Ok(())
    }

    /// A pattern with its placeholders filled in.
    pub fn fill(pattern: &str, issuer: &str, year: i32, name: &str) -> String {
        pattern.replace("{issuer}", issuer).replace("{year}", &year.to_string()).replace("{name}", name)
    }
}

/// What a measure's (or the commendation item's) sentence says was achieved, as the heading of
/// its list in the annex: 对推动高质量发展成效明显的县市区,予以资金奖励。→ 推动高质量发展成效明显的
/// 县市区. The leading 对 and the reward clause after the last comma go; half-width punctuation
/// as some reprints have it is printed full-width. A sentence of another shape is kept whole.
pub fn achievement(text: &str) -> String {
    let text = text.trim().trim_end_matches(['。', '.']);
    let core = match text.rfind([',', '，']) {
        Some(at) if text.starts_with('对') => &text['对'.len_utf8()..at],
        _ => text,
    };
    core.chars()
        .map(|c| match c {
            ',' => '，',
            '(' => '（',
            ')' => '）',
            ';' => '；',
            ':' => '：',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_achievement_is_the_sentence_without_its_reward() {
        assert_eq!(achievement("对推动高质量发展成效明显的县市区,予以资金奖励。"), "推动高质量发展成效明显的县市区");
        assert_eq!(
            achievement("对推动“两新”(大规模设备更新),促消费成效明显的市州，在省预算内基本建设投资中予以资金奖励。"),
            "推动“两新”（大规模设备更新），促消费成效明显的市州"
        );
        assert_eq!(achievement("奖励先进地区"), "奖励先进地区", "another shape is kept");
    }

    #[test]
    fn patterns_use_known_placeholders_only() {
        let at = |f: &str| Location::file("p.toml").field(f);
        assert!(NoticeForm::default().check(&at).is_ok());
        let bad = NoticeForm { title: "{issuer}关于{programme}的通报".into(), ..NoticeForm::default() };
        let err = bad.check(&at).unwrap_err().to_string();
        assert!(err.contains("{programme}") && err.contains("notice.title"), "{err}");
        let open = NoticeForm { annex_title: "名单{name".into(), ..NoticeForm::default() };
        assert!(open.check(&at).unwrap_err().to_string().contains("notice.annex_title"));
        let word = NoticeForm { doc_word: "".into(), ..NoticeForm::default() };
        assert!(word.check(&at).unwrap_err().to_string().contains("notice.doc_word"));
        let filled = NoticeForm::fill(&NoticeForm::default().title, "湖南省人民政府办公厅", 2024, "2024年二十条");
        assert_eq!(filled, "湖南省人民政府办公厅关于对实施2024年二十条成效明显的地区予以表扬激励的通报");
    }
}
