//! Lowers the data model's calculated fields onto a table of a data set.
//!
//! Splunk evaluates a data set's calculated fields at search time, on every event whatever
//! its source, so the engine applies them here to raw logs and to already-normalized tables
//! alike, in the order the data model lists them.

use polars::prelude::*;
use spelunk_cim::model::{self, Calculation, Dataset};

use crate::udf;

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
    }
}

fn lowercase(value: &str) -> Option<String> {
    Some(value.to_lowercase())
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
