//! Time functions: `now`, `time`, `strftime`, `strptime`, `relative_time`
//! [spl-semantics.md §4–§7; Splunk "Date and Time functions"].
//!
//! All of them use the search's time zone ([`crate::commands::Context::tz`]).

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use spelunk_spl::Span;

use super::{EvalError, Evaluator, Value};
use crate::ctime::Format;
use crate::timespec;

pub(super) fn call(
    ev: &Evaluator,
    name: &str,
    v: &[Value],
    span: Span,
) -> Result<Value, EvalError> {
    let ctx = ev.context();
    Ok(match name {
        // The search's start time, constant for the whole search.
        "now" => Value::Num(ctx.now),
        // The wall clock when the row is evaluated.
        "time" => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs_f64())
                .unwrap_or(0.0);
            Value::Str(format!("{now:.6}"))
        }
        "strftime" => {
            let (Some(epoch), Some(format)) = (v[0].number(), v[1].text()) else {
                return Ok(Value::Null);
            };
            let format = Format::new(&format).map_err(|m| EvalError::new(m, span))?;
            format.render(epoch, ctx.tz).map_or(Value::Null, Value::Str)
        }
        "strptime" => {
            let (Some(text), Some(format)) = (v[0].text(), v[1].text()) else {
                return Ok(Value::Null);
            };
            let format = Format::new(&format).map_err(|m| EvalError::new(m, span))?;
            // Splunk prints strptime's result with six decimals (`1534143600.000000`).
            strptime(&text, format.chrono_pattern(), ctx.tz)
                .map_or(Value::Null, |t| Value::Str(format!("{t:.6}")))
        }
        "relative_time" => {
            let (Some(epoch), Some(spec)) = (v[0].number(), v[1].text()) else {
                return Ok(Value::Null);
            };
            let time = timespec::resolve(&spec, epoch, ctx.tz)
                .map_err(|e| EvalError::new(e.to_string(), span))?;
            Value::Num(time)
        }
        _ => Value::Null,
    })
}

/// Epoch seconds of `text` read with a chrono pattern in `tz`; a date alone is midnight.
fn strptime(text: &str, pattern: &str, tz: chrono_tz::Tz) -> Option<f64> {
    if pattern.contains("%s") {
        let parsed = NaiveDateTime::parse_from_str(text, pattern).ok()?;
        return Some(parsed.and_utc().timestamp_micros() as f64 / 1e6);
    }
    let naive = NaiveDateTime::parse_from_str(text, pattern)
        .ok()
        .or_else(|| {
            let date = NaiveDate::parse_from_str(text, pattern).ok()?;
            date.and_hms_opt(0, 0, 0)
        })?;
    let local = tz.from_local_datetime(&naive).earliest()?;
    Some(local.timestamp_micros() as f64 / 1e6)
}
