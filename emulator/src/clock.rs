//! Dates as S3 writes them, from the system clock, without a date crate.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the epoch split into (year, month, day, hour, min, sec,
/// weekday with Sunday = 0) and the milliseconds.
fn fields(t: SystemTime) -> ([u32; 7], i64, u32) {
    let d = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400) as u32;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    let weekday = (days + 4).rem_euclid(7) as u32;
    (
        [month, day, rem / 3600, rem / 60 % 60, rem % 60, weekday, 0],
        year,
        d.subsec_millis(),
    )
}

/// `2026-12-01T12:00:00.000Z`, as in `<LastModified>`.
pub fn iso8601(t: SystemTime) -> String {
    let ([mo, d, h, mi, s, ..], y, ms) = fields(t);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
}

/// `Tue, 01 Dec 2026 12:00:00 GMT`, as in a `Last-Modified` header.
pub fn http_date(t: SystemTime) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let ([mo, d, h, mi, s, wd, _], y, _) = fields(t);
    format!(
        "{}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} GMT",
        DAYS[wd as usize],
        MONTHS[mo as usize - 1]
    )
}

/// (`20261201T120000Z`, `20261201`): SigV4's `x-amz-date` and scope date.
pub fn amz_date(t: SystemTime) -> (String, String) {
    let ([mo, d, h, mi, s, ..], y, _) = fields(t);
    let date = format!("{y:04}{mo:02}{d:02}");
    (format!("{date}T{h:02}{mi:02}{s:02}Z"), date)
}

/// `2020-01-02T03:04:05Z` (fraction ignored, UTC only), as the SDK writes
/// a timestamp in XML.
pub fn parse_iso8601(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    let num = |from: usize, to: usize| s.get(from..to)?.parse::<i64>().ok();
    if b.len() < 19 || b[4] != b'-' || b[10] != b'T' {
        return None;
    }
    let (y, m, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (h, mi, sec) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = u64::try_from(days * 86_400 + h * 3600 + mi * 60 + sec).ok()?;
    Some(UNIX_EPOCH + std::time::Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn formats_known_instants() {
        // 2026-12-01T12:34:56.789Z is a Tuesday.
        let t = UNIX_EPOCH + Duration::from_millis(1_796_128_496_789);
        assert_eq!(iso8601(t), "2026-12-01T12:34:56.789Z");
        assert_eq!(http_date(t), "Tue, 01 Dec 2026 12:34:56 GMT");
        assert_eq!(amz_date(t).0, "20261201T123456Z");
        // A leap day, and the epoch (a Thursday).
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(iso8601(leap), "2000-02-29T00:00:00.000Z");
        assert_eq!(http_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(parse_iso8601("2000-02-29T00:00:00Z"), Some(leap));
        assert_eq!(
            parse_iso8601("2026-12-01T12:34:56.789Z")
                .map(http_date)
                .as_deref(),
            Some("Tue, 01 Dec 2026 12:34:56 GMT")
        );
        assert_eq!(parse_iso8601("yesterday"), None);
    }
}
