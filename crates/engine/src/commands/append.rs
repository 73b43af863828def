//! `append [subsearch]`: the subsearch's rows after the current rows.
//!
//! The caller runs the subsearch and hands its table here. Columns are the current ones,
//! then the subsearch's columns not already present, in its order; each side is null in the
//! other's columns [Splunk append docs; spl-semantics §5].

use super::columns::{cell, index};
use super::CommandResult;
use crate::values::ResultTable;

/// Appends `subsearch`'s rows to `input`.
pub fn run(mut input: ResultTable, subsearch: ResultTable) -> CommandResult {
    for column in &subsearch.columns {
        if index(&input, column).is_none() {
            input.columns.push(column.clone());
        }
    }
    let width = input.columns.len();
    for row in &mut input.rows {
        row.resize(width, crate::values::Cell::Null);
    }

    let from: Vec<Option<usize>> = input.columns.iter().map(|c| index(&subsearch, c)).collect();
    for row in &subsearch.rows {
        input
            .rows
            .push(from.iter().map(|&at| cell(row, at).clone()).collect());
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;

    #[test]
    fn rows_follow_and_columns_unite() {
        let main = table(&["a", "b"], &[&["1", "x"]]);
        let sub = table(&["c", "a"], &[&["y|z", "2"], &["-", "3"]]);
        let out = run(main, sub).unwrap();
        let expected = table(
            &["a", "b", "c"],
            &[&["1", "x", "-"], &["2", "-", "y|z"], &["3", "-", "-"]],
        );
        assert_eq!(out, expected);
    }
}
