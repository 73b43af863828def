//! `fillnull [value=v] [f1 f2 ...]`: gives absent fields a value.
//!
//! Semantics [Splunk fillnull docs; spl-semantics §5]: the value is `0` unless written.
//! Without a field list every column of the table is filled (a column exists when some row
//! has the field); with a list only those fields are filled, and a listed field that no row
//! has becomes a column holding the value in every row. An empty string is a value and is
//! left alone [infer].

use spelunk_spl::ast;

use super::columns::ensure;
use super::{CommandResult, Context};
use crate::values::{Cell, ResultTable};

/// Runs `fillnull` over `table`.
pub fn run(mut input: ResultTable, args: &ast::Fillnull, _ctx: &Context) -> CommandResult {
    let value = args
        .value
        .as_ref()
        .map_or_else(|| "0".to_string(), |v| v.text.clone());
    let columns: Vec<usize> = if args.fields.is_empty() {
        (0..input.columns.len()).collect()
    } else {
        args.fields
            .iter()
            .map(|f| ensure(&mut input, &f.name))
            .collect()
    };

    for row in &mut input.rows {
        for &at in &columns {
            if let Some(cell @ Cell::Null) = row.get_mut(at) {
                *cell = Cell::Single(value.clone());
            }
        }
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;
    use crate::commands::tests::{ctx, parse_command};

    fn run_text(input: ResultTable, text: &str) -> ResultTable {
        let ast::Command::Fillnull(args) = parse_command(text) else {
            panic!("not a fillnull");
        };
        run(input, &args, &ctx()).unwrap()
    }

    #[test]
    fn fills_every_column_or_the_listed_ones() {
        let input = table(&["a", "b"], &[&["-", "x|y"], &["1", "-"]]);
        let out = run_text(input.clone(), "fillnull");
        assert_eq!(out, table(&["a", "b"], &[&["0", "x|y"], &["1", "0"]]));
        let out = run_text(input, "fillnull value=\"n/a\" b c");
        let expected = table(
            &["a", "b", "c"],
            &[&["-", "x|y", "n/a"], &["1", "n/a", "n/a"]],
        );
        assert_eq!(out, expected);
    }
}
