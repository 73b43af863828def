//! Splunk time modifiers: `now`, `-70m@m`, `-1d@d+6h`, `@w1`, epoch numbers and
//! `%m/%d/%Y:%H:%M:%S`, resolved to epoch seconds.
//!
//! Grammar and meaning follow spl-semantics.md §7 (Splunk's "Time modifiers" page):
//! offsets `[+|-][<int>]<unit>` (an omitted integer is 1) and snaps `@<unit>` apply left to
//! right; a snap floors to the start of its unit. Seconds, minutes and hours are fixed
//! lengths; days and weeks move the calendar date in the time zone (so `-1d` is not always
//! `-24h` across a DST change); months, quarters and years move the calendar month,
//! keeping the day where the month has it and else taking its last day. Snaps to days and
//! longer use the local calendar: `@w0`/`@w7`/`@w` is Sunday 00:00, `@w1` Monday, `@q` the
//! first day of the quarter. A local time that does not exist (a DST gap) moves forward to
//! the first one that does; an ambiguous one takes the earlier instant.
//!
//! [`window`] turns a search's `earliest=`/`latest=` pair into an epoch window,
//! earliest inclusive and latest exclusive. Not supported: real-time modifiers (`rt-5m`)
//! and the time formats of a search's `timeformat=` option (only Splunk's default
//! `%m/%d/%Y:%H:%M:%S` is read). `_index_earliest` is not a time range here.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, Months, NaiveDate, NaiveDateTime, TimeZone, Timelike,
};
use chrono_tz::Tz;
use spelunk_spl::ast::{Span, TimeRange, Value};

/// Why a time modifier cannot be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeSpecError {
    /// Nothing was written.
    #[error("the time is empty")]
    Empty,
    /// A unit Splunk does not know.
    #[error("unknown time unit `{unit}` in `{spec}`")]
    UnknownUnit {
        /// The unit as written.
        unit: String,
        /// The whole modifier.
        spec: String,
    },
    /// Text that is not a modifier.
    #[error("`{spec}` is not a time: expected `now`, an epoch number, `%m/%d/%Y:%H:%M:%S` or offsets such as `-24h@h`")]
    Malformed {
        /// The whole modifier.
        spec: String,
    },
    /// A valid-looking modifier Splunk supports and spelunk does not.
    #[error("the time modifier `{spec}` is not supported")]
    Unsupported {
        /// The whole modifier.
        spec: String,
    },
    /// A time outside what the calendar can represent.
    #[error("the time `{spec}` is out of range")]
    OutOfRange {
        /// The whole modifier.
        spec: String,
    },
}

/// Calendar and clock units.
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

/// The unit a name stands for (spl-semantics.md §7 lists the spellings).
fn unit(name: &str) -> Option<Unit> {
    Some(match name.to_ascii_lowercase().as_str() {
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

/// Resolves a time modifier to epoch seconds, relative to `now`, snapping in `tz`.
pub fn resolve(spec: &str, now: f64, tz: Tz) -> Result<f64, TimeSpecError> {
    let text = spec.trim();
    if text.is_empty() {
        return Err(TimeSpecError::Empty);
    }
    if text.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        if let Ok(epoch) = text.parse::<f64>() {
            return Ok(epoch);
        }
        if text.contains('/') {
            return absolute(text, tz, spec);
        }
    }
    if text.to_ascii_lowercase().starts_with("rt") {
        return Err(TimeSpecError::Unsupported {
            spec: spec.to_string(),
        });
    }
    relative(text, now, tz, spec)
}

/// `%m/%d/%Y:%H:%M:%S` in `tz`.
fn absolute(text: &str, tz: Tz, spec: &str) -> Result<f64, TimeSpecError> {
    let naive = NaiveDateTime::parse_from_str(text, "%m/%d/%Y:%H:%M:%S").map_err(|_| {
        TimeSpecError::Malformed {
            spec: spec.to_string(),
        }
    })?;
    let instant = localize(naive, tz).ok_or_else(|| out_of_range(spec))?;
    Ok(instant.timestamp() as f64)
}

/// Offsets and snaps, left to right.
fn relative(text: &str, now: f64, tz: Tz, spec: &str) -> Result<f64, TimeSpecError> {
    let malformed = || TimeSpecError::Malformed {
        spec: spec.to_string(),
    };
    let mut whole = now.floor();
    let fraction = now - whole;
    let mut keep_fraction = true;
    let mut rest = text;

    while !rest.is_empty() {
        let (sign, body) = match rest.as_bytes().first() {
            Some(b'@') => {
                let (name, after) = split_word(&rest[1..]);
                whole = snap(whole, name, tz, spec)?;
                keep_fraction = false;
                rest = after;
                continue;
            }
            Some(b'-') => (-1i64, &rest[1..]),
            Some(b'+') => (1, &rest[1..]),
            // A leading offset may omit its sign (`1d`), which reads as `+`.
            _ if rest.len() == text.len() => (1, rest),
            _ => return Err(malformed()),
        };
        let digits = body.len() - body.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let amount: i64 = match &body[..digits] {
            "" => 1,
            n => n.parse().map_err(|_| out_of_range(spec))?,
        };
        let (name, after) = split_word(&body[digits..]);
        if name.is_empty() {
            return Err(malformed());
        }
        let unit = unit(name).ok_or_else(|| TimeSpecError::UnknownUnit {
            unit: name.to_string(),
            spec: spec.to_string(),
        })?;
        whole = offset(whole, sign * amount, unit, tz).ok_or_else(|| out_of_range(spec))?;
        rest = after;
    }

    Ok(if keep_fraction {
        whole + fraction
    } else {
        whole
    })
}

/// The leading run of ASCII letters and digits (a unit, or a snap such as `w1`), and what
/// follows.
fn split_word(text: &str) -> (&str, &str) {
    let end = text
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(text.len());
    text.split_at(end)
}

fn out_of_range(spec: &str) -> TimeSpecError {
    TimeSpecError::OutOfRange {
        spec: spec.to_string(),
    }
}

/// `epoch` moved by `amount` units.
fn offset(epoch: f64, amount: i64, unit: Unit, tz: Tz) -> Option<f64> {
    let fixed = |seconds: i64| Some(epoch + amount.checked_mul(seconds)? as f64);
    match unit {
        Unit::Second => fixed(1),
        Unit::Minute => fixed(60),
        Unit::Hour => fixed(3600),
        Unit::Day => shift_local(epoch, tz, |t| {
            t.checked_add_signed(Duration::try_days(amount)?)
        }),
        Unit::Week => shift_local(epoch, tz, |t| {
            t.checked_add_signed(Duration::try_days(amount.checked_mul(7)?)?)
        }),
        Unit::Month => add_months(epoch, amount, tz),
        Unit::Quarter => add_months(epoch, amount.checked_mul(3)?, tz),
        Unit::Year => add_months(epoch, amount.checked_mul(12)?, tz),
    }
}

fn add_months(epoch: f64, months: i64, tz: Tz) -> Option<f64> {
    let magnitude = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    shift_local(epoch, tz, |t| {
        if months >= 0 {
            t.checked_add_months(magnitude)
        } else {
            t.checked_sub_months(magnitude)
        }
    })
}

/// Applies `change` to the local wall-clock time of `epoch` in `tz`.
fn shift_local(
    epoch: f64,
    tz: Tz,
    change: impl FnOnce(NaiveDateTime) -> Option<NaiveDateTime>,
) -> Option<f64> {
    let local = tz.timestamp_opt(epoch as i64, 0).single()?.naive_local();
    let moved = localize(change(local)?, tz)?;
    Some(moved.timestamp() as f64)
}

/// The instant of a local time: the earlier of two, or the first after a gap.
fn localize(local: NaiveDateTime, tz: Tz) -> Option<DateTime<Tz>> {
    let mut candidate = local;
    // DST gaps are at most a few hours; step through them by quarter hours.
    for _ in 0..=16 {
        match tz.from_local_datetime(&candidate) {
            LocalResult::Single(t) => return Some(t),
            LocalResult::Ambiguous(earlier, _) => return Some(earlier),
            LocalResult::None => candidate = candidate.checked_add_signed(Duration::minutes(15))?,
        }
    }
    None
}

/// `epoch` floored to the start of the snap unit `name` (`d`, `w1`, `mon`...).
fn snap(epoch: f64, name: &str, tz: Tz, spec: &str) -> Result<f64, TimeSpecError> {
    let unknown = || TimeSpecError::UnknownUnit {
        unit: name.to_string(),
        spec: spec.to_string(),
    };
    let (unit, weekday) = match name.to_ascii_lowercase().as_str() {
        // `@w0`..`@w7`: w0 and w7 are Sunday.
        w if w.len() == 2 && w.starts_with('w') => {
            let day = w[1..].parse::<u32>().ok().filter(|d| *d <= 7);
            (Unit::Week, day.map(|d| d % 7).ok_or_else(unknown)?)
        }
        other => (unit(other).ok_or_else(unknown)?, 0),
    };

    let local = tz
        .timestamp_opt(epoch as i64, 0)
        .single()
        .ok_or_else(|| out_of_range(spec))?
        .naive_local();
    let date = local.date();
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0);
    let floored = match unit {
        Unit::Second => Some(local),
        Unit::Minute => local.with_second(0),
        Unit::Hour => local.with_second(0).and_then(|t| t.with_minute(0)),
        Unit::Day => midnight(date),
        Unit::Week => {
            let back = (date.weekday().num_days_from_sunday() + 7 - weekday) % 7;
            date.checked_sub_signed(Duration::days(i64::from(back)))
                .and_then(midnight)
        }
        Unit::Month => date.with_day(1).and_then(midnight),
        Unit::Quarter => {
            let first_month = (date.month0() / 3) * 3 + 1;
            NaiveDate::from_ymd_opt(date.year(), first_month, 1).and_then(midnight)
        }
        Unit::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1).and_then(midnight),
    };
    let instant = floored
        .and_then(|t| localize(t, tz))
        .ok_or_else(|| out_of_range(spec))?;
    Ok(instant.timestamp() as f64)
}

/// An epoch window: `earliest <= _time < latest`; `None` is unbounded.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TimeWindow {
    /// The inclusive lower bound.
    pub earliest: Option<f64>,
    /// The exclusive upper bound.
    pub latest: Option<f64>,
}

impl TimeWindow {
    /// Whether `time` lies in the window.
    pub fn contains(&self, time: f64) -> bool {
        self.earliest.is_none_or(|e| time >= e) && self.latest.is_none_or(|l| time < l)
    }
}

/// A bound that could not be resolved, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{bound}={}: {error}", value_text)]
pub struct WindowError {
    /// `earliest` or `latest`.
    pub bound: &'static str,
    /// The value as written.
    pub value_text: String,
    /// Why it failed.
    pub error: TimeSpecError,
    /// Where the value was written.
    pub span: Span,
}

/// The window of a search's time terms. `earliest=0` means no lower bound, as in Splunk
/// (spl-semantics.md §7); a bound not written is unbounded here, and the caller applies
/// the dispatch window it runs with.
pub fn window(range: &TimeRange, now: f64, tz: Tz) -> Result<TimeWindow, WindowError> {
    let bound = |name: &'static str, value: &Option<Value>| -> Result<Option<f64>, WindowError> {
        let Some(value) = value else {
            return Ok(None);
        };
        resolve(&value.text, now, tz)
            .map(Some)
            .map_err(|error| WindowError {
                bound: name,
                value_text: value.text.clone(),
                error,
                span: value.span,
            })
    };
    let earliest = bound("earliest", &range.earliest)?.filter(|e| *e != 0.0);
    let latest = bound("latest", &range.latest)?;
    Ok(TimeWindow { earliest, latest })
}

/// Why a `span=` cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    /// Months, quarters and years have no fixed length.
    #[error("`span={0}`: calendar months, quarters and years are not supported")]
    Calendar(String),
    /// Not a number and a unit.
    #[error("`span={0}`: expected a number and a unit such as 1h, 10m or 1d")]
    Malformed(String),
    /// Zero.
    #[error("`span={0}`: the span must be at least 1")]
    Zero(String),
}

/// The seconds of a `span=` such as `1h`, `10m`, `30s`, `1d` or `2w` (a bare number is
/// seconds), as `tstats` and `stats` group `_time` by it.
pub fn span_seconds(text: &str) -> Result<f64, SpanError> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let count: f64 = if number.is_empty() {
        1.0
    } else {
        number.parse().unwrap_or(0.0)
    };
    let unit_seconds = match unit.to_ascii_lowercase().as_str() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3_600.0,
        "d" | "day" | "days" => 86_400.0,
        "w" | "week" | "weeks" => 7.0 * 86_400.0,
        "mon" | "month" | "months" | "q" | "qtr" | "quarter" | "quarters" | "y" | "yr" | "year"
        | "years" => return Err(SpanError::Calendar(text.to_string())),
        _ => return Err(SpanError::Malformed(text.to_string())),
    };
    if count <= 0.0 {
        return Err(SpanError::Zero(text.to_string()));
    }
    Ok(count * unit_seconds)
}

/// The start of the `span`-second bucket holding `time`, buckets counted from local midnight
/// in `tz` (so a `1d` bucket is a local day, a `1h` bucket a local hour).
pub fn bucket(time: f64, span: f64, tz: Tz) -> f64 {
    use chrono::{Offset, TimeZone};
    let offset = chrono::DateTime::from_timestamp(time.floor() as i64, 0).map_or(0, |utc| {
        tz.offset_from_utc_datetime(&utc.naive_utc())
            .fix()
            .local_minus_utc()
    });
    let local = time + f64::from(offset);
    (local / span).floor() * span - f64::from(offset)
}

#[cfg(test)]
mod tests;
