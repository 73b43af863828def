//! Time modifiers resolved against a fixed "now": Friday 2024-03-15 10:00:37 UTC.

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;

use super::*;

const NOW: f64 = 1_710_496_837.0;
const UTC: Tz = chrono_tz::UTC;

/// Epoch seconds of a UTC wall-clock time.
fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> f64 {
    let t = NaiveDate::from_ymd_opt(y, mo, d)
        .and_then(|d| d.and_hms_opt(h, mi, s))
        .unwrap();
    UTC.from_utc_datetime(&t).timestamp() as f64
}

fn at(spec: &str) -> f64 {
    resolve(spec, NOW, UTC).unwrap_or_else(|e| panic!("{spec}: {e}"))
}

#[test]
fn offsets_then_snaps_as_the_docs_examples() {
    assert_eq!(NOW, utc(2024, 3, 15, 10, 0, 37));
    assert_eq!(at("now"), NOW);
    assert_eq!(at("-70m@m"), utc(2024, 3, 15, 8, 50, 0));
    assert_eq!(at("-10m@m"), utc(2024, 3, 15, 9, 50, 0));
    assert_eq!(at("-1d@d"), utc(2024, 3, 14, 0, 0, 0));
    assert_eq!(at("@d"), utc(2024, 3, 15, 0, 0, 0));
    assert_eq!(at("+1d"), NOW + 86_400.0);
    assert_eq!(at("-1d@d+6h"), utc(2024, 3, 14, 6, 0, 0));
    assert_eq!(at("-h"), NOW - 3600.0);
    assert_eq!(at("-2hours"), NOW - 7200.0);
    assert_eq!(at("-30sec"), NOW - 30.0);
    assert_eq!(at("-1w"), NOW - 7.0 * 86_400.0);

    let afternoon = utc(2024, 3, 15, 15, 45, 0);
    let got = resolve("-24h@h", afternoon, UTC).unwrap();
    assert_eq!(got, utc(2024, 3, 14, 15, 0, 0));
}

#[test]
fn week_month_quarter_and_year_snaps() {
    assert_eq!(at("@w0"), utc(2024, 3, 10, 0, 0, 0), "Sunday");
    assert_eq!(at("@w"), at("@w0"));
    assert_eq!(at("@w7"), at("@w0"));
    assert_eq!(at("@w1"), utc(2024, 3, 11, 0, 0, 0), "Monday");
    assert_eq!(at("@w5"), utc(2024, 3, 15, 0, 0, 0), "today is Friday");
    assert_eq!(at("@w6"), utc(2024, 3, 9, 0, 0, 0), "last Saturday");
    assert_eq!(at("@mon"), utc(2024, 3, 1, 0, 0, 0));
    assert_eq!(at("@q"), utc(2024, 1, 1, 0, 0, 0));
    assert_eq!(at("+2mon@q"), utc(2024, 4, 1, 0, 0, 0));
    assert_eq!(at("@y"), utc(2024, 1, 1, 0, 0, 0));
    assert_eq!(at("-1y@y"), utc(2023, 1, 1, 0, 0, 0));
    assert_eq!(at("-1q"), utc(2023, 12, 15, 10, 0, 37));
}

#[test]
fn months_keep_the_day_or_take_the_last() {
    let march_31 = utc(2024, 3, 31, 12, 0, 0);
    assert_eq!(
        resolve("-1mon", march_31, UTC).unwrap(),
        utc(2024, 2, 29, 12, 0, 0)
    );
    assert_eq!(
        resolve("+1month", march_31, UTC).unwrap(),
        utc(2024, 4, 30, 12, 0, 0)
    );
}

#[test]
fn epochs_and_absolute_times() {
    assert_eq!(at("0"), 0.0);
    assert_eq!(at("1700000000.5"), 1_700_000_000.5);
    assert_eq!(at("03/15/2024:01:02:03"), utc(2024, 3, 15, 1, 2, 3));
    let ny: Tz = "America/New_York".parse().unwrap();
    let got = resolve("03/15/2024:01:02:03", NOW, ny).unwrap();
    assert_eq!(got, utc(2024, 3, 15, 5, 2, 3), "EDT is UTC-4");
}

#[test]
fn days_and_snaps_follow_the_local_calendar() {
    let ny: Tz = "America/New_York".parse().unwrap();
    // Noon EDT on 2024-03-10, the day clocks moved from 02:00 EST to 03:00 EDT.
    let noon = 1_710_086_400.0;
    assert_eq!(
        resolve("-1d", noon, ny).unwrap(),
        1_710_003_600.0,
        "noon EST, 23 h back"
    );
    assert_eq!(resolve("-24h", noon, ny).unwrap(), noon - 86_400.0);
    assert_eq!(
        resolve("@d", noon, ny).unwrap(),
        1_710_046_800.0,
        "midnight EST"
    );

    // 03:00 UTC on the 15th is still the 14th in Los Angeles.
    let la: Tz = "America/Los_Angeles".parse().unwrap();
    let early = utc(2024, 3, 15, 3, 0, 0);
    assert_eq!(resolve("@d", early, la).unwrap(), utc(2024, 3, 14, 7, 0, 0));

    // A snap into a DST gap lands on the first local time that exists.
    let gap_day: Tz = "America/Havana".parse().unwrap();
    let after = resolve("@h", 1_710_054_000.0, gap_day);
    assert!(after.is_ok());
}

#[test]
fn subseconds_survive_offsets_and_not_snaps() {
    assert_eq!(resolve("-1s", 100.5, UTC).unwrap(), 99.5);
    assert_eq!(resolve("@s", 100.5, UTC).unwrap(), 100.0);
}

#[test]
fn errors_say_what_is_wrong() {
    let err = |spec: &str| resolve(spec, NOW, UTC).unwrap_err();
    assert_eq!(err(""), TimeSpecError::Empty);
    assert!(matches!(err("-1x"), TimeSpecError::UnknownUnit { unit, .. } if unit == "x"));
    assert!(matches!(err("@w8"), TimeSpecError::UnknownUnit { .. }));
    assert!(matches!(err("rt-5m"), TimeSpecError::Unsupported { .. }));
    assert!(matches!(
        err("13/45/2024:00:00:00"),
        TimeSpecError::Malformed { .. }
    ));
    assert!(matches!(err("--1d"), TimeSpecError::Malformed { .. }));
    assert!(matches!(err("-1d~"), TimeSpecError::Malformed { .. }));
    assert!(matches!(
        err("-99999999999999999999d"),
        TimeSpecError::OutOfRange { .. }
    ));
    assert!(matches!(
        err("-9999999999d"),
        TimeSpecError::OutOfRange { .. }
    ));
}

fn range(text: &str) -> TimeRange {
    let pipeline = spelunk_spl::parse(text).unwrap();
    match pipeline.commands.into_iter().next() {
        Some(spelunk_spl::Command::Search(s)) => s.time_range,
        Some(spelunk_spl::Command::Tstats(t)) => t.time_range,
        other => panic!("{other:?}"),
    }
}

#[test]
fn windows_are_earliest_inclusive_latest_exclusive() {
    let w = window(&range("search earliest=-70m@m latest=-10m@m x=1"), NOW, UTC).unwrap();
    let (start, end) = (utc(2024, 3, 15, 8, 50, 0), utc(2024, 3, 15, 9, 50, 0));
    assert_eq!(
        w,
        TimeWindow {
            earliest: Some(start),
            latest: Some(end)
        }
    );
    assert!(w.contains(start) && !w.contains(end) && w.contains(end - 0.001));

    let w = window(&range("| tstats count where earliest=0"), NOW, UTC).unwrap();
    assert_eq!(
        w,
        TimeWindow {
            earliest: None,
            latest: None
        }
    );

    let e = window(&range("search latest=-1fortnight"), NOW, UTC).unwrap_err();
    assert_eq!(e.bound, "latest");
    assert!(e.to_string().contains("fortnight"), "{e}");
}
