//! The `lookup` and `inputlookup` commands.
//!
//! ```text
//! lookup [local=<bool>] [update=<bool>] <table> <column> [AS <field>] ([,] <column> [AS <field>])*
//!        [OUTPUT|OUTPUTNEW <column> [AS <field>] ([,] <column> [AS <field>])*]
//! inputlookup [append=<bool>] [start=<int>] [max=<int>] [strict=<bool>] <table>
//!        [where <search-expr>]
//! ```
//!
//! The grammar follows Splunk's search reference for both commands (spl-semantics.md §5).
//! `OUTPUT`, `OUTPUTNEW`, `AS` and `where` ignore case. The parser checks syntax only:
//! whether the table exists, and what its columns are, is the engine's business. Options
//! Splunk knows and this parser does not handle are refused as unsupported.

use super::error::PResult;
use super::lex::{at_command_end, keyword, word, ws, Parser};
use super::search::Context;
use crate::ast::{CommandOption, FieldName, Inputlookup, Lookup, LookupField, LookupOutput, Value};

/// The options of `lookup`: both only decide where the lookup runs, so results do not
/// depend on them.
const LOOKUP_OPTIONS: &[&str] = &["local", "update"];

/// The options of `inputlookup`.
const INPUTLOOKUP_OPTIONS: &[&str] = &["append", "start", "max", "strict"];

impl<'a> Parser<'a> {
    /// `lookup ...`; `name` starts at the command name and `i` right after it.
    pub(crate) fn lookup(&self, name: &'a str, i: &'a str) -> PResult<'a, Lookup> {
        let (i, options) = self.command_options(i, "lookup", LOOKUP_OPTIONS)?;
        let (i, table) = self.lookup_table(i)?;
        let (mut i, inputs) = self.lookup_fields(i, false)?;

        let mut output = None;
        let j = ws(i);
        if let Some((k, new_only)) = output_keyword(j) {
            let (rest, fields) = self.lookup_fields(k, true)?;
            let span = self.span(j, rest);
            output = Some(LookupOutput {
                new_only,
                fields,
                span,
            });
            i = rest;
        }
        let span = self.span(name, i);
        let lookup = Lookup {
            options,
            table,
            inputs,
            output,
            span,
        };
        Ok((i, lookup))
    }

    /// `inputlookup ...`; `name` starts at the command name and `i` right after it.
    pub(crate) fn inputlookup(&self, name: &'a str, i: &'a str) -> PResult<'a, Inputlookup> {
        let (i, options) = self.command_options(i, "inputlookup", INPUTLOOKUP_OPTIONS)?;
        let (mut i, table) = self.lookup_table(i)?;

        let mut where_clause = None;
        let j = ws(i);
        if let Some(k) = keyword(j, "where", false) {
            let (rest, expr) = self.search_expr(k, Context::Search)?;
            let Some(expr) = expr else {
                return self.expected(k, "a search expression after `where`");
            };
            where_clause = Some(expr);
            i = rest;
        }
        let j = ws(i);
        if !at_command_end(j) {
            let what = if where_clause.is_some() {
                "a search term or end of command"
            } else {
                "`where` or end of command"
            };
            return self.expected(j, what);
        }

        let span = self.span(name, i);
        let inputlookup = Inputlookup {
            options,
            table,
            where_clause,
            span,
        };
        Ok((i, inputlookup))
    }

    /// `name=value` options before a lookup table's name; `known` lists the names allowed.
    fn command_options(
        &self,
        mut i: &'a str,
        command: &str,
        known: &[&str],
    ) -> PResult<'a, Vec<CommandOption>> {
        let mut options: Vec<CommandOption> = Vec::new();
        loop {
            let j = ws(i);
            let Some((after, name)) = word(j) else {
                break;
            };
            let Some(eq) = ws(after).strip_prefix('=') else {
                break;
            };
            if !known.contains(&name) {
                // Any other `name=` before a lookup's table is an option Splunk may know
                // (`event_time_field=`); an inputlookup table is never written `x=`.
                if command == "lookup" {
                    let construct = format!("{command} option `{name}`");
                    return self.unsupported(j, name.len(), &construct);
                }
                return self.expected(j, &format!("an {command} option or a lookup name"));
            }
            if options.iter().any(|o| o.name.name == name) {
                return self.duplicate(j, name.len(), name);
            }

            let (rest, value) = self.option_value(ws(eq), name)?;
            let field = FieldName {
                name: name.to_string(),
                span: self.span(j, after),
            };
            options.push(CommandOption { name: field, value });
            i = rest;
        }
        Ok((i, options))
    }

    /// The lookup's name: a definition or a CSV file, quoted or bare.
    fn lookup_table(&self, i: &'a str) -> PResult<'a, Value> {
        let j = ws(i);
        if at_command_end(j) {
            return self.expected(j, "a lookup name");
        }
        match self.value(j, &[',']) {
            Err(nom::Err::Error(_)) => self.expected(j, "a lookup name"),
            other => other,
        }
    }

    /// `column [AS field]` entries up to the end of the command (`outputs`) or to the
    /// `OUTPUT` keyword.
    fn lookup_fields(&self, mut i: &'a str, outputs: bool) -> PResult<'a, Vec<LookupField>> {
        let mut fields = Vec::new();
        loop {
            let j = ws(i);
            if at_command_end(j) || (!outputs && output_keyword(j).is_some()) {
                break;
            }
            if let Some(rest) = j.strip_prefix(',') {
                i = rest;
                continue;
            }
            let (rest, field) = self.lookup_field(j)?;
            fields.push(field);
            i = rest;
        }

        if fields.is_empty() {
            return self.expected(i, "a lookup field");
        }
        Ok((i, fields))
    }

    /// `column [AS field]`.
    fn lookup_field(&self, j: &'a str) -> PResult<'a, LookupField> {
        let (mut rest, column) = self.require_field(j, "a lookup field")?;
        let mut alias = None;
        if let Some(k) = keyword(ws(rest), "as", false) {
            let (r, a) = self.require_field(ws(k), "a field name after `AS`")?;
            rest = r;
            alias = Some(a);
        }
        Ok((rest, LookupField { column, alias }))
    }
}

/// `OUTPUT` or `OUTPUTNEW` at `i` (any case, not used as `output=`), with whether it is
/// `OUTPUTNEW`.
fn output_keyword(i: &str) -> Option<(&str, bool)> {
    let not_option = |rest: &&str| !ws(rest).starts_with('=');
    if let Some(rest) = keyword(i, "outputnew", false).filter(not_option) {
        return Some((rest, true));
    }
    keyword(i, "output", false)
        .filter(not_option)
        .map(|rest| (rest, false))
}
