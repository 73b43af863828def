//! Column functions the engine runs inside polars plans.
//!
//! Each works on whole columns and keeps per-row work to comparing or copying string slices.

use std::borrow::Cow;

use polars::prelude::*;

use crate::values;
use crate::wildcard::Wildcard;

/// Applies `f` to every present value of a string column; `None` from `f` means null.
pub fn map_str(expr: Expr, f: fn(&str) -> Option<String>) -> Expr {
    expr.map(
        move |column: Column| {
            let strings = column.str()?;
            let out: StringChunked = strings.iter().map(|v| v.and_then(f)).collect();
            Ok(out.with_name(strings.name().clone()).into_column())
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::String)),
    )
}

/// Applies `f` to every value of a string column, nulls included; `None` from `f` means null.
pub fn map_opt_str(expr: Expr, f: fn(Option<&str>) -> Option<Cow<'_, str>>) -> Expr {
    expr.map(
        move |column: Column| {
            let strings = column.str()?;
            let out: StringChunked = strings.iter().map(f).collect();
            Ok(out.with_name(strings.name().clone()).into_column())
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::String)),
    )
}

/// Applies `f` to the values of three string columns of one frame, row by row, nulls
/// included; the result is named after `fields[0]`, and `None` from `f` means null.
pub fn map_three(fields: [&str; 3], f: fn([Option<&str>; 3]) -> Option<Cow<'_, str>>) -> Expr {
    let [first, second, third] = fields;
    col(first).map_many(
        move |columns: &mut [Column]| {
            let [a, b, c] = columns else {
                polars_bail!(ComputeError: "expected three columns, found {}", columns.len());
            };
            let (a, b, c) = (a.str()?, b.str()?, c.str()?);
            let out: StringChunked = a
                .iter()
                .zip(b.iter())
                .zip(c.iter())
                .map(|((a, b), c)| f([a, b, c]))
                .collect();
            Ok(out.with_name(a.name().clone()).into_column())
        },
        &[col(second), col(third)],
        |_, fields| Ok(Field::new(fields[0].name().clone(), DataType::String)),
    )
}

/// Keeps `target` where it is present and not empty, else derives it from `source` with
/// `derive`, else `fallback`. `derive` runs only on the rows that need it.
pub fn fill_from(
    target: &str,
    source: &str,
    derive: fn(&str) -> Option<Cow<'_, str>>,
    fallback: &'static str,
) -> Expr {
    col(target).map_many(
        move |columns: &mut [Column]| {
            let target = columns[0].str()?;
            let source = columns[1].str()?;
            let out: StringChunked = target
                .iter()
                .zip(source.iter())
                .map(|(t, s)| match t {
                    Some(t) if !t.is_empty() => Some(Cow::Borrowed(t)),
                    _ => Some(s.and_then(derive).unwrap_or(Cow::Borrowed(fallback))),
                })
                .collect();
            Ok(out.with_name(target.name().clone()).into_column())
        },
        &[col(source)],
        |_, fields| Ok(Field::new(fields[0].name().clone(), DataType::String)),
    )
}

/// A boolean column: whether the row's value of `expr` matches any of `patterns`
/// (`negated`: is present and matches none). Null values give `false` either way; a
/// multivalue matches when any of its values does.
///
/// An `IN` list or an OR of patterns on one field comes here as one call, so the column is
/// walked once whatever the number of patterns.
pub fn wildcard_match(expr: Expr, patterns: Vec<Wildcard>, negated: bool) -> Expr {
    let matches = move |v: &str| patterns.iter().any(|p| p.matches(v));
    expr.map(
        move |column: Column| {
            let name = column.name().clone();
            let out: BooleanChunked = match column.dtype() {
                DataType::String => column
                    .str()?
                    .iter()
                    .map(|v| Some(v.is_some_and(|v| matches(v) != negated)))
                    .collect(),
                _ => values::column_cells(&column)?
                    .into_iter()
                    .map(|cell| {
                        let values = cell.values();
                        Some(!values.is_empty() && values.iter().any(|v| matches(v)) != negated)
                    })
                    .collect(),
            };
            Ok(out.with_name(name).into_column())
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::Boolean)),
    )
}

/// A boolean column: whether the row's value compares to `literal` as `accept` says.
/// Numbers compare numerically when both sides are numbers, else text compares by bytes.
pub fn order_compare(expr: Expr, literal: String, accept: fn(std::cmp::Ordering) -> bool) -> Expr {
    let literal_number = values::parse_number(&literal);
    expr.map(
        move |column: Column| {
            let name = column.name().clone();
            let out: BooleanChunked = values::column_cells(&column)?
                .into_iter()
                .map(|cell| {
                    Some(cell.values().iter().any(|v| {
                        let ordering = match (values::parse_number(v), literal_number) {
                            (Some(a), Some(b)) => a.partial_cmp(&b),
                            _ => Some(v.as_bytes().cmp(literal.as_bytes())),
                        };
                        ordering.is_some_and(accept)
                    }))
                })
                .collect();
            Ok(out.with_name(name).into_column())
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::Boolean)),
    )
}

/// Sorts each row's distinct values by byte order, as `values()` returns them.
pub fn list_values(expr: Expr) -> Expr {
    expr.map(
        |column: Column| {
            let name = column.name().clone();
            let lists: ListChunked = values::column_cells(&column)?
                .into_iter()
                .map(|cell| {
                    let mut vs: Vec<&str> = cell.values();
                    vs.sort_unstable();
                    vs.dedup();
                    (!vs.is_empty()).then(|| Series::new(PlSmallStr::EMPTY, vs))
                })
                .collect();
            Ok(lists.with_name(name).into_column())
        },
        |_, field| {
            Ok(Field::new(
                field.name().clone(),
                DataType::List(Box::new(DataType::String)),
            ))
        },
    )
}

/// How [`list_reduce`] folds a group's values.
#[derive(Debug, Clone, Copy)]
pub enum Reduce {
    /// The smallest: numerically among numbers, else by bytes.
    Min,
    /// The largest: numerically among numbers, else by bytes.
    Max,
    /// The sum of the numbers; text is ignored.
    Sum,
    /// The mean of the numbers; text is ignored.
    Avg,
}

/// Folds each row's gathered values into one, with Splunk's numeric-or-text rules.
///
/// When some values are numbers, `min` and `max` consider only those; only a group with no
/// numbers at all falls back to byte order.
pub fn list_reduce(expr: Expr, reduce: Reduce) -> Expr {
    expr.map(
        move |column: Column| {
            let name = column.name().clone();
            let out: StringChunked = values::column_cells(&column)?
                .into_iter()
                .map(|cell| reduce_values(&cell.values(), reduce))
                .collect();
            Ok(out.with_name(name).into_column())
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::String)),
    )
}

fn reduce_values(items: &[&str], reduce: Reduce) -> Option<String> {
    let numbers: Vec<f64> = items
        .iter()
        .filter_map(|v| values::parse_number(v))
        .collect();
    match reduce {
        Reduce::Min | Reduce::Max if numbers.is_empty() => {
            let pick = items.iter().copied();
            match reduce {
                Reduce::Min => pick.min(),
                _ => pick.max(),
            }
            .map(str::to_string)
        }
        Reduce::Min => numbers
            .iter()
            .copied()
            .reduce(f64::min)
            .map(values::format_number),
        Reduce::Max => numbers
            .iter()
            .copied()
            .reduce(f64::max)
            .map(values::format_number),
        Reduce::Sum if numbers.is_empty() => None,
        Reduce::Sum => Some(values::format_number(numbers.iter().sum())),
        Reduce::Avg if numbers.is_empty() => None,
        Reduce::Avg => Some(values::format_number(
            numbers.iter().sum::<f64>() / numbers.len() as f64,
        )),
    }
}

/// `_time` floored to buckets of `span` seconds counted from local midnight in `tz`
/// ([`crate::timespec::bucket`]), as tstats `span=` groups it.
pub fn time_bucket(expr: Expr, span: f64, tz: chrono_tz::Tz) -> Expr {
    expr.map(
        move |column: Column| {
            let times = column.f64()?;
            let out: Float64Chunked = times
                .iter()
                .map(|t| t.map(|t| crate::timespec::bucket(t, span, tz)))
                .collect();
            Ok(out.with_name(column.name().clone()).into_column())
        },
        |_, field| Ok(Field::new(field.name().clone(), DataType::Float64)),
    )
}
