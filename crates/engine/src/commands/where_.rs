//! `where <expr>`: keeps the rows on which the expression is true [Splunk "where";
//! spl-semantics.md §5]. Comparisons are case-sensitive; a comparison with a null field is
//! false, so the row goes; a multivalue field matches when any value does. Wildcards exist
//! only through `like()`/`LIKE` and `match()`.
//!
//! Not supported: a `where` whose expression is not a condition (Splunk refuses it too).

use std::collections::HashMap;

use spelunk_spl::Where;

use super::{CommandError, Context};
use crate::eval::{check, Evaluator, TableRow};
use crate::values::ResultTable;

/// Runs `where` over `table`.
pub fn run(
    mut table: ResultTable,
    args: &Where,
    ctx: &Context,
) -> Result<ResultTable, CommandError> {
    let evaluator = Evaluator::new(ctx);
    check(&args.expr, &evaluator)?;
    let index: HashMap<String, usize> = table
        .columns
        .iter()
        .enumerate()
        .map(|(at, name)| (name.clone(), at))
        .collect();

    let mut kept = Vec::with_capacity(table.rows.len());
    for row in table.rows {
        let fields = TableRow {
            index: &index,
            cells: &row,
        };
        if evaluator.holds(&args.expr, &fields)? {
            kept.push(row);
        }
    }
    table.rows = kept;
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{command, context, table};
    use super::*;
    use spelunk_spl::Command;

    fn filter(text: &str, input: &ResultTable) -> Result<ResultTable, CommandError> {
        let Command::Where(args) = command(text) else {
            panic!("not where")
        };
        run(input.clone(), &args, &context())
    }

    fn kept(text: &str, input: &ResultTable) -> Vec<String> {
        let out = filter(text, input).unwrap_or_else(|e| panic!("{text}: {e}"));
        out.rows
            .iter()
            .map(|r| match &r[0] {
                crate::values::Cell::Single(s) => s.clone(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    fn sample() -> ResultTable {
        table(
            &["id", "count", "name", "user", "cmd"],
            &[
                &["r1", "10", "cmd.exe", "bob", "a b"],
                &["r2", "9", "CMD.EXE", "-", "x"],
                &["r3", "100", "powershell.exe", "alice|bob", "-"],
                &["r4", "abc", "-", "carol", "y"],
            ],
        )
    }

    #[test]
    fn numbers_compare_numerically_and_text_by_bytes() {
        let t = sample();
        // "abc" is not a number, so it compares with 10 as text: "abc" > "10".
        assert_eq!(kept("| where count >= 10", &t), ["r1", "r3", "r4"]);
        assert_eq!(kept("| where count > 9 AND count < 100", &t), ["r1"]);
        // Not numbers: compared as text, "abc" > "10".
        assert_eq!(kept("| where count > \"5\"", &t), ["r1", "r2", "r3", "r4"]);
        assert_eq!(kept("| where count > \"a\"", &t), ["r4"]);
    }

    #[test]
    fn case_sensitive_and_null_comparisons_drop_the_row() {
        let t = sample();
        assert_eq!(kept("| where name = \"cmd.exe\"", &t), ["r1"]);
        assert_eq!(kept("| where lower(name) == \"cmd.exe\"", &t), ["r1", "r2"]);
        assert_eq!(kept("| where name != \"cmd.exe\"", &t), ["r2", "r3"]);
        assert_eq!(
            kept("| where isnull(name) OR name LIKE \"power%\"", &t),
            ["r3", "r4"]
        );
        assert_eq!(
            kept("| where NOT name = \"cmd.exe\"", &t),
            ["r2", "r3", "r4"]
        );
        assert_eq!(kept("| where user != name", &t), ["r1", "r3"]);
    }

    #[test]
    fn multivalue_matches_when_any_value_does() {
        let t = sample();
        assert_eq!(kept("| where user = \"bob\"", &t), ["r1", "r3"]);
        assert_eq!(
            kept("| where user IN (\"alice\", \"carol\")", &t),
            ["r3", "r4"]
        );
        assert_eq!(kept("| where mvcount(user) > 1", &t), ["r3"]);
        assert_eq!(
            kept("| where match(name, \"(?i)^cmd\\.exe$\")", &t),
            ["r1", "r2"]
        );
        assert_eq!(
            kept("| where len(cmd) > 2 XOR id = \"r4\"", &t),
            ["r1", "r4"]
        );
    }

    /// Case B13 of the shared trouble cases: `AND` binds tighter than `OR` in `where`.
    #[test]
    fn case_b13_and_binds_tighter_than_or() {
        let t = table(
            &[
                "process_guid",
                "process_name",
                "parent_process_name",
                "count",
            ],
            &[
                &["g1", "cmd.exe", "winword.exe", "1"],
                &["g2", "powershell.exe", "excel.exe", "1"],
                &["g3", "cmd.exe", "excel.exe", "1"],
                &["g4", "powershell.exe", "explorer.exe", "1"],
            ],
        );
        let text = "| where process_name=\"cmd.exe\" AND parent_process_name=\"winword.exe\" \
                    OR parent_process_name=\"excel.exe\"";
        assert_eq!(kept(text, &t), ["g1", "g2", "g3"]);
    }

    #[test]
    fn a_non_boolean_condition_is_an_error() {
        let e = filter("| where count", &sample()).unwrap_err();
        assert!(e.message.contains("boolean"), "{e}");
    }
}
