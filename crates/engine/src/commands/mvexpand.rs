//! `mvexpand f [limit=N]`: one row per value of a multivalue field.
//!
//! Semantics [Splunk mvexpand docs; spl-semantics §5]: each value becomes a copy of the row
//! holding that value alone, in value order; `limit=N` expands only the first N values. A
//! row without the field yields no row [infer: Splunk answers advise `fillnull` before
//! `mvexpand` for that reason]. When no row has the field at all, the table is unchanged.

use spelunk_spl::ast;

use super::columns::index;
use super::{CommandResult, Context};
use crate::values::{Cell, ResultTable};

/// Runs `mvexpand` over `table`.
pub fn run(mut input: ResultTable, args: &ast::Mvexpand, _ctx: &Context) -> CommandResult {
    let Some(at) = index(&input, &args.field.name) else {
        return Ok(input);
    };
    let limit = args
        .limit
        .filter(|&n| n > 0)
        .map_or(usize::MAX, |n| usize::try_from(n).unwrap_or(usize::MAX));

    let rows = std::mem::take(&mut input.rows);
    for row in rows {
        let values: Vec<String> = match row.get(at) {
            Some(Cell::Multi(vs)) => vs.iter().take(limit).cloned().collect(),
            Some(Cell::Single(v)) => vec![v.clone()],
            Some(Cell::Null) | None => continue,
        };
        for value in values {
            let mut copy = row.clone();
            if let Some(slot) = copy.get_mut(at) {
                *slot = Cell::Single(value);
            }
            input.rows.push(copy);
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
        let ast::Command::Mvexpand(args) = parse_command(text) else {
            panic!("not a mvexpand");
        };
        run(input, &args, &ctx()).unwrap()
    }

    #[test]
    fn one_row_per_value_nulls_dropped_limit_applied() {
        let input = table(&["h", "v"], &[&["a", "x|y|z"], &["b", "-"], &["c", "w"]]);
        let out = run_text(input.clone(), "mvexpand v");
        let expected = table(
            &["h", "v"],
            &[&["a", "x"], &["a", "y"], &["a", "z"], &["c", "w"]],
        );
        assert_eq!(out, expected);
        let out = run_text(input.clone(), "mvexpand v limit=2");
        assert_eq!(
            out,
            table(&["h", "v"], &[&["a", "x"], &["a", "y"], &["c", "w"]])
        );
        assert_eq!(run_text(input.clone(), "mvexpand absent"), input);
    }
}
