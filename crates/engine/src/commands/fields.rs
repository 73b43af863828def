//! `fields [+] f1 w*` keeps the listed fields; `fields - f1 w*` removes them.
//!
//! Keeping preserves the current column order (not the listed order, unlike `table`), and
//! a listed name that matches no column is not invented. Splunk keeps the internal fields
//! `_raw` and `_time` through `fields +` unless they are named; `fields -` removes them only
//! when a pattern matches them, and `*` alone does not remove them [Splunk fields docs
//! "Internal fields"; spl-semantics §5 "internal `_*` fields need explicit mention"].

use spelunk_spl::ast;

use super::columns::{matching, project};
use super::{CommandResult, Context};
use crate::names::NamePattern;
use crate::values::ResultTable;

/// Internal fields that `fields` keeps unless told otherwise.
const INTERNAL: &[&str] = &["_raw", "_time"];

/// Runs `fields` over `table`.
pub fn run(input: ResultTable, args: &ast::Fields, _ctx: &Context) -> CommandResult {
    let patterns: Vec<NamePattern> = args
        .fields
        .iter()
        .map(|f| NamePattern::new(&f.name))
        .collect();
    // Patterns written with a leading `_` are the ones that name internal fields.
    let internal_patterns: Vec<NamePattern> = args
        .fields
        .iter()
        .filter(|f| f.name.starts_with('_'))
        .map(|f| NamePattern::new(&f.name))
        .collect();
    let matched = matching(&input, &patterns);
    let named_internal = matching(&input, &internal_patterns);

    let kept: Vec<(String, Option<usize>)> = input
        .columns
        .iter()
        .enumerate()
        .filter(|(at, column)| {
            let internal = INTERNAL.contains(&column.as_str());
            if args.remove {
                let removed = if internal {
                    named_internal.contains(at)
                } else {
                    matched.contains(at)
                };
                !removed
            } else {
                matched.contains(at) || internal
            }
        })
        .map(|(at, column)| (column.clone(), Some(at)))
        .collect();
    Ok(project(input, &kept))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;
    use crate::commands::tests::{ctx, parse_command};

    fn run_text(input: ResultTable, text: &str) -> ResultTable {
        let ast::Command::Fields(args) = parse_command(text) else {
            panic!("not fields");
        };
        run(input, &args, &ctx()).unwrap()
    }

    fn sample() -> ResultTable {
        table(
            &["_time", "dest", "user", "count"],
            &[&["100", "h1", "-", "2"], &["200", "h2", "a|b", "1"]],
        )
    }

    #[test]
    fn keep_preserves_column_order_and_internal_fields() {
        let out = run_text(sample(), "fields + count, dest absent");
        let expected = table(
            &["_time", "dest", "count"],
            &[&["100", "h1", "2"], &["200", "h2", "1"]],
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn remove_spares_internal_fields_unless_named() {
        let out = run_text(sample(), "fields - *");
        assert_eq!(out, table(&["_time"], &[&["100"], &["200"]]));
        let out = run_text(sample(), "fields - _time u*");
        let expected = table(&["dest", "count"], &[&["h1", "2"], &["h2", "1"]]);
        assert_eq!(out, expected);
        let out = run_text(sample(), "fields - _r* *");
        assert_eq!(out, table(&["_time"], &[&["100"], &["200"]]));
        let out = run_text(sample(), "fields - _*");
        let expected = table(
            &["dest", "user", "count"],
            &[&["h1", "-", "2"], &["h2", "a|b", "1"]],
        );
        assert_eq!(out, expected);
    }
}
