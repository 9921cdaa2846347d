//! The input limits in force: the office's own, stored in the database (audited) so that every
//! server and the command line on that database refuse the same inputs, or jili's defaults.
//! Also the checks of free text and names every use-case applies before it stores them.

use crate::App;
use crate::error::{AppError, Result};
use jili_model::{Limits, show_amount};

/// The settings key of the limits file.
pub const LIMITS_KEY: &str = "limits";

impl App {
    /// The limits in force.
    pub async fn limits(&self) -> Result<Limits> {
        match self.store.setting(LIMITS_KEY).await? {
            Some(text) => Ok(Limits::from_toml("数据库中的上限设置", &text)?),
            None => Ok(Limits::default()),
        }
    }

    /// The limits as a file, and where they come from (the database, or jili's defaults).
    pub async fn limits_text(&self) -> Result<(String, String)> {
        Ok(match self.store.setting(LIMITS_KEY).await? {
            Some(text) => ("数据库（办公厅设定）".to_string(), text),
            None => ("jili 默认值".to_string(), Limits::default().to_toml()),
        })
    }

    /// Replace the limits with the office's own file, after checking it.
    pub async fn load_limits(&self, file: &str, text: &str) -> Result<Limits> {
        self.allow(crate::Action::Configure)?;
        let limits = Limits::from_toml(file, text)?;
        self.store.put_setting(&self.actor(), LIMITS_KEY, text).await?;
        Ok(limits)
    }
}

/// A free-text field (a note, a reason, a review comment, a practice) within `text_chars`.
pub fn check_text(field: &str, value: &str, limits: &Limits) -> Result<()> {
    check_chars(field, value, limits.text_chars, "text_chars", "请精简后重新填写；详细材料请另行报送")
}

/// A name (a user's, a file's label) within `name_chars`.
pub fn check_name(field: &str, value: &str, limits: &Limits) -> Result<()> {
    check_chars(field, value, limits.name_chars, "name_chars", "请改短一些")
}

fn check_chars(field: &str, value: &str, max: u64, key: &str, fix: &str) -> Result<()> {
    // Counting characters stops at the limit: a 2 MB note costs no more than a long one.
    let counted = value.chars().take(usize::try_from(max).unwrap_or(usize::MAX).saturating_add(1)).count() as u64;
    if counted > max {
        return Err(AppError::Invalid(format!("“{field}”超过 {} 字的上限（{key}）：{fix}", show_amount(max, false))));
    }
    Ok(())
}

/// What is kept of a file's name: its last path part, without control or direction-changing
/// characters (which could make a name read as another in a list), at most `name_chars`
/// characters. The name is a label for people; nothing opens a file by it.
pub fn file_label(name: &str, limits: &Limits) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let max = usize::try_from(limits.name_chars).unwrap_or(usize::MAX);
    let clean: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}'))
        .take(max)
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_string();
    if clean.is_empty() { "未命名文件".to_string() } else { clean }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_refused_with_the_limit_named() {
        let limits = Limits::default();
        assert!(check_text("理由", &"字".repeat(2000), &limits).is_ok());
        let err = check_text("理由", &"字".repeat(2_000_000), &limits).unwrap_err().to_string();
        assert!(err.contains("理由") && err.contains("2,000") && err.contains("text_chars"), "{err}");
        assert!(check_name("用户名", &"a".repeat(101), &limits).is_err());
    }

    #[test]
    fn file_names_become_labels() {
        let limits = Limits::default();
        assert_eq!(file_label("C:\\Users\\张三\\地区生产总值.xlsx", &limits), "地区生产总值.xlsx");
        assert_eq!(file_label("../../etc/passwd", &limits), "passwd");
        assert_eq!(file_label("a\u{202E}xslx.exe", &limits), "axslx.exe");
        assert_eq!(file_label("数据\n2024.csv", &limits), "数据2024.csv");
        assert_eq!(file_label("", &limits), "未命名文件");
        assert_eq!(file_label(".hidden", &limits), "hidden");
        assert_eq!(file_label(&"长".repeat(500), &limits).chars().count(), 100);
    }
}
