//! `rename a AS b, x.* AS *`: renames fields, pair by pair, each pair seeing the columns the
//! previous one left.
//!
//! Semantics [spl-semantics §4, Splunk rename docs]: wildcards need as many `*` on the new
//! side as on the old (or none), and the captured text carries over. Renaming overwrites: an
//! existing field of the new name is replaced, and where the old field is absent from a row
//! the new field is absent too, so a rename never merges. A plain old name that matches no
//! column still nulls the new field. When two columns map to one name, the later wins. The
//! renamed column keeps the old column's place. This mirrors the planner's `plan_rename`.

use spelunk_spl::ast;

use super::columns::project;
use super::{CommandError, CommandErrorKind, CommandResult, Context};
use crate::names::NamePattern;
use crate::values::ResultTable;

/// Runs `rename` over `table`.
pub fn run(input: ResultTable, args: &ast::Rename, _ctx: &Context) -> CommandResult {
    // Each entry is an output column and the input column it reads (None: null).
    let mut current: Vec<(String, Option<usize>)> = input
        .columns
        .iter()
        .enumerate()
        .map(|(at, c)| (c.clone(), Some(at)))
        .collect();

    for pair in &args.pairs {
        let from = NamePattern::new(&pair.from.name);
        let to = NamePattern::new(&pair.to.name);
        if to.stars() != 0 && to.stars() != from.stars() {
            let construct = format!(
                "`rename {} AS {}` with a different number of `*` on each side",
                pair.from.name, pair.to.name
            );
            let span = pair.from.span.join(pair.to.span);
            return Err(CommandError::of(
                CommandErrorKind::Unsupported { construct },
                span,
            ));
        }
        current = rename_pair(current, &from, &to);
    }
    Ok(project(input, &current))
}

fn rename_pair(
    current: Vec<(String, Option<usize>)>,
    from: &NamePattern,
    to: &NamePattern,
) -> Vec<(String, Option<usize>)> {
    let renamed: Vec<(usize, String)> = current
        .iter()
        .enumerate()
        .filter_map(|(at, (name, _))| Some((at, to.fill(&from.captures(name)?))))
        .collect();

    if renamed.is_empty() {
        let mut current = current;
        if from.stars() == 0 {
            let target = to.fill(&[]);
            for column in current.iter_mut().filter(|(name, _)| *name == target) {
                column.1 = None;
            }
        }
        return current;
    }

    let mut next = Vec::with_capacity(current.len());
    for (at, column) in current.iter().enumerate() {
        match renamed.iter().find(|(source, _)| *source == at) {
            Some((_, new_name)) => {
                let last_for_name = renamed.iter().rev().find(|(_, n)| n == new_name);
                if last_for_name.map(|(source, _)| *source) == Some(at) {
                    next.push((new_name.clone(), column.1));
                }
            }
            None => {
                if !renamed.iter().any(|(_, n)| *n == column.0) {
                    next.push(column.clone());
                }
            }
        }
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;
    use crate::commands::tests::{ctx, parse_command};

    fn run_text(input: ResultTable, text: &str) -> CommandResult {
        let ast::Command::Rename(args) = parse_command(text) else {
            panic!("not a rename");
        };
        run(input, &args, &ctx())
    }

    #[test]
    fn wildcards_carry_the_captured_text() {
        let input = table(
            &["Processes.dest", "Processes.user", "count"],
            &[&["h1", "a|b", "2"], &["h2", "-", "1"]],
        );
        let out = run_text(input, "rename Processes.* AS *, count as n").unwrap();
        let expected = table(
            &["dest", "user", "n"],
            &[&["h1", "a|b", "2"], &["h2", "-", "1"]],
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn rename_overwrites_and_never_merges() {
        let input = table(&["pid", "product_id"], &[&["7", "p1"], &["-", "p2"]]);
        let out = run_text(input, "rename pid AS product_id").unwrap();
        assert_eq!(out, table(&["product_id"], &[&["7"], &["-"]]));

        let input = table(&["a", "b"], &[&["1", "2"]]);
        let out = run_text(input.clone(), "rename absent AS b").unwrap();
        assert_eq!(out, table(&["a", "b"], &[&["1", "-"]]));
        let out = run_text(input, "rename A* AS x*").unwrap();
        assert_eq!(out, table(&["a", "b"], &[&["1", "2"]]));
    }

    #[test]
    fn pairs_apply_in_order_and_the_later_source_wins() {
        let input = table(&["a", "b", "c"], &[&["1", "2", "3"]]);
        let out = run_text(input.clone(), "rename a AS b, b AS c").unwrap();
        assert_eq!(out, table(&["c"], &[&["1"]]));
        let out = run_text(input, "rename * AS x").unwrap();
        assert_eq!(out, table(&["x"], &[&["3"]]));
    }

    #[test]
    fn unequal_wildcards_are_refused() {
        let input = table(&["a.b"], &[&["1"]]);
        let err = run_text(input, "rename *.* AS *").unwrap_err();
        assert!(err.to_string().contains("different number of `*`"), "{err}");
    }
}
