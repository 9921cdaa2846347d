//! The time stamped on changes. The store and engine have no clock; the app asks this one.

use std::time::{SystemTime, UNIX_EPOCH};

/// The current UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_utc() -> String {
    format_utc(unix_now().max(0) as u64)
}

/// Seconds since the Unix epoch, now (session expiry, login-failure windows).
pub fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Today in Beijing (the office's calendar day), what due dates are compared with.
pub fn today() -> jili_model::calendar::Day {
    jili_model::calendar::Day::beijing(unix_now())
}

/// The Beijing day of a stored UTC time ([`format_utc`]); `None` for other text.
pub fn beijing_day(utc: &str) -> Option<jili_model::calendar::Day> {
    parse_utc(utc).map(|s| jili_model::calendar::Day::beijing(s as i64))
}

/// Format seconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian).
pub fn format_utc(secs: u64) -> String {
    let (year, month, day) = jili_model::date::civil((secs / 86_400) as i64);
    let rem = secs % 86_400;
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Seconds since the Unix epoch of a time written by [`format_utc`]; `None` for other text.
pub fn parse_utc(text: &str) -> Option<u64> {
    let b = text.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z'
    {
        return None;
    }
    let n = |a: usize, z: usize| text.get(a..z)?.parse::<i64>().ok();
    let (y, mo, d, h, mi, s) = (n(0, 4)?, n(5, 7)?, n(8, 10)?, n(11, 13)?, n(14, 16)?, n(17, 19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let day = jili_model::date::days((y as i32, mo as u32, d as u32));
    u64::try_from(day * 86_400 + h * 3600 + mi * 60 + s).ok()
}

/// A stored UTC time as a Chinese reader expects it: Beijing time (UTC+8), `2026年11月30日 06:32`.
/// Text that is not such a time is returned unchanged.
pub fn beijing_time(utc: &str) -> String {
    let Some(secs) = parse_utc(utc) else { return utc.to_string() };
    let local = format_utc(secs + 8 * 3600);
    let n = |a: usize, z: usize| local.get(a..z).and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
    format!("{}年{}月{}日 {}", n(0, 4), n(5, 7), n(8, 10), &local[11..16])
}

/// [`beijing_time`] with its label, for a time in running text of a Chinese document (an XLSX
/// 说明 sheet, the notice): `2026年11月30日 06:32（北京时间）`. The one rule: people read Beijing
/// time, labelled; machines read UTC ISO 8601 with `Z` ([`format_utc`]), labelled UTC where a
/// heading can say so.
pub fn beijing_labelled(utc: &str) -> String {
    match parse_utc(utc) {
        Some(_) => format!("{}（北京时间）", beijing_time(utc)),
        None => utc.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::{beijing_labelled, beijing_time, format_utc, parse_utc};

    #[test]
    fn a_labelled_time_says_beijing() {
        assert_eq!(beijing_labelled("2026-11-29T22:32:06Z"), "2026年11月30日 06:32（北京时间）");
        assert_eq!(beijing_labelled("不是时间"), "不是时间", "no label on what is no time");
    }

    #[test]
    fn times_are_shown_in_beijing_time() {
        assert_eq!(beijing_time("2026-11-29T22:32:06Z"), "2026年11月30日 06:32");
        assert_eq!(beijing_time("2024-12-31T16:00:00Z"), "2025年1月1日 00:00");
        assert_eq!(beijing_time("2024-02-28T20:30:00Z"), "2024年2月29日 04:30");
        assert_eq!(beijing_time("昨天"), "昨天");
        for secs in [0, 951_782_400, 1_716_940_800 + 3_661, 4_102_444_799] {
            assert_eq!(parse_utc(&format_utc(secs)), Some(secs));
        }
    }

    #[test]
    fn known_instants() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(format_utc(1_716_940_800 + 3_661), "2024-05-29T01:01:01Z");
    }
}
