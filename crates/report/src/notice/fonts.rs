//! The typefaces GB/T 9704 names and their fallbacks, as the font table (`word/fontTable.xml`)
//! declares them. A machine without 仿宋_GB2312 (a stock Windows has 仿宋, WPS and Linux have
//! other names) should still set the body in a 仿宋-class face, not whatever its default is.
//!
//! Word and WPS read `w:altName` (the face to use when this one is missing), `w:panose1`,
//! `w:charset` and `w:family` to pick a substitute (ECMA-376 §17.8.3). Each fallback is itself
//! listed with its own `altName`, so the chain goes on: 仿宋_GB2312 → 仿宋 → FangSong.
//! LibreOffice ignores the font table and substitutes through fontconfig; for it the runs name
//! the face for East Asian text (`w:eastAsia`, `w:hint="eastAsia"`) and the language (zh-CN),
//! and the render check (`scripts/notice/render.sh`) maps the names with fontconfig aliases.

use super::docx::esc;

/// One entry of the font table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Face {
    pub name: &'static str,
    /// The face to use where `name` is missing (`w:altName`); `""` at the end of a chain.
    pub alt: &'static str,
    /// The PANOSE-1 classification (10 bytes in hex) of the Windows face of that name.
    pub panose: &'static str,
    /// `roman` (serif), `swiss` (sans serif) or `modern` (monospace).
    pub family: &'static str,
    pub pitch: &'static str,
    /// The character set: 86 is GB2312 (`w:charset` in hex: 86 = 0x86), 00 ANSI.
    pub charset: &'static str,
}

const fn cjk(name: &'static str, alt: &'static str, panose: &'static str, family: &'static str) -> Face {
    Face { name, alt, panose, family, pitch: "variable", charset: "86" }
}

/// Every face the notice names and each one's chain of fallbacks, in the order the chains go.
pub const FACES: [Face; 13] = [
    // Body text: 仿宋_GB2312 → 仿宋 → FangSong (the English name Windows also answers to).
    cjk("仿宋_GB2312", "仿宋", "02010609030101010101", "roman"),
    cjk("仿宋", "FangSong", "02010609060101010101", "roman"),
    cjk("FangSong", "", "02010609060101010101", "roman"),
    // Titles: 方正小标宋简体 → 华文中宋 → 宋体 → SimSun.
    cjk("方正小标宋简体", "华文中宋", "02000000000000000000", "roman"),
    cjk("华文中宋", "宋体", "02010600040101010101", "roman"),
    cjk("宋体", "SimSun", "02010600030101010101", "roman"),
    cjk("SimSun", "", "02010600030101010101", "roman"),
    // Second-level headings: 楷体_GB2312 → 楷体 → KaiTi.
    cjk("楷体_GB2312", "楷体", "02010609030101010101", "roman"),
    cjk("楷体", "KaiTi", "02010609060101010101", "roman"),
    cjk("KaiTi", "", "02010609060101010101", "roman"),
    // First-level headings and table heads: 黑体 → SimHei.
    cjk("黑体", "SimHei", "02010609060101010101", "swiss"),
    cjk("SimHei", "", "02010609060101010101", "swiss"),
    // The provenance lines' digests: a monospace Latin face.
    Face {
        name: "Courier New",
        alt: "",
        panose: "02070309020205020404",
        family: "modern",
        pitch: "fixed",
        charset: "00",
    },
];

/// The chain of fallbacks of `name`, itself first (仿宋_GB2312, 仿宋, FangSong).
pub fn chain(name: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut next = FACES.iter().find(|f| f.name == name);
    while let Some(face) = next {
        if out.contains(&face.name) {
            break;
        }
        out.push(face.name);
        next = FACES.iter().find(|f| f.name == face.alt);
    }
    out
}

/// `word/fontTable.xml`.
pub fn font_table(ns: &str) -> String {
    let fonts: String = FACES
        .iter()
        .map(|f| {
            let alt = if f.alt.is_empty() { String::new() } else { format!(r#"<w:altName w:val="{}"/>"#, esc(f.alt)) };
            format!(
                r#"<w:font w:name="{}">{alt}<w:panose1 w:val="{}"/><w:charset w:val="{}"/><w:family w:val="{}"/><w:pitch w:val="{}"/></w:font>"#,
                esc(f.name),
                f.panose,
                f.charset,
                f.family,
                f.pitch
            )
        })
        .collect();
    format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts {ns}>{fonts}</w:fonts>"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chain_ends_in_a_face_windows_has() {
        assert_eq!(chain("仿宋_GB2312"), ["仿宋_GB2312", "仿宋", "FangSong"]);
        assert_eq!(chain("方正小标宋简体"), ["方正小标宋简体", "华文中宋", "宋体", "SimSun"]);
        assert_eq!(chain("楷体_GB2312"), ["楷体_GB2312", "楷体", "KaiTi"]);
        assert_eq!(chain("黑体"), ["黑体", "SimHei"]);
        for f in FACES {
            assert!(f.alt.is_empty() || FACES.iter().any(|g| g.name == f.alt), "{} → {}", f.name, f.alt);
            assert_eq!(f.panose.len(), 20, "{}", f.name);
        }
    }
}
