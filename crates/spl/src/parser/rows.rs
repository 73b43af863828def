//! Commands that reorder, trim or fill rows: `dedup`, `sort`, `head`, `fillnull`,
//! `mvexpand`, `bin`/`bucket` and `makeresults`, plus the `name=value` option helpers the
//! other table commands share.
//!
//! Options Splunk documents for these commands but this parser does not handle yet are
//! refused as unsupported, naming the option.

use super::error::{PResult, ParseErrorKind, Step};
use super::lex::{at_command_end, keyword, word, ws, Parser};
use crate::ast::{
    Bin, Dedup, FieldName, Fillnull, Head, Makeresults, Mvexpand, Sort, SortKey, SortKind, Value,
};

/// When `j` starts with `name=`, the name and the input after `=` (whitespace skipped).
pub(crate) fn option_start(j: &str) -> Option<(&str, &str)> {
    let (after, name) = word(j)?;
    let eq = ws(after).strip_prefix('=')?;
    (!eq.starts_with('=')).then(|| (name, ws(eq)))
}

impl<'a> Parser<'a> {
    /// A whole number after `name=`.
    pub(crate) fn number_option(&self, v: &'a str, name: &str) -> PResult<'a, u64> {
        let what = format!("a whole number after `{name}=`");
        let (rest, value) = match self.bare(v, &[',', '[']) {
            Err(nom::Err::Error(_)) => return self.expected(v, &what),
            other => other?,
        };
        match value.text.parse::<u64>() {
            Ok(n) => Ok((rest, n)),
            Err(_) => self.expected(v, &what),
        }
    }

    /// A boolean after `name=`: `true`, `false`, `t`, `f`, `1` or `0`, case ignored.
    pub(crate) fn bool_option(&self, v: &'a str, name: &str) -> PResult<'a, bool> {
        let what = format!("`true` or `false` after `{name}=`");
        let (rest, value) = match self.value(v, &[',', '[']) {
            Err(nom::Err::Error(_)) => return self.expected(v, &what),
            other => other?,
        };
        match value.text.to_ascii_lowercase().as_str() {
            "true" | "t" | "1" => Ok((rest, true)),
            "false" | "f" | "0" => Ok((rest, false)),
            _ => self.expected(v, &what),
        }
    }

    /// Fails unless `slot` is empty, naming the option given twice.
    fn once<T>(&self, slot: &Option<T>, at: &'a str, name: &str) -> Step<'a> {
        match slot {
            Some(_) => Err(self.duplicate_error(at, name.len(), name)),
            None => Ok(at),
        }
    }

    /// The error for an option this parser does not handle.
    fn unsupported_option<T>(&self, at: &'a str, command: &str, name: &str) -> PResult<'a, T> {
        self.unsupported(at, name.len(), &format!("{command} option `{name}`"))
    }

    /// `dedup [N] f1 f2 [keepempty=b] [consecutive=b] [sortby [+|-]f ...]`.
    pub(crate) fn dedup(&self, name: &'a str, mut i: &'a str) -> PResult<'a, Dedup> {
        let mut d = Dedup {
            count: None,
            fields: Vec::new(),
            keepempty: None,
            consecutive: None,
            sortby: Vec::new(),
            span: Default::default(),
        };
        let j = ws(i);
        if let Some((rest, n)) = leading_number(j) {
            d.count = Some(n);
            i = rest;
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
            if let Some((option, v)) = option_start(j) {
                let slot = match option.to_ascii_lowercase().as_str() {
                    "keepempty" => &mut d.keepempty,
                    "consecutive" => &mut d.consecutive,
                    _ => return self.unsupported_option(j, "dedup", option),
                };
                if slot.is_some() {
                    return self.duplicate(j, option.len(), option);
                }
                let (rest, b) = self.bool_option(v, option)?;
                *slot = Some(b);
                i = rest;
                continue;
            }
            if let Some(after) = keyword(j, "sortby", false) {
                let (rest, keys) = self.sort_keys(after)?;
                d.sortby = keys;
                i = rest;
                break;
            }
            let (rest, field) = self.require_field(j, "a field name")?;
            d.fields.push(field);
            i = rest;
        }

        if d.fields.is_empty() {
            return self.expected(i, "a field name");
        }
        d.span = self.span(name, i);
        Ok((i, d))
    }

    /// `sort [N] [limit=N] [+|-]f ... [d|desc]`.
    pub(crate) fn sort(&self, name: &'a str, mut i: &'a str) -> PResult<'a, Sort> {
        let mut limit = None;
        let j = ws(i);
        if let Some((rest, n)) = leading_number(j) {
            limit = Some(n);
            i = rest;
        } else if let Some((option, v)) = option_start(j) {
            if !option.eq_ignore_ascii_case("limit") {
                return self.unsupported_option(j, "sort", option);
            }
            let (rest, n) = self.number_option(v, option)?;
            limit = Some(n);
            i = rest;
        }

        let (rest, mut keys) = self.sort_keys(i)?;
        let mut reverse = false;
        if let Some(last) = keys.last() {
            let plain = !last.descending && last.kind == SortKind::Default;
            let name = last.field.name.as_str();
            let written_bare = self.src.get(last.span.start..last.span.end) == Some(name);
            if keys.len() > 1 && plain && written_bare && matches!(name, "d" | "desc") {
                keys.pop();
                reverse = true;
            }
        }
        if keys.is_empty() {
            return self.expected(rest, "a field to sort by");
        }

        let span = self.span(name, rest);
        let sort = Sort {
            limit,
            keys,
            reverse,
            span,
        };
        Ok((rest, sort))
    }

    /// Sort keys up to the end of the command: `f`, `-f`, `+ f`, `num(f)`, `-str(f)`.
    fn sort_keys(&self, i: &'a str) -> PResult<'a, Vec<SortKey>> {
        self.list_to_end(i, "a field to sort by", |j| self.sort_key(j))
    }

    fn sort_key(&self, j: &'a str) -> PResult<'a, SortKey> {
        let (after_sign, descending) = match j.chars().next() {
            Some('-') => (ws(&j[1..]), true),
            Some('+') => (ws(&j[1..]), false),
            _ => (j, false),
        };

        let function = word(after_sign).and_then(|(rest, f)| Some((rest.strip_prefix('(')?, f)));
        let (rest, field, kind) = match function {
            Some((open, f)) => {
                let kind = match f.to_ascii_lowercase().as_str() {
                    "auto" => SortKind::Auto,
                    "num" => SortKind::Num,
                    "str" => SortKind::Str,
                    "ip" => SortKind::Ip,
                    _ => {
                        let kind = ParseErrorKind::UnknownFunction {
                            command: "sort".to_string(),
                            name: f.to_string(),
                        };
                        return self.fail(after_sign, f.len(), kind);
                    }
                };
                let (rest, field) = self.require_field(ws(open), "a field name")?;
                let (rest, ()) = self.expect_char(rest, ')', "`)`")?;
                (rest, field, kind)
            }
            None => {
                let (rest, field) = self.require_field(after_sign, "a field to sort by")?;
                (rest, field, SortKind::Default)
            }
        };

        let span = self.span(j, rest);
        let key = SortKey {
            field,
            descending,
            kind,
            span,
        };
        Ok((rest, key))
    }

    /// `head [N]` or `head limit=N`.
    pub(crate) fn head(&self, name: &'a str, i: &'a str) -> PResult<'a, Head> {
        let j = ws(i);
        let (rest, limit) = if at_command_end(j) {
            (i, None)
        } else if let Some((rest, n)) = leading_number(j) {
            (rest, Some(n))
        } else if let Some((option, v)) = option_start(j) {
            if !option.eq_ignore_ascii_case("limit") {
                return self.unsupported_option(j, "head", option);
            }
            let (rest, n) = self.number_option(v, option)?;
            (rest, Some(n))
        } else {
            return self.unsupported(j, super::lex::describe(j).1, "head with an expression");
        };

        let after = ws(rest);
        if !at_command_end(after) {
            return self.expected(after, "end of command");
        }
        let span = self.span(name, rest);
        Ok((rest, Head { limit, span }))
    }

    /// `fillnull [value=v] [f1 f2 ...]`.
    pub(crate) fn fillnull(&self, name: &'a str, mut i: &'a str) -> PResult<'a, Fillnull> {
        let mut value: Option<Value> = None;
        let mut fields = Vec::new();
        loop {
            let j = ws(i);
            if at_command_end(j) {
                break;
            }
            if let Some(rest) = j.strip_prefix(',') {
                i = rest;
                continue;
            }
            if let Some((option, v)) = option_start(j) {
                if !option.eq_ignore_ascii_case("value") {
                    return self.unsupported_option(j, "fillnull", option);
                }
                self.once(&value, j, option)?;
                let (rest, v) = self.option_value(v, option)?;
                value = Some(v);
                i = rest;
                continue;
            }
            let (rest, field) = self.require_field(j, "a field name or `value=`")?;
            fields.push(field);
            i = rest;
        }

        let span = self.span(name, i);
        Ok((
            i,
            Fillnull {
                value,
                fields,
                span,
            },
        ))
    }

    /// `mvexpand f [limit=N]`.
    pub(crate) fn mvexpand(&self, name: &'a str, mut i: &'a str) -> PResult<'a, Mvexpand> {
        let mut limit = None;
        let mut field: Option<FieldName> = None;
        loop {
            let j = ws(i);
            if at_command_end(j) {
                break;
            }
            if let Some((option, v)) = option_start(j) {
                if !option.eq_ignore_ascii_case("limit") {
                    return self.unsupported_option(j, "mvexpand", option);
                }
                self.once(&limit, j, option)?;
                let (rest, n) = self.number_option(v, option)?;
                limit = Some(n);
                i = rest;
                continue;
            }
            if field.is_some() {
                return self.expected(j, "end of command");
            }
            let (rest, f) = self.require_field(j, "a field name")?;
            field = Some(f);
            i = rest;
        }

        let Some(field) = field else {
            return self.expected(i, "a field name");
        };
        let span = self.span(name, i);
        Ok((i, Mvexpand { field, limit, span }))
    }

    /// `bin [span=s] f [AS g]`; options may also follow the field.
    pub(crate) fn bin(&self, name: &'a str, mut i: &'a str, bucket: bool) -> PResult<'a, Bin> {
        let command = if bucket { "bucket" } else { "bin" };
        let mut span_option: Option<Value> = None;
        let mut field: Option<FieldName> = None;
        let mut alias = None;
        loop {
            let j = ws(i);
            if at_command_end(j) {
                break;
            }
            if let Some((option, v)) = option_start(j) {
                if !option.eq_ignore_ascii_case("span") {
                    return self.unsupported_option(j, command, option);
                }
                self.once(&span_option, j, option)?;
                let (rest, v) = self.option_value(v, option)?;
                span_option = Some(v);
                i = rest;
                continue;
            }
            if let (Some(_), None, Some(after)) = (&field, &alias, keyword(j, "as", false)) {
                let (rest, a) = self.require_field(ws(after), "a new field name after `AS`")?;
                alias = Some(a);
                i = rest;
                continue;
            }
            if field.is_some() {
                return self.expected(j, "`AS`, an option or end of command");
            }
            let (rest, f) = self.require_field(j, "a field name")?;
            field = Some(f);
            i = rest;
        }

        let Some(field) = field else {
            return self.expected(i, "a field name");
        };
        if span_option.is_none() {
            return self.unsupported(name, command.len(), &format!("{command} without `span=`"));
        }
        let span = self.span(name, i);
        let bin = Bin {
            written_bucket: bucket,
            span_option,
            field,
            alias,
            span,
        };
        Ok((i, bin))
    }

    /// `makeresults [count=N]`.
    pub(crate) fn makeresults(&self, name: &'a str, mut i: &'a str) -> PResult<'a, Makeresults> {
        let mut count = None;
        loop {
            let j = ws(i);
            if at_command_end(j) {
                break;
            }
            let Some((option, v)) = option_start(j) else {
                return self.expected(j, "`count=` or end of command");
            };
            if !option.eq_ignore_ascii_case("count") {
                return self.unsupported_option(j, "makeresults", option);
            }
            self.once(&count, j, option)?;
            let (rest, n) = self.number_option(v, option)?;
            count = Some(n);
            i = rest;
        }
        let span = self.span(name, i);
        Ok((i, Makeresults { count, span }))
    }
}

/// A run of ASCII digits standing alone as a word, read as a count.
fn leading_number(j: &str) -> Option<(&str, u64)> {
    let len = j.find(|c: char| !c.is_ascii_digit()).unwrap_or(j.len());
    let rest = &j[len..];
    let alone = rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == ',');
    if len == 0 || !alone || rest.starts_with(char::is_whitespace) && ws(rest).starts_with('=') {
        return None;
    }
    let n = j[..len].parse().ok()?;
    Some((rest, n))
}
