//! Tokens shared by every command: whitespace, words, keywords, quoted strings, bare values
//! and field names, plus the helpers that turn a position into a [`ParseError`] span.
//!
//! Every token parser starts exactly at its token (callers skip whitespace first) and stops
//! right after it, so that a command's span ends at its last token.

use nom::bytes::complete::take_while1;

use super::error::{Failure, PError, PResult, ParseErrorKind};
use crate::ast::{FieldName, Span, Value};

/// The characters that end a bare value anywhere.
const BARE_STOP: &[char] = &['(', ')', '|', '"'];

/// The parser over one query text. Positions are recovered from the length of the input
/// left, since every input handed around is a suffix of `src`.
pub(crate) struct Parser<'a> {
    pub(crate) src: &'a str,
    /// How many subsearches enclose the text parsed.
    pub(crate) depth: usize,
}

impl<'a> Parser<'a> {
    /// The byte offset of `rest` in the source.
    pub(crate) fn offset(&self, rest: &str) -> usize {
        self.src.len().saturating_sub(rest.len())
    }

    /// The span from the start of `from` to the start of `to`.
    pub(crate) fn span(&self, from: &str, to: &str) -> Span {
        Span::new(self.offset(from), self.offset(to))
    }

    /// The error `kind` at `at`, spanning `len` bytes.
    pub(crate) fn error(&self, at: &str, len: usize, kind: ParseErrorKind) -> Failure {
        nom::Err::Failure(PError {
            rest_len: at.len(),
            len,
            kind: Some(kind),
        })
    }

    /// The error "expected `what`, found <the next token>".
    pub(crate) fn expected_error(&self, at: &str, what: &str) -> Failure {
        let at = ws(at);
        let (found, len) = describe(at);
        let kind = ParseErrorKind::Expected {
            expected: what.to_string(),
            found,
        };
        self.error(at, len, kind)
    }

    /// The error "`construct` is not supported", spanning `len` bytes at `at`.
    pub(crate) fn unsupported_error(&self, at: &str, len: usize, construct: &str) -> Failure {
        let construct = construct.to_string();
        self.error(at, len, ParseErrorKind::Unsupported { construct })
    }

    /// Fails at `at` with a span of `len` bytes.
    pub(crate) fn fail<T>(&self, at: &str, len: usize, kind: ParseErrorKind) -> PResult<'a, T> {
        Err(self.error(at, len, kind))
    }

    /// Fails with "expected `what`, found <the next token>".
    pub(crate) fn expected<T>(&self, at: &str, what: &str) -> PResult<'a, T> {
        Err(self.expected_error(at, what))
    }

    /// Fails with `construct` unsupported, spanning `len` bytes at `at`.
    pub(crate) fn unsupported<T>(&self, at: &str, len: usize, construct: &str) -> PResult<'a, T> {
        Err(self.unsupported_error(at, len, construct))
    }

    /// A double-quoted string with the three SPL escapes resolved.
    pub(crate) fn quoted(&self, i: &'a str) -> PResult<'a, Value> {
        let Some(body) = i.strip_prefix('"') else {
            return self.expected(i, "`\"`");
        };
        let mut text = String::new();
        let mut chars = body.char_indices();

        while let Some((at, c)) = chars.next() {
            match c {
                '"' => {
                    let rest = &body[at + 1..];
                    let span = self.span(i, rest);
                    let value = Value {
                        text,
                        quoted: true,
                        span,
                    };
                    return Ok((rest, value));
                }
                '\\' => match body[at + 1..].chars().next() {
                    Some(next @ ('\\' | '"' | '|')) => {
                        text.push(next);
                        chars.next();
                    }
                    _ => text.push('\\'),
                },
                _ => text.push(c),
            }
        }

        let what = "double quote: the string is never closed".to_string();
        self.fail(i, 1, ParseErrorKind::Unbalanced { what })
    }

    /// A bare value: characters up to whitespace, `(`, `)`, `|`, `"` or one of `extra_stops`,
    /// with the three escapes resolved. Fails (as a nom error) when empty.
    ///
    /// Parentheses opened inside the value and closed before it ends belong to it
    /// (`*GetCurrent()*`); a `(` left open ends the value where it stands.
    pub(crate) fn bare(&self, i: &'a str, extra_stops: &[char]) -> PResult<'a, Value> {
        let stops =
            |c: char| c.is_whitespace() || BARE_STOP.contains(&c) || extra_stops.contains(&c);
        let mut text = String::new();
        let mut end = i.len();
        let mut depth = 0usize;
        let mut first_open: Option<(usize, usize)> = None;
        let mut chars = i.char_indices();

        while let Some((at, c)) = chars.next() {
            if c == '\\' {
                if let Some(next @ ('\\' | '"' | '|')) = i[at + 1..].chars().next() {
                    text.push(next);
                    chars.next();
                    continue;
                }
            } else if c == '(' && at > 0 {
                if depth == 0 {
                    first_open = Some((at, text.len()));
                }
                depth += 1;
            } else if c == ')' && depth > 0 {
                depth -= 1;
            } else if stops(c) {
                end = at;
                break;
            }
            text.push(c);
        }

        if let Some((at, text_len)) = first_open.filter(|_| depth > 0) {
            end = at;
            text.truncate(text_len);
        }
        if end == 0 {
            return Err(nom::Err::Error(PError {
                rest_len: i.len(),
                len: 0,
                kind: None,
            }));
        }
        let rest = &i[end..];
        let span = self.span(i, rest);
        let value = Value {
            text,
            quoted: false,
            span,
        };
        Ok((rest, value))
    }

    /// A quoted or bare value.
    pub(crate) fn value(&self, i: &'a str, extra_stops: &[char]) -> PResult<'a, Value> {
        if i.starts_with('"') {
            self.quoted(i)
        } else {
            self.bare(i, extra_stops)
        }
    }

    /// A field name: a run of field characters, or a double-quoted name. Fails (as a nom
    /// error) when neither is there.
    pub(crate) fn field(&self, i: &'a str) -> PResult<'a, FieldName> {
        if i.starts_with('"') {
            let (rest, value) = self.quoted(i)?;
            let field = FieldName {
                name: value.text,
                span: value.span,
            };
            return Ok((rest, field));
        }

        let (rest, name) = take_while1(is_field_char)(i)?;
        let field = FieldName {
            name: name.to_string(),
            span: self.span(i, rest),
        };
        Ok((rest, field))
    }

    /// A field name, or the error "expected `what`".
    pub(crate) fn require_field(&self, i: &'a str, what: &str) -> PResult<'a, FieldName> {
        match self.field(i) {
            Err(nom::Err::Error(_)) => self.expected(i, what),
            other => other,
        }
    }

    /// Skips whitespace, then fails with "expected `what`" unless `c` comes next.
    pub(crate) fn expect_char(&self, i: &'a str, c: char, what: &str) -> PResult<'a, ()> {
        let i = ws(i);
        match i.strip_prefix(c) {
            Some(rest) => Ok((rest, ())),
            None => self.expected(i, what),
        }
    }
}

/// Skips whitespace, newlines and Unicode spaces included.
pub(crate) fn ws(i: &str) -> &str {
    i.trim_start()
}

/// Characters allowed in a bare field name.
pub(crate) fn is_field_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | ':' | '-' | '{' | '}' | '@' | '*')
}

/// A run of ASCII letters, digits and `_` (command, function and option names).
pub(crate) fn word(i: &str) -> Option<(&str, &str)> {
    let len = i
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(i.len());
    (len > 0).then(|| (&i[len..], &i[..len]))
}

/// When `i` starts with the keyword `kw` (ASCII case ignored unless `exact`) followed by a
/// character that cannot continue a word, the input after it.
pub(crate) fn keyword<'a>(i: &'a str, kw: &str, exact: bool) -> Option<&'a str> {
    let head = i.get(..kw.len())?;
    let same = if exact {
        head == kw
    } else {
        head.eq_ignore_ascii_case(kw)
    };
    let rest = &i[kw.len()..];
    let boundary = !matches!(rest.chars().next(), Some(c) if is_field_char(c));
    (same && boundary).then_some(rest)
}

/// Whether `i` is at the end of a command: the end of the text or a `|`.
pub(crate) fn at_command_end(i: &str) -> bool {
    i.is_empty() || i.starts_with('|')
}

/// Describes the token at `i` for an error message, with its length in bytes.
pub(crate) fn describe(i: &str) -> (String, usize) {
    const MAX_CHARS: usize = 30;
    let Some(first) = i.chars().next() else {
        return ("end of query".to_string(), 0);
    };
    if matches!(first, '(' | ')' | '|' | ',' | '=' | '[' | ']' | '"' | '`') {
        return (format!("`{first}`"), 1);
    }

    let len = i
        .find(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '|' | ',' | '"'))
        .unwrap_or(i.len());
    let token = &i[..len];
    match token.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => (format!("`{}…`", &token[..cut]), len),
        None => (format!("`{token}`"), len),
    }
}
