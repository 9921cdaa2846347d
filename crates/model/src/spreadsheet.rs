//! Text bound for a spreadsheet cell, made safe to open. A CSV or XLSX file jili writes can hold
//! text that someone else typed (a user's display name, a provider's cell, a name tried at
//! login); Excel, WPS and LibreOffice take a cell beginning with `=`, `+`, `-` or `@` as a
//! formula (`=HYPERLINK("http://…","点击")` sends whoever clicks it elsewhere), and a leading tab
//! or carriage return can hide such a start. Every writer of jili's CSV and XLSX files passes its
//! text cells through [`safe_cell`] (it lives in `model` because both the intake's validation
//! report and the app's exports use it, and `model` is the one crate below both).
//!
//! ```
//! use jili_model::spreadsheet::safe_cell;
//!
//! assert_eq!(safe_cell("=HYPERLINK(\"http://x\",\"y\")"), "'=HYPERLINK(\"http://x\",\"y\")");
//! assert_eq!(safe_cell("-2.3"), "-2.3"); // a number stays data
//! assert_eq!(safe_cell("长沙市"), "长沙市");
//! ```

use std::borrow::Cow;

/// The characters that make a spreadsheet read a cell as a formula (or hide that it does),
/// from OWASP's guidance on CSV injection.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `text` as a spreadsheet cell should hold it: text that a spreadsheet would take as a formula
/// gets a leading apostrophe, which every spreadsheet shows as text; a plain decimal number
/// (`-2.3`, `+5`, `1200`) is data and is left as it is; everything else is unchanged.
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(TRIGGERS) && !is_plain_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether `text` is a plain decimal number: an optional sign, digits, at most one decimal
/// point with digits after it (`-2.3`, `+5`, `0.25`, `-.5`). No exponent, no separators, no
/// spaces: whatever else starts with a sign is treated as text.
pub fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match frac {
        None => !int.is_empty() && all_digits(int),
        Some(f) => !f.is_empty() && all_digits(int) && all_digits(f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_an_apostrophe() {
        for hostile in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1+cmd|' /C calc'!A0",
            "-1+2",
            "@SUM(A1:A9)",
            "\t=1+1",
            "\r=1+1",
            "-",
            "+",
            "=",
            "-2.3e5",
            "-1,234",
            "- 2",
        ] {
            assert_eq!(safe_cell(hostile), format!("'{hostile}"), "{hostile:?}");
        }
    }

    #[test]
    fn numbers_and_ordinary_text_are_left_alone() {
        for plain in
            ["-2.3", "+5", "1200", "0.25", "-.5", "长沙市", "", "'=already", " =1", "a=b", "\n=1", "2024-05-29"]
        {
            assert_eq!(safe_cell(plain), plain, "{plain:?}");
            assert!(matches!(safe_cell(plain), Cow::Borrowed(_)));
        }
    }

    #[test]
    fn plain_numbers_are_recognised_exactly() {
        for yes in ["0", "-0", "+12", "-.5", "12.50"] {
            assert!(is_plain_number(yes), "{yes}");
        }
        // "3." has no digit after its point; "١٢" is not ASCII digits.
        for no in ["", "-", "+", ".", "3.", "1.2.3", "1e5", "--1", "1 2", "١٢"] {
            assert!(!is_plain_number(no), "{no}");
        }
    }
}
