//! Hostile files, built when a test (or `scripts/hostile-load.sh`) asks — never stored as large
//! fixtures. Each is an attack the readers must refuse with a clear message, in bounded time and
//! memory: the file that made a server allocate 22 GB from 1.6 KB, a shared-string count of two
//! billion, a line of thirty million commas, a zip bomb, and the others of issue 20.

use crate::zip::{Entry, archive, bomb};
use std::fmt::Write;

/// One hostile file and what its refusal must name.
#[derive(Debug, Clone)]
pub struct Hostile {
    /// What the attack is, for test output.
    pub what: &'static str,
    /// The file name it is sent under.
    pub file: String,
    pub bytes: Vec<u8>,
    /// Words of which the refusal must contain one (limits' keys); empty when any clear refusal
    /// does.
    pub names: &'static [&'static str],
}

fn hostile(what: &'static str, file: &str, bytes: Vec<u8>, names: &'static [&'static str]) -> Hostile {
    Hostile { what, file: file.into(), bytes, names }
}

/// Every hostile data file.
pub fn files() -> Vec<Hostile> {
    vec![
        hostile(
            "A1 与 XFD1048576 两个单元格（声明使用范围）",
            "far.xlsx",
            far_cell(true),
            &["used_range", "columns", "rows"],
        ),
        hostile(
            "A1 与 XFD1048576 两个单元格（无 dimension）",
            "far2.xlsx",
            far_cell(false),
            &["used_range", "columns", "rows"],
        ),
        hostile("sharedStrings uniqueCount=2000000000", "sst.xlsx", unique_count(), &["shared_strings"]),
        hostile("30 MB 一行逗号", "commas.csv", vec![b','; 30 * 1024 * 1024], &["columns"]),
        hostile(
            "1 MB 压缩包解压为 1 GB 空白",
            "bomb.xlsx",
            zip_bomb(b" ", 1 << 30),
            &["compression_ratio", "cell_bytes"],
        ),
        hostile("1 MB 压缩包解压为 1 GB 标签", "tags.xlsx", zip_bomb(b"<x/>", 1 << 30), &["compression_ratio"]),
        hostile("压缩包谎报解压大小（声明 4 KiB，实为 1 GB）", "liar.xlsx", zip_bomb(b" ", 4096), &[]),
        hostile("50 列 × 1,048,576 行的稀疏跨度", "spans.xlsx", sparse_spans(), &["used_range", "columns", "rows"]),
        hostile("实体嵌套（billion laughs）", "laughs.xlsx", billion_laughs(), &[]),
        hostile("100 万层嵌套的 XML", "deep.xlsx", deep_xml(), &[]),
        hostile("2 MB 的单个共享字符串", "string.xlsx", huge_string(2 * 1024 * 1024), &["cell_bytes"]),
        hostile("5000 个文件的压缩包", "entries.xlsx", many_entries(5000), &["zip_entries"]),
        hostile("150 个工作表", "sheets.xlsx", many_sheets(150), &["sheets"]),
        hostile(
            "XLS 声明 65536 行 × 256 列",
            "dims.xls",
            xls(true, &[(0, 0), (1, 0)]),
            &["used_range", "columns", "rows"],
        ),
        hostile(
            "XLS 单元格在 A1 与 IV65536",
            "far.xls",
            xls(false, &[(0, 0), (65_535, 255)]),
            &["used_range", "columns", "rows"],
        ),
        hostile("110 万行的 CSV", "tall.csv", "a\n".repeat(1_100_000).into_bytes(), &["rows"]),
        hostile("2 MB 没有换行的一行", "line.csv", vec![b'x'; 2 * 1024 * 1024], &["line_bytes"]),
        hostile("510 万个单元格", "cells.csv", many_cells(1000, 5_100), &["cells"]),
    ]
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#;
const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

/// A workbook of `sheets` (each a worksheet XML part), with shared strings if given.
pub fn xlsx(sheets: Vec<Entry>, shared: Option<Entry>) -> Vec<u8> {
    let mut workbook = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut entries = vec![
        Entry::deflate("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        Entry::deflate("_rels/.rels", ROOT_RELS.as_bytes()),
    ];
    for (i, mut sheet) in sheets.into_iter().enumerate() {
        let n = i + 1;
        let _ = write!(workbook, r#"<sheet name="Sheet{n}" sheetId="{n}" r:id="rId{n}"/>"#);
        let _ = write!(
            rels,
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        );
        sheet.name = format!("xl/worksheets/sheet{n}.xml");
        entries.push(sheet);
    }
    if let Some(mut s) = shared {
        let _ = write!(
            rels,
            r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
        );
        s.name = "xl/sharedStrings.xml".into();
        entries.push(s);
    }
    workbook.push_str("</sheets></workbook>");
    rels.push_str("</Relationships>");
    entries.push(Entry::deflate("xl/workbook.xml", workbook.as_bytes()));
    entries.push(Entry::deflate("xl/_rels/workbook.xml.rels", rels.as_bytes()));
    archive(&entries)
}

/// A worksheet part around `rows` (the `<row>` elements) with an optional `<dimension>`.
pub fn sheet(dimension: Option<&str>, rows: &str) -> Entry {
    let dim = dimension.map(|d| format!(r#"<dimension ref="{d}"/>"#)).unwrap_or_default();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dim}<sheetData>{rows}</sheetData></worksheet>"#
    );
    Entry::deflate("sheet", xml.as_bytes())
}

/// A small honest workbook: 地区/年份/数值 for one unit. A control for the hostile ones.
pub fn honest_xlsx() -> Vec<u8> {
    let rows = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>地区</t></is></c><c r="B1" t="inlineStr"><is><t>年份</t></is></c><c r="C1" t="inlineStr"><is><t>地区生产总值（亿元）</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>长沙市</t></is></c><c r="B2"><v>2024</v></c><c r="C2"><v>15268.8</v></c></row>"#;
    xlsx(vec![sheet(Some("A1:C2"), rows)], None)
}

fn far_cell(dimension: bool) -> Vec<u8> {
    let rows = r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>"#;
    xlsx(vec![sheet(dimension.then_some("A1:XFD1048576"), rows)], None)
}

fn unique_count() -> Vec<u8> {
    let sst = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2000000000" uniqueCount="2000000000"><si><t>地区</t></si></sst>"#;
    let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
    xlsx(vec![sheet(Some("A1"), rows)], Some(Entry::deflate("s", sst.as_bytes())))
}

/// A worksheet part inflating to 1 GiB of `pattern`, its headers declaring `declared` bytes: the
/// reader must count what it inflates, whatever the headers say.
fn zip_bomb(pattern: &[u8], declared: u32) -> Vec<u8> {
    let data = bomb(pattern, 1 << 30);
    let part = Entry { name: "sheet".into(), data, deflated: true, declared_size: declared, crc: 0 };
    xlsx(vec![part], None)
}

fn sparse_spans() -> Vec<u8> {
    let mut top = String::from(r#"<row r="1">"#);
    let mut bottom = String::from(r#"<row r="1048576">"#);
    for col in 0..50 {
        let letter = char::from(b'A' + (col % 26) as u8);
        let name = if col < 26 { letter.to_string() } else { format!("A{letter}") };
        let _ = write!(top, r#"<c r="{name}1"><v>1</v></c>"#);
        let _ = write!(bottom, r#"<c r="{name}1048576"><v>1</v></c>"#);
    }
    xlsx(vec![sheet(None, &format!("{top}</row>{bottom}</row>"))], None)
}

fn billion_laughs() -> Vec<u8> {
    let mut dtd = String::from(r#"<!DOCTYPE worksheet [<!ENTITY lol "lol">"#);
    for i in 1..=9 {
        let prev = if i == 1 { "lol".to_string() } else { format!("lol{}", i - 1) };
        let _ = write!(dtd, r#"<!ENTITY lol{i} "{}">"#, format!("&{prev};").repeat(10));
    }
    dtd.push(']');
    dtd.push('>');
    let xml = format!(
        r#"<?xml version="1.0"?>{dtd}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"#
    );
    xlsx(vec![Entry::deflate("sheet", xml.as_bytes())], None)
}

fn deep_xml() -> Vec<u8> {
    let depth = 1_000_000;
    let rows = format!(r#"<row r="1"><c r="A1">{}{}</c></row>"#, "<x>".repeat(depth), "</x>".repeat(depth));
    xlsx(vec![sheet(Some("A1"), &rows)], None)
}

/// A shared-strings part of one string of `len` bytes that does not compress much (hex digits
/// of a simple generator), so no other limit trips first.
pub fn huge_string(len: usize) -> Vec<u8> {
    let mut text = String::with_capacity(len);
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while text.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let _ = write!(text, "{x:016x}");
    }
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{text}</t></si></sst>"#
    );
    let rows = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
    xlsx(vec![sheet(Some("A1"), rows)], Some(Entry::deflate("s", sst.as_bytes())))
}

fn many_entries(n: usize) -> Vec<u8> {
    let mut entries: Vec<Entry> = (0..n).map(|i| Entry::stored(&format!("x/{i}.bin"), b"")).collect();
    entries.push(Entry::deflate("[Content_Types].xml", CONTENT_TYPES.as_bytes()));
    archive(&entries)
}

fn many_sheets(n: usize) -> Vec<u8> {
    let sheets = (0..n).map(|_| sheet(Some("A1"), r#"<row r="1"><c r="A1"><v>1</v></c></row>"#)).collect();
    xlsx(sheets, None)
}

fn many_cells(columns: usize, rows: usize) -> Vec<u8> {
    let line = format!("{}1\n", "1,".repeat(columns - 1));
    line.repeat(rows).into_bytes()
}

/// An XLS (BIFF8 in a compound file) with number cells at (row, column) positions, and a
/// DIMENSIONS record declaring 65,536 × 256 when `declare` is set.
pub fn xls(declare: bool, cells: &[(u16, u16)]) -> Vec<u8> {
    fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
    }
    let bof = |dt: u16| {
        let mut d = Vec::new();
        d.extend_from_slice(&0x0600u16.to_le_bytes());
        d.extend_from_slice(&dt.to_le_bytes());
        d.extend_from_slice(&[0; 12]);
        d
    };
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    let name = b"Sheet1";
    // BoundSheet8: the sheet's offset is patched once the globals' length is known.
    let mut bound = vec![0, 0, 0, 0, 0, 0, name.len() as u8, 0];
    bound.extend_from_slice(name);
    record(&mut globals, 0x0085, &bound);
    record(&mut globals, 0x000A, &[]);
    let offset = globals.len() as u32;
    globals[4..8].copy_from_slice(&offset.to_le_bytes());
    let mut sheet = Vec::new();
    record(&mut sheet, 0x0809, &bof(0x0010));
    if declare {
        let mut d = Vec::new();
        d.extend_from_slice(&0u32.to_le_bytes());
        d.extend_from_slice(&65_536u32.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&256u16.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        record(&mut sheet, 0x0200, &d);
    }
    for (i, (row, col)) in cells.iter().enumerate() {
        let mut d = Vec::new();
        d.extend_from_slice(&row.to_le_bytes());
        d.extend_from_slice(&col.to_le_bytes());
        d.extend_from_slice(&0u16.to_le_bytes());
        d.extend_from_slice(&(i as f64 + 1.0).to_le_bytes());
        record(&mut sheet, 0x0203, &d);
    }
    record(&mut sheet, 0x000A, &[]);
    globals.extend_from_slice(&sheet);
    let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("a compound file in memory");
    {
        let mut stream = cf.create_stream("/Workbook").expect("a stream");
        std::io::Write::write_all(&mut stream, &globals).expect("writing to memory");
    }
    cf.flush().expect("writing to memory");
    cf.into_inner().into_inner()
}

/// A plan file with `n` indicators (a lead's 6,000-indicator trial is one of the attacks); with
/// a few, an ordinary plan that checks.
pub fn plan_with_indicators(n: usize) -> String {
    let mut plan = String::from(
        "[plan]\nmeasure = 3\nyear = 2024\ntitle = \"试算方案\"\nlead = \"省工业和信息化厅\"\nperiod = 2024\nbase = 2023\nunits = [\"市州\"]\n\n[[groups]]\nid = \"市州\"\nlevels = [\"市州\"]\n\n",
    );
    for i in 0..n {
        let _ = write!(
            plan,
            "[[indicators]]\nid = \"i{i}\"\nname = \"地区生产总值{i}\"\nseries = \"GDP\"\nbasis = \"total\"\ncategory = \"共性\"\nweight = {}\n\n",
            1.0 / n as f64
        );
    }
    plan.push_str("[selection]\nquota = { \"市州\" = 4 }\n\n[[rewards]]\ngroup = \"市州\"\namount_wan = 500\nchannel = \"相关专项资金、试点安排\"\n");
    plan
}
