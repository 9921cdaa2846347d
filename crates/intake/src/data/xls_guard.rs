//! An XLS (Excel 97–2003) is a compound file holding a stream of BIFF records, and its reader
//! sizes what it builds from what the records declare: a sheet's DIMENSIONS, the cells' row
//! and column numbers. Here the container is opened by a careful parser (the `cfb` crate,
//! which refuses looping sector chains), the workbook stream is walked record by record within
//! the [`Limits`], and the stream is handed on in a fresh, well-formed container — so the
//! workbook parser never follows a chain this check did not.

use super::bounds::refuse;
use crate::error::IntakeError;
use jili_model::{Limits, Location, column_letters, show_amount};
use std::io::{Cursor, Read, Write};

/// Check the workbook stream of an XLS and return it in a clean compound file.
pub(crate) fn inspect(file: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, IntakeError> {
    let broken = |why: String| super::bounds::broken(file, &why);
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|e| broken(e.to_string()))?;
    let name = cf
        .read_root_storage()
        .filter(|e| e.is_stream())
        .map(|e| e.name().to_string())
        .find(|n| n.eq_ignore_ascii_case("Workbook") || n.eq_ignore_ascii_case("Book"))
        .ok_or_else(|| broken("找不到工作簿数据流".into()))?;
    let mut stream = Vec::new();
    cf.open_stream(format!("/{name}"))
        .map_err(|e| broken(e.to_string()))?
        .take(bytes.len() as u64)
        .read_to_end(&mut stream)
        .map_err(|e| broken(e.to_string()))?;
    walk(file, &stream, limits)?;
    let mut clean = cfb::CompoundFile::create(Cursor::new(Vec::new())).map_err(|e| broken(e.to_string()))?;
    let mut out = clean.create_stream("/Workbook").map_err(|e| broken(e.to_string()))?;
    out.write_all(&stream).map_err(|e| broken(e.to_string()))?;
    drop(out);
    clean.flush().map_err(|e| broken(e.to_string()))?;
    Ok(clean.into_inner().into_inner())
}

/// One sheet's substream as walked so far.
#[derive(Debug, Default)]
struct SheetFacts {
    name: String,
    /// (first row, first col, last row, last col) of the cells the parser keeps.
    bounds: Option<(u32, u32, u32, u32)>,
    merges: u64,
}

impl SheetFacts {
    fn add(&mut self, row: u32, col: u32) {
        self.bounds = Some(match self.bounds {
            None => (row, col, row, col),
            Some((r0, c0, r1, c1)) => (r0.min(row), c0.min(col), r1.max(row), c1.max(col)),
        });
    }
}

/// Walk the BIFF records: sheet names, the shared-string count, each sheet's declared and
/// actual used range, cells and merged regions.
fn walk(file: &str, stream: &[u8], limits: &Limits) -> Result<(), IntakeError> {
    let mut names = Vec::new();
    let mut sheet: Option<SheetFacts> = None;
    let mut cells: u64 = 0;
    // Where the walk is: before the globals, in them, or past them (sheets follow).
    let (mut in_globals, mut globals_done, mut sheets_started) = (false, false, 0usize);
    // BOF records seen inside the current sheet (embedded charts have their own BOF/EOF).
    let mut depth = 0usize;
    let mut pos = 0usize;
    while pos + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[pos], stream[pos + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[pos + 2], stream[pos + 3]]));
        let data = stream.get(pos + 4..pos + 4 + len).unwrap_or(&stream[(pos + 4).min(stream.len())..]);
        pos += 4 + len;
        let at = |s: &SheetFacts| Location::file(file).in_sheet(&s.name);
        match typ {
            // BOF: the globals come first, then one substream per sheet.
            0x0809 | 0x0409 | 0x0209 | 0x0009 => {
                if sheet.is_some() {
                    depth += 1;
                } else if !globals_done && !in_globals {
                    in_globals = true;
                } else if globals_done {
                    let name = names_seen(&names, sheets_started);
                    sheets_started += 1;
                    sheet = Some(SheetFacts { name, ..SheetFacts::default() });
                }
            }
            // EOF
            0x000A => {
                if depth > 0 {
                    depth -= 1;
                } else if let Some(s) = sheet.take() {
                    finish_sheet(file, &s, limits)?;
                } else if in_globals {
                    (in_globals, globals_done) = (false, true);
                }
            }
            // BoundSheet8: a sheet's name.
            0x0085 if sheet.is_none() => {
                names.push(sheet_name(data).unwrap_or_else(|| format!("第 {} 个工作表", names.len() + 1)));
                if names.len() as u64 > limits.sheets {
                    return Err(refuse(
                        Location::file(file),
                        "工作表数",
                        names.len() as u64,
                        "sheets",
                        limits,
                        "请把要导入的工作表另存为一个新的工作簿",
                    ));
                }
            }
            // SST: the declared count of distinct strings.
            0x00FC if data.len() >= 8 => {
                let unique = u64::from(u32::from_le_bytes([data[4], data[5], data[6], data[7]]));
                if unique > limits.shared_strings || unique > stream.len() as u64 {
                    return Err(refuse(
                        Location::file(file),
                        "共享字符串数（文件声明）",
                        unique,
                        "shared_strings",
                        limits,
                        "文件可能已损坏或被改写：请在 Excel/WPS 中打开并另存为 .xlsx 后再导入",
                    ));
                }
            }
            _ if depth > 0 => {}
            // DIMENSIONS: rows and columns, last ones exclusive.
            0x0200 => {
                if let Some(s) = &sheet {
                    let (r0, r1, c0, c1) = if data.len() >= 14 {
                        (le32(data, 0), le32(data, 4), u32::from(le16(data, 8)), u32::from(le16(data, 10)))
                    } else if data.len() >= 10 {
                        (
                            u32::from(le16(data, 0)),
                            u32::from(le16(data, 2)),
                            u32::from(le16(data, 4)),
                            u32::from(le16(data, 6)),
                        )
                    } else {
                        continue;
                    };
                    let (rows, cols) = (u64::from(r1.saturating_sub(r0)), u64::from(c1.saturating_sub(c0)));
                    if rows.saturating_mul(cols) > limits.used_range {
                        return Err(refuse(
                            at(s),
                            &format!(
                                "工作表声明的使用范围（{} 行 × {} 列）共",
                                show_amount(rows, false),
                                show_amount(cols, false)
                            ),
                            rows.saturating_mul(cols),
                            "used_range",
                            limits,
                            "请删除数据区域以外带格式的空行和空列，或只把数据复制到新工作簿后再导入",
                        ));
                    }
                }
            }
            // Cells the parser keeps: Number, Label, RString, BoolErr, RK, LabelSst, Formula.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 if data.len() >= 4 => {
                if let Some(s) = &mut sheet {
                    s.add(u32::from(le16(data, 0)), u32::from(le16(data, 2)));
                    cells += 1;
                }
            }
            // MulRk: several numbers in one row.
            0x00BD if data.len() >= 6 => {
                if let Some(s) = &mut sheet {
                    let (row, first, last) = (le16(data, 0), le16(data, 2), le16(data, data.len() - 2));
                    s.add(u32::from(row), u32::from(first));
                    s.add(u32::from(row), u32::from(last.max(first)));
                    cells += u64::from(last.saturating_sub(first)) + 1;
                }
            }
            // MergeCells: a count, then the regions.
            0x00E5 if data.len() >= 2 => {
                if let Some(s) = &mut sheet {
                    s.merges += u64::from(le16(data, 0));
                }
            }
            _ => {}
        }
        if cells > limits.cells {
            return Err(refuse(
                Location::file(file),
                "非空单元格数",
                cells,
                "cells",
                limits,
                "请按年度或数据项把数据分成几个文件导入",
            ));
        }
    }
    if let Some(s) = sheet {
        finish_sheet(file, &s, limits)?;
    }
    Ok(())
}

/// The name of the sheet about to start: substreams follow the BoundSheet8 records in order.
fn names_seen(names: &[String], index: usize) -> String {
    names.get(index).cloned().filter(|n| !n.is_empty()).unwrap_or_else(|| format!("第 {} 个工作表", index + 1))
}

fn finish_sheet(file: &str, s: &SheetFacts, limits: &Limits) -> Result<(), IntakeError> {
    let at = Location::file(file).in_sheet(&s.name);
    if s.merges > limits.merges {
        return Err(refuse(at, "合并单元格区域数", s.merges, "merges", limits, "请取消数据区域中的合并单元格后再导入"));
    }
    if let Some((r0, c0, r1, c1)) = s.bounds {
        let used = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
        if used > limits.used_range {
            let range =
                format!("{}{}:{}{}", column_letters(c0 as usize + 1), r0 + 1, column_letters(c1 as usize + 1), r1 + 1);
            return Err(refuse(
                at,
                &format!("工作表的使用范围 {range} 共"),
                used,
                "used_range",
                limits,
                "请删除数据区域以外的零散内容，或只把数据复制到新工作簿后再导入",
            ));
        }
    }
    Ok(())
}

/// A BoundSheet8 record's name: a byte count, a flag for two-byte characters, the characters.
fn sheet_name(data: &[u8]) -> Option<String> {
    let cch = usize::from(*data.get(6)?);
    let wide = data.get(7)? & 1 == 1;
    let body = data.get(8..)?;
    if wide {
        let units: Vec<u16> = body.chunks_exact(2).take(cch).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        Some(body.iter().take(cch).map(|b| char::from(*b)).collect())
    }
}

fn le16(data: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([data[at], data[at + 1]])
}

fn le32(data: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]])
}
