//! `dedup [N] f1 f2 [keepempty=b] [consecutive=b] [sortby ...]`: keeps the first N rows of
//! each combination of values of the listed fields, in the current order.
//!
//! Semantics [Splunk dedup docs; spl-semantics §5]: values compare exactly (case matters);
//! a row missing any listed field is dropped, or kept untouched with `keepempty=true`;
//! `consecutive=true` removes only repeats that follow each other; `sortby` sorts the rows
//! left, with `sort`'s comparisons and no limit. A multivalue field compares as its whole
//! list of values [infer].

use std::collections::HashMap;

use spelunk_spl::ast;

use super::columns::{cell, index};
use super::sort::sort_rows;
use super::{CommandResult, Context};
use crate::values::{Cell, ResultTable};

/// Runs `dedup` over `table`.
pub fn run(mut input: ResultTable, args: &ast::Dedup, _ctx: &Context) -> CommandResult {
    let keep = usize::try_from(args.count.unwrap_or(1).max(1)).unwrap_or(usize::MAX);
    let keepempty = args.keepempty.unwrap_or(false);
    let consecutive = args.consecutive.unwrap_or(false);
    let at: Vec<Option<usize>> = args.fields.iter().map(|f| index(&input, &f.name)).collect();

    let mut seen: HashMap<Vec<Vec<String>>, usize> = HashMap::new();
    let mut run: Option<(Vec<Vec<String>>, usize)> = None;
    let rows = std::mem::take(&mut input.rows);
    for row in rows {
        let cells: Vec<&Cell> = at.iter().map(|&a| cell(&row, a)).collect();
        if cells.iter().any(|c| matches!(c, Cell::Null)) {
            if keepempty {
                input.rows.push(row);
            }
            continue;
        }

        let key: Vec<Vec<String>> = cells.iter().map(|c| owned_values(c)).collect();
        let count = if consecutive {
            match &mut run {
                Some((previous, n)) if *previous == key => {
                    *n += 1;
                    *n
                }
                _ => {
                    run = Some((key, 1));
                    1
                }
            }
        } else {
            let n = seen.entry(key).or_insert(0);
            *n += 1;
            *n
        };
        if count <= keep {
            input.rows.push(row);
        }
    }

    if !args.sortby.is_empty() {
        sort_rows(&mut input, &args.sortby);
    }
    Ok(input)
}

fn owned_values(cell: &Cell) -> Vec<String> {
    cell.values().into_iter().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;
    use crate::commands::tests::{ctx, parse_command};

    fn run_text(input: ResultTable, text: &str) -> ResultTable {
        let ast::Command::Dedup(args) = parse_command(text) else {
            panic!("not a dedup");
        };
        run(input, &args, &ctx()).unwrap()
    }

    fn sample() -> ResultTable {
        table(
            &["host", "user", "n"],
            &[
                &["a", "x", "1"],
                &["a", "X", "2"],
                &["a", "x", "3"],
                &["-", "x", "4"],
                &["b", "y|z", "5"],
                &["b", "y|z", "6"],
                &["a", "x", "7"],
            ],
        )
    }

    fn ns(out: &ResultTable) -> Vec<&str> {
        out.rows.iter().map(|r| r[2].values()[0]).collect()
    }

    #[test]
    fn first_of_each_combination_case_sensitive_nulls_dropped() {
        assert_eq!(ns(&run_text(sample(), "dedup host user")), ["1", "2", "5"]);
        assert_eq!(ns(&run_text(sample(), "dedup host")), ["1", "5"]);
        assert_eq!(
            ns(&run_text(sample(), "dedup 2 host")),
            ["1", "2", "5", "6"]
        );
    }

    #[test]
    fn keepempty_consecutive_and_sortby() {
        let out = run_text(sample(), "dedup host keepempty=true");
        assert_eq!(ns(&out), ["1", "4", "5"]);
        let out = run_text(sample(), "dedup host user consecutive=true");
        assert_eq!(ns(&out), ["1", "2", "3", "5", "7"]);
        let out = run_text(sample(), "dedup host sortby -n");
        assert_eq!(ns(&out), ["5", "1"]);
    }
}
