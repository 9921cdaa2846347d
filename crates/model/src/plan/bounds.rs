//! A plan (or programme) file from a user is bounded before it is parsed and checked: its size
//! and its nesting first (a TOML parser recurses into nested arrays and tables), then, after
//! the cheap parse, its counts of indicators, groups, vetoes and rewards — before the checks,
//! lint and trial evaluations that cost in proportion to them.

use super::draft::PlanDraft;
use crate::error::ModelError;
use crate::limits::{Limits, show_amount};
use crate::location::Location;

/// Deeper nesting than any plan needs (a plan's deepest is an inline table in an array in a
/// table: 3).
pub const MAX_NESTING: usize = 32;

/// Size and nesting of a TOML text, checked without parsing it.
pub fn check_text(file: &str, text: &str, limits: &Limits) -> Result<(), ModelError> {
    if text.len() as u64 > limits.plan_bytes {
        return Err(ModelError::invalid(
            Location::file(file),
            format!(
                "文件大小 {} 超过上限 {}（plan_bytes）：实施方案通常只有几十 KB，请检查是否选错了文件",
                show_amount(text.len() as u64, true),
                show_amount(limits.plan_bytes, true)
            ),
        ));
    }
    if let Some(offset) = too_deep(text) {
        return Err(ModelError::invalid(
            Location::file(file).at_offset(text, offset),
            format!("方括号或花括号嵌套超过 {MAX_NESTING} 层：方案中不需要这样深的嵌套，请检查括号是否配对"),
        ));
    }
    Ok(())
}

/// The byte offset where brackets outside strings and comments nest deeper than
/// [`MAX_NESTING`], if they do. Strings are tracked by quote parity, which also covers TOML's
/// `"""` and `'''` multi-line strings.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match (quote, b) {
            (Some(b'"'), b'\\') => i += 1,
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'#') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            (None, b'[' | b'{') => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The counts of a parsed plan, checked before the plan is checked or evaluated.
pub fn check_counts(file: &str, text: &str, draft: &PlanDraft, limits: &Limits) -> Result<(), ModelError> {
    let counts = [
        (
            "指标",
            draft.indicators.len(),
            limits.plan_indicators,
            "plan_indicators",
            draft.indicators.first().map(|s| s.span().start),
        ),
        ("分组", draft.groups.len(), limits.plan_items, "plan_items", draft.groups.first().map(|s| s.span().start)),
        (
            "一票否决项",
            draft.vetoes.len(),
            limits.plan_items,
            "plan_items",
            draft.vetoes.first().map(|s| s.span().start),
        ),
        ("奖励项", draft.rewards.len(), limits.plan_items, "plan_items", draft.rewards.first().map(|s| s.span().start)),
        (
            "指标组（pillars）",
            draft.pillars.len(),
            limits.plan_items,
            "plan_items",
            draft.pillars.first().map(|s| s.span().start),
        ),
    ];
    let problems: Vec<ModelError> = counts
        .into_iter()
        .filter(|(_, n, max, _, _)| *n as u64 > *max)
        .map(|(what, n, max, key, at)| {
            let location = at.map_or_else(|| Location::file(file), |o| Location::file(file).at_offset(text, o));
            ModelError::invalid(
                location,
                format!(
                    "方案有 {} 个{what}，超过上限 {}（{key}）：请精简为结果导向的少数关键{what}",
                    show_amount(n as u64, false),
                    show_amount(max, false)
                ),
            )
        })
        .collect();
    if problems.is_empty() { Ok(()) } else { Err(ModelError::several(problems)) }
}

impl PlanDraft {
    /// Read a plan file from a user: bounded (size and nesting, then counts) before anything
    /// that costs in proportion to its content.
    pub fn parse_bounded(file: &str, text: &str, limits: &Limits) -> Result<PlanDraft, ModelError> {
        check_text(file, text, limits)?;
        let draft = PlanDraft::parse(file, text)?;
        check_counts(file, text, &draft, limits)?;
        Ok(draft)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_counted_outside_strings_and_comments() {
        assert_eq!(too_deep("a = [[1], [2]]\n"), None);
        let deep = format!("a = {}{}\n", "[".repeat(40), "]".repeat(40));
        assert_eq!(too_deep(&deep), Some(4 + MAX_NESTING));
        let quoted = format!("a = \"{}\"\nb = '{}'\n# {}\n", "[".repeat(99), "{".repeat(99), "[".repeat(99));
        assert_eq!(too_deep(&quoted), None);
        let multi = format!("a = \"\"\"\n{}\n\"\"\"\nb = [1]\n", "[".repeat(99));
        assert_eq!(too_deep(&multi), None);
        assert_eq!(too_deep("a = \"\\\"[[[\"\n"), None);
    }

    #[test]
    fn a_deeply_nested_file_is_refused_before_the_parser_recurses() {
        let text = format!("x = {}1{}\n", "[".repeat(1_000_000), "]".repeat(1_000_000));
        let limits = Limits { plan_bytes: 4 * 1024 * 1024, ..Limits::default() };
        let err = check_text("深.toml", &text, &limits).unwrap_err().to_string();
        assert!(err.contains("嵌套超过 32 层") && err.contains("深.toml"), "{err}");
    }

    #[test]
    fn a_large_file_is_refused_with_the_limit_named() {
        let text = "#".repeat(300 * 1024);
        let err = check_text("大.toml", &text, &Limits::default()).unwrap_err().to_string();
        assert!(err.contains("300 KiB") && err.contains("256 KiB") && err.contains("plan_bytes"), "{err}");
    }
}
