//! SPL values: how polars cells read as Splunk's strings, and result tables.
//!
//! Splunk's values are text that reads as a number where it can. Columns keep polars types
//! where an operation produced them (a count, an epoch), and every such cell renders the way
//! Splunk prints it: integers without decimals, other numbers in their shortest form.

use polars::prelude::*;

/// One result cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// The field is absent.
    Null,
    /// One value.
    Single(String),
    /// A multivalue field, in its order.
    Multi(Vec<String>),
}

impl Cell {
    /// The values, none for null.
    pub fn values(&self) -> Vec<&str> {
        match self {
            Cell::Null => Vec::new(),
            Cell::Single(v) => vec![v.as_str()],
            Cell::Multi(vs) => vs.iter().map(String::as_str).collect(),
        }
    }
}

/// The rows a search returns, columns in SPL order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultTable {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

/// Reads a number the way Splunk does: decimal text, optionally signed, with an optional
/// fraction and exponent. Surrounding spaces make it text.
pub fn parse_number(text: &str) -> Option<f64> {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let starts_well = body.starts_with(|c: char| c.is_ascii_digit())
        || (body.starts_with('.') && body[1..].starts_with(|c: char| c.is_ascii_digit()));
    if !starts_well {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// Prints a number as Splunk does: whole numbers without a fraction.
pub fn format_number(n: f64) -> String {
    if n.is_nan() {
        "nan".to_string()
    } else if n.is_infinite() {
        if n > 0.0 { "inf" } else { "-inf" }.to_string()
    } else if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// The cells of a column.
pub fn column_cells(column: &Column) -> PolarsResult<Vec<Cell>> {
    let series = column.as_materialized_series();
    // Text and number columns, nearly every column, without going through `AnyValue`.
    if let Ok(text) = series.str() {
        let cell = |v: Option<&str>| v.map_or(Cell::Null, |v| Cell::Single(v.to_string()));
        return Ok(text.iter().map(cell).collect());
    }
    if let Ok(numbers) = series.f64() {
        let cell = |n: Option<f64>| n.map_or(Cell::Null, |n| Cell::Single(format_number(n)));
        return Ok(numbers.iter().map(cell).collect());
    }
    let mut cells = Vec::with_capacity(series.len());
    for value in series.iter() {
        cells.push(cell(&value)?);
    }
    Ok(cells)
}

fn cell(value: &AnyValue) -> PolarsResult<Cell> {
    Ok(match value {
        AnyValue::Null => Cell::Null,
        AnyValue::List(inner) => {
            let mut values = Vec::with_capacity(inner.len());
            for v in inner.iter() {
                match scalar(&v) {
                    Some(text) => values.push(text),
                    None => continue,
                }
            }
            // Splunk has no one-element multivalue: a single value is just a value.
            match values.len() {
                0 => Cell::Null,
                1 => Cell::Single(values.remove(0)),
                _ => Cell::Multi(values),
            }
        }
        other => scalar(other).map_or(Cell::Null, Cell::Single),
    })
}

fn scalar(value: &AnyValue) -> Option<String> {
    Some(match value {
        AnyValue::Null => return None,
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Boolean(b) => if *b { "true" } else { "false" }.to_string(),
        AnyValue::UInt8(n) => n.to_string(),
        AnyValue::UInt16(n) => n.to_string(),
        AnyValue::UInt32(n) => n.to_string(),
        AnyValue::UInt64(n) => n.to_string(),
        AnyValue::Int8(n) => n.to_string(),
        AnyValue::Int16(n) => n.to_string(),
        AnyValue::Int32(n) => n.to_string(),
        AnyValue::Int64(n) => n.to_string(),
        AnyValue::Float32(n) => format_number(f64::from(*n)),
        AnyValue::Float64(n) => format_number(*n),
        other => other.to_string(),
    })
}

/// Collects a frame into a result table.
pub fn result_table(frame: &DataFrame) -> PolarsResult<ResultTable> {
    let columns: Vec<String> = frame
        .get_column_names()
        .into_iter()
        .map(|n| n.to_string())
        .collect();
    let mut by_column = Vec::with_capacity(columns.len());
    for column in frame.columns() {
        by_column.push(column_cells(column)?.into_iter());
    }
    let rows = (0..frame.height())
        .map(|_| {
            by_column
                .iter_mut()
                .map(|cells| cells.next().unwrap_or(Cell::Null))
                .collect()
        })
        .collect();
    Ok(ResultTable { columns, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_and_print_as_splunk_does() {
        assert_eq!(parse_number("12"), Some(12.0));
        assert_eq!(parse_number("-1.5"), Some(-1.5));
        assert_eq!(parse_number(" 12"), None);
        assert_eq!(parse_number("0x1f"), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(parse_number("abc"), None);
        assert_eq!(format_number(1700000000.0), "1700000000");
        assert_eq!(format_number(1.25), "1.25");
    }
}
