//! The service's clock and datetime codec: milliseconds since the epoch on the server's (possibly
//! offset) clock, and the one home of the `YYYY-MM-DD HH:MM:SS` format, in the spec's time zone.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Milliseconds since the unix epoch, on the server's (possibly offset) clock.
pub(crate) type Millis = i64;

/// The server's clock, in milliseconds, shifted by `offset_secs`.
pub(crate) fn now_millis(offset_secs: i64) -> Millis {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    i64::try_from(now.as_millis())
        .unwrap_or(i64::MAX)
        .saturating_add(offset_secs.saturating_mul(1000))
}

/// The UTC calendar date (`YYYY-MM-DD`) of a unix timestamp in seconds.
pub(crate) fn utc_date(timestamp: i64) -> String {
    // Days since 1970-01-01, converted to a proleptic Gregorian date by counting from
    // 0000-03-01, so that the leap day is the last day of each counted year.
    let days = timestamp.div_euclid(86_400);
    let shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted.div_euclid(146_097); // 400-year cycles
    let day_of_era = shifted - era * 146_097; // 0..=146_096
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153; // 0 = March .. 11 = February
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Offset of the service's datetimes from UTC, in milliseconds (the spec's `timeZone`).
const SERVICE_UTC_OFFSET_MILLIS: Millis =
    crate::generated::catalog::UTC_OFFSET_SECS as Millis * 1000;

/// `YYYY-MM-DD HH:MM:SS` in the service's time zone, its datetime format.
pub(crate) fn datetime(millis: Millis) -> String {
    let secs = (millis + SERVICE_UTC_OFFSET_MILLIS).div_euclid(1000);
    let of_day = secs.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02}",
        utc_date(secs),
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

/// `YYYY-MM-DD HH:MM:SS.mmm` in the service's time zone, the format of async event times.
pub(crate) fn datetime_millis(millis: Millis) -> String {
    format!("{}.{:03}", datetime(millis), millis.rem_euclid(1000))
}

/// Parses `YYYY-MM-DD HH:MM:SS` (service time, optionally with `.fff`) into milliseconds since the
/// epoch.
pub(crate) fn parse_datetime(text: &str) -> Option<Millis> {
    let (date, time) = text.trim().split_once(' ')?;
    let mut d = date.split('-').map(str::parse::<i64>);
    let (year, month, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let (time, frac) = match time.split_once('.') {
        Some((t, f)) => (t, f),
        None => (time, ""),
    };
    let mut t = time.split(':').map(str::parse::<i64>);
    let (h, m, s) = (t.next()?.ok()?, t.next()?.ok()?, t.next()?.ok()?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let millis = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().take(3).collect();
        format!("{digits:0<3}").parse::<i64>().ok()?
    };
    // Days from civil date (the inverse of [`utc_date`]).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 86_400 + h * 3600 + m * 60 + s) * 1000) + millis - SERVICE_UTC_OFFSET_MILLIS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(86_399), "1970-01-01");
        assert_eq!(utc_date(1_551_113_065), "2019-02-25");
        assert_eq!(utc_date(951_782_400), "2000-02-29");
        assert_eq!(utc_date(1_735_689_599), "2024-12-31");
        assert_eq!(utc_date(1_735_689_600), "2025-01-01");
        assert_eq!(utc_date(4_107_542_400), "2100-03-01");
        assert_eq!(utc_date(-1), "1969-12-31");
    }

    #[test]
    fn datetimes_round_trip() {
        // 2024-12-25 11:50:07 UTC is 19:50:07 in the service's UTC+8.
        let t = 1_735_127_407_123;
        assert_eq!(datetime(t), "2024-12-25 19:50:07");
        assert_eq!(datetime_millis(t), "2024-12-25 19:50:07.123");
        assert_eq!(parse_datetime("2024-12-25 19:50:07"), Some(t - 123));
        assert_eq!(parse_datetime("2024-12-25 19:50:07.123"), Some(t));
        let hours8 = 8 * 3_600_000;
        assert_eq!(parse_datetime("2000-02-29 08:00:00"), Some(951_782_400_000));
        assert_eq!(parse_datetime("1970-01-01 08:00:00"), Some(0));
        assert_eq!(datetime(0), "1970-01-01 08:00:00");
        assert_eq!(parse_datetime("1970-01-01 00:00:00"), Some(-hours8));
        for bad in [
            "",
            "2024-12-25",
            "2024-13-01 00:00:00",
            "x y",
            "2024-12-25 25:00:00",
        ] {
            assert_eq!(parse_datetime(bad), None, "{bad}");
        }
    }
}
