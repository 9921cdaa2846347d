//! An XLSX is a zip archive of XML parts, and nothing it declares can be trusted: the number of
//! entries, their sizes, the count of shared strings. Before the workbook parser sees a byte,
//! every part is inflated here once, as a stream into nothing, counting as it goes — so a zip
//! bomb is stopped at the limit, not after it has filled the memory — and the XML parts are
//! scanned for what the parser would otherwise allocate from: declared counts, the longest
//! text between two tags, the number of elements in the shared strings and styles, the merged
//! regions.

use super::bounds::refuse;
use crate::error::IntakeError;
use jili_model::{Limits, Location};
use memchr::memmem;
use std::cell::Cell;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::rc::Rc;

/// What the inspection learned that the reader can use.
#[derive(Debug, Default)]
pub(crate) struct ZipFacts {
    /// Whether any part mentions merged cells (the reader then reads each sheet's merges).
    pub merges: bool,
}

/// Inflate and scan every part of the archive within `limits`.
pub(crate) fn inspect(file: &str, bytes: &[u8], limits: &Limits) -> Result<ZipFacts, IntakeError> {
    let at = || Location::file(file);
    if let Some(declared) = declared_entries(bytes)
        && declared > limits.zip_entries
    {
        return Err(too_many_entries(file, declared, limits));
    }
    let consumed = Rc::new(Cell::new(0u64));
    let reader = Counting { inner: Cursor::new(bytes), read: consumed.clone() };
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| super::bounds::broken(file, &e.to_string()))?;
    if archive.len() as u64 > limits.zip_entries {
        return Err(too_many_entries(file, archive.len() as u64, limits));
    }
    let mut facts = ZipFacts::default();
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| super::bounds::broken(file, &e.to_string()))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_or_else(|_| format!("第 {} 个部件", i + 1), |n| n.to_string());
        let lower = name.to_ascii_lowercase();
        // The ratio is of what has been inflated to the compressed bytes read so far: a bomb is
        // caught a few MiB in, not after inflating 200 times its whole compressed size.
        let start = consumed.get();
        let mut scan = lower.ends_with(".xml").then(|| Scan::new(&lower));
        if lower.ends_with(".rels") {
            scan = Some(Scan::new(&lower));
        }
        let mut expanded: u64 = 0;
        loop {
            let n = entry.read(&mut buf).map_err(|e| super::bounds::broken(file, &format!("{name}：{e}")))?;
            if n == 0 {
                break;
            }
            expanded += n as u64;
            total += n as u64;
            if total > limits.expanded_bytes {
                return Err(refuse(
                    at(),
                    "工作簿解压后的大小已达",
                    total,
                    "expanded_bytes",
                    limits,
                    "文件中的数据过多或是“压缩炸弹”：请只保留要导入的数据，或分成几个文件",
                ));
            }
            let compressed = consumed.get().saturating_sub(start).max(1);
            if expanded > 1024 * 1024 && expanded / compressed > limits.compression_ratio {
                return Err(refuse(
                    at().field(&name),
                    &format!("部件 {name} 的解压倍数"),
                    expanded / compressed,
                    "compression_ratio",
                    limits,
                    "正常的工作簿不会压缩得这样多，文件可能是“压缩炸弹”：请在 Excel/WPS 中打开并另存为 .xlsx 后再导入",
                ));
            }
            if let Some(scan) = &mut scan {
                scan.feed(&buf[..n]);
                if scan.longest > limits.cell_bytes.max(64 * 1024) {
                    return Err(refuse(
                        at().field(&name),
                        &format!("部件 {name} 中一段连续文字的大小"),
                        scan.longest,
                        "cell_bytes",
                        limits,
                        "单元格只应有名称、代码或数值，请删除其中的长文字",
                    ));
                }
            }
        }
        if let Some(scan) = scan {
            scan.check(file, &name, limits)?;
            facts.merges |= scan.merges > 0;
        }
    }
    Ok(facts)
}

/// The archive's bytes, counting what is read of them (the compressed bytes an entry has
/// consumed so far).
struct Counting<'a> {
    inner: Cursor<&'a [u8]>,
    read: Rc<Cell<u64>>,
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

impl Seek for Counting<'_> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

fn too_many_entries(file: &str, n: u64, limits: &Limits) -> IntakeError {
    refuse(
        Location::file(file),
        "压缩包中的文件数",
        n,
        "zip_entries",
        limits,
        "这不像是 Excel 工作簿：请在 Excel/WPS 中打开并另存为 .xlsx 后再导入",
    )
}

/// The entry count the end-of-central-directory record declares (ZIP64 when it says so), read
/// before the archive library allocates for the entries.
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let eocd = tail_start + memmem::rfind(&bytes[tail_start..], b"PK\x05\x06")?;
    let record = bytes.get(eocd..eocd + 22)?;
    let entries = u64::from(u16::from_le_bytes([record[10], record[11]]));
    if entries != 0xFFFF {
        return Some(entries);
    }
    // ZIP64: the locator sits just before the record and points at the ZIP64 record.
    let locator = bytes.get(eocd.checked_sub(20)?..eocd)?;
    if &locator[..4] != b"PK\x06\x07" {
        return Some(entries);
    }
    let offset = usize::try_from(u64::from_le_bytes(locator[8..16].try_into().ok()?)).ok()?;
    let record64 = bytes.get(offset..offset.checked_add(56)?)?;
    (&record64[..4] == b"PK\x06\x06").then(|| u64::from_le_bytes(record64[32..40].try_into().unwrap_or_default()))
}

/// What is counted in one XML part while it streams past.
#[derive(Debug)]
struct Scan {
    kind: Part,
    /// `<` seen: an upper bound on the elements of the part.
    tags: u64,
    /// Bytes since the last `<`, and the longest such run.
    run: u64,
    longest: u64,
    /// Mentions of `mergeCell` (each region is one; the list's own tags add two per sheet).
    merges: u64,
    /// The part's first bytes, where the root element's declared counts are.
    head: Vec<u8>,
    /// The last bytes of the previous chunk, so a word split between chunks is still seen.
    carry: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    SharedStrings,
    Styles,
    Other,
}

const MERGE: &[u8] = b"mergeCell";

/// Elements a styles part may have: Excel itself allows 64,000 cell formats, a few elements
/// each, plus fonts, fills, borders and number formats.
const STYLE_TAGS: u64 = 4 * 64_000 + 10_000;

impl Scan {
    fn new(lower_name: &str) -> Scan {
        let kind = if lower_name.ends_with("sharedstrings.xml") {
            Part::SharedStrings
        } else if lower_name.ends_with("styles.xml") {
            Part::Styles
        } else {
            Part::Other
        };
        Scan { kind, tags: 0, run: 0, longest: 0, merges: 0, head: Vec::new(), carry: Vec::new() }
    }

    fn feed(&mut self, chunk: &[u8]) {
        if self.head.len() < 4096 {
            let take = (4096 - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        let mut last = None;
        for at in memchr::memchr_iter(b'<', chunk) {
            let run = match last {
                None => self.run + at as u64,
                Some(prev) => (at - prev - 1) as u64,
            };
            self.longest = self.longest.max(run);
            self.tags += 1;
            last = Some(at);
        }
        self.run = match last {
            None => self.run + chunk.len() as u64,
            Some(prev) => (chunk.len() - prev - 1) as u64,
        };
        self.longest = self.longest.max(self.run);
        // A word split across the boundary: search the carried tail joined to this chunk's head.
        let head = &chunk[..chunk.len().min(MERGE.len() - 1)];
        let mut seam = std::mem::take(&mut self.carry);
        seam.extend_from_slice(head);
        self.merges += memmem::find_iter(&seam, MERGE).count() as u64;
        self.merges += memmem::find_iter(chunk, MERGE).count() as u64;
        self.carry = chunk[chunk.len().saturating_sub(MERGE.len() - 1)..].to_vec();
    }

    fn check(&self, file: &str, name: &str, limits: &Limits) -> Result<(), IntakeError> {
        let at = || Location::file(file).field(name);
        if self.merges > limits.merges + 2 {
            return Err(refuse(
                at(),
                "合并单元格区域数",
                self.merges.saturating_sub(2),
                "merges",
                limits,
                "请取消数据区域中的合并单元格（开始 → 合并后居中 → 取消合并）后再导入",
            ));
        }
        match self.kind {
            Part::SharedStrings => {
                // uniqueCount is how many strings the part holds; count is how many cells use
                // them (a cell count, so bounded like cells).
                let (unique, uses) = (attribute(&self.head, b"uniqueCount"), attribute(&self.head, b"count"));
                if unique > limits.shared_strings || self.tags > 4 * limits.shared_strings {
                    let shown = if unique > limits.shared_strings { unique } else { self.tags / 4 };
                    return Err(refuse(
                        at(),
                        "共享字符串数",
                        shown,
                        "shared_strings",
                        limits,
                        "文件声明或含有的文字过多：请只保留要导入的数据，或在 Excel/WPS 中另存为 .xlsx 后再导入",
                    ));
                }
                if uses > limits.cells {
                    let fix = "文件声明的文字单元格过多：请只保留要导入的数据，或按年度、数据项分成几个文件";
                    return Err(refuse(at(), "使用共享字符串的单元格数（文件声明）", uses, "cells", limits, fix));
                }
                if unique > self.tags {
                    return Err(IntakeError::at(
                        at(),
                        format!(
                            "共享字符串表声明有 {unique} 个字符串，实际内容远少于此：文件已损坏或被改写；请在 Excel/WPS 中打开并另存为 .xlsx 后再导入"
                        ),
                    ));
                }
            }
            Part::Styles if self.tags > STYLE_TAGS => {
                return Err(IntakeError::at(
                    at(),
                    format!(
                        "样式表有约 {} 个元素，超过 Excel 自身的样式数上限（64,000 种单元格格式）：请在 Excel/WPS 中清除多余格式后另存为 .xlsx",
                        self.tags
                    ),
                ));
            }
            _ => {}
        }
        Ok(())
    }
}

/// The number in `name="…"` among the first bytes of a part; 0 when absent or unreadable.
fn attribute(head: &[u8], name: &[u8]) -> u64 {
    let mut from = 0;
    while let Some(i) = memmem::find(&head[from..], name) {
        let at = from + i;
        let before = at.checked_sub(1).map(|b| head[b]);
        let rest = &head[at + name.len()..];
        if matches!(before, Some(b' ' | b'\t' | b'\n' | b'\r')) && rest.first() == Some(&b'=') {
            let value = rest.get(2..).unwrap_or_default();
            let digits = value.iter().take_while(|b| b.is_ascii_digit()).count();
            let number = std::str::from_utf8(&value[..digits]).ok().and_then(|d| d.parse().ok());
            return if digits > 19 { u64::MAX } else { number.unwrap_or(0) };
        }
        from = at + name.len();
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_and_merges_are_counted_across_chunks() {
        let mut s = Scan::new("xl/worksheets/sheet1.xml");
        s.feed(b"<a>12345</a><merge");
        s.feed(b"Cell ref=\"A1:B2\"/><mergeCell ref=\"C1:D2\"/>");
        assert_eq!(s.merges, 2);
        assert_eq!(s.tags, 4);
        assert!(s.longest >= 15, "{}", s.longest);
        let mut s = Scan::new("x.xml");
        s.feed(&[b'a'; 1000]);
        s.feed(&[b'b'; 1000]);
        s.feed(b"<x/>");
        assert_eq!(s.longest, 2000);
    }

    #[test]
    fn declared_counts_are_read_from_the_root_element() {
        let head = br#"<?xml version="1.0"?><sst xmlns="x" count="12" uniqueCount="2000000000">"#;
        assert_eq!(attribute(head, b"uniqueCount"), 2_000_000_000);
        assert_eq!(attribute(head, b"count"), 12);
        assert_eq!(attribute(b"<sst>", b"count"), 0);
        assert_eq!(attribute(br#"<sst count="99999999999999999999999">"#, b"count"), u64::MAX);
    }
}
