//! Lowers the data model's calculated fields onto a table of a data set.
//!
//! Splunk evaluates a data set's calculated fields at search time, on every event whatever
//! its source, so the engine applies them here to raw logs and to already-normalized tables
//! alike, in the order the data model lists them.

use std::borrow::Cow;

use polars::prelude::*;
use spelunk_cim::model::{self, Calculation, Dataset};

use crate::udf;
use crate::values;

/// The text the CIM writes for a field it cannot fill.
const UNKNOWN: &str = "unknown";

/// Adds the dataset's calculated fields to `frame`, whose columns already include every
/// field of the data set (absent ones as nulls).
pub fn with_calculations(mut frame: LazyFrame, dataset: &Dataset) -> LazyFrame {
    for calculation in dataset.calculations {
        frame = frame.with_column(calculation_expr(calculation));
    }
    frame
}

fn calculation_expr(calculation: &Calculation) -> Expr {
    match *calculation {
        Calculation::UnknownIfNullOrEmpty(field) => {
            when(col(field).is_null().or(col(field).eq(lit(""))))
                .then(lit(UNKNOWN))
                .otherwise(col(field))
                .alias(field)
        }
        Calculation::UnknownIfNull(field) => col(field).fill_null(lit(UNKNOWN)).alias(field),
        Calculation::NameFromCommand { target, command } => {
            udf::fill_from(target, command, model::name_from_command, UNKNOWN).alias(target)
        }
        Calculation::Lowercase(field) => udf::map_str(col(field), lowercase).alias(field),
        Calculation::VendorProduct => vendor_product(),
        Calculation::NullUnlessNumber(field) => {
            udf::map_opt_str(col(field), null_unless_number).alias(field)
        }
        Calculation::ZeroUnlessNumber(field) => {
            udf::map_opt_str(col(field), zero_unless_number).alias(field)
        }
        Calculation::LowercaseOrUnknown(field) => {
            udf::map_opt_str(col(field), lowercase_or_unknown).alias(field)
        }
        Calculation::TotalOfParts {
            total,
            parts: (a, b),
        } => udf::map_three([total, a, b], total_of_parts).alias(total),
        Calculation::PartOfTotal { part, total, other } => {
            udf::map_three([part, total, other], part_of_total).alias(part)
        }
    }
}

fn lowercase(value: &str) -> Option<String> {
    Some(value.to_lowercase())
}

/// `isnum(v)`: the value's number when it reads as one, as Splunk reads field values.
fn number(value: Option<&str>) -> Option<f64> {
    value.and_then(values::parse_number)
}

/// `if(isnum(v), v, null())`; the value stays as written.
fn null_unless_number(value: Option<&str>) -> Option<Cow<'_, str>> {
    number(value)?;
    value.map(Cow::Borrowed)
}

/// `if(isnum(v), v, 0)`.
fn zero_unless_number(value: Option<&str>) -> Option<Cow<'_, str>> {
    Some(null_unless_number(value).unwrap_or(Cow::Borrowed("0")))
}

/// `if(isnull(v) OR v="", "unknown", lower(v))`.
fn lowercase_or_unknown(value: Option<&str>) -> Option<Cow<'_, str>> {
    match value {
        Some(text) if !text.is_empty() => Some(Cow::Owned(text.to_lowercase())),
        _ => Some(Cow::Borrowed(UNKNOWN)),
    }
}

/// `case(isnum(total), total, isnum(a) AND isnum(b), a+b, 1=1, null())`.
// TODO: Splunk rounds a sum of decimals to the inputs' precision (0.1+0.2 gives 0.3); this
// prints the shortest form of the float sum. Byte and packet counts are whole numbers.
fn total_of_parts([total, a, b]: [Option<&str>; 3]) -> Option<Cow<'_, str>> {
    if let Some(kept) = null_unless_number(total) {
        return Some(kept);
    }
    let sum = number(a)? + number(b)?;
    Some(Cow::Owned(values::format_number(sum)))
}

/// `case(isnum(part), part, isnum(total) AND isnum(other), total-other, 1=1, null())`.
fn part_of_total([part, total, other]: [Option<&str>; 3]) -> Option<Cow<'_, str>> {
    if let Some(kept) = null_unless_number(part) {
        return Some(kept);
    }
    let difference = number(total)? - number(other)?;
    Some(Cow::Owned(values::format_number(difference)))
}

/// `case(vendor_product, vendor." ".product, vendor." unknown", "unknown ".product,
/// sourcetype, "unknown")`, each branch taken when its inputs are present.
fn vendor_product() -> Expr {
    let present = |f: &str| col(f).is_not_null();
    let space = || lit(" ");
    when(present("vendor_product"))
        .then(col("vendor_product"))
        .when(present("vendor").and(present("product")))
        .then(concat_text(vec![col("vendor"), space(), col("product")]))
        .when(present("vendor"))
        .then(concat_text(vec![col("vendor"), lit(" unknown")]))
        .when(present("product"))
        .then(concat_text(vec![lit("unknown "), col("product")]))
        .when(present("sourcetype"))
        .then(col("sourcetype"))
        .otherwise(lit(UNKNOWN))
        .alias("vendor_product")
}

/// Joins string expressions; null when any part is null.
fn concat_text(parts: Vec<Expr>) -> Expr {
    let first = parts[0].clone();
    first.map_many(
        |columns: &mut [Column]| {
            let strings: Vec<&StringChunked> = columns
                .iter()
                .map(|c| c.str())
                .collect::<PolarsResult<_>>()?;
            // Literal parts arrive as one-row columns and stand for every row.
            let height = columns
                .iter()
                .map(Column::len)
                .filter(|&len| len != 1)
                .max()
                .unwrap_or(1);
            fn value(s: &StringChunked, row: usize) -> Option<&str> {
                match s.len() {
                    1 => s.get(0),
                    len if row < len => s.get(row),
                    _ => None,
                }
            }
            let out: StringChunked = (0..height)
                .map(|row| {
                    let mut text = String::new();
                    for s in &strings {
                        text.push_str(value(s, row)?);
                    }
                    Some(text)
                })
                .collect();
            Ok(out.with_name(columns[0].name().clone()).into_column())
        },
        &parts[1..],
        |_, fields| Ok(Field::new(fields[0].name().clone(), DataType::String)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_fills_follow_isnum() {
        assert_eq!(null_unless_number(Some("12")).as_deref(), Some("12"));
        assert_eq!(
            null_unless_number(Some("-1.5e3")).as_deref(),
            Some("-1.5e3")
        );
        assert_eq!(null_unless_number(Some("12 kB")), None);
        assert_eq!(null_unless_number(Some(" 12")), None);
        assert_eq!(null_unless_number(None), None);
        assert_eq!(zero_unless_number(Some("443")).as_deref(), Some("443"));
        assert_eq!(zero_unless_number(Some("https")).as_deref(), Some("0"));
        assert_eq!(zero_unless_number(None).as_deref(), Some("0"));
    }

    #[test]
    fn lowercase_or_unknown_cases() {
        assert_eq!(lowercase_or_unknown(Some("TCP")).as_deref(), Some("tcp"));
        assert_eq!(lowercase_or_unknown(Some("")).as_deref(), Some("unknown"));
        assert_eq!(lowercase_or_unknown(None).as_deref(), Some("unknown"));
    }

    #[test]
    fn totals_and_parts_fill_from_each_other() {
        let s = Some;
        assert_eq!(
            total_of_parts([s("7"), s("1"), s("2")]).as_deref(),
            Some("7")
        );
        assert_eq!(
            total_of_parts([None, s("100"), s("20")]).as_deref(),
            Some("120")
        );
        assert_eq!(
            total_of_parts([s("x"), s("1"), s("2")]).as_deref(),
            Some("3")
        );
        assert_eq!(total_of_parts([s("x"), s("1"), None]), None);
        assert_eq!(total_of_parts([None, None, None]), None);
        assert_eq!(
            part_of_total([s("5"), s("50"), s("1")]).as_deref(),
            Some("5")
        );
        assert_eq!(
            part_of_total([None, s("50"), s("5")]).as_deref(),
            Some("45")
        );
        assert_eq!(
            part_of_total([None, s("1.5"), s("2")]).as_deref(),
            Some("-0.5")
        );
        assert_eq!(part_of_total([None, s("50"), s("n/a")]), None);
    }

    fn strings(name: &str, values: &[Option<&str>]) -> Column {
        Column::new(name.into(), values.to_vec())
    }

    #[test]
    fn the_lowering_runs_row_by_row_over_a_frame() {
        let frame = DataFrame::new(
            3,
            vec![
                strings("bytes", &[None, Some("9"), None]),
                strings("bytes_in", &[Some("4"), None, None]),
                strings("bytes_out", &[Some("6"), Some("2"), None]),
                strings("dest_port", &[Some("53"), None, Some("dns")]),
            ],
        )
        .expect("a frame");
        let calculations = [
            Calculation::TotalOfParts {
                total: "bytes",
                parts: ("bytes_in", "bytes_out"),
            },
            Calculation::PartOfTotal {
                part: "bytes_in",
                total: "bytes",
                other: "bytes_out",
            },
            Calculation::ZeroUnlessNumber("dest_port"),
        ];
        let mut lazy = frame.lazy();
        for c in &calculations {
            lazy = lazy.with_column(calculation_expr(c));
        }
        let out = lazy.collect().expect("runs");
        let column = |name: &str| -> Vec<Option<String>> {
            let series = out
                .column(name)
                .expect("present")
                .str()
                .expect("text")
                .clone();
            series.iter().map(|v| v.map(str::to_owned)).collect()
        };
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(column("bytes"), [s("10"), s("9"), None]);
        assert_eq!(column("bytes_in"), [s("4"), s("7"), None]);
        assert_eq!(column("dest_port"), [s("53"), s("0"), s("0")]);
    }
}
