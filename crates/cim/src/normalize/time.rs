//! `System/TimeCreated/@SystemTime` to epoch seconds.

use chrono::{NaiveDate, NaiveTime};

/// Epoch seconds (fractional) of a Windows `SystemTime` such as
/// `2025-10-24T14:14:58.830193800Z`, or `None` when it is not one.
///
/// Accepted: `YYYY-MM-DDTHH:MM:SS`, an optional `.` with 1 to 9 fraction digits (Windows
/// writes 7 or 9), and a final `Z`. Nothing else: no other offset, no surrounding spaces.
pub fn parse_system_time(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    if b[13] != b':' || b[16] != b':' || *b.last()? != b'Z' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let hour = digits(&b[11..13])?;
    let minute = digits(&b[14..16])?;
    let second = digits(&b[17..19])?;
    let nanos = fraction_nanos(&b[19..b.len() - 1])?;

    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    let stamp = date.and_time(time).and_utc();
    // Splunk keeps sub-seconds to the microsecond, and an f64 epoch cannot hold 100 ns
    // ticks anyway: `.9999999` would round up into the next second. Truncate to micros.
    let micros = stamp.timestamp_subsec_nanos() / 1_000;
    Some(stamp.timestamp() as f64 + f64::from(micros) / 1e6)
}

/// The value of a run of ASCII digits.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &d| {
        d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
    })
}

/// Nanoseconds of `.ddddddddd` (empty means zero).
fn fraction_nanos(b: &[u8]) -> Option<u32> {
    let Some((&b'.', frac)) = b.split_first() else {
        return b.is_empty().then_some(0);
    };
    if frac.is_empty() || frac.len() > 9 {
        return None;
    }
    let value = digits(frac)?;
    Some(value * 10u32.pow(9 - frac.len() as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn parses_windows_times() {
        let t = parse_system_time("2025-10-24T14:14:58.830193800Z").expect("valid");
        assert!(close(t, 1_761_315_298.830_193_8), "{t}");
        let t = parse_system_time("2023-04-04T18:43:29.7808924Z").expect("seven digits");
        assert!(close(t, 1_680_633_809.780_892_4), "{t}");
        assert_eq!(parse_system_time("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_system_time("1970-01-01T00:00:01.5Z"), Some(1.5));
        assert_eq!(parse_system_time("1969-12-31T23:59:59Z"), Some(-1.0));
    }

    #[test]
    fn rejects_anything_else() {
        for bad in [
            "",
            "Z",
            "2025-10-24T14:14:58.830193800",
            "2025-10-24 14:14:58.830Z",
            "2025-10-24T14:14:58.Z",
            "2025-10-24T14:14:58.1234567890Z",
            "2025-13-24T14:14:58Z",
            "2025-02-30T14:14:58Z",
            "2025-10-24T24:00:00Z",
            "2025-10-24T14:14:58+01:00",
            " 2025-10-24T14:14:58Z",
            "2025-1a-24T14:14:58Z",
            "2025-10-24T14:14:5éZ",
            "２０２５-10-24T14:14:58Z",
        ] {
            assert_eq!(parse_system_time(bad), None, "{bad:?}");
        }
    }
}
