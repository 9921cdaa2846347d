//! Calendar dates without a clock: day counts since 1970-01-01 and back, for due dates and
//! for the app's timestamps (one algorithm, Howard Hinnant's, in one place).

/// Days since 1970-01-01 of a civil date (Howard Hinnant's days-from-civil).
pub fn days((y, m, d): (i32, u32, u32)) -> i64 {
    let (y, m) = if m <= 2 { (i64::from(y) - 1, i64::from(m) + 9) } else { (i64::from(y), i64::from(m) - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + i64::from(d) - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

/// The civil date of a day count since 1970-01-01 (Howard Hinnant's civil-from-days).
pub fn civil(days: i64) -> (i32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year as i32, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_dates_round_trip() {
        assert_eq!(days((1970, 1, 1)), 0);
        assert_eq!(civil(days((2024, 2, 29)) + 1), (2024, 3, 1));
        assert_eq!(civil(days((2000, 2, 28)) + 1), (2000, 2, 29));
        assert_eq!(civil(days((1900, 2, 28)) + 1), (1900, 3, 1));
        for d in [-800_000, -1, 0, 19_876, 2_000_000] {
            assert_eq!(days(civil(d)), d);
        }
    }
}
