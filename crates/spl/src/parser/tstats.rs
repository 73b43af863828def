//! The `tstats` command.
//!
//! ```text
//! tstats [summariesonly=<v>] [allow_old_summaries=<v>] [fillnull_value=<v>]
//!        <aggregate> ([,] <aggregate>)*
//!        [FROM datamodel=<model>[.<dataset>]] [WHERE <search-expr>]
//!        [BY|GROUPBY <field> ([,] <field>)* [span=<timespan>]]
//! ```
//!
//! Options may also sit between aggregates; `FROM` and `WHERE` may come in either order (two
//! `WHERE`s are joined with `AND`); `BY` comes last, with `span=` anywhere among its fields.
//! Keywords ignore case; function names are lower case, as Splunk writes them.

use super::error::{Failure, PResult, ParseErrorKind, Step};
use super::lex::{at_command_end, keyword, word, ws, Parser};
use super::search::Context;
use crate::ast::{AggFunction, Aggregate, DatamodelRef, SearchExpr, Tstats, Value};

/// Options Splunk accepts that change what tstats returns and are not implemented.
const UNSUPPORTED_OPTIONS: &[&str] = &[
    "prestats",
    "append",
    "local",
    "chunk_size",
    "include_reduced_buckets",
    "use_summary_index_values",
];

/// Statistical functions Splunk knows and this parser does not handle yet.
const UNSUPPORTED_FUNCTIONS: &[&str] = &[
    "stdev",
    "stdevp",
    "var",
    "varp",
    "median",
    "mode",
    "range",
    "list",
    "first",
    "last",
    "estdc",
    "estdc_error",
    "sumsq",
    "mean",
    "earliest_time",
    "latest_time",
    "rate",
    "rate_avg",
    "rate_sum",
];

impl<'a> Parser<'a> {
    /// `tstats ...`; `name` starts at the command name and `i` right after it.
    pub(crate) fn tstats(&self, name: &'a str, i: &'a str) -> PResult<'a, Tstats> {
        let mut t = Tstats {
            summariesonly: None,
            allow_old_summaries: None,
            fillnull_value: None,
            aggregates: Vec::new(),
            datamodel: None,
            where_clause: None,
            by: Vec::new(),
            span_option: None,
            time_range: Default::default(),
            span: Default::default(),
        };
        let mut i = self.tstats_head(&mut t, i)?;

        loop {
            let j = ws(i);
            if at_command_end(j) {
                break;
            }
            i = if let Some(k) = keyword(j, "from", false) {
                if t.datamodel.is_some() {
                    return self.duplicate(j, 4, "FROM");
                }
                let (rest, dm) = self.datamodel(k)?;
                t.datamodel = Some(dm);
                rest
            } else if let Some(k) = keyword(j, "where", false) {
                let (rest, expr) = self.search_expr(k, Context::Tstats)?;
                let Some(expr) = expr else {
                    return self.expected(k, "a search expression after `WHERE`");
                };
                t.where_clause = Some(match t.where_clause.take() {
                    Some(first) => join_and(first, expr),
                    None => expr,
                });
                rest
            } else if let Some(k) = keyword(j, "by", false).or(keyword(j, "groupby", false)) {
                self.by_list(&mut t, k)?
            } else {
                return self.expected(j, "`FROM`, `WHERE`, `BY` or end of command");
            };
        }

        t.time_range = self.time_range(t.where_clause.as_ref())?;
        t.span = self.span(name, i);
        Ok((i, t))
    }

    /// Options and aggregates, up to the first clause keyword.
    fn tstats_head(&self, t: &mut Tstats, mut i: &'a str) -> Step<'a> {
        loop {
            let j = ws(i);
            let clause = ["from", "where", "by", "groupby"];
            if at_command_end(j) || clause.iter().any(|kw| keyword(j, kw, false).is_some()) {
                break;
            }
            if let Some(rest) = j.strip_prefix(',') {
                i = rest;
                continue;
            }

            if let Some((after, name)) = word(j) {
                if let Some(eq) = ws(after).strip_prefix('=') {
                    i = self.tstats_option(t, j, name, eq)?;
                    continue;
                }
            }
            let (rest, aggregate) = self.aggregate(j)?;
            t.aggregates.push(aggregate);
            i = rest;
        }

        if t.aggregates.is_empty() {
            return Err(self.expected_error(i, "an aggregate function such as `count`"));
        }
        Ok(i)
    }

    /// `name=value`; `at` starts at the name and `eq` right after the `=`.
    fn tstats_option(&self, t: &mut Tstats, at: &'a str, name: &str, eq: &'a str) -> Step<'a> {
        if UNSUPPORTED_OPTIONS.contains(&name) {
            return Err(self.unsupported_error(at, name.len(), &format!("tstats {name}")));
        }
        let slot = match name {
            "summariesonly" => &mut t.summariesonly,
            "allow_old_summaries" => &mut t.allow_old_summaries,
            "fillnull_value" => &mut t.fillnull_value,
            _ => {
                let what = "a tstats option or an aggregate function";
                return Err(self.expected_error(at, what));
            }
        };
        if slot.is_some() {
            return Err(self.duplicate_error(at, name.len(), name));
        }

        let (rest, value) = self.option_value(ws(eq), name)?;
        *slot = Some(value);
        Ok(rest)
    }

    /// The value of `name=`, quoted or bare.
    pub(crate) fn option_value(&self, v: &'a str, name: &str) -> PResult<'a, Value> {
        match self.value(v, &[]) {
            Err(nom::Err::Error(_)) => self.expected(v, &format!("a value after `{name}=`")),
            other => other,
        }
    }

    /// `count`, `fn(field)`, each with an optional `AS name`.
    fn aggregate(&self, j: &'a str) -> PResult<'a, Aggregate> {
        const WANTED: &str = "an aggregate function such as `count`";
        let Some((after, name)) = word(j) else {
            return self.expected(j, WANTED);
        };
        let function = match name {
            "count" => AggFunction::Count,
            "dc" => AggFunction::DistinctCount {
                written_long: false,
            },
            "distinct_count" => AggFunction::DistinctCount { written_long: true },
            "values" => AggFunction::Values,
            "min" => AggFunction::Min,
            "max" => AggFunction::Max,
            "earliest" => AggFunction::Earliest,
            "latest" => AggFunction::Latest,
            "sum" => AggFunction::Sum,
            "avg" => AggFunction::Avg,
            _ if is_unsupported_function(name) => {
                return self.unsupported(j, name.len(), &format!("tstats function `{name}`"));
            }
            _ => return self.expected(j, WANTED),
        };

        let (mut rest, mut field) = (after, None);
        if let Some(open) = after.strip_prefix('(') {
            let (r, f) = self.aggregate_field(open)?;
            rest = r;
            field = Some(f);
        } else if function != AggFunction::Count {
            return self.expected(after, &format!("`(` after `{name}`"));
        }

        let mut alias = None;
        if let Some(k) = keyword(ws(rest), "as", false) {
            let (r, a) = self.require_field(ws(k), "a name after `AS`")?;
            rest = r;
            alias = Some(a);
        }

        let span = self.span(j, rest);
        let aggregate = Aggregate {
            function,
            field,
            alias,
            span,
        };
        Ok((rest, aggregate))
    }

    /// The `field)` of an aggregate, after its `(`.
    fn aggregate_field(&self, open: &'a str) -> PResult<'a, crate::ast::FieldName> {
        let inner = ws(open);
        if let Some((after, name)) = word(inner) {
            if ws(after).starts_with('(') {
                let construct = if name.eq_ignore_ascii_case("prefix") {
                    "tstats PREFIX()".to_string()
                } else {
                    format!("`{name}(...)` inside an aggregate")
                };
                return self.unsupported(inner, name.len(), &construct);
            }
        }

        let (rest, field) = self.require_field(inner, "a field name")?;
        let (rest, ()) = self.expect_char(rest, ')', "`)`")?;
        Ok((rest, field))
    }

    /// `datamodel=Model.Dataset` after `FROM`.
    fn datamodel(&self, k: &'a str) -> PResult<'a, DatamodelRef> {
        let d = ws(k);
        let Some(after) = keyword(d, "datamodel", false) else {
            let len = super::lex::describe(d).1;
            return self.unsupported(d, len, "tstats FROM without `datamodel=`");
        };
        let (after_eq, ()) = self.expect_char(after, '=', "`=` after `datamodel`")?;
        let (rest, value) = self.option_value(ws(after_eq), "datamodel")?;

        let (model, dataset) = match value.text.split_once('.') {
            Some((m, d)) => (m.to_string(), Some(d.to_string())),
            None => (value.text.clone(), None),
        };
        if model.is_empty() || dataset.as_deref() == Some("") {
            let at = ws(after_eq);
            return self.expected(at, "a data model name such as `Endpoint.Processes`");
        }

        let span = self.span(d, rest);
        Ok((
            rest,
            DatamodelRef {
                model,
                dataset,
                span,
            },
        ))
    }

    /// The fields after `BY`, with `span=` anywhere among them; ends the command.
    fn by_list(&self, t: &mut Tstats, mut i: &'a str) -> Step<'a> {
        if !t.by.is_empty() {
            let at = ws(i);
            return Err(self.duplicate_error(at, 0, "BY"));
        }
        loop {
            let j = ws(i);
            if at_command_end(j) {
                break;
            }
            if let Some(rest) = j.strip_prefix(',') {
                i = rest;
                continue;
            }
            if let Some(eq) = keyword(j, "span", false).and_then(|r| ws(r).strip_prefix('=')) {
                if t.span_option.is_some() {
                    return Err(self.duplicate_error(j, 4, "span"));
                }
                let (rest, value) = self.option_value(ws(eq), "span")?;
                t.span_option = Some(value);
                i = rest;
                continue;
            }
            let clause = ["where", "from"]
                .iter()
                .find_map(|kw| keyword(j, kw, false));
            if clause.is_some_and(|rest| !ws(rest).starts_with('=')) {
                return Err(self.expected_error(j, "a field name or end of command"));
            }
            if let Some((after, name)) = word(j) {
                if after.starts_with('(') && name.eq_ignore_ascii_case("prefix") {
                    return Err(self.unsupported_error(j, name.len(), "tstats PREFIX()"));
                }
            }

            let (rest, field) = self.require_field(j, "a field name or end of command")?;
            t.by.push(field);
            i = rest;
        }

        if t.by.is_empty() {
            return Err(self.expected_error(i, "a field name after `BY`"));
        }
        Ok(i)
    }

    /// The error "`name` is given more than once".
    pub(crate) fn duplicate_error(&self, at: &str, len: usize, name: &str) -> Failure {
        let name = name.to_string();
        self.error(at, len, ParseErrorKind::Duplicate { name })
    }

    /// Fails with "`name` is given more than once".
    pub(crate) fn duplicate<T>(&self, at: &str, len: usize, name: &str) -> PResult<'a, T> {
        Err(self.duplicate_error(at, len, name))
    }
}

/// `first AND second`, built as if both had been written in one `WHERE`: the terms of
/// `second`'s top-level `AND` chain are appended one by one, so that the printed clause
/// parses back to the same tree.
fn join_and(first: SearchExpr, second: SearchExpr) -> SearchExpr {
    let mut terms = Vec::new();
    let mut rest = second;
    while let SearchExpr::And(left, right, _) = rest {
        terms.push(*right);
        rest = *left;
    }
    terms.push(rest);

    terms.into_iter().rev().fold(first, |acc, term| {
        let span = acc.span().join(term.span());
        SearchExpr::And(Box::new(acc), Box::new(term), span)
    })
}

/// Whether `name` is a statistical function that Splunk knows and we do not implement.
pub(crate) fn is_unsupported_function(name: &str) -> bool {
    if UNSUPPORTED_FUNCTIONS.contains(&name) {
        return true;
    }
    ["perc", "p", "exactperc", "upperperc"]
        .iter()
        .any(|prefix| {
            name.strip_prefix(prefix)
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        })
}
