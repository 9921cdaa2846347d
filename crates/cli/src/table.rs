//! Plain-text tables that line up with Chinese characters (two columns wide each).

use unicode_width::UnicodeWidthStr;

/// Print `rows` under `headers`, columns padded to their widest cell.
pub fn print(headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.width()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> =
            cells.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w.saturating_sub(c.width())))).collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(headers.to_vec());
    line(widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().iter().map(String::as_str).collect());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// The words a result printed from invented data carries, so it is never taken for real.
pub fn banner(demo: bool) -> &'static str {
    if demo { "【演示数据，非真实统计】" } else { "" }
}

/// A score or value to two decimals, or "—" where there is none.
pub fn fmt(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.2}"))
}
