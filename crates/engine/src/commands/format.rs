//! The implicit `format` of a subsearch inside `search`: the subsearch's rows become a
//! search-language expression in its place.
//!
//! Semantics [Splunk "Change the format of subsearch results" and `format` docs;
//! spl-semantics §5]: each row becomes the AND of `field="value"` over its fields, and the
//! rows are ORed: `( ( f1="v1" AND f2="v2" ) OR ( ... ) )`. Fields whose names start with
//! `_` are left out; a multivalue field is the OR of its values (`format`'s `mvsep`
//! default). At most 10,000 rows take part (limits.conf `[subsearch] maxout`).
//!
//! Decided where the documentation is silent or unclear [infer]:
//! - a value matches as a search-language value does: whole value, `*` a wildcard, ASCII
//!   case ignored (Splunk quotes the value, and a quoted value keeps its wildcards);
//! - with no rows (or no row with a field) `format` writes its `emptystr`, `NOT ( )`; an
//!   empty group matches nothing, so its negation keeps every row;
//! - a row without any field left after that adds nothing to the OR.
//!
//! Not supported (an error naming it): fields named `search` or `query`, whose values
//! Splunk pastes in as search text.

use spelunk_spl::ast::{self, CompareOp, SearchExpr, Span};

use super::{CommandError, CommandErrorKind};
use crate::values::{Cell, ResultTable};

/// Rows of a subsearch that take part; Splunk drops the rest.
pub const MAX_ROWS: usize = 10_000;

/// `search` with each subsearch term replaced by the expression its rows make; `rows` are
/// the results of the search's one subsearch.
pub fn substitute(search: &ast::Search, rows: &ResultTable) -> Result<ast::Search, CommandError> {
    let expr = match &search.expr {
        Some(expr) => Some(replace(expr, rows)?),
        None => None,
    };
    Ok(ast::Search {
        expr,
        ..search.clone()
    })
}

fn replace(expr: &SearchExpr, rows: &ResultTable) -> Result<SearchExpr, CommandError> {
    let both = |l: &SearchExpr, r: &SearchExpr| -> Result<_, CommandError> {
        Ok((Box::new(replace(l, rows)?), Box::new(replace(r, rows)?)))
    };
    Ok(match expr {
        SearchExpr::And(l, r, span) => {
            let (l, r) = both(l, r)?;
            SearchExpr::And(l, r, *span)
        }
        SearchExpr::Or(l, r, span) => {
            let (l, r) = both(l, r)?;
            SearchExpr::Or(l, r, *span)
        }
        SearchExpr::Not(x, span) => SearchExpr::Not(Box::new(replace(x, rows)?), *span),
        SearchExpr::Group(x, span) => SearchExpr::Group(Box::new(replace(x, rows)?), *span),
        SearchExpr::Subsearch(sub) => format(rows, sub.span)?,
        other => other.clone(),
    })
}

/// The rows as one expression, placed at `span` (the subsearch's).
fn format(rows: &ResultTable, span: Span) -> Result<SearchExpr, CommandError> {
    let fields: Vec<(usize, &str)> = rows
        .columns
        .iter()
        .enumerate()
        .filter(|(_, name)| !name.starts_with('_'))
        .map(|(at, name)| (at, name.as_str()))
        .collect();
    if let Some((_, name)) = fields
        .iter()
        .find(|(_, n)| matches!(*n, "search" | "query"))
    {
        let construct = format!("a subsearch field named `{name}` (its values are search text)");
        return Err(CommandError::of(
            CommandErrorKind::Unsupported { construct },
            span,
        ));
    }

    let compare = |field: &str, value: &str| SearchExpr::Compare {
        field: ast::FieldName {
            name: field.to_string(),
            span,
        },
        op: CompareOp::Eq,
        value: ast::Value {
            text: value.to_string(),
            quoted: true,
            span,
        },
        span,
    };
    let any = |terms: Vec<SearchExpr>| {
        terms
            .into_iter()
            .reduce(|a, b| SearchExpr::Or(Box::new(a), Box::new(b), span))
    };

    let mut alternatives = Vec::new();
    for row in rows.rows.iter().take(MAX_ROWS) {
        let mut terms = Vec::new();
        for &(at, field) in &fields {
            let term = match row.get(at) {
                None | Some(Cell::Null) => continue,
                Some(Cell::Single(value)) => compare(field, value),
                Some(Cell::Multi(values)) => {
                    let each = values.iter().map(|v| compare(field, v)).collect();
                    let Some(term) = any(each) else { continue };
                    SearchExpr::Group(Box::new(term), span)
                }
            };
            terms.push(term);
        }
        let all = terms
            .into_iter()
            .reduce(|a, b| SearchExpr::And(Box::new(a), Box::new(b), span));
        if let Some(all) = all {
            alternatives.push(SearchExpr::Group(Box::new(all), span));
        }
    }
    Ok(match any(alternatives) {
        Some(expr) => SearchExpr::Group(Box::new(expr), span),
        // `NOT ( )`: every row.
        None => SearchExpr::Term(ast::Value {
            text: "*".to_string(),
            quoted: false,
            span,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::test_support::{context, table};

    fn searched(spl: &str, sub: &ResultTable, rows: ResultTable) -> ResultTable {
        let pipeline = spelunk_spl::parse(&format!("| makeresults | {spl}")).unwrap();
        let Some(ast::Command::Search(search)) = pipeline.commands.into_iter().nth(1) else {
            panic!("not a search");
        };
        let search = substitute(&search, sub).unwrap();
        crate::commands::search::run(rows, &search, &context()).unwrap()
    }

    fn rows() -> ResultTable {
        table(
            &["process_id", "dest", "user"],
            &[
                &["10", "HOST-A", "alice"],
                &["11", "host-b", "bob"],
                &["10", "host-b", "-"],
                &["12", "host-c", "carol"],
            ],
        )
    }

    #[test]
    fn each_row_is_an_and_and_the_rows_an_or() {
        let sub = table(
            &["process_id", "dest"],
            &[&["10", "host-a"], &["11", "host-b"]],
        );
        let out = searched("search [| makeresults]", &sub, rows());
        let expected = table(
            &["process_id", "dest", "user"],
            &[&["10", "HOST-A", "alice"], &["11", "host-b", "bob"]],
        );
        assert_eq!(out, expected, "values match as search values: case ignored");
    }

    #[test]
    fn nulls_underscore_fields_multivalues_and_wildcards() {
        let sub = table(
            &["_time", "dest", "user"],
            &[&["1", "host-b", "-"], &["2", "-", "car*|alice"]],
        );
        let out = searched("search user=* [| makeresults]", &sub, rows());
        let expected = table(
            &["process_id", "dest", "user"],
            &[
                &["10", "HOST-A", "alice"],
                &["11", "host-b", "bob"],
                &["12", "host-c", "carol"],
            ],
        );
        assert_eq!(out, expected);
    }

    #[test]
    fn an_empty_subsearch_keeps_every_row_and_not_of_it_none() {
        let sub = table(&["dest"], &[]);
        assert_eq!(searched("search [| makeresults]", &sub, rows()), rows());
        let none = searched("search NOT [| makeresults]", &sub, rows());
        assert!(none.rows.is_empty());
    }

    #[test]
    fn a_search_field_is_refused_by_name() {
        let pipeline = spelunk_spl::parse("| makeresults | search [| makeresults]").unwrap();
        let Some(ast::Command::Search(search)) = pipeline.commands.into_iter().nth(1) else {
            panic!("not a search");
        };
        let sub = table(&["search"], &[&["x=1"]]);
        let err = substitute(&search, &sub).unwrap_err();
        assert!(err.unsupported && err.message.contains("`search`"), "{err}");
    }
}
