//! The event time of a flat JSON event, as the `SystemTime` text the normalizers read.
//!
//! Splunk's `_time` for a Windows event is `System/TimeCreated/@SystemTime`, UTC. Flat JSON
//! writers keep it in different keys and zones; the reading closest to it is chosen, in order:
//!
//! 1. `TimeCreated`, when a flattener kept the `SystemTime` itself: taken as written.
//! 2. `EventTime` (NXLog `im_msvistalog`): `TimeCreated` to the second, rendered in the local
//!    time of the machine NXLog runs on, with no zone (`2020-09-19 21:17:14`). A zone written
//!    with it (`Z`, `+02:00`) is used. Without one, the UTC offset is worked out from the same
//!    object, rounded to the nearest quarter hour:
//!    * `EventReceivedTime` (NXLog's receive time, same local zone) against `@timestamp`
//!      (Logstash's receive time, UTC), as OTRF/HELK data holds both: they are one instant;
//!    * else Sysmon's `UtcTime` (UTC), which is within seconds of `TimeCreated`;
//!    * else the offset is unknown and `EventTime` is read as UTC (right for the UTC hosts of
//!      Splunk's attack range; hours off elsewhere).
//!
//!    An offset outside UTC-12..UTC+14 is not an offset, and the next rule is tried.
//!    In the shared OTRF data all three agree on UTC-4, and in the NXLog data on UTC.
//! 3. `@timestamp` with no `EventTime`: Winlogbeat sets it to `TimeCreated` (UTC).
//! 4. `UtcTime` (Sysmon, UTC, milliseconds). For process creation it is the process start
//!    time, which can come seconds before `TimeCreated` (11 s in the shared NXLog data), so
//!    it is the last choice.
//!
//! The result is written as `YYYY-MM-DDTHH:MM:SS.fffffffffZ`. When the chosen key cannot be
//! read, its raw text is handed on, so a claimed event is skipped with that value named.

use std::borrow::Cow;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// The time-bearing keys of one flat object.
#[derive(Debug, Default)]
pub(super) struct TimeKeys<'a> {
    pub time_created: Option<Cow<'a, str>>,
    pub event_time: Option<Cow<'a, str>>,
    pub received_time: Option<Cow<'a, str>>,
    pub timestamp: Option<Cow<'a, str>>,
    pub utc_time: Option<Cow<'a, str>>,
}

/// Widest UTC offsets in use, in seconds: UTC-12 and UTC+14.
const OFFSET_RANGE: std::ops::RangeInclusive<i64> = -12 * 3600..=14 * 3600;

impl<'a> TimeKeys<'a> {
    /// The event time as `SystemTime` text, or the raw text of the key that could not be
    /// read, or `None` when the object holds no time key.
    pub(super) fn system_time(self) -> Option<Cow<'a, str>> {
        if let Some(created) = self.time_created {
            return Some(created);
        }
        if let Some(event_time) = self.event_time.clone() {
            let Some(clock) = parse_clock(&event_time) else {
                return Some(event_time);
            };
            let offset = match clock.offset {
                Some(offset) => offset,
                None => self.local_offset(clock.local),
            };
            return Some(shift(clock.local, offset).map_or(event_time, render));
        }
        let text = self.timestamp.or(self.utc_time)?;
        let utc = parse_clock(&text).and_then(Clock::as_utc);
        Some(utc.map_or(text, render))
    }

    /// The UTC offset of zone-less `EventTime`, in seconds, from the references of the object.
    fn local_offset(&self, event_time: NaiveDateTime) -> i64 {
        let received = self.received_time.as_deref().and_then(parse_clock);
        let timestamp = self.timestamp.as_deref().and_then(parse_clock);
        let utc_time = self.utc_time.as_deref().and_then(parse_clock);

        let by_receipt = match (received, timestamp) {
            (Some(local), Some(utc)) if local.offset.is_none() => {
                utc.as_utc().and_then(|utc| quarter_hours(local.local, utc))
            }
            _ => None,
        };
        let by_sysmon = utc_time
            .and_then(Clock::as_utc)
            .and_then(|utc| quarter_hours(event_time, utc));
        by_receipt.or(by_sysmon).unwrap_or(0)
    }
}

/// `local - utc` rounded to the nearest 15 minutes, when it is a real UTC offset.
fn quarter_hours(local: NaiveDateTime, utc: NaiveDateTime) -> Option<i64> {
    let diff = (local - utc).num_seconds();
    let offset = (diff as f64 / 900.0).round() as i64 * 900;
    OFFSET_RANGE.contains(&offset).then_some(offset)
}

/// `local` moved back by `offset` seconds: the UTC time of a local time.
fn shift(local: NaiveDateTime, offset: i64) -> Option<NaiveDateTime> {
    local.checked_sub_signed(Duration::try_seconds(offset)?)
}

fn render<'x>(utc: NaiveDateTime) -> Cow<'x, str> {
    Cow::Owned(utc.format("%Y-%m-%dT%H:%M:%S%.9fZ").to_string())
}

/// A wall-clock time and, when written, its UTC offset in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Clock {
    local: NaiveDateTime,
    offset: Option<i64>,
}

impl Clock {
    /// The time in UTC, taking a missing offset as UTC.
    fn as_utc(self) -> Option<NaiveDateTime> {
        shift(self.local, self.offset.unwrap_or(0))
    }
}

/// `YYYY-MM-DD[T or space]HH:MM:SS[.f 1-9 digits][Z | ±HH:MM | ±HHMM]`.
fn parse_clock(text: &str) -> Option<Clock> {
    let b = text.as_bytes();
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    if !matches!(b.get(10), Some(b'T' | b' ')) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(digits(b.get(0..4)?)?).ok()?,
        digits(b.get(5..7)?)?,
        digits(b.get(8..10)?)?,
    )?;
    let (hour, minute, second) = (
        digits(b.get(11..13)?)?,
        digits(b.get(14..16)?)?,
        digits(b.get(17..19)?)?,
    );

    let mut rest = b.get(19..)?;
    let mut nanos = 0;
    if let Some((&b'.', tail)) = rest.split_first() {
        let len = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if len == 0 || len > 9 {
            return None;
        }
        nanos = digits(&tail[..len])? * 10u32.pow(9 - len as u32);
        rest = &tail[len..];
    }
    let offset = match rest {
        [] => None,
        [b'Z'] => Some(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] | [sign @ (b'+' | b'-'), h1, h2, m1, m2] => {
            let hours = i64::from(digits(&[*h1, *h2])?);
            let minutes = i64::from(digits(&[*m1, *m2])?);
            let magnitude = hours * 3600 + minutes * 60;
            Some(if *sign == b'-' { -magnitude } else { magnitude })
        }
        _ => return None,
    };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    Some(Clock {
        local: date.and_time(time),
        offset,
    })
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, &d| {
        d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys<'a>(pairs: &[(&str, &'a str)]) -> TimeKeys<'a> {
        let mut k = TimeKeys::default();
        for (name, value) in pairs {
            let v = Some(Cow::Borrowed(*value));
            match *name {
                "TimeCreated" => k.time_created = v,
                "EventTime" => k.event_time = v,
                "EventReceivedTime" => k.received_time = v,
                "@timestamp" => k.timestamp = v,
                "UtcTime" => k.utc_time = v,
                other => panic!("not a time key: {other}"),
            }
        }
        k
    }

    fn time(pairs: &[(&str, &str)]) -> Option<String> {
        keys(pairs).system_time().map(Cow::into_owned)
    }

    #[test]
    fn nxlog_local_time_takes_its_offset_from_the_receive_times() {
        // OTRF covenant_installutil: a 4688 whose host runs at UTC-4.
        let got = time(&[
            ("EventTime", "2020-09-19 21:17:14"),
            ("EventReceivedTime", "2020-09-19 21:17:16"),
            ("@timestamp", "2020-09-20T01:17:16.439Z"),
        ]);
        assert_eq!(got.as_deref(), Some("2020-09-20T01:17:14.000000000Z"));
    }

    #[test]
    fn nxlog_local_time_falls_back_to_sysmon_utc_time_then_to_utc() {
        let got = time(&[
            ("EventTime", "2020-09-19 21:18:13"),
            ("UtcTime", "2020-09-20 01:18:13.287"),
        ]);
        assert_eq!(got.as_deref(), Some("2020-09-20T01:18:13.000000000Z"));
        // NXLog attack_data: UtcTime 11 s before EventTime on a UTC host.
        let got = time(&[
            ("EventTime", "2020-08-01 07:53:24"),
            ("UtcTime", "2020-08-01 07:53:13.181"),
        ]);
        assert_eq!(got.as_deref(), Some("2020-08-01T07:53:24.000000000Z"));
        let got = time(&[("EventTime", "2020-08-01 07:53:24")]);
        assert_eq!(got.as_deref(), Some("2020-08-01T07:53:24.000000000Z"));
        // The receive times win over UtcTime; a reference 20 hours away is no offset.
        let got = time(&[
            ("EventTime", "2020-08-01 09:00:00"),
            ("EventReceivedTime", "2020-08-01 09:00:01"),
            ("@timestamp", "2020-08-01T13:00:01Z"),
            ("UtcTime", "2020-08-01 07:00:00.000"),
        ]);
        assert_eq!(got.as_deref(), Some("2020-08-01T13:00:00.000000000Z"));
        let got = time(&[
            ("EventTime", "2020-08-01 09:00:00"),
            ("UtcTime", "2020-07-31 13:00:00.000"),
        ]);
        assert_eq!(got.as_deref(), Some("2020-08-01T09:00:00.000000000Z"));
    }

    #[test]
    fn written_zones_win_and_other_keys_follow_the_order() {
        let got = time(&[
            ("EventTime", "2024-01-01T10:30:00.5+05:30"),
            ("@timestamp", "2024-01-01T00:00:09Z"),
        ]);
        assert_eq!(got.as_deref(), Some("2024-01-01T05:00:00.500000000Z"));
        let got = time(&[
            ("TimeCreated", "2024-01-01T00:00:00.1234567Z"),
            ("EventTime", "2020-01-01 00:00:00"),
        ]);
        assert_eq!(got.as_deref(), Some("2024-01-01T00:00:00.1234567Z"));
        let got = time(&[
            ("@timestamp", "2024-01-01T00:00:01.250Z"),
            ("UtcTime", "2024-01-01 00:00:00.000"),
        ]);
        assert_eq!(got.as_deref(), Some("2024-01-01T00:00:01.250000000Z"));
        let got = time(&[("UtcTime", "2024-01-01 00:00:00.000")]);
        assert_eq!(got.as_deref(), Some("2024-01-01T00:00:00.000000000Z"));
        assert_eq!(time(&[]), None);
    }

    #[test]
    fn unreadable_times_are_handed_on_as_written() {
        for bad in [
            "yesterday",
            "2024-13-01 00:00:00",
            "2024-01-01 00:00:00.",
            "2024-01-01 00:00:00+5",
            "2024-01-01 00:00:00.1234567890",
            "2024-01-01X00:00:00",
            "２０２４-01-01 00:00:00",
        ] {
            assert_eq!(time(&[("EventTime", bad)]).as_deref(), Some(bad));
            assert_eq!(time(&[("@timestamp", bad)]).as_deref(), Some(bad));
        }
    }
}
