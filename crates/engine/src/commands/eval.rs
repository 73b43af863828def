//! `eval f=expr [, g=expr]...`: computes each expression on every row and stores it in its
//! field, left to right, so later assignments see earlier ones [Splunk "eval"; spl-semantics
//! §5]. An existing field is overwritten in place; a new field becomes the last column.
//! A null result leaves the field null.
//!
//! Not supported: a boolean result (Splunk refuses it too: "the result of an eval
//! expression cannot be a Boolean" — wrap it in `if()`); wildcards in the target name.

use std::collections::HashMap;

use spelunk_spl::Eval;

use super::{column_index, CommandError, Context};
use crate::eval::{check, Evaluator, TableRow};
use crate::values::ResultTable;

/// Runs `eval` over `table`.
pub fn run(
    mut table: ResultTable,
    args: &Eval,
    ctx: &Context,
) -> Result<ResultTable, CommandError> {
    let evaluator = Evaluator::new(ctx);
    for assignment in &args.assignments {
        check(&assignment.expr, &evaluator)?;
        if assignment.field.name.contains('*') {
            let what = "a wildcard in an eval field name";
            return Err(CommandError::unsupported(what, assignment.field.span));
        }
    }

    for assignment in &args.assignments {
        let target = column_index(&mut table, &assignment.field.name);
        let index: HashMap<String, usize> = table
            .columns
            .iter()
            .enumerate()
            .map(|(at, name)| (name.clone(), at))
            .collect();

        for row in &mut table.rows {
            let value = {
                let fields = TableRow {
                    index: &index,
                    cells: row,
                };
                evaluator.eval(&assignment.expr, &fields)?
            };
            let Some(cell) = value.to_cell() else {
                let message = format!(
                    "the value of `{}` is a boolean, which eval cannot store; wrap it in \
                     `if(<condition>, \"true\", \"false\")`",
                    assignment.field.name
                );
                return Err(CommandError::new(message, assignment.expr.span()));
            };
            if let Some(slot) = row.get_mut(target) {
                *slot = cell;
            }
        }
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{command, context, table};
    use super::*;
    use spelunk_spl::Command;

    fn eval(text: &str, input: ResultTable) -> Result<ResultTable, CommandError> {
        let Command::Eval(args) = command(text) else {
            panic!("not eval")
        };
        run(input, &args, &context())
    }

    #[test]
    fn assignments_run_left_to_right_and_append_new_columns() {
        let input = table(
            &["process_name", "n"],
            &[&["CMD.EXE", "4"], &["-", "x"], &["a.exe|B.EXE", "-"]],
        );
        let out = eval(
            "| eval process_name=lower(process_name), len=len(process_name), m=n*2, c=n.\"!\"",
            input,
        )
        .unwrap();
        let expected = table(
            &["process_name", "n", "len", "m", "c"],
            &[
                &["cmd.exe", "4", "7", "8", "4!"],
                &["-", "x", "-", "-", "x!"],
                &["a.exe|b.exe", "-", "5|5", "-", "-"],
            ],
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn conditions_and_time() {
        let input = table(
            &["firstTime", "p"],
            &[&["1699999000", "x.exe"], &["1690000000", "y"]],
        );
        let out = eval(
            "| eval new=if(firstTime >= relative_time(now(), \"-70m@m\"), 1, 0), \
             endExe=if(substr(p, -4) == \".exe\", 1, 0), \
             t=strftime(firstTime, \"%Y-%m-%dT%H:%M:%S\")",
            input,
        )
        .unwrap();
        let expected = table(
            &["firstTime", "p", "new", "endExe", "t"],
            &[
                &["1699999000", "x.exe", "1", "1", "2023-11-14T21:56:40"],
                &["1690000000", "y", "0", "0", "2023-07-22T04:26:40"],
            ],
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn a_boolean_result_and_an_unknown_function_are_errors() {
        let input = table(&["a"], &[&["1"]]);
        let e = eval("| eval x=a=1", input.clone()).unwrap_err();
        assert!(e.message.contains("boolean"), "{e}");
        let e = eval("| eval x=frobnicate(a)", input.clone()).unwrap_err();
        assert!(e.unsupported && e.message.contains("`frobnicate`"), "{e}");
        let e = eval("| eval x=if(a, 1, 0)", input.clone()).unwrap_err();
        assert!(e.message.contains("boolean condition"), "{e}");
        let e = eval("| eval x=match(a, \"(?<=a)b\")", input).unwrap_err();
        assert!(e.unsupported && e.message.contains("look-behind"), "{e}");
    }
}
