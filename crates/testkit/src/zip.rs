//! A zip archive written by hand, so that a test can make one lie: declared sizes and counts
//! that are not the real ones, raw deflate streams that expand a thousandfold.

use std::io::Write;

/// One entry: its name, the bytes stored (already compressed when `deflated`), and what the
/// headers declare.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub data: Vec<u8>,
    pub deflated: bool,
    pub declared_size: u32,
    pub crc: u32,
}

impl Entry {
    /// An entry compressed honestly.
    pub fn deflate(name: &str, content: &[u8]) -> Entry {
        let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(content).expect("deflating to memory");
        let data = encoder.finish().expect("deflating to memory");
        Entry { name: name.into(), data, deflated: true, declared_size: content.len() as u32, crc: crc(content) }
    }

    /// An entry stored as it is.
    pub fn stored(name: &str, content: &[u8]) -> Entry {
        Entry {
            name: name.into(),
            data: content.to_vec(),
            deflated: false,
            declared_size: content.len() as u32,
            crc: crc(content),
        }
    }
}

/// The CRC-32 of `bytes`, as zip headers carry it.
pub fn crc(bytes: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(bytes);
    h.finalize()
}

/// A raw deflate stream that expands to `total` bytes of `pattern` repeated: one independently
/// compressed block of a MiB, repeated — about a thousandfold.
pub fn bomb(pattern: &[u8], total: usize) -> Vec<u8> {
    const MIB: usize = 1024 * 1024;
    let mut block = flate2::Compress::new(flate2::Compression::best(), false);
    let mut one = Vec::with_capacity(8192);
    let mib: Vec<u8> = pattern.iter().copied().cycle().take(MIB).collect();
    block.compress_vec(&mib, &mut one, flate2::FlushCompress::Full).expect("deflating a block");
    let mut out = Vec::with_capacity(one.len() * (total / MIB) + 16);
    for _ in 0..total / MIB {
        out.extend_from_slice(&one);
    }
    // A final, empty stored block ends the stream.
    out.extend_from_slice(&[0x01, 0x00, 0x00, 0xFF, 0xFF]);
    out
}

/// The archive's bytes.
pub fn archive(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let method: u16 = if e.deflated { 8 } else { 0 };
        let name = e.name.as_bytes();
        // Local file header.
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0x0800u16.to_le_bytes()); // UTF-8 names
        out.extend_from_slice(&method.to_le_bytes());
        out.extend_from_slice(&[0, 0, 0x21, 0]); // time, date
        out.extend_from_slice(&e.crc.to_le_bytes());
        out.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        out.extend_from_slice(&e.declared_size.to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name);
        out.extend_from_slice(&e.data);
        // Its central directory record.
        central.extend_from_slice(b"PK\x01\x02");
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes());
        central.extend_from_slice(&0x0800u16.to_le_bytes());
        central.extend_from_slice(&method.to_le_bytes());
        central.extend_from_slice(&[0, 0, 0x21, 0]);
        central.extend_from_slice(&e.crc.to_le_bytes());
        central.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
        central.extend_from_slice(&e.declared_size.to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name);
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    let count = u16::try_from(entries.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
