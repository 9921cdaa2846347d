//! The results notice as a Word document in the layout of GB/T 9704-2012 (党政机关公文格式):
//! A4, the standard margins, a red 发文机关标志 and separator, 方正小标宋简体 title, 仿宋_GB2312
//! body at 22 lines a page, and "— 1 —" page numbers. Written by hand (a few XML parts in a zip)
//! so the layout is exactly the standard's and the output is byte-for-byte reproducible.

use super::layout::{column_widths, title_lines};
use super::{AnnexForm, COLUMNS, COMMENDATION_COLUMNS, Kind, Notice, chinese_number};
use crate::{ReportError, Result};
use std::io::Write;

const XBS: &str = "方正小标宋简体";
const FS: &str = "仿宋_GB2312";
const HT: &str = "黑体";
const KT: &str = "楷体_GB2312";
const ST: &str = "宋体";
const RED: &str = "FF0000";
/// The Latin face of the provenance lines (a digest reads best in a monospace face).
const MONO: &str = "Courier New";
/// Exact line pitch: 28.95 pt, 22 lines in the 225 mm type area.
const LINE: u32 = 579;
/// One 三号 (16 pt) character, for indents counted in characters.
const CHAR: u32 = 320;
/// A4 in twips (210 × 297 mm), as Word writes it.
const A4: (u32, u32) = (11906, 16838);
/// Margins in mm (GB/T 9704 §5.2.1: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm).
const MARGIN: (u32, u32, u32, u32) = (37, 26, 35, 28); // top, right, bottom, left

/// Millimetres to twips (1 mm = 56.7 twips), rounded.
const fn twips(mm: u32) -> u32 {
    (mm * 567 + 5) / 10
}

/// The type area's width in twips.
const WIDTH: u32 = A4.0 - twips(MARGIN.1) - twips(MARGIN.3);
/// Exact line height of a 二号 title line.
const TITLE_LINE: u32 = 700;
/// One 四号 (14 pt) character: the page number's distance from the edge of the type area.
const PAGE_NO_INDENT: u32 = 280;
const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// The notice as a .docx file (Office Open XML), ready to open in Word or WPS.
pub fn notice_docx(n: &Notice) -> Result<Vec<u8>> {
    let ct = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let parts: [(&str, String); 10] = [
        (
            "[Content_Types].xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="{ct}.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="{ct}.styles+xml"/><Override PartName="/word/settings.xml" ContentType="{ct}.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="{ct}.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="{ct}.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="{ct}.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#
            ),
        ),
        (
            "_rels/.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#
            ),
        ),
        ("word/document.xml", document(n)),
        ("word/styles.xml", styles()),
        ("word/fontTable.xml", super::fonts::font_table(NS)),
        (
            "word/settings.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings {NS}><w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#
            ),
        ),
        (
            "word/_rels/document.xml.rels",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/styles" Target="styles.xml"/><Relationship Id="rId2" Type="{rel}/settings" Target="settings.xml"/><Relationship Id="rId3" Type="{rel}/footer" Target="footer1.xml"/><Relationship Id="rId4" Type="{rel}/footer" Target="footer2.xml"/><Relationship Id="rId5" Type="{rel}/fontTable" Target="fontTable.xml"/></Relationships>"#
            ),
        ),
        // GB/T 9704 §7.5: odd pages' numbers right, one character in; even pages' left.
        ("word/footer1.xml", footer("right", &format!(r#"w:right="{PAGE_NO_INDENT}""#))),
        ("word/footer2.xml", footer("left", &format!(r#"w:left="{PAGE_NO_INDENT}""#))),
        (
            "docProps/core.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:description>{}</dc:description><dcterms:created xsi:type="dcterms:W3CDTF">{}</dcterms:created></cp:coreProperties>"#,
                esc(&n.title),
                esc(&n.authority),
                esc(&format!("第{}版 sha256 {}{}", n.version, n.sha256, n.demo_label.as_deref().unwrap_or(""))),
                esc(&n.published_at)
            ),
        ),
    ];
    let failed = |e: &dyn std::fmt::Display| ReportError(format!("通报 DOCX 无法生成：{e}"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    // A fixed time stamp: the same notice gives the same bytes.
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, text) in parts {
        zip.start_file(name, options).map_err(|e| failed(&e))?;
        zip.write_all(text.as_bytes()).map_err(|e| failed(&e))?;
    }
    Ok(zip.finish().map_err(|e| failed(&e))?.into_inner())
}

/// Escape text for XML content and attributes; drop characters XML 1.0 cannot hold.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A run of text in one typeface and size (half-points), optionally red and bold. The face is
/// named for every script, and `w:hint="eastAsia"` makes quotes and dashes take it too.
fn run(text: &str, font: &str, half_points: u32, red: bool, bold: bool) -> String {
    run_in(text, font, font, half_points, red, bold)
}

/// A run whose Latin text (`latin`) is set in another face than its Chinese text (`font`).
fn run_in(text: &str, latin: &str, font: &str, half_points: u32, red: bool, bold: bool) -> String {
    format!(
        r#"<w:r><w:rPr><w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{font}" w:cs="{font}" w:hint="eastAsia"/>{}{}<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/><w:lang w:val="zh-CN" w:eastAsia="zh-CN"/></w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
        if bold { "<w:b/><w:bCs/>" } else { "" },
        if red { format!(r#"<w:color w:val="{RED}"/>"#) } else { String::new() },
        esc(text)
    )
}

/// A title in 二号 方正小标宋简体, in the lines [`title_lines`] chose (a line break between them),
/// so that no word is split across lines.
fn title(pp: Pp, text: &str, lead: &str) -> String {
    let lines = title_lines(text, f64::from(WIDTH) / 440.0 - 0.05, lead);
    let runs: Vec<String> = lines.iter().map(|l| run(l, XBS, 44, false, false)).collect();
    para(pp, &runs.join("<w:r><w:br/></w:r>"))
}

/// Paragraph properties, in the order the schema requires.
#[derive(Default, Clone, Copy)]
struct Pp {
    jc: &'static str,
    /// First-line indent of two characters.
    indent: bool,
    before: u32,
    right: u32,
    /// Exact line height in twips; 0 for single spacing.
    line: u32,
    page_break: bool,
    keep_next: bool,
    red_rule: bool,
    boxed: bool,
}

fn para(pp: Pp, runs: &str) -> String {
    let mut p = String::from("<w:p><w:pPr>");
    if pp.keep_next {
        p.push_str("<w:keepNext/>");
    }
    if pp.page_break {
        p.push_str("<w:pageBreakBefore/>");
    }
    if pp.red_rule {
        p.push_str(&format!(r#"<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="11" w:color="{RED}"/></w:pBdr>"#));
    } else if pp.boxed {
        let side = |s: &str| format!(r#"<w:{s} w:val="single" w:sz="12" w:space="4" w:color="{RED}"/>"#);
        p.push_str(&format!("<w:pBdr>{}{}{}{}</w:pBdr>", side("top"), side("left"), side("bottom"), side("right")));
    }
    // Lines other than the body's own pitch keep their height: off the document grid, which
    // would otherwise snap a 15-point table row or a 35-point title line to whole grid lines.
    if pp.line != LINE {
        p.push_str(r#"<w:snapToGrid w:val="0"/>"#);
    }
    let line = if pp.line == 0 {
        r#"w:line="240" w:lineRule="auto""#.to_string()
    } else {
        format!(r#"w:line="{}" w:lineRule="exact""#, pp.line)
    };
    p.push_str(&format!(r#"<w:spacing w:before="{}" w:after="0" {line}/>"#, pp.before));
    let first =
        if pp.indent { format!(r#" w:firstLineChars="200" w:firstLine="{}""#, 2 * CHAR) } else { String::new() };
    p.push_str(&format!(r#"<w:ind w:left="0" w:right="{}"{first}/>"#, pp.right));
    p.push_str(&format!(r#"<w:jc w:val="{}"/></w:pPr>{runs}</w:p>"#, if pp.jc.is_empty() { "both" } else { pp.jc }));
    p
}

/// The table text size (五号, 10.5 pt) in half-points, its exact line height (13 pt) and its cells'
/// side margins, in twips.
const TABLE_SIZE: u32 = 21;
const TABLE_LINE: u32 = 260;
const CELL_MARGIN: u32 = 85;

/// A bordered table with a repeated header row, its columns as wide as their cells need
/// ([`column_widths`]) and summing to the type area's width.
fn table(head: &[&str], rows: &[Vec<String>], left: &[usize]) -> String {
    let widths = column_widths(head, rows, WIDTH, TABLE_SIZE * 10, 2 * CELL_MARGIN + 60);
    let border = |s: &str| format!(r#"<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#);
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"].iter().map(|s| border(s)).collect();
    let grid: String = widths.iter().map(|w| format!(r#"<w:gridCol w:w="{w}"/>"#)).collect();
    let mut t = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="{WIDTH}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>{grid}</w:tblGrid>"#
    );
    let cell = |i: usize, text: &str, font: &str, jc: &'static str| {
        format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>{}</w:tc>"#,
            widths[i],
            line(Pp { jc, line: TABLE_LINE, ..Pp::default() }, font, TABLE_SIZE, text)
        )
    };
    let head: String = head.iter().enumerate().map(|(i, h)| cell(i, h, HT, "center")).collect();
    t.push_str(&format!(r#"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>"#));
    for row in rows {
        let cells: String = row
            .iter()
            .enumerate()
            .map(|(i, c)| cell(i, c, FS, if left.contains(&i) { "left" } else { "center" }))
            .collect();
        t.push_str(&format!(r#"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>"#));
    }
    t.push_str("</w:tbl>");
    t
}

/// A paragraph of one run: `text` in `font` at `half_points`.
fn line(pp: Pp, font: &str, half_points: u32, text: &str) -> String {
    para(pp, &run(text, font, half_points, false, false))
}

fn document(n: &Notice) -> String {
    let body = Pp { indent: true, line: LINE, ..Pp::default() };
    let centred = |before: u32, line: u32| Pp { jc: "center", before, line, ..Pp::default() };
    let demo = |s: &mut String| {
        if let Some(label) = &n.demo_label {
            let pp = Pp { boxed: true, ..centred(LINE / 2, 0) };
            s.push_str(&para(pp, &run(&format!("【{label}】"), HT, 32, true, true)));
        }
    };
    // 版头: the red mark 35 mm below the type area's top, 文号 two lines below, then the rule.
    let mut b = para(centred(twips(35), 0), &run(&n.mark, XBS, 72, true, false));
    b.push_str(&line(Pp { red_rule: true, ..centred(2 * LINE, LINE) }, FS, 32, &n.doc_no));
    // 主体: the title two lines below the rule, the addressees one line below the title.
    b.push_str(&title(centred(2 * LINE, TITLE_LINE), &n.title, &n.authority));
    demo(&mut b);
    b.push_str(&line(Pp { jc: "left", before: LINE, line: LINE, ..Pp::default() }, FS, 32, &n.addressees));
    for p in &n.body {
        let font = match p.kind {
            Kind::Heading1 => HT,
            Kind::Heading2 => KT,
            Kind::Text => FS,
        };
        b.push_str(&line(Pp { keep_next: p.kind != Kind::Text, ..body }, font, 32, &p.text));
    }
    b.push_str(&line(Pp { before: LINE, ..body }, FS, 32, &n.annex_note));
    // 落款 without a seal (§7.3.5.2): one line below, the authority two characters from the
    // right; the date below it starting two characters further right, or itself two from the right.
    let width = |s: &str| s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum::<u32>();
    let (name, date) = (width(&n.signature), width(&n.date));
    let name_right = 2 * CHAR + (date + 4).saturating_sub(name) * CHAR / 2;
    let date_right = 2 * CHAR + name.saturating_sub(date + 4) * CHAR / 2;
    let right = |before: u32, right: u32| Pp { jc: "right", before, right, line: LINE, ..Pp::default() };
    b.push_str(&line(right(2 * LINE, name_right), FS, 32, &n.signature));
    b.push_str(&line(right(0, date_right), FS, 32, &n.date));
    b.push_str(&line(Pp { before: LINE, ..body }, FS, 32, &n.remark));
    // 附件: on a new page, "附件" in 黑体 at the top left, the annex title centred.
    b.push_str(&line(Pp { jc: "left", line: LINE, page_break: true, ..Pp::default() }, HT, 32, "附件"));
    b.push_str(&title(centred(LINE, TITLE_LINE), &n.annex.title, ""));
    demo(&mut b);
    match n.annex.form {
        AnnexForm::Names => names_annex(n, &mut b),
        AnnexForm::Scores => scores_annex(n, &mut b),
    }
    // Where it comes from, after everything: small, left-aligned and never justified, the
    // digests in a monospace face (a 64-character digest in a justified body line would
    // stretch it). The body never ends in a table: Word wants a paragraph before sectPr.
    for (i, text) in n.provenance.iter().enumerate() {
        let pp = Pp { jc: "left", before: if i == 0 { LINE } else { 0 }, line: 280, ..Pp::default() };
        b.push_str(&para(pp, &run_in(text, MONO, FS, 18, false, false)));
    }
    if n.provenance.is_empty() {
        b.push_str(&line(Pp { jc: "left", ..Pp::default() }, FS, 18, ""));
    }
    let (top, right, bottom, left) = (twips(MARGIN.0), twips(MARGIN.1), twips(MARGIN.2), twips(MARGIN.3));
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS}><w:body>{b}<w:sectPr><w:footerReference w:type="default" r:id="rId3"/><w:footerReference w:type="even" r:id="rId4"/><w:pgSz w:w="{}" w:h="{}"/><w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" w:header="851" w:footer="{}" w:gutter="0"/><w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="{LINE}"/></w:sectPr></w:body></w:document>"#,
        A4.0,
        A4.1,
        twips(23)
    )
}

/// The name list as the province publishes it: under each measure's own words (一、…, 黑体),
/// the rewarded places' names joined with 、 (仿宋), nothing else.
fn names_annex(n: &Notice, b: &mut String) {
    let body = Pp { indent: true, line: LINE, ..Pp::default() };
    for (i, section) in n.annex.name_sections().iter().enumerate() {
        let before = if i == 0 { LINE } else { LINE / 2 };
        b.push_str(&line(Pp { before, keep_next: true, ..body }, HT, 32, &section.heading));
        for text in &section.lines {
            b.push_str(&line(body, FS, 32, text));
        }
    }
    if n.annex.measures.iter().all(|m| m.names.is_empty()) && n.annex.commendations.is_empty() {
        b.push_str(&line(body, FS, 32, "本年度无受到表扬激励的地区。"));
    }
}

/// The longer annex: each measure's winners in a table with group, score, rank and award, its
/// basis, vetoes and corrections; then the commendations with their practices.
fn scores_annex(n: &Notice, b: &mut String) {
    let body = Pp { indent: true, line: LINE, ..Pp::default() };
    let small = |s: &str| line(Pp { indent: true, line: 400, ..Pp::default() }, FS, 24, s);
    let heading = |s: &str| line(Pp { before: LINE / 2, keep_next: true, ..body }, HT, 32, s);
    for m in &n.annex.measures {
        b.push_str(&heading(&m.heading));
        // Left-aligned: a justified note line that wraps would spread its first line thin.
        let note = Pp { jc: "left", indent: true, line: 400, keep_next: true, ..Pp::default() };
        // The basis and the measure's total on one line above its table.
        let basis = match m.total_wan {
            0 => m.basis.clone(),
            total => format!("{}；本条措施奖励资金合计{total}万元。", m.basis),
        };
        b.push_str(&line(note, KT, 24, &basis));
        if m.rows.is_empty() {
            b.push_str(&line(body, FS, 32, "本条措施无入选单位。"));
        } else {
            let rows: Vec<Vec<String>> = m.rows.iter().map(|r| r.cells().to_vec()).collect();
            b.push_str(&table(&COLUMNS, &rows, &[5]));
        }
        for note in &m.notes {
            b.push_str(&small(note));
        }
    }
    if !n.annex.commendations.is_empty() {
        let no = chinese_number(n.annex.measures.len() as u32 + 1);
        b.push_str(&heading(&format!("{no}、通报表扬名单")));
        let rows: Vec<Vec<String>> = n.annex.commendations.iter().map(|c| c.cells().to_vec()).collect();
        b.push_str(&table(&COMMENDATION_COLUMNS, &rows, &[2]));
    }
}

/// A footer with the page number as "— 1 —" in 宋体 四号 (a PAGE field, so Word counts).
fn footer(jc: &str, indent: &str) -> String {
    let r = |inner: &str| {
        format!(
            r#"<w:r><w:rPr><w:rFonts w:ascii="{ST}" w:hAnsi="{ST}" w:eastAsia="{ST}" w:cs="{ST}"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>{inner}</w:r>"#
        )
    };
    let field = [
        r#"<w:t xml:space="preserve">— </w:t>"#,
        r#"<w:fldChar w:fldCharType="begin"/>"#,
        r#"<w:instrText xml:space="preserve"> PAGE </w:instrText>"#,
        r#"<w:fldChar w:fldCharType="separate"/>"#,
        "<w:t>1</w:t>",
        r#"<w:fldChar w:fldCharType="end"/>"#,
        r#"<w:t xml:space="preserve"> —</w:t>"#,
    ]
    .map(r)
    .concat();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr {NS}><w:p><w:pPr><w:pStyle w:val="Footer"/><w:ind {indent}/><w:jc w:val="{jc}"/></w:pPr>{field}</w:p></w:ftr>"#
    )
}

fn styles() -> String {
    let fonts =
        |f: &str| format!(r#"<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}" w:hint="eastAsia"/>"#);
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr>{}<w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="zh-CN" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="{LINE}" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style><w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr><w:rPr>{}<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style></w:styles>"#,
        fonts(FS),
        fonts(ST)
    )
}
