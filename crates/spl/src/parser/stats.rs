//! The `stats` and `eventstats` commands.
//!
//! ```text
//! stats|eventstats <aggregate> ([,] <aggregate>)* [BY <field> ([,] <field>)* [span=<timespan>]]
//! <aggregate> := count | count(<field>) | count(eval(<expr>)) | <fn>(<field>), [AS <name>]
//! ```
//!
//! Options (`allnum=`, `delim=`, `dedup_splitvals=` …) and functions beyond
//! [`StatsFunction`] are refused as unsupported, naming them.

use super::error::PResult;
use super::lex::{at_command_end, keyword, word, ws, Parser};
use super::tstats::is_unsupported_function;
use crate::ast::{FieldName, Stats, StatsAggregate, StatsArg, StatsFunction, Value};

impl<'a> Parser<'a> {
    /// `stats ...` (`event` false) or `eventstats ...` (`event` true).
    pub(crate) fn stats(&self, name: &'a str, mut i: &'a str, event: bool) -> PResult<'a, Stats> {
        let command = if event { "eventstats" } else { "stats" };
        let mut aggregates = Vec::new();
        let mut by = Vec::new();
        let mut time_span = None;
        loop {
            let j = ws(i);
            if at_command_end(j) {
                break;
            }
            if let Some(rest) = j.strip_prefix(',') {
                i = rest;
                continue;
            }
            if let Some(k) = keyword(j, "by", false) {
                let (rest, (fields, span)) = self.by_fields(k)?;
                by = fields;
                time_span = span;
                i = rest;
                break;
            }
            if let Some((after, option)) = word(j) {
                if ws(after).starts_with('=') {
                    let construct = format!("{command} option `{option}`");
                    return self.unsupported(j, option.len(), &construct);
                }
            }
            let (rest, aggregate) = self.stats_aggregate(j, command)?;
            aggregates.push(aggregate);
            i = rest;
        }

        if aggregates.is_empty() {
            return self.expected(i, "an aggregate function such as `count`");
        }
        let span = self.span(name, i);
        let stats = Stats {
            event,
            aggregates,
            by,
            time_span,
            span,
        };
        Ok((i, stats))
    }

    fn stats_aggregate(&self, j: &'a str, command: &str) -> PResult<'a, StatsAggregate> {
        const WANTED: &str = "an aggregate function such as `count`";
        let Some((after, name)) = word(j) else {
            return self.expected(j, WANTED);
        };
        let Some(function) = StatsFunction::from_name(name) else {
            if is_unsupported_function(name) || name == "median" {
                let construct = format!("{command} function `{name}`");
                return self.unsupported(j, name.len(), &construct);
            }
            return self.expected(j, WANTED);
        };

        let (mut rest, mut arg) = (after, None);
        if let Some(open) = after.strip_prefix('(') {
            let (r, a) = self.stats_arg(open, function)?;
            rest = r;
            arg = Some(a);
        } else if function != StatsFunction::Count {
            return self.expected(after, &format!("`(` after `{name}`"));
        }

        let mut alias = None;
        if let Some(k) = keyword(ws(rest), "as", false) {
            let (r, a) = self.require_field(ws(k), "a name after `AS`")?;
            rest = r;
            alias = Some(a);
        }
        let span = self.span(j, rest);
        let aggregate = StatsAggregate {
            function,
            arg,
            alias,
            span,
        };
        Ok((rest, aggregate))
    }

    /// The `field)` or `eval(expr))` of an aggregate, after its `(`.
    fn stats_arg(&self, open: &'a str, function: StatsFunction) -> PResult<'a, StatsArg> {
        let inner = ws(open);
        if let Some((after, name)) = word(inner) {
            if let Some(eval_open) = after.strip_prefix('(') {
                if !name.eq_ignore_ascii_case("eval") {
                    let construct = format!("`{name}(...)` inside an aggregate");
                    return self.unsupported(inner, name.len(), &construct);
                }
                if function != StatsFunction::Count {
                    let construct = format!("`eval(...)` inside `{}`", function.name());
                    return self.unsupported(inner, name.len(), &construct);
                }
                let (rest, expr) = self.eval_expr(eval_open)?;
                let (rest, ()) = self.expect_char(rest, ')', "`)` or an operator")?;
                let (rest, ()) = self.expect_char(rest, ')', "`)`")?;
                return Ok((rest, StatsArg::Eval(expr)));
            }
        }
        let (rest, field) = self.require_field(inner, "a field name")?;
        let (rest, ()) = self.expect_char(rest, ')', "`)`")?;
        Ok((rest, StatsArg::Field(field)))
    }

    /// The fields after `BY`, up to the end of the command.
    /// The BY fields, and a `span=` among them.
    fn by_fields(&self, mut i: &'a str) -> PResult<'a, (Vec<FieldName>, Option<Value>)> {
        let mut fields = Vec::new();
        let mut time_span = None;
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
                if time_span.is_some() {
                    return Err(self.duplicate_error(j, 4, "span"));
                }
                let (rest, value) = self.option_value(ws(eq), "span")?;
                time_span = Some(value);
                i = rest;
                continue;
            }
            let (rest, field) = self.require_field(j, "a field name or end of command")?;
            fields.push(field);
            i = rest;
        }
        if fields.is_empty() {
            return self.expected(i, "a field name after `BY`");
        }
        Ok((i, (fields, time_span)))
    }
}
