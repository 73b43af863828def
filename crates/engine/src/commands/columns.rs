//! Small helpers over [`ResultTable`] shared by the row-wise commands: finding, adding and
//! keeping columns, and building cells from value lists.

use crate::names::NamePattern;
use crate::values::{Cell, ResultTable};

/// The index of the column `name` (field names are case-sensitive).
pub(crate) fn index(table: &ResultTable, name: &str) -> Option<usize> {
    table.columns.iter().position(|c| c == name)
}

/// The cell of `row` in column `at`, null when the row is short or the column absent.
pub(crate) fn cell(row: &[Cell], at: Option<usize>) -> &Cell {
    const NULL: &Cell = &Cell::Null;
    at.and_then(|at| row.get(at)).unwrap_or(NULL)
}

/// The index of column `name`, adding it (null in every row) when absent.
pub(crate) fn ensure(table: &mut ResultTable, name: &str) -> usize {
    if let Some(at) = index(table, name) {
        return at;
    }
    table.columns.push(name.to_string());
    for row in &mut table.rows {
        row.push(Cell::Null);
    }
    table.columns.len() - 1
}

/// Sets the cell of `row` at `at`, growing a short row with nulls.
pub(crate) fn set(row: &mut Vec<Cell>, at: usize, value: Cell) {
    if row.len() <= at {
        row.resize(at + 1, Cell::Null);
    }
    row[at] = value;
}

/// A table with the given columns, each taken from an input column (`Some(index)`) or null.
pub(crate) fn project(table: ResultTable, kept: &[(String, Option<usize>)]) -> ResultTable {
    let columns = kept.iter().map(|(name, _)| name.clone()).collect();
    let rows = table
        .rows
        .into_iter()
        .map(|row| kept.iter().map(|(_, at)| cell(&row, *at).clone()).collect())
        .collect();
    ResultTable { columns, rows }
}

/// The indexes of the columns matching any of `patterns`, in column order.
pub(crate) fn matching(table: &ResultTable, patterns: &[NamePattern]) -> Vec<usize> {
    (0..table.columns.len())
        .filter(|&at| {
            patterns
                .iter()
                .any(|p| p.captures(&table.columns[at]).is_some())
        })
        .collect()
}

/// A cell holding `values`: null when empty, a single value for one.
pub(crate) fn from_values(mut values: Vec<String>) -> Cell {
    match values.len() {
        0 => Cell::Null,
        1 => Cell::Single(values.remove(0)),
        _ => Cell::Multi(values),
    }
}

#[cfg(test)]
pub(crate) mod test_rows {
    //! Builds tables for the golden tests: `"-"` is null and `"a|b"` a multivalue.

    use super::from_values;
    use crate::values::{Cell, ResultTable};

    /// A table from column names and rows of cell texts.
    pub(crate) fn table(columns: &[&str], rows: &[&[&str]]) -> ResultTable {
        ResultTable {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: rows
                .iter()
                .map(|row| row.iter().map(|text| parse_cell(text)).collect())
                .collect(),
        }
    }

    fn parse_cell(text: &str) -> Cell {
        if text == "-" {
            return Cell::Null;
        }
        from_values(text.split('|').map(str::to_string).collect())
    }
}
