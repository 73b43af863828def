//! The regular-expression commands: `regex` (filter rows) and `rex` (extract or edit fields).
//!
//! The pattern is kept as written after SPL's three unescapes (`\\`, `\"`, `\|`); whether it
//! compiles is for the engine to decide, since only it knows the regex dialect it runs.

use super::error::PResult;
use super::lex::{at_command_end, ws, Parser};
use super::rows::option_start;
use crate::ast::{Regex, Rex, Value};

impl<'a> Parser<'a> {
    /// `regex "<re>"`, `regex f="<re>"` or `regex f!="<re>"`.
    pub(crate) fn regex(&self, name: &'a str, i: &'a str) -> PResult<'a, Regex> {
        const WANTED: &str = "a regular expression";
        let j = ws(i);
        let mut field = None;
        let mut negated = false;
        let mut v = j;

        if !j.starts_with('"') {
            if let Ok((after, f)) = self.field(j) {
                let k = ws(after);
                let op = k.strip_prefix("!=").map(|r| (r, true));
                let op = op.or_else(|| k.strip_prefix('=').map(|r| (r, false)));
                if let Some((rest, ne)) = op {
                    field = Some(f);
                    negated = ne;
                    v = ws(rest);
                }
            }
        }

        let (rest, pattern) = self.pattern(v, WANTED)?;
        let after = ws(rest);
        if !at_command_end(after) {
            return self.expected(after, "end of command after the regular expression");
        }
        let span = self.span(name, rest);
        let regex = Regex {
            field,
            negated,
            pattern,
            span,
        };
        Ok((rest, regex))
    }

    /// `rex [field=f] [max_match=N] [mode=sed] "<re>"`, options in any order.
    pub(crate) fn rex(&self, name: &'a str, mut i: &'a str) -> PResult<'a, Rex> {
        let mut field = None;
        let mut max_match = None;
        let mut sed = None;
        let mut pattern: Option<Value> = None;

        loop {
            let j = ws(i);
            if at_command_end(j) {
                break;
            }
            let Some((option, v)) = option_start(j) else {
                if pattern.is_some() {
                    return self.expected(j, "end of command");
                }
                let (rest, p) = self.pattern(j, "a regular expression or an option")?;
                pattern = Some(p);
                i = rest;
                continue;
            };

            let duplicate = match option.to_ascii_lowercase().as_str() {
                "field" => {
                    let (rest, f) = self.require_field(v, "a field name after `field=`")?;
                    i = rest;
                    field.replace(f).is_some()
                }
                "max_match" => {
                    let (rest, n) = self.number_option(v, option)?;
                    i = rest;
                    max_match.replace(n).is_some()
                }
                "mode" => {
                    let (rest, mode) = self.option_value(v, option)?;
                    if !mode.text.eq_ignore_ascii_case("sed") {
                        return self.expected(v, "`sed` after `mode=`");
                    }
                    i = rest;
                    sed.replace(true).is_some()
                }
                _ => {
                    let construct = format!("rex option `{option}`");
                    return self.unsupported(j, option.len(), &construct);
                }
            };
            if duplicate {
                return self.duplicate(j, option.len(), option);
            }
        }

        let Some(pattern) = pattern else {
            return self.expected(i, "a regular expression");
        };
        let span = self.span(name, i);
        let rex = Rex {
            field,
            max_match,
            sed: sed.unwrap_or(false),
            pattern,
            span,
        };
        Ok((i, rex))
    }

    /// A quoted or bare pattern.
    fn pattern(&self, v: &'a str, what: &str) -> PResult<'a, Value> {
        match self.value(v, &[]) {
            Err(nom::Err::Error(_)) => self.expected(v, what),
            other => other,
        }
    }
}
