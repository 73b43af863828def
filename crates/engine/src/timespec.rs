//! Splunk's relative time modifiers (`-70m@m`, `@d`, `-1d@w0`, `-1mon@mon+3h`), applied to
//! an epoch in a time zone [spl-semantics.md §7; Splunk "Time modifiers"].
//!
//! A modifier is a chain, applied left to right, of offsets `[+|-][<int>]<unit>` (a missing
//! integer is 1) and snaps `@<unit>` that floor the time to the start of the unit. Seconds,
//! minutes and hours move the clock; days and weeks move the calendar date keeping the local
//! time (so `1d` is not `24h` across a DST change); months, quarters and years move the
//! month, clamping the day. Snaps to days and longer use the local midnight; `@w0`…`@w7`
//! snap to the last Sunday…Saturday (`w7` = `w0` = Sunday, `@w` = `@w0`).
//!
//! Not here: absolute times (`%m/%d/%Y:%H:%M:%S`) and epoch numbers, which `earliest=`
//! accepts but `relative_time()` does not need.

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, NaiveDateTime, TimeZone, Timelike};
use chrono_tz::Tz;

/// A parsed relative time modifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelativeTime {
    steps: Vec<Step>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Offset(i64, Unit),
    Snap(Unit),
    SnapWeekday(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

/// Parses a modifier; `now` and the empty text leave the time as it is.
pub fn parse(spec: &str) -> Result<RelativeTime, String> {
    let text = spec.trim();
    let mut steps = Vec::new();
    if text.eq_ignore_ascii_case("now") || text.is_empty() {
        return Ok(RelativeTime { steps });
    }

    let mut rest = text;
    while let Some(first) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix('@') {
            let (unit_text, after) = split_letters(after);
            let (digits, after) = split_digits(after);
            if unit_text == "w" && !digits.is_empty() {
                let day: u32 = digits.parse().map_err(|_| bad(spec))?;
                if day > 7 {
                    return Err(bad(spec));
                }
                steps.push(Step::SnapWeekday(day % 7));
            } else if !digits.is_empty() {
                return Err(bad(spec));
            } else {
                steps.push(Step::Snap(unit(unit_text).ok_or_else(|| bad(spec))?));
            }
            rest = after;
            continue;
        }
        let (sign, after) = match first {
            '-' => (-1, &rest[1..]),
            '+' => (1, &rest[1..]),
            _ => return Err(bad(spec)),
        };
        let (digits, after) = split_digits(after);
        let amount: i64 = if digits.is_empty() {
            1
        } else {
            digits.parse().map_err(|_| bad(spec))?
        };
        let (unit_text, after) = split_letters(after);
        let unit = unit(unit_text).ok_or_else(|| bad(spec))?;
        steps.push(Step::Offset(sign * amount, unit));
        rest = after;
    }
    Ok(RelativeTime { steps })
}

fn bad(spec: &str) -> String {
    format!("invalid relative time {spec:?}; expected something like \"-70m@m\" or \"@d\"")
}

fn split_digits(s: &str) -> (&str, &str) {
    let len = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(len)
}

fn split_letters(s: &str) -> (&str, &str) {
    let len = s
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len());
    s.split_at(len)
}

fn unit(name: &str) -> Option<Unit> {
    Some(match name {
        "s" | "sec" | "secs" | "second" | "seconds" => Unit::Second,
        "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minute,
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hour,
        "d" | "day" | "days" => Unit::Day,
        "w" | "week" | "weeks" => Unit::Week,
        "mon" | "month" | "months" => Unit::Month,
        "q" | "qtr" | "qtrs" | "quarter" | "quarters" => Unit::Quarter,
        "y" | "yr" | "yrs" | "year" | "years" => Unit::Year,
        _ => return None,
    })
}

impl RelativeTime {
    /// The modifier applied to `epoch` seconds in `tz`; `None` when the result falls
    /// outside the calendar.
    pub fn apply(&self, epoch: f64, tz: Tz) -> Option<f64> {
        let seconds = epoch.floor();
        let nanos = ((epoch - seconds) * 1e9).round().min(999_999_999.0) as u32;
        let mut at = tz.timestamp_opt(seconds as i64, nanos).single()?;
        for step in &self.steps {
            at = match *step {
                Step::Offset(n, unit) => offset(at, n, unit, tz)?,
                Step::Snap(unit) => snap(at, unit, tz)?,
                Step::SnapWeekday(day) => {
                    let midnight = at.date_naive().and_hms_opt(0, 0, 0)?;
                    let back = (midnight.weekday().num_days_from_sunday() + 7 - day) % 7;
                    localize(midnight - Duration::days(i64::from(back)), tz)?
                }
            };
        }
        Some(at.timestamp() as f64 + f64::from(at.timestamp_subsec_nanos()) / 1e9)
    }
}

fn offset(at: DateTime<Tz>, n: i64, unit: Unit, tz: Tz) -> Option<DateTime<Tz>> {
    let local = at.naive_local();
    match unit {
        Unit::Second => at.checked_add_signed(Duration::try_seconds(n)?),
        Unit::Minute => at.checked_add_signed(Duration::try_minutes(n)?),
        Unit::Hour => at.checked_add_signed(Duration::try_hours(n)?),
        Unit::Day => localize(local.checked_add_signed(Duration::try_days(n)?)?, tz),
        Unit::Week => localize(local.checked_add_signed(Duration::try_weeks(n)?)?, tz),
        Unit::Month => localize(add_months(local, n)?, tz),
        Unit::Quarter => localize(add_months(local, n.checked_mul(3)?)?, tz),
        Unit::Year => localize(add_months(local, n.checked_mul(12)?)?, tz),
    }
}

fn add_months(local: NaiveDateTime, n: i64) -> Option<NaiveDateTime> {
    let months = Months::new(u32::try_from(n.unsigned_abs()).ok()?);
    if n >= 0 {
        local.checked_add_months(months)
    } else {
        local.checked_sub_months(months)
    }
}

fn snap(at: DateTime<Tz>, unit: Unit, tz: Tz) -> Option<DateTime<Tz>> {
    let local = at.naive_local();
    let date = local.date();
    let time = |h, m, s| date.and_hms_opt(h, m, s);
    let day_start = |d: NaiveDate| d.and_hms_opt(0, 0, 0);
    let snapped = match unit {
        Unit::Second => time(local.hour(), local.minute(), local.second())?,
        Unit::Minute => time(local.hour(), local.minute(), 0)?,
        Unit::Hour => time(local.hour(), 0, 0)?,
        Unit::Day => day_start(date)?,
        Unit::Week => {
            let back = date.weekday().num_days_from_sunday();
            day_start(date - Duration::days(i64::from(back)))?
        }
        Unit::Month => day_start(date.with_day(1)?)?,
        Unit::Quarter => {
            let month = (date.month() - 1) / 3 * 3 + 1;
            day_start(NaiveDate::from_ymd_opt(date.year(), month, 1)?)?
        }
        Unit::Year => day_start(NaiveDate::from_ymd_opt(date.year(), 1, 1)?)?,
    };
    localize(snapped, tz)
}

/// A local time in `tz`: the earlier of two in a repeated hour, the first valid time after
/// a skipped one.
fn localize(local: NaiveDateTime, tz: Tz) -> Option<DateTime<Tz>> {
    let mut probe = local;
    for _ in 0..4 {
        if let Some(at) = tz.from_local_datetime(&probe).earliest() {
            return Some(at);
        }
        probe = probe.checked_add_signed(Duration::minutes(30))?;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(spec: &str, epoch: f64, tz: Tz) -> f64 {
        parse(spec).unwrap().apply(epoch, tz).unwrap()
    }

    /// 2023-11-14T10:00:37Z, a Tuesday.
    const T: f64 = 1_699_956_037.0;

    #[test]
    fn offsets_then_snaps_as_the_docs_show() {
        let utc = chrono_tz::UTC;
        assert_eq!(at("-70m@m", T, utc), T - 37.0 - 70.0 * 60.0);
        assert_eq!(at("-10m@m", T, utc), T - 37.0 - 600.0);
        assert_eq!(at("@d", T, utc), 1_699_920_000.0);
        assert_eq!(at("-1d@d", T, utc), 1_699_920_000.0 - 86_400.0);
        // The Sunday before Tuesday 2023-11-14 is 2023-11-12; -1d first.
        assert_eq!(at("-1d@w0", T, utc), 1_699_747_200.0);
        assert_eq!(at("@w1", T, utc), 1_699_833_600.0);
        assert_eq!(at("@mon", T, utc), 1_698_796_800.0);
        assert_eq!(at("@q", T, utc), 1_696_118_400.0);
        assert_eq!(at("@y", T, utc), 1_672_531_200.0);
        assert_eq!(at("@d+3h", T, utc), 1_699_920_000.0 + 3.0 * 3600.0);
        assert_eq!(at("-h", T, utc), T - 3600.0);
        assert_eq!(at("now", T + 0.25, utc), T + 0.25);
        assert_eq!(at("+1mon", 1_675_123_200.0, utc), 1_677_542_400.0); // Jan 31 → Feb 28
    }

    #[test]
    fn days_snap_to_local_midnight_and_keep_the_clock_across_dst() {
        let ny: Tz = "America/New_York".parse().unwrap();
        // 2023-11-14T10:00:37Z is 05:00:37 EST; local midnight is 05:00Z.
        assert_eq!(at("@d", T, ny), 1_699_938_000.0);
        // DST ends on 2023-11-05: 11-04T12:00 EDT (16:00Z) + 1d = 11-05T12:00 EST (17:00Z).
        let noon = 1_699_113_600.0;
        assert_eq!(at("+1d", noon, ny), noon + 25.0 * 3600.0);
        assert_eq!(at("+24h", noon, ny), noon + 24.0 * 3600.0);
    }

    #[test]
    fn bad_modifiers_are_errors() {
        for spec in ["-1x", "1d", "@w8", "@", "-", "-70m@", "@d3"] {
            assert!(parse(spec).is_err(), "{spec}");
        }
    }
}
