//! Reading one value cell as an exact decimal: thousands separators, full-width digits, a
//! trailing %, the usual marks for "no value". Text in a number cell is an error, never 0.

use super::grid::{Cell, number_text};
use crate::sheet::thousands;
use jili_model::Decimal;
use std::str::FromStr;

/// What a value cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(Decimal),
    /// Blank, —, …, 空, NA: no value; nothing is stored.
    Missing,
}

/// Why a value cell could not be read, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueProblem {
    pub code: &'static str,
    pub message: String,
    pub fix: &'static str,
}

/// Marks providers use for "no value".
pub fn is_missing_mark(t: &str) -> bool {
    matches!(
        t,
        "" | "-"
            | "--"
            | "—"
            | "——"
            | "－"
            | "…"
            | "……"
            | "..."
            | "空"
            | "无"
            | "NA"
            | "N/A"
            | "n/a"
            | "na"
            | "NaN"
            | "/"
            | "\\"
            | "×"
    )
}

/// Read a value cell. `percent_ok` says whether the series is measured in % (so `12.5%` is 12.5).
pub fn read_value(cell: &Cell, percent_ok: bool) -> Result<Value, ValueProblem> {
    match cell {
        Cell::Empty => Ok(Value::Missing),
        Cell::Number(n) if n.is_finite() => decimal(&number_text(*n)).map(Value::Number),
        Cell::Number(_) => Err(problem("not-a-number", "数值无效（无穷大或非数）".into(), "请填写有限的数值")),
        Cell::Text(t) => text(t, percent_ok),
        Cell::Bool(b) => Err(problem(
            "text-in-number",
            format!("单元格是逻辑值 {}，不是数值", if *b { "TRUE" } else { "FALSE" }),
            "请填写数值；没有数据请留空",
        )),
        Cell::Date(d) => Err(problem(
            "date-in-number",
            format!("单元格是日期格式（显示为 {}），不是数值", d.shown),
            "请把单元格格式改为“数值”或“常规”后重新填写",
        )),
        Cell::Error(e) => Err(excel_error(e)),
    }
}

fn excel_error(e: &str) -> ValueProblem {
    problem(
        "excel-error",
        format!("单元格是 Excel 错误值 {e}（公式计算出错）"),
        "请在原表中修正公式（如除数为 0、引用缺失），或填写数值；没有数据请留空",
    )
}

fn problem(code: &'static str, message: String, fix: &'static str) -> ValueProblem {
    ValueProblem { code, message, fix }
}

fn text(raw: &str, percent_ok: bool) -> Result<Value, ValueProblem> {
    // Most cells are plain decimals (departments' systems export them so): read them directly.
    let plain = raw.trim();
    if !plain.is_empty()
        && plain.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && plain.bytes().filter(|b| *b == b'.').count() <= 1
        && plain.bytes().skip(1).all(|b| b != b'-')
        && plain.bytes().any(|b| b.is_ascii_digit())
        && let Ok(d) = Decimal::from_str(plain)
    {
        return Ok(Value::Number(d.normalize()));
    }
    let t: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{3000}' | '\u{a0}'))
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '，' => ',',
            '－' | '−' => '-',
            '＋' => '+',
            '％' => '%',
            _ => c,
        })
        .collect();
    if is_missing_mark(&t) {
        return Ok(Value::Missing);
    }
    if t.starts_with('#') && t.ends_with(['!', '?', 'A']) {
        return Err(excel_error(&t));
    }
    let (body, percent) = match t.strip_suffix('%') {
        Some(b) => (b, true),
        None => (t.as_str(), false),
    };
    if percent && !percent_ok {
        return Err(problem(
            "percent-not-allowed",
            "数值带有 %，但该数据项不是百分比".into(),
            "请填写该数据项计量单位下的数值（去掉 %）",
        ));
    }
    let plain = if body.contains(',') {
        if !thousands(body) {
            return Err(problem(
                "bad-separator",
                "逗号只能作千位分隔符（如 1,234.5）".into(),
                "小数点请用“.”，或去掉分隔符",
            ));
        }
        body.replace(',', "")
    } else {
        body.to_string()
    };
    decimal(&plain)
        .map(Value::Number)
        .map_err(|_| problem("text-in-number", "单元格是文字，不是数值".into(), "请填写数值；没有数据请留空或填“—”"))
}

fn decimal(t: &str) -> Result<Decimal, ValueProblem> {
    let ok = !t.is_empty()
        && t.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
        && t.bytes().any(|b| b.is_ascii_digit());
    let parsed = if !ok {
        None
    } else if t.contains(['e', 'E']) {
        Decimal::from_scientific(t).ok()
    } else {
        Decimal::from_str(t).ok()
    };
    parsed
        .map(|d| d.normalize())
        .ok_or_else(|| problem("text-in-number", "单元格是文字，不是数值".into(), "请填写数值；没有数据请留空或填“—”"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(t: &str) -> String {
        match read_value(&Cell::Text(t.into()), true) {
            Ok(Value::Number(d)) => d.to_string(),
            Ok(Value::Missing) => "missing".into(),
            Err(p) => p.code.into(),
        }
    }

    #[test]
    fn numbers_as_providers_write_them() {
        for (t, want) in [
            ("1234.50", "1234.5"),
            ("1,234,567.8", "1234567.8"),
            ("１２３．４", "123.4"),
            (" 12.5% ", "12.5"),
            ("-3.2", "-3.2"),
            ("1.5E+3", "1500"),
            ("—", "missing"),
            ("…", "missing"),
            ("空", "missing"),
            ("", "missing"),
            ("12,34", "bad-separator"),
            ("约100", "text-in-number"),
            ("0", "0"),
            ("#DIV/0!", "excel-error"),
            ("#N/A", "excel-error"),
            ("1.2.3", "text-in-number"),
            ("e", "text-in-number"),
        ] {
            assert_eq!(read(t), want, "{t}");
        }
    }

    #[test]
    fn cells_of_other_kinds() {
        let num = |c: Cell| read_value(&c, false);
        assert_eq!(
            num(Cell::Number(0.1 + 0.2)).unwrap(),
            Value::Number(Decimal::from_str("0.30000000000000004").unwrap())
        );
        assert_eq!(num(Cell::Number(1234.5)).unwrap(), Value::Number(Decimal::from_str("1234.5").unwrap()));
        assert_eq!(num(Cell::Error("#DIV/0!".into())).unwrap_err().code, "excel-error");
        assert_eq!(num(Cell::date(45292.0, "2024-01-01")).unwrap_err().code, "date-in-number");
        assert_eq!(num(Cell::Text("5%".into())).unwrap_err().code, "percent-not-allowed");
    }
}
