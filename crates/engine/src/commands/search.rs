//! `search <expr>` later in a pipeline: keeps the rows the search-language expression
//! accepts.
//!
//! Semantics [spl-semantics §2 and §5]: `f=v` holds when any value of `f` matches the
//! wildcard `v` (whole value, `*` only, ASCII case ignored, see [`crate::wildcard`]); `f!=v`
//! when `f` has a value and none matches; `NOT x` also holds where the field is absent;
//! `f IN (...)` is an OR of `f=v`; `< <= > >=` compare numerically when both sides are
//! numbers and lexically otherwise, the right side always a literal; a bare term matches
//! when `_raw` holds it (case ignored), and `*` matches every row.
//!
//! TODO: Splunk matches a bare term against the segments of `_raw` (split at breakers), so
//! `search cmd` does not match `cmdline`; here the term matches any substring.
//!
//! Not supported (an error naming it): wildcards in field names, and the time modifiers
//! `earliest=`/`latest=`, which mean a time range rather than a field.

use std::cmp::Ordering;

use spelunk_spl::ast::{self, CompareOp, SearchExpr};

use super::columns::{cell, index};
use super::{CommandError, CommandErrorKind, CommandResult, Context};
use crate::values::{parse_number, Cell, ResultTable};
use crate::wildcard::Wildcard;

/// Runs `search` over `table`.
pub fn run(mut input: ResultTable, args: &ast::Search, _ctx: &Context) -> CommandResult {
    let Some(expr) = &args.expr else {
        return Ok(input);
    };
    let filter = compile(expr, &input)?;
    input.rows.retain(|row| filter.accepts(row));
    Ok(input)
}

/// An expression with its patterns compiled and its fields resolved to columns.
enum Filter {
    All,
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Matches(Option<usize>, Vec<Wildcard>),
    Differs(Option<usize>, Wildcard),
    Order(Option<usize>, CompareOp, String),
    Raw(Option<usize>, Wildcard),
}

fn compile(expr: &SearchExpr, table: &ResultTable) -> Result<Filter, CommandError> {
    let field_at = |field: &ast::FieldName| -> Result<Option<usize>, CommandError> {
        let name = field.name.as_str();
        let construct = if name.contains('*') {
            "a wildcard field name in `search`"
        } else if matches!(name, "earliest" | "latest") {
            "a time modifier in `search` after the first command"
        } else {
            return Ok(index(table, name));
        };
        let kind = CommandErrorKind::Unsupported {
            construct: construct.to_string(),
        };
        Err(CommandError::of(kind, field.span))
    };

    Ok(match expr {
        SearchExpr::And(l, r, _) => {
            Filter::And(Box::new(compile(l, table)?), Box::new(compile(r, table)?))
        }
        SearchExpr::Or(l, r, _) => {
            Filter::Or(Box::new(compile(l, table)?), Box::new(compile(r, table)?))
        }
        SearchExpr::Not(x, _) => Filter::Not(Box::new(compile(x, table)?)),
        SearchExpr::Group(x, _) => compile(x, table)?,
        SearchExpr::Compare {
            field, op, value, ..
        } => {
            let at = field_at(field)?;
            match op {
                CompareOp::Eq => Filter::Matches(at, vec![Wildcard::new(&value.text)]),
                CompareOp::Ne => Filter::Differs(at, Wildcard::new(&value.text)),
                op => Filter::Order(at, *op, value.text.clone()),
            }
        }
        SearchExpr::In { field, values, .. } => {
            let patterns = values.iter().map(|v| Wildcard::new(&v.text)).collect();
            Filter::Matches(field_at(field)?, patterns)
        }
        SearchExpr::Subsearch(sub) => {
            // The pipeline runner puts the subsearch's rows in its place (see `format`); a
            // search run on its own has nobody to run it.
            let kind = CommandErrorKind::Unsupported {
                construct: "a subsearch in a `search` run outside a pipeline".to_string(),
            };
            return Err(CommandError::of(kind, sub.span));
        }
        SearchExpr::Term(value) if Wildcard::new(&value.text).matches_any() => Filter::All,
        SearchExpr::Term(value) => {
            let pattern = Wildcard::new(&format!("*{}*", value.text));
            Filter::Raw(index(table, "_raw"), pattern)
        }
    })
}

impl Filter {
    fn accepts(&self, row: &[Cell]) -> bool {
        match self {
            Filter::All => true,
            Filter::And(l, r) => l.accepts(row) && r.accepts(row),
            Filter::Or(l, r) => l.accepts(row) || r.accepts(row),
            Filter::Not(x) => !x.accepts(row),
            Filter::Matches(at, patterns) => cell(row, *at)
                .values()
                .iter()
                .any(|v| patterns.iter().any(|p| p.matches(v))),
            Filter::Differs(at, pattern) => {
                let values = cell(row, *at).values();
                !values.is_empty() && !values.iter().any(|v| pattern.matches(v))
            }
            Filter::Order(at, op, literal) => cell(row, *at)
                .values()
                .iter()
                .any(|v| order_holds(compare(v, literal), *op)),
            Filter::Raw(at, pattern) => cell(row, *at).values().iter().any(|v| pattern.matches(v)),
        }
    }
}

fn compare(value: &str, literal: &str) -> Ordering {
    match (parse_number(value), parse_number(literal)) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        _ => value.cmp(literal),
    }
}

fn order_holds(order: Ordering, op: CompareOp) -> bool {
    match op {
        CompareOp::Lt => order == Ordering::Less,
        CompareOp::Le => order != Ordering::Greater,
        CompareOp::Gt => order == Ordering::Greater,
        CompareOp::Ge => order != Ordering::Less,
        CompareOp::Eq => order == Ordering::Equal,
        CompareOp::Ne => order != Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;
    use crate::commands::tests::{ctx, parse_command};

    fn kept(input: &ResultTable, text: &str) -> Vec<String> {
        let ast::Command::Search(args) = parse_command(text) else {
            panic!("not a search");
        };
        let out = run(input.clone(), &args, &ctx()).unwrap();
        out.rows.iter().map(|r| r[0].values().join("|")).collect()
    }

    fn sample() -> ResultTable {
        table(
            &["id", "process_name", "count", "_raw"],
            &[
                &["1", "CMD.exe", "5", "started cmd.exe /c whoami"],
                &["2", "powershell.exe", "12", "-"],
                &["3", "-", "3", "nothing here"],
                &["4", "rundll32.exe|cmd.exe", "40", "-"],
            ],
        )
    }

    #[test]
    fn values_match_case_insensitively_with_wildcards_and_multivalues() {
        let t = sample();
        assert_eq!(kept(&t, "search process_name=cmd.exe"), ["1", "4"]);
        assert_eq!(kept(&t, "search process_name=*shell*"), ["2"]);
        assert_eq!(
            kept(&t, "search process_name IN (\"POWER*\", rundll32.exe)"),
            ["2", "4"]
        );
        assert_eq!(kept(&t, "search process_name=*"), ["1", "2", "4"]);
    }

    #[test]
    fn not_keeps_absent_fields_and_not_equal_does_not() {
        let t = sample();
        assert_eq!(kept(&t, "search NOT process_name=cmd.exe"), ["2", "3"]);
        assert_eq!(kept(&t, "search process_name!=cmd.exe"), ["2"]);
        assert_eq!(kept(&t, "search NOT process_name=*"), ["3"]);
        assert_eq!(kept(&t, "search process_name!=*").len(), 0);
    }

    #[test]
    fn precedence_comparisons_and_raw_terms() {
        let t = sample();
        assert_eq!(kept(&t, "search count>5 count<=40"), ["2", "4"]);
        assert_eq!(
            kept(&t, "search count>=5 process_name=cmd.exe OR id=2"),
            ["1", "2", "4"]
        );
        assert_eq!(kept(&t, "search WHOAMI"), ["1"]);
        assert_eq!(kept(&t, "search *"), ["1", "2", "3", "4"]);
        assert_eq!(kept(&t, "search"), ["1", "2", "3", "4"]);
        assert_eq!(kept(&t, "search process_name>m"), ["2", "4"]);
    }

    #[test]
    fn wildcard_field_names_are_refused() {
        let ast::Command::Search(args) = parse_command("search Processes.*=x") else {
            panic!("not a search");
        };
        let err = run(sample(), &args, &ctx()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a wildcard field name in `search` is not supported"
        );
        assert_eq!(err.span, Span::new(23, 34));
    }

    use spelunk_spl::ast::Span;
}
