//! The small commands: `search`, `rename`, `convert`, `table` and `fields`.
//!
//! Each parser receives the input right after the command name and returns it right after
//! the command's last token; `|` or the end of the text ends every command.

use super::error::{PResult, ParseErrorKind};
use super::lex::{at_command_end, keyword, word, ws, Parser};
use super::search::Context;
use crate::ast::{
    Conversion, Convert, ConvertFunction, FieldName, Fields, Rename, RenamePair, Search, Table,
};

/// `convert` functions Splunk knows and this parser does not handle yet.
const UNSUPPORTED_CONVERSIONS: &[&str] = &[
    "auto", "dur2sec", "memk", "mktime", "mstime", "none", "num", "rmcomma", "rmunit",
];

impl<'a> Parser<'a> {
    /// `search [<expr>]`; `name` is where the command starts (the name, or the first term of
    /// an implied search).
    pub(crate) fn search_command(&self, name: &'a str, i: &'a str) -> PResult<'a, Search> {
        let (rest, expr) = self.search_expr(i, Context::Search)?;
        let j = ws(rest);
        if !at_command_end(j) {
            return self.expected(j, "a search term or end of command");
        }
        let rest = if expr.is_some() { rest } else { i };
        let time_range = self.time_range(expr.as_ref())?;
        let span = self.span(name, rest);
        let search = Search {
            expr,
            time_range,
            span,
        };
        Ok((rest, search))
    }

    /// `rename a AS b, c AS d`.
    pub(crate) fn rename(&self, name: &'a str, mut i: &'a str) -> PResult<'a, Rename> {
        let mut pairs = Vec::new();
        loop {
            let j = ws(i);
            if at_command_end(j) {
                break;
            }
            if let Some(rest) = j.strip_prefix(',') {
                i = rest;
                continue;
            }

            let (rest, from) = self.require_field(j, "a field name")?;
            let Some(after_as) = keyword(ws(rest), "as", false) else {
                return self.expected(rest, "`AS`");
            };
            let (rest, to) = self.require_field(ws(after_as), "a new field name after `AS`")?;
            pairs.push(RenamePair { from, to });
            i = rest;
        }

        if pairs.is_empty() {
            return self.expected(i, "a field name");
        }
        let span = self.span(name, i);
        Ok((i, Rename { pairs, span }))
    }

    /// `convert [timeformat=<fmt>] ctime(<field>) [AS <name>] ...`.
    pub(crate) fn convert(&self, name: &'a str, mut i: &'a str) -> PResult<'a, Convert> {
        const WANTED: &str = "a conversion such as `ctime(field)`";
        let mut timeformat = None;
        let mut conversions = Vec::new();

        loop {
            let j = ws(i);
            if at_command_end(j) {
                break;
            }
            if let Some(rest) = j.strip_prefix(',') {
                i = rest;
                continue;
            }
            let Some((after, function)) = word(j) else {
                return self.expected(j, WANTED);
            };

            if let Some(eq) = keyword(j, "timeformat", false).and_then(|r| ws(r).strip_prefix('='))
            {
                if timeformat.is_some() {
                    return self.duplicate(j, function.len(), "timeformat");
                }
                let (rest, value) = self.option_value(ws(eq), "timeformat")?;
                timeformat = Some(value);
                i = rest;
                continue;
            }
            let Some(open) = after.strip_prefix('(') else {
                return self.expected(j, WANTED);
            };

            let function = match function {
                "ctime" => ConvertFunction::Ctime,
                f if UNSUPPORTED_CONVERSIONS.contains(&f) => {
                    return self.unsupported(j, f.len(), &format!("convert function `{f}`"));
                }
                f => {
                    let kind = ParseErrorKind::UnknownFunction {
                        command: "convert".to_string(),
                        name: f.to_string(),
                    };
                    return self.fail(j, f.len(), kind);
                }
            };
            let (rest, conversion) = self.conversion(j, function, open)?;
            conversions.push(conversion);
            i = rest;
        }

        if conversions.is_empty() {
            return self.expected(i, WANTED);
        }
        let span = self.span(name, i);
        let convert = Convert {
            timeformat,
            conversions,
            span,
        };
        Ok((i, convert))
    }

    /// `field) [AS name]` after `ctime(`; `start` is where the function name begins.
    fn conversion(
        &self,
        start: &'a str,
        function: ConvertFunction,
        open: &'a str,
    ) -> PResult<'a, Conversion> {
        let (rest, field) = self.require_field(ws(open), "a field name")?;
        let (mut rest, ()) = self.expect_char(rest, ')', "`)`")?;

        let mut alias = None;
        if let Some(k) = keyword(ws(rest), "as", false) {
            let (r, a) = self.require_field(ws(k), "a new field name after `AS`")?;
            rest = r;
            alias = Some(a);
        }

        let span = self.span(start, rest);
        let conversion = Conversion {
            function,
            field,
            alias,
            span,
        };
        Ok((rest, conversion))
    }

    /// `table f1, f2 w*`.
    pub(crate) fn table(&self, name: &'a str, i: &'a str) -> PResult<'a, Table> {
        let (rest, fields) = self.field_list(i)?;
        let span = self.span(name, rest);
        Ok((rest, Table { fields, span }))
    }

    /// `fields [+|-] f1, f2`.
    pub(crate) fn fields(&self, name: &'a str, i: &'a str) -> PResult<'a, Fields> {
        let j = ws(i);
        let sign = |s: char| {
            let rest = j.strip_prefix(s)?;
            let separated = rest.starts_with(|c: char| c.is_whitespace() || c == ',');
            separated.then_some(rest)
        };
        let (list, remove) = match (sign('+'), sign('-')) {
            (Some(rest), _) => (rest, false),
            (_, Some(rest)) => (rest, true),
            _ => (i, false),
        };

        let (rest, fields) = self.field_list(list)?;
        let span = self.span(name, rest);
        Ok((
            rest,
            Fields {
                remove,
                fields,
                span,
            },
        ))
    }

    /// One or more field names separated by spaces or commas, up to the end of the command.
    fn field_list(&self, i: &'a str) -> PResult<'a, Vec<FieldName>> {
        self.list_to_end(i, "a field name", |j| self.require_field(j, "a field name"))
    }

    /// One or more items separated by spaces or commas, up to the end of the command; `what`
    /// names an item when there is none.
    pub(crate) fn list_to_end<T>(
        &self,
        mut i: &'a str,
        what: &str,
        item: impl Fn(&'a str) -> PResult<'a, T>,
    ) -> PResult<'a, Vec<T>> {
        let mut items = Vec::new();
        loop {
            let j = ws(i);
            if at_command_end(j) {
                break;
            }
            if let Some(rest) = j.strip_prefix(',') {
                i = rest;
                continue;
            }
            let (rest, one) = item(j)?;
            items.push(one);
            i = rest;
        }
        if items.is_empty() {
            return self.expected(i, what);
        }
        Ok((i, items))
    }
}
