//! Expansion of backtick macro calls.
//!
//! The scan skips double-quoted strings (a backtick inside `"..."` is literal, and `\"` does
//! not end a string). Each call is looked up by name and arity, its `$arg$` placeholders are
//! filled in everywhere (quotes included), and the result is expanded again, with a stack of
//! the macros being expanded to catch cycles. Errors always carry the span of the outermost
//! call in the caller's text.

use super::{macro_key, MacroError, MacroErrorKind, MacroLibrary};
use crate::ast::Span;

/// How deeply macros may nest.
pub const MAX_DEPTH: usize = 50;

/// How many bytes expansion may add to a search (guards against definitions that double at
/// every level).
pub const MAX_EXPANDED_LEN: usize = 1 << 20;

/// The definition ESCU gives to a `<detection>_filter` macro nobody wrote.
const DEFAULT_FILTER: &str = "search *";

/// State shared by the nested expansions of one search.
struct Expansion<'l> {
    library: &'l MacroLibrary,
    /// Stanza names of the macros being expanded, outermost first.
    stack: Vec<String>,
    out: String,
    /// The output length past which expansion stops.
    limit: usize,
}

impl MacroLibrary {
    /// Expands every macro call in `text`, recursively.
    ///
    /// Calls are `` `name` `` or `` `name(a, b)` ``, found outside double-quoted strings.
    /// A call of an undefined zero-argument macro whose name ends in `_filter` expands to
    /// `search *`, as ESCU's content tooling does.
    pub fn expand(&self, text: &str) -> Result<String, MacroError> {
        let mut exp = Expansion {
            library: self,
            stack: Vec::new(),
            out: String::with_capacity(text.len()),
            limit: text.len().saturating_add(MAX_EXPANDED_LEN),
        };
        exp.text(text, None)?;
        Ok(exp.out)
    }
}

impl Expansion<'_> {
    /// Copies `text` to the output, expanding calls. `outer` is the span of the user's call
    /// when `text` is a definition, `None` for the user's own text.
    fn text(&mut self, text: &str, outer: Option<Span>) -> Result<(), MacroError> {
        let bytes = text.as_bytes();
        let mut in_quotes = false;
        let mut copied = 0;
        let mut i = 0;

        while i < bytes.len() {
            match bytes[i] {
                b'\\' if in_quotes || matches!(bytes.get(i + 1), Some(b'\\' | b'"')) => i += 2,
                b'"' => {
                    in_quotes = !in_quotes;
                    i += 1;
                }
                b'`' if !in_quotes => {
                    let Some(len) = text[i + 1..].find('`') else {
                        let span = outer.unwrap_or(Span::new(i, text.len()));
                        return Err(error(MacroErrorKind::Unterminated, span));
                    };
                    let close = i + 1 + len;
                    let span = outer.unwrap_or(Span::new(i, close + 1));

                    self.out.push_str(&text[copied..i]);
                    self.call(&text[i + 1..close], span)?;
                    i = close + 1;
                    copied = i;
                }
                _ => i += 1,
            }
        }

        self.out.push_str(&text[copied.min(text.len())..]);
        if self.out.len() > self.limit {
            let span = outer.unwrap_or(Span::new(0, text.len()));
            return Err(error(
                MacroErrorKind::TooLarge {
                    limit: MAX_EXPANDED_LEN,
                },
                span,
            ));
        }
        Ok(())
    }

    /// Expands one call; `call` is the text between the backticks.
    fn call(&mut self, call: &str, span: Span) -> Result<(), MacroError> {
        let (name, raw_args) = split_call(call).map_err(|reason| {
            let text = call.to_string();
            error(MacroErrorKind::Malformed { text, reason }, span)
        })?;
        let arity = raw_args.len();
        let key = macro_key(name, arity);

        if let Some(pos) = self.stack.iter().position(|k| *k == key) {
            let mut chain = self.stack[pos..].to_vec();
            chain.push(key);
            return Err(error(MacroErrorKind::Cycle { chain }, span));
        }
        if self.stack.len() >= MAX_DEPTH {
            let kind = MacroErrorKind::TooDeep { limit: MAX_DEPTH };
            return Err(error(kind, span));
        }

        let body = match self.library.get(name, arity) {
            Some(m) if m.iseval => {
                return Err(error(MacroErrorKind::EvalMacro { name: key }, span));
            }
            Some(m) => {
                let values = bind_arguments(&m.args, &raw_args);
                substitute(&m.definition, &m.args, &values)
            }
            None if arity == 0 && name.ends_with("_filter") => DEFAULT_FILTER.to_string(),
            None => {
                let available = self.library.arities(name);
                let name = name.to_string();
                let kind = MacroErrorKind::Undefined {
                    name,
                    arity,
                    available,
                };
                return Err(error(kind, span));
            }
        };

        self.stack.push(key);
        self.text(&body, Some(span))?;
        self.stack.pop();
        Ok(())
    }
}

fn error(kind: MacroErrorKind, span: Span) -> MacroError {
    MacroError { kind, span }
}

/// Splits `name(a, b)` into the name and the trimmed raw arguments.
fn split_call(call: &str) -> Result<(&str, Vec<&str>), String> {
    let call = call.trim();
    let (name, rest) = match call.find('(') {
        Some(open) => (call[..open].trim_end(), Some(&call[open + 1..])),
        None => (call, None),
    };

    if name.is_empty() {
        return Err("expected a macro name".to_string());
    }
    if let Some(bad) = name.chars().find(|c| !is_name_char(*c)) {
        return Err(format!("`{bad}` cannot appear in a macro name"));
    }

    let Some(rest) = rest else {
        return Ok((name, Vec::new()));
    };
    let Some(inner) = rest.strip_suffix(')') else {
        return Err("expected `)` after the arguments".to_string());
    };
    if inner.trim().is_empty() {
        return Ok((name, Vec::new()));
    }
    Ok((name, split_arguments(inner)))
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')
}

/// Splits at commas that are outside double quotes and parentheses.
fn split_arguments(inner: &str) -> Vec<&str> {
    let bytes = inner.as_bytes();
    let mut parts = Vec::new();
    let mut in_quotes = false;
    let mut depth = 0usize;
    let mut start = 0;
    let mut i = 0;

    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_quotes => i += 1,
            b'"' => in_quotes = !in_quotes,
            b'(' if !in_quotes => depth += 1,
            b')' if !in_quotes => depth = depth.saturating_sub(1),
            b',' if !in_quotes && depth == 0 => {
                parts.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }

    parts.push(inner[start.min(inner.len())..].trim());
    parts
}

/// Orders the call's arguments as the definition names them. Named arguments
/// (`b=2, a=1`) are used when every argument is `name=value` with a distinct declared name;
/// otherwise arguments are positional.
fn bind_arguments(names: &[String], raw: &[&str]) -> Vec<String> {
    let named: Option<Vec<(usize, &str)>> = raw
        .iter()
        .map(|arg| {
            let (key, value) = split_named(arg)?;
            let index = names.iter().position(|n| n == key)?;
            Some((index, value))
        })
        .collect();

    if let Some(mut named) = named {
        named.sort_by_key(|(index, _)| *index);
        let distinct = named.iter().enumerate().all(|(i, (index, _))| i == *index);
        if distinct && named.len() == names.len() {
            return named.into_iter().map(|(_, v)| unquote(v)).collect();
        }
    }
    raw.iter().map(|arg| unquote(arg)).collect()
}

/// `key = value` with `key` an identifier.
fn split_named(arg: &str) -> Option<(&str, &str)> {
    let eq = arg.find('=')?;
    let key = arg[..eq].trim_end();
    let mut chars = key.chars();
    let first = chars.next()?;
    let ident =
        (first.is_alphabetic() || first == '_') && chars.all(|c| c.is_alphanumeric() || c == '_');
    ident.then(|| (key, arg[eq + 1..].trim()))
}

/// A double-quoted argument is passed without its quotes.
fn unquote(arg: &str) -> String {
    let inner = arg
        .strip_prefix('"')
        .and_then(|a| a.strip_suffix('"'))
        .filter(|_| arg.len() >= 2);
    inner.unwrap_or(arg).to_string()
}

/// Replaces each `$name$` whose name is an argument; other dollar signs stay.
fn substitute(definition: &str, names: &[String], values: &[String]) -> String {
    let mut out = String::with_capacity(definition.len());
    let mut rest = definition;

    while let Some(open) = rest.find('$') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let replaced = after.find('$').and_then(|close| {
            let index = names.iter().position(|n| *n == after[..close])?;
            Some((index, close))
        });
        match replaced {
            Some((index, close)) => {
                out.push_str(values.get(index).map(String::as_str).unwrap_or(""));
                rest = &after[close + 1..];
            }
            None => {
                out.push('$');
                rest = after;
            }
        }
    }

    out.push_str(rest);
    out
}
