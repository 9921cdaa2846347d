//! Units of measure (计量单位) and conversion between the ones of one kind: a provider's
//! 亿元 column is converted exactly to a series kept in 万元; 吨 for a series in 万元 is an error.

use jili_model::Decimal;

/// (measure, kind, power of ten relative to the kind's base).
const MEASURES: [(&str, &str, i32); 32] = [
    ("元", "money", 0),
    ("千元", "money", 3),
    ("万元", "money", 4),
    ("百万元", "money", 6),
    ("亿元", "money", 8),
    ("人", "people", 0),
    ("万人", "people", 4),
    ("人次", "visits", 0),
    ("万人次", "visits", 4),
    ("%", "percent", 0),
    ("‰", "permille", 0),
    ("个", "count", 0),
    ("家", "count", 0),
    ("项", "count", 0),
    ("件", "count", 0),
    ("户", "count", 0),
    ("吨", "mass", 0),
    ("万吨", "mass", 4),
    ("千瓦时", "energy", 0),
    ("万千瓦时", "energy", 4),
    ("亿千瓦时", "energy", 8),
    ("微克/立方米", "concentration", 0),
    ("美元", "usd", 0),
    ("万美元", "usd", 4),
    ("亿美元", "usd", 8),
    ("起", "events", 0),
    ("列", "trains", 0),
    ("天", "days", 0),
    ("公顷", "hectare", 0),
    ("亩", "mu", 0),
    ("万辆", "vehicles", 4),
    ("辆", "vehicles", 0),
];

/// Measures counted in whole numbers: a value of 2.5 家 is a mistake.
pub const WHOLE: [&str; 11] = ["个", "家", "项", "件", "户", "起", "列", "天", "人", "级", "辆"];

fn find(m: &str) -> Option<(&'static str, i32)> {
    let m = m.trim();
    MEASURES.iter().find(|(name, _, _)| *name == m).map(|(_, kind, p)| (*kind, *p))
}

/// Whether `m` is a measure jili knows (so `（亿元）` in a header is a measure, not a name).
pub fn known(m: &str) -> bool {
    find(m).is_some()
}

/// The factor that turns a value written in `written` into the series' `wanted` measure:
/// `Ok(None)` when they are the same, `Err` when they measure different things.
/// `written` may be an SDMX code (`CNY_E8`, as jili's SDMX-CSV writes UNIT_MEASURE): it is read
/// as the unit it stands for.
pub fn factor(written: &str, wanted: &str) -> Result<Option<Decimal>, String> {
    let decoded = jili_model::unit_measure::unit_measure_of(written);
    let (w, s) = (decoded.as_deref().unwrap_or(written).trim(), wanted.trim());
    if w == s {
        return Ok(None);
    }
    match (find(w), find(s)) {
        (Some((k1, p1)), Some((k2, p2))) if k1 == k2 => {
            let p = p1 - p2;
            let ten = Decimal::from(10);
            let mut f = Decimal::ONE;
            for _ in 0..p.unsigned_abs() {
                f = if p > 0 { f * ten } else { f / ten };
            }
            Ok((f != Decimal::ONE).then_some(f))
        }
        // Unknown pairs (a series in a measure not in the table) pass only when spelt alike.
        _ => Err(format!("计量单位“{w}”与数据项的计量单位“{s}”不符")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn conversions_are_exact() {
        assert_eq!(factor("亿元", "万元").unwrap(), Some(Decimal::from(10_000)));
        assert_eq!(factor("万元", "亿元").unwrap(), Some(Decimal::from_str("0.0001").unwrap()));
        assert_eq!(factor("家", "个").unwrap(), None);
        assert_eq!(factor("%", "%").unwrap(), None);
        assert!(factor("吨", "万元").unwrap_err().contains("不符"));
        assert!(factor("万元", "%").is_err());
    }

    #[test]
    fn an_sdmx_unit_code_reads_as_its_unit() {
        assert_eq!(factor("CNY_E8", "亿元").unwrap(), None, "jili's own SDMX-CSV reads back");
        assert_eq!(factor("CNY_E4", "亿元").unwrap(), Some(Decimal::from_str("0.0001").unwrap()));
        assert_eq!(factor("PC", "%").unwrap(), None);
        assert!(factor("T", "万元").is_err());
    }
}
