//! `table f1 f2 w*`: keeps only the listed fields, in the order listed.
//!
//! A wildcard pattern adds the matching columns in their current order; a field listed
//! twice (or matched by two patterns) appears once, where first listed. A plain name that
//! matches no column still becomes a column, null in every row, as Splunk's table shows it
//! (the same rule as the planner's `table`, `planner::plan_keep`) [spl-semantics §5].

use spelunk_spl::ast;

use super::columns::{index, project};
use super::{CommandResult, Context};
use crate::names::NamePattern;
use crate::values::ResultTable;

/// Runs `table` over `table`.
pub fn run(input: ResultTable, args: &ast::Table, _ctx: &Context) -> CommandResult {
    let mut kept: Vec<(String, Option<usize>)> = Vec::new();
    for field in &args.fields {
        let pattern = NamePattern::new(&field.name);
        let mut any = false;
        for (at, column) in input.columns.iter().enumerate() {
            if pattern.captures(column).is_some() {
                any = true;
                if !kept.iter().any(|(name, _)| name == column) {
                    kept.push((column.clone(), Some(at)));
                }
            }
        }
        let absent_plain = !any && pattern.stars() == 0;
        if absent_plain && !kept.iter().any(|(name, _)| name == &field.name) {
            kept.push((field.name.clone(), index(&input, &field.name)));
        }
    }
    Ok(project(input, &kept))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;
    use crate::commands::tests::{ctx, parse_command};

    fn run_text(input: ResultTable, text: &str) -> ResultTable {
        let ast::Command::Table(args) = parse_command(text) else {
            panic!("not a table");
        };
        run(input, &args, &ctx()).unwrap()
    }

    #[test]
    fn keeps_listed_fields_in_listed_order() {
        let input = table(
            &["dest", "user", "Processes.a", "Processes.b", "count"],
            &[&["h1", "-", "x", "y|z", "3"], &["h2", "bob", "-", "w", "1"]],
        );
        let out = run_text(input, "table count Processes.* missing dest count");
        let expected = table(
            &["count", "Processes.a", "Processes.b", "missing", "dest"],
            &[&["3", "x", "y|z", "-", "h1"], &["1", "-", "w", "-", "h2"]],
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn field_names_are_case_sensitive_and_wildcards_never_invent_columns() {
        let input = table(&["Dest"], &[&["h1"]]);
        let out = run_text(input, "table dest x*");
        assert_eq!(out, table(&["dest"], &[&["-"]]));
    }
}
