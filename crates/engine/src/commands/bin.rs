//! `bin span=<s> f [AS g]` (also `bucket`): puts each value into a bin of width `span`.
//!
//! Semantics [Splunk bin docs; spl-semantics §5, TZBIN]: on `_time`, or whenever the span
//! has a time unit, the value is epoch seconds and becomes the start of its bin, in whole
//! seconds when it is whole. Seconds, minutes and hours bins align to the local clock of the
//! search's time zone, days and weeks to local midnight, months and years to the local first
//! of the month. On another field a plain number span gives the range text `lo-hi`
//! (`span=10`: 23 becomes `20-30`). A value that is not a number is left as it is [infer];
//! each value of a multivalue field is binned alone.
//!
//! Not supported (refused by the parser): `bins=`, `minspan=`, `start=`, `end=`,
//! `aligntime=`, and `bin` without `span=`.

use chrono::{DateTime, Datelike, NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;
use spelunk_spl::ast;

use super::columns::{ensure, index};
use super::{CommandError, CommandErrorKind, CommandResult, Context};
use crate::values::{format_number, parse_number, Cell, ResultTable};

/// A parsed `span=`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Span {
    /// A number with no unit.
    Plain(f64),
    /// Seconds on the local clock.
    Seconds(f64),
    /// Whole local days.
    Days(i64),
    /// Whole months.
    Months(i64),
}

/// Runs `bin` over `table`.
pub fn run(mut input: ResultTable, args: &ast::Bin, ctx: &Context) -> CommandResult {
    let Some(written) = &args.span_option else {
        let construct = "bin without `span=`".to_string();
        let kind = CommandErrorKind::Unsupported { construct };
        return Err(CommandError::of(kind, args.span));
    };
    let span = parse_span(&written.text).ok_or_else(|| {
        let kind = CommandErrorKind::BinSpan {
            text: written.text.clone(),
        };
        CommandError::of(kind, written.span)
    })?;
    let span = match span {
        Span::Plain(n) if args.field.name == "_time" => Span::Seconds(n),
        other => other,
    };

    let Some(from) = index(&input, &args.field.name) else {
        return Ok(input);
    };
    let to = match &args.alias {
        Some(alias) => ensure(&mut input, &alias.name),
        None => from,
    };
    for row in &mut input.rows {
        let binned = match row.get(from) {
            Some(Cell::Single(v)) => Cell::Single(bin_value(v, span, ctx.tz)),
            Some(Cell::Multi(vs)) => {
                Cell::Multi(vs.iter().map(|v| bin_value(v, span, ctx.tz)).collect())
            }
            _ => Cell::Null,
        };
        if let Some(slot) = row.get_mut(to) {
            *slot = binned;
        }
    }
    Ok(input)
}

fn bin_value(value: &str, span: Span, tz: Tz) -> String {
    let Some(n) = parse_number(value) else {
        return value.to_string();
    };
    let start = match span {
        Span::Plain(width) => {
            let lo = (n / width).floor() * width;
            return format!("{}-{}", format_number(lo), format_number(lo + width));
        }
        Span::Seconds(width) => {
            let offset = offset_at(n, tz);
            ((n + offset) / width).floor() * width - offset
        }
        Span::Days(days) => local_day_start(n, days, tz).unwrap_or(n),
        Span::Months(months) => local_month_start(n, months, tz).unwrap_or(n),
    };
    format_number(start)
}

/// The zone's offset from UTC at epoch `t`, in seconds.
fn offset_at(t: f64, tz: Tz) -> f64 {
    DateTime::from_timestamp(t.floor() as i64, 0).map_or(0.0, |utc| {
        let local = tz.offset_from_utc_datetime(&utc.naive_utc());
        f64::from(local.fix().local_minus_utc())
    })
}

fn local_date(t: f64, tz: Tz) -> Option<NaiveDate> {
    let utc = DateTime::from_timestamp(t.floor() as i64, 0)?;
    Some(utc.with_timezone(&tz).date_naive())
}

fn midnight(date: NaiveDate, tz: Tz) -> Option<f64> {
    let start = tz
        .from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .earliest()?;
    Some(start.timestamp() as f64)
}

fn local_day_start(t: f64, days: i64, tz: Tz) -> Option<f64> {
    let date = local_date(t, tz)?;
    let day = i64::from(date.num_days_from_ce());
    let floored = day - day.rem_euclid(days);
    let date = NaiveDate::from_num_days_from_ce_opt(i32::try_from(floored).ok()?)?;
    midnight(date, tz)
}

fn local_month_start(t: f64, months: i64, tz: Tz) -> Option<f64> {
    let date = local_date(t, tz)?;
    let index = i64::from(date.year()) * 12 + i64::from(date.month0());
    let floored = index - index.rem_euclid(months);
    let year = i32::try_from(floored.div_euclid(12)).ok()?;
    let month = u32::try_from(floored.rem_euclid(12)).ok()? + 1;
    midnight(NaiveDate::from_ymd_opt(year, month, 1)?, tz)
}

/// Reads `10`, `30s`, `5m`, `1h`, `1d`, `1w`, `1mon`, `1q` or `1y` (and their long names).
fn parse_span(text: &str) -> Option<Span> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: f64 = number
        .parse()
        .ok()
        .filter(|n: &f64| *n > 0.0 && n.is_finite())?;
    let whole = (n.fract() == 0.0).then_some(n as i64);
    Some(match unit.to_ascii_lowercase().as_str() {
        "" => Span::Plain(n),
        "s" | "sec" | "secs" | "second" | "seconds" => Span::Seconds(n),
        "m" | "min" | "mins" | "minute" | "minutes" => Span::Seconds(n * 60.0),
        "h" | "hr" | "hrs" | "hour" | "hours" => Span::Seconds(n * 3600.0),
        "d" | "day" | "days" => Span::Days(whole?),
        "w" | "week" | "weeks" => Span::Days(whole? * 7),
        "mon" | "month" | "months" => Span::Months(whole?),
        "q" | "qtr" | "qtrs" | "quarter" | "quarters" => Span::Months(whole? * 3),
        "y" | "yr" | "yrs" | "year" | "years" => Span::Months(whole? * 12),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;
    use crate::commands::tests::{ctx, parse_command};

    fn run_in(input: ResultTable, text: &str, tz: Tz) -> CommandResult {
        let ast::Command::Bin(args) = parse_command(text) else {
            panic!("not a bin");
        };
        let ctx = Context { tz, ..ctx() };
        run(input, &args, &ctx)
    }

    // 2024-01-02T03:04:05Z and 2024-03-31T23:30:00Z.
    const T1: &str = "1704164645";
    const T2: &str = "1711927800";

    #[test]
    fn time_bins_floor_in_utc() {
        let input = table(&["_time"], &[&[T1], &["-"], &["x"], &["1704164645.5"]]);
        let out = run_in(input.clone(), "bin _time span=1h", chrono_tz::UTC).unwrap();
        let hour = "1704164400";
        assert_eq!(out, table(&["_time"], &[&[hour], &["-"], &["x"], &[hour]]));
        let out = run_in(input, "bucket _time span=1d", chrono_tz::UTC).unwrap();
        assert_eq!(out.rows[0], vec![Cell::Single("1704153600".into())]);
    }

    #[test]
    fn days_and_months_align_to_local_midnight() {
        let input = table(&["_time"], &[&[T2]]);
        let paris = chrono_tz::Europe::Paris;
        // 23:30Z on 31 March is 01:30 on 1 April in Paris (summer time, +2).
        let out = run_in(input.clone(), "bin _time span=1d", paris).unwrap();
        assert_eq!(out.rows[0], vec![Cell::Single("1711922400".into())]);
        let out = run_in(input.clone(), "bin _time span=1mon", paris).unwrap();
        assert_eq!(out.rows[0], vec![Cell::Single("1711922400".into())]);
        let out = run_in(input, "bin _time span=1mon", chrono_tz::UTC).unwrap();
        assert_eq!(out.rows[0], vec![Cell::Single("1709251200".into())]);
    }

    #[test]
    fn numbers_give_ranges_and_alias_keeps_the_source() {
        let input = table(&["size"], &[&["23"], &["-5|40"], &["big"]]);
        let out = run_in(input, "bin span=10 size AS sz", chrono_tz::UTC).unwrap();
        let expected = table(
            &["size", "sz"],
            &[&["23", "20-30"], &["-5|40", "-10-0|40-50"], &["big", "big"]],
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn bad_spans_are_errors() {
        let input = table(&["_time"], &[&[T1]]);
        let err = run_in(input, "bin _time span=1fortnight", chrono_tz::UTC).unwrap_err();
        assert_eq!(
            err.kind,
            Some(CommandErrorKind::BinSpan {
                text: "1fortnight".into()
            })
        );
    }
}
