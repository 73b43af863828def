//! Subsearches (`[ ... ]`) and the commands that take one: `join` and `append`.
//!
//! A subsearch is found by bracket matching that skips double-quoted strings, then parsed as
//! a pipeline of its own over the text between the brackets, with spans still indexing the
//! whole query. Subsearches nest at most [`super::MAX_NESTING`] deep. A subsearch is also a
//! term of a `search` expression (which Splunk turns into a filter through `format`), but
//! not of the tstats `WHERE` clause.

use super::error::{PError, PResult, ParseErrorKind};
use super::lex::{at_command_end, describe, ws, Parser};
use super::rows::option_start;
use super::MAX_NESTING;
use crate::ast::{Append, Join, JoinType, Subsearch};

impl<'a> Parser<'a> {
    /// `[ <pipeline> ]`; `i` starts at the `[`.
    pub(crate) fn subsearch(&self, i: &'a str) -> PResult<'a, Subsearch> {
        if self.depth >= MAX_NESTING {
            let kind = ParseErrorKind::TooDeep { limit: MAX_NESTING };
            return self.fail(i, 1, kind);
        }
        let Some(close) = closing_bracket(i) else {
            let what = "bracket: `[` is never closed".to_string();
            return self.fail(i, 1, ParseErrorKind::Unbalanced { what });
        };

        let inner_end = self.offset(i) + close;
        let inner = Parser {
            src: &self.src[..inner_end],
            depth: self.depth + 1,
        };
        let body = &inner.src[self.offset(i) + 1..];
        let pipeline = match inner.pipeline(body) {
            Ok((_, pipeline)) => pipeline,
            Err(e) => return Err(self.placed_from_inner(&inner, e)),
        };

        let rest = &i[close + 1..];
        let span = self.span(i, rest);
        let subsearch = Subsearch {
            pipeline: Box::new(pipeline),
            span,
        };
        Ok((rest, subsearch))
    }

    /// An error of the parser of a subsearch, placed in this parser's text.
    fn placed_from_inner(&self, inner: &Parser<'a>, e: nom::Err<PError>) -> nom::Err<PError> {
        let shift = self.src.len() - inner.src.len();
        e.map(|p| PError {
            rest_len: p.rest_len + shift,
            ..p
        })
    }

    /// `join [type=t] [max=N] [overwrite=b] f1, f2 ... [subsearch]`.
    pub(crate) fn join(&self, name: &'a str, mut i: &'a str) -> PResult<'a, Join> {
        let mut join_type = None;
        let mut max = None;
        let mut overwrite = None;
        let mut fields = Vec::new();

        let subsearch = loop {
            let j = ws(i);
            if at_command_end(j) {
                return self.expected(j, "a subsearch in `[ ]`");
            }
            if j.starts_with('[') {
                let (rest, subsearch) = self.subsearch(j)?;
                i = rest;
                break subsearch;
            }
            if let Some(rest) = j.strip_prefix(',') {
                i = rest;
                continue;
            }
            let Some((option, v)) = option_start(j) else {
                let (rest, field) = self.require_field(j, "a join field or a subsearch")?;
                fields.push(field);
                i = rest;
                continue;
            };

            let duplicate = match option.to_ascii_lowercase().as_str() {
                "type" => {
                    let (rest, t) = self.join_type(v)?;
                    i = rest;
                    join_type.replace(t).is_some()
                }
                "max" => {
                    let (rest, n) = self.number_option(v, option)?;
                    i = rest;
                    max.replace(n).is_some()
                }
                "overwrite" => {
                    let (rest, b) = self.bool_option(v, option)?;
                    i = rest;
                    overwrite.replace(b).is_some()
                }
                _ => {
                    let construct = format!("join option `{option}`");
                    return self.unsupported(j, option.len(), &construct);
                }
            };
            if duplicate {
                return self.duplicate(j, option.len(), option);
            }
        };

        let after = ws(i);
        if !at_command_end(after) {
            return self.expected(after, "end of command after the subsearch");
        }
        let span = self.span(name, i);
        let join = Join {
            join_type,
            max,
            overwrite,
            fields,
            subsearch,
            span,
        };
        Ok((i, join))
    }

    fn join_type(&self, v: &'a str) -> PResult<'a, JoinType> {
        const WANTED: &str = "`inner`, `left` or `outer` after `type=`";
        let (rest, value) = match self.value(v, &[',', '[']) {
            Err(nom::Err::Error(_)) => return self.expected(v, WANTED),
            other => other?,
        };
        let t = match value.text.to_ascii_lowercase().as_str() {
            "inner" => JoinType::Inner,
            "left" => JoinType::Left,
            "outer" => JoinType::Outer,
            _ => return self.expected(v, WANTED),
        };
        Ok((rest, t))
    }

    /// `append [subsearch]`.
    pub(crate) fn append(&self, name: &'a str, i: &'a str) -> PResult<'a, Append> {
        let j = ws(i);
        if let Some((option, _)) = option_start(j) {
            let construct = format!("append option `{option}`");
            return self.unsupported(j, option.len(), &construct);
        }
        if !j.starts_with('[') {
            return self.expected(j, "a subsearch in `[ ]`");
        }
        let (rest, subsearch) = self.subsearch(j)?;
        let after = ws(rest);
        if !at_command_end(after) {
            let len = describe(after).1;
            let kind = ParseErrorKind::Expected {
                expected: "end of command after the subsearch".to_string(),
                found: describe(after).0,
            };
            return self.fail(after, len, kind);
        }
        let span = self.span(name, rest);
        Ok((rest, Append { subsearch, span }))
    }
}

/// The byte offset in `i` (which starts with `[`) of the matching `]`, skipping brackets
/// inside double-quoted strings and the character after a backslash (so `\"` opens no
/// string and `\]` closes nothing, as for bare values).
fn closing_bracket(i: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_quotes = false;
    let mut escaped = false;
    for (at, c) in i.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if in_quotes {
            match c {
                '\\' => escaped = true,
                '"' => in_quotes = false,
                _ => {}
            }
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => in_quotes = true,
            '[' => depth += 1,
            ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}
