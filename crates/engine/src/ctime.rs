//! `convert ctime`: epoch seconds to text, in the search's time zone.
//!
//! Splunk's time variables are strftime's with a few of its own for sub-seconds (`%N`,
//! `%3N`, `%Q`). Without a sub-second variable the seconds are truncated, never rounded:
//! `17:20:14.839` prints as `17:20:14`. A value that is not a number is left as it is.

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, TimeZone};
use chrono_tz::Tz;
use polars::prelude::*;

use crate::values::{self, Cell};

/// A time format translated to chrono's variables and checked.
#[derive(Debug, Clone)]
pub struct Format {
    chrono: String,
    /// `chrono` parsed once: formatting millions of times re-parses nothing.
    items: Vec<Item<'static>>,
    subseconds: bool,
}

impl Format {
    /// Translates a Splunk time format; an unknown variable is an error naming it.
    pub fn new(splunk: &str) -> Result<Self, String> {
        let mut chrono = String::with_capacity(splunk.len());
        let mut subseconds = false;
        let mut chars = splunk.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                chrono.push(c);
                continue;
            }
            let mut digits = String::new();
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(*d);
                chars.next();
            }
            match chars.next() {
                Some('N') => {
                    subseconds = true;
                    chrono.push_str(&format!("%{}f", digits_or(&digits, "9")));
                }
                Some('Q') => {
                    subseconds = true;
                    chrono.push_str(&format!("%{}f", digits_or(&digits, "3")));
                }
                Some('f') => {
                    subseconds = true;
                    chrono.push_str("%6f");
                }
                Some(other) if digits.is_empty() => {
                    chrono.push('%');
                    chrono.push(other);
                }
                other => {
                    return Err(format!(
                        "unsupported time format variable `%{digits}{}` in {splunk:?}",
                        other.map(String::from).unwrap_or_default()
                    ))
                }
            }
        }
        let items = StrftimeItems::new(&chrono)
            .parse_to_owned()
            .map_err(|_| format!("unsupported time format {splunk:?}"))?;
        Ok(Format {
            chrono,
            items,
            subseconds,
        })
    }

    /// The format in chrono's variables (for parsing with `strptime`).
    pub(crate) fn chrono_pattern(&self) -> &str {
        &self.chrono
    }

    /// Formats epoch seconds in `tz`.
    pub fn render(&self, epoch: f64, tz: Tz) -> Option<String> {
        // `_time` holds microseconds; round to them so that binary fractions such as
        // .839 (stored as .83899...) print as written.
        let micros = (epoch * 1e6).round();
        let mut seconds = (micros / 1e6).floor();
        let mut fraction = (micros - seconds * 1e6) as u32;
        if fraction >= 1_000_000 {
            seconds += 1.0;
            fraction -= 1_000_000;
        }
        if !self.subseconds {
            fraction = 0;
        }
        let utc = DateTime::from_timestamp(seconds as i64, fraction * 1_000)?;
        Some(
            tz.from_utc_datetime(&utc.naive_utc())
                .format_with_items(self.items.iter())
                .to_string(),
        )
    }
}

fn digits_or<'a>(digits: &'a str, default: &'a str) -> &'a str {
    if digits.is_empty() {
        default
    } else {
        digits
    }
}

/// The `ctime` of every value of `expr`, as text; values that are not numbers stay.
pub fn ctime(expr: Expr, format: Format, tz: Tz) -> Expr {
    expr.map(
        move |column: Column| {
            let name = column.name().clone();
            if let Ok(epochs) = column.as_materialized_series().f64() {
                // The common case, min(_time) and max(_time): numbers all the way.
                let out: StringChunked = epochs
                    .iter()
                    .map(|epoch| {
                        let epoch = epoch?;
                        let text = epoch.is_finite().then(|| format.render(epoch, tz));
                        Some(
                            text.flatten()
                                .unwrap_or_else(|| values::format_number(epoch)),
                        )
                    })
                    .collect();
                return Ok(out.with_name(name).into_column());
            }
            let convert = |v: &str| match values::parse_number(v) {
                Some(epoch) => format.render(epoch, tz).unwrap_or_else(|| v.to_string()),
                None => v.to_string(),
            };
            let cells = values::column_cells(&column)?;
            if cells.iter().any(|c| matches!(c, Cell::Multi(_))) {
                let lists: ListChunked = cells
                    .iter()
                    .map(|cell| {
                        let vs: Vec<String> = cell.values().into_iter().map(convert).collect();
                        (!vs.is_empty()).then(|| Series::new(PlSmallStr::EMPTY, vs))
                    })
                    .collect();
                return Ok(lists.with_name(name).into_column());
            }
            let out: StringChunked = cells
                .iter()
                .map(|cell| cell.values().first().map(|v| convert(v)))
                .collect();
            Ok(out.with_name(name).into_column())
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::String)),
    )
}

#[cfg(test)]
mod tests {
    use super::Format;

    #[test]
    fn truncates_and_uses_the_zone() {
        let format = Format::new("%Y-%m-%dT%H:%M:%S").unwrap();
        assert_eq!(
            format.render(1700000000.999, chrono_tz::UTC).as_deref(),
            Some("2023-11-14T22:13:20")
        );
        let paris: chrono_tz::Tz = "Europe/Paris".parse().unwrap();
        assert_eq!(
            format.render(1700000000.0, paris).as_deref(),
            Some("2023-11-14T23:13:20")
        );
        let default = Format::new("%m/%d/%Y %H:%M:%S").unwrap();
        assert_eq!(
            default.render(1700000000.0, chrono_tz::UTC).as_deref(),
            Some("11/14/2023 22:13:20")
        );
        let millis = Format::new("%H:%M:%S.%3N").unwrap();
        assert_eq!(
            millis.render(1700000000.839, chrono_tz::UTC).as_deref(),
            Some("22:13:20.839")
        );
    }

    #[test]
    fn rejects_unknown_variables() {
        assert!(Format::new("%Y %4Y").is_err());
        assert!(Format::new("%Y %").is_err());
    }
}
