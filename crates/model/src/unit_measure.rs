//! Units of measure as SDMX codes. The catalogue writes a series' unit in Chinese (亿元, %,
//! 家); SDMX wants an ID (`[A-Za-z0-9_@$-]+`) from a codelist. One table gives each unit jili
//! knows a readable code (亿元 → `CNY_E8`, % → `PC`); any other unit gets a code spelt from its
//! UTF-8 bytes (`X_` and hexadecimal), so every unit has exactly one code, the same in every
//! export, and the code reads back to the unit.

/// (中文, code, English) for the units jili knows.
pub const UNIT_MEASURES: [(&str, &str, &str); 46] = [
    ("元", "CNY", "yuan"),
    ("千元", "CNY_E3", "thousand yuan"),
    ("万元", "CNY_E4", "10 thousand yuan"),
    ("百万元", "CNY_E6", "million yuan"),
    ("亿元", "CNY_E8", "100 million yuan"),
    ("美元", "USD", "US dollars"),
    ("万美元", "USD_E4", "10 thousand US dollars"),
    ("亿美元", "USD_E8", "100 million US dollars"),
    ("%", "PC", "percent"),
    ("‰", "PML", "per mille"),
    ("个", "NUM_GE", "number (个)"),
    ("家", "NUM_JIA", "number of enterprises or institutions (家)"),
    ("项", "NUM_XIANG", "number of items or projects (项)"),
    ("件", "NUM_JIAN", "number of pieces or cases (件)"),
    ("户", "HH", "households"),
    ("起", "NUM_QI", "number of incidents (起)"),
    ("次", "TIMES", "times"),
    ("列", "TRAINS", "trains"),
    ("辆", "VEH", "vehicles"),
    ("万辆", "VEH_E4", "10 thousand vehicles"),
    ("人", "PS", "persons"),
    ("万人", "PS_E4", "10 thousand persons"),
    ("人次", "PS_TIMES", "person-times"),
    ("万人次", "PS_TIMES_E4", "10 thousand person-times"),
    ("吨", "T", "tonnes"),
    ("万吨", "T_E4", "10 thousand tonnes"),
    ("千瓦时", "KWH", "kilowatt hours"),
    ("万千瓦时", "KWH_E4", "10 thousand kilowatt hours"),
    ("亿千瓦时", "KWH_E8", "100 million kilowatt hours"),
    ("千瓦", "KW", "kilowatts"),
    ("万千瓦", "KW_E4", "10 thousand kilowatts"),
    ("公顷", "HA", "hectares"),
    ("亩", "MU", "mu (1/15 hectare)"),
    ("平方米", "M2", "square metres"),
    ("万平方米", "M2_E4", "10 thousand square metres"),
    ("平方公里", "KM2", "square kilometres"),
    ("公里", "KM", "kilometres"),
    ("微克/立方米", "UG_M3", "micrograms per cubic metre"),
    ("毫克/升", "MG_L", "milligrams per litre"),
    ("天", "DAY", "days"),
    ("年", "YR", "years"),
    ("级", "GRADE", "grade (级)"),
    ("元/人", "CNY_PS", "yuan per person"),
    ("万元/人", "CNY_E4_PS", "10 thousand yuan per person"),
    ("个百分点", "PP", "percentage points"),
    ("分", "POINTS", "points"),
];

/// The SDMX code of a unit of measure: from [`UNIT_MEASURES`], else `X_` and the unit's UTF-8
/// bytes in hexadecimal (元/吨 → `X_E58583...`). Empty for an empty unit.
pub fn unit_measure_code(unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() {
        return String::new();
    }
    match UNIT_MEASURES.iter().find(|(name, _, _)| *name == unit) {
        Some((_, code, _)) => (*code).to_string(),
        None => {
            let hex: String = unit.bytes().map(|b| format!("{b:02X}")).collect();
            format!("X_{hex}")
        }
    }
}

/// The unit of measure a code stands for (the inverse of [`unit_measure_code`]); `None` for a
/// text that is no such code.
pub fn unit_measure_of(code: &str) -> Option<String> {
    let code = code.trim();
    if let Some((name, _, _)) = UNIT_MEASURES.iter().find(|(_, c, _)| *c == code) {
        return Some((*name).to_string());
    }
    let hex = code.strip_prefix("X_")?;
    if hex.is_empty() || !hex.len().is_multiple_of(2) || hex.len() > 256 {
        return None;
    }
    let bytes: Option<Vec<u8>> =
        (0..hex.len()).step_by(2).map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok())).collect();
    String::from_utf8(bytes?).ok().filter(|s| !s.trim().is_empty())
}

/// The English name of a unit jili knows (for the codelist's second language).
pub fn unit_measure_english(unit: &str) -> Option<&'static str> {
    UNIT_MEASURES.iter().find(|(name, _, _)| *name == unit.trim()).map(|(_, _, en)| *en)
}

/// Whether `id` is a valid SDMX identifier (`[A-Za-z0-9_@$-]+`), as codes must be.
pub fn is_sdmx_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'@' | b'$' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_unit_has_one_valid_code_that_reads_back() {
        let mut codes: Vec<&str> = UNIT_MEASURES.iter().map(|(_, c, _)| *c).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), UNIT_MEASURES.len(), "codes are unique");
        for (name, code, _) in UNIT_MEASURES {
            assert!(is_sdmx_id(code), "{code}");
            assert_eq!(unit_measure_code(name), code);
            assert_eq!(unit_measure_of(code).as_deref(), Some(name));
        }
    }

    #[test]
    fn an_unknown_unit_is_spelt_in_hexadecimal_and_reads_back() {
        let code = unit_measure_code("元/吨");
        assert!(code.starts_with("X_") && is_sdmx_id(&code), "{code}");
        assert_eq!(unit_measure_of(&code).as_deref(), Some("元/吨"));
        assert_eq!(unit_measure_code(" 亿元 "), "CNY_E8");
        assert_eq!(unit_measure_code(""), "");
        assert_eq!(unit_measure_of("亿元"), None, "a name is no code");
        assert_eq!(unit_measure_of("X_F"), None);
        assert_eq!(unit_measure_of("X_FFFE"), None, "not UTF-8");
        assert!(!is_sdmx_id("43 01") && !is_sdmx_id("") && is_sdmx_id("YQ43012101"));
    }
}
