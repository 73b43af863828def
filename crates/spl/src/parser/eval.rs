//! Eval expressions and the `eval` and `where` commands.
//!
//! Precedence, loosest first [Splunk Search Manual, "Boolean expressions with logical
//! operators": eval and where evaluate `( )`, then `NOT`, then `AND`, then `OR`, then `XOR`]:
//! `XOR`, `OR`, `AND`, `NOT`/`!`, comparisons (`= == != < <= > >= LIKE IN`), `+ - .`,
//! `* / %`, unary `-`, then terms. Binary operators group to the left. The word operators
//! are upper case only, as in the search language; function names ignore case (`CASE(...)`).
//!
//! Terms: a number, a double-quoted string (only `\\` and `\"` are escapes; any other
//! backslash stays, so regexes reach `match` as written), a single-quoted field name
//! (`\\` and `\'` are escapes), a bare field name (letters, digits and `_`: a `.` or `-`
//! in a bare name reads as an operator, spl-semantics.md §5), `true`/`false`, a call
//! `name(arg, ...)` or `( expr )`.

use super::error::{Failure, PResult, ParseErrorKind};
use super::lex::{at_command_end, keyword, ws, Parser};
use super::search::{MAX_NESTING, MAX_TREE_DEPTH};
use crate::ast::{Assignment, BinaryOp, Eval, EvalExpr, FieldName, Span, UnaryOp, Where};

/// An expression with the depth of its tree.
type Node = (EvalExpr, usize);

/// The level of `NOT` in the precedence ladder (see [`BinaryOp::precedence`]).
const NOT_LEVEL: u8 = 4;
/// The level of unary minus.
const NEG_LEVEL: u8 = 8;

impl<'a> Parser<'a> {
    /// `eval f=expr [, g=expr]...`.
    pub(crate) fn eval(&self, name: &'a str, mut i: &'a str) -> PResult<'a, Eval> {
        let mut assignments = Vec::new();
        loop {
            let j = ws(i);
            let (rest, field) = self.eval_target(j)?;
            let k = ws(rest);
            let Some(eq) = k.strip_prefix('=').filter(|r| !r.starts_with('=')) else {
                return self.expected(k, "`=` after the field name");
            };
            let (rest, expr) = self.eval_expr(eq)?;
            assignments.push(Assignment { field, expr });

            let j = ws(rest);
            i = rest;
            if at_command_end(j) {
                break;
            }
            match j.strip_prefix(',') {
                Some(next) => i = next,
                None => return self.expected(j, "`,`, an operator or end of command"),
            }
        }
        let span = self.span(name, i);
        Ok((i, Eval { assignments, span }))
    }

    /// `where <expr>`.
    pub(crate) fn where_command(&self, name: &'a str, i: &'a str) -> PResult<'a, Where> {
        let (rest, expr) = self.eval_expr(i)?;
        let j = ws(rest);
        if !at_command_end(j) {
            return self.expected(j, "an operator or end of command");
        }
        let span = self.span(name, rest);
        Ok((rest, Where { expr, span }))
    }

    /// The field an eval assignment writes: bare, double- or single-quoted.
    fn eval_target(&self, j: &'a str) -> PResult<'a, FieldName> {
        if j.starts_with('\'') {
            return self.single_quoted(j);
        }
        self.require_field(j, "a field name")
    }

    /// A whole expression, stopping before anything that cannot continue it.
    pub(crate) fn eval_expr(&self, i: &'a str) -> PResult<'a, EvalExpr> {
        let (rest, (expr, _)) = self.level(i, 1, 0)?;
        Ok((rest, expr))
    }

    /// An expression whose operators bind at least as tightly as `level`.
    fn level(&self, i: &'a str, level: u8, depth: usize) -> PResult<'a, Node> {
        match level {
            NOT_LEVEL => self.not_level(i, depth),
            NEG_LEVEL => self.neg_level(i, depth),
            _ => self.binary_level(i, level, depth),
        }
    }

    fn binary_level(&self, i: &'a str, level: u8, depth: usize) -> PResult<'a, Node> {
        let (mut i, (mut acc, mut levels)) = self.level(i, level + 1, depth)?;
        loop {
            let j = ws(i);
            if level == 5 {
                if let Some(open) = keyword(j, "IN", true).map(ws) {
                    if open.starts_with('(') {
                        let (rest, (expr, l)) = self.eval_in_list(acc, levels, open, depth)?;
                        acc = expr;
                        levels = l;
                        i = rest;
                        continue;
                    }
                }
            }
            let Some((after, op)) = binary_op(j).filter(|(_, op)| op.precedence() == level) else {
                break;
            };
            let (rest, (rhs, rhs_levels)) = self.level(after, level + 1, depth)?;
            levels = self.eval_deeper(levels.max(rhs_levels), j)?;
            let span = acc.span().join(rhs.span());
            acc = EvalExpr::Binary {
                op,
                left: Box::new(acc),
                right: Box::new(rhs),
                span,
            };
            i = rest;
        }
        Ok((i, (acc, levels)))
    }

    fn not_level(&self, i: &'a str, depth: usize) -> PResult<'a, Node> {
        let j = ws(i);
        let after =
            keyword(j, "NOT", true).or_else(|| j.strip_prefix('!').filter(|r| !r.starts_with('=')));
        let Some(after) = after else {
            return self.level(j, NOT_LEVEL + 1, depth);
        };
        self.unary(j, after, UnaryOp::Not, NOT_LEVEL, depth)
    }

    fn neg_level(&self, i: &'a str, depth: usize) -> PResult<'a, Node> {
        let j = ws(i);
        match j.strip_prefix('-') {
            Some(after) => self.unary(j, after, UnaryOp::Neg, NEG_LEVEL, depth),
            None => self.term(j, depth),
        }
    }

    fn unary(
        &self,
        at: &'a str,
        after: &'a str,
        op: UnaryOp,
        lvl: u8,
        depth: usize,
    ) -> PResult<'a, Node> {
        self.nest(at, depth)?;
        let (rest, (inner, levels)) = self.level(after, lvl, depth + 1)?;
        let levels = self.eval_deeper(levels, at)?;
        let span = self.span(at, rest);
        let expr = EvalExpr::Unary {
            op,
            expr: Box::new(inner),
            span,
        };
        Ok((rest, (expr, levels)))
    }

    /// `( v, ... )` after `IN`; `open` starts at the `(`.
    fn eval_in_list(
        &self,
        expr: EvalExpr,
        levels: usize,
        open: &'a str,
        depth: usize,
    ) -> PResult<'a, Node> {
        self.nest(open, depth)?;
        let (rest, args) = self.arguments(open, depth)?;
        if args.is_empty() {
            return self.expected(&open[1..], "a value");
        }
        let most = args.iter().map(|(_, l)| *l).max().unwrap_or(0);
        let levels = self.eval_deeper(levels.max(most), open)?;
        let span = Span::new(expr.span().start, self.offset(rest));
        let list = args.into_iter().map(|(e, _)| e).collect();
        let node = EvalExpr::In {
            expr: Box::new(expr),
            list,
            span,
        };
        Ok((rest, (node, levels)))
    }

    /// One term; `i` starts after whitespace.
    fn term(&self, i: &'a str, depth: usize) -> PResult<'a, Node> {
        const WANTED: &str = "an expression";
        if let Some(inner) = i.strip_prefix('(') {
            self.nest(i, depth)?;
            let (rest, (expr, levels)) = self.level(inner, 1, depth + 1)?;
            let close = ws(rest);
            let Some(after) = close.strip_prefix(')') else {
                if at_command_end(close) {
                    let what = "parenthesis: `(` is never closed".to_string();
                    return self.fail(i, 1, ParseErrorKind::Unbalanced { what });
                }
                return self.expected(close, "`)` or an operator");
            };
            let levels = self.eval_deeper(levels, i)?;
            let group = EvalExpr::Group(Box::new(expr), self.span(i, after));
            return Ok((after, (group, levels)));
        }
        if i.starts_with('"') {
            let (rest, text) = self.eval_string(i)?;
            return Ok((rest, (EvalExpr::Str(text, self.span(i, rest)), 1)));
        }
        if i.starts_with('\'') {
            let (rest, field) = self.single_quoted(i)?;
            return Ok((rest, (EvalExpr::Field(field), 1)));
        }
        if let Some(len) = number_len(i) {
            let rest = &i[len..];
            let number = EvalExpr::Number(i[..len].to_string(), self.span(i, rest));
            return Ok((rest, (number, 1)));
        }
        if i.starts_with('[') {
            return self.unsupported(i, 1, "subsearch");
        }

        let Some(len) = identifier_len(i) else {
            return self.expected(i, WANTED);
        };
        let (name, after) = i.split_at(len);
        if is_operator_word(name) {
            return self.expected(i, WANTED);
        }
        let open = ws(after);
        if open.starts_with('(') {
            self.nest(open, depth)?;
            let (rest, args) = self.arguments(open, depth)?;
            let most = args.iter().map(|(_, l)| *l).max().unwrap_or(0);
            let levels = self.eval_deeper(most, i)?;
            let call = EvalExpr::Call {
                name: name.to_string(),
                args: args.into_iter().map(|(e, _)| e).collect(),
                span: self.span(i, rest),
            };
            return Ok((rest, (call, levels)));
        }

        let span = self.span(i, after);
        let expr = match name {
            "true" => EvalExpr::Bool(true, span),
            "false" => EvalExpr::Bool(false, span),
            _ => EvalExpr::Field(FieldName {
                name: name.to_string(),
                span,
            }),
        };
        Ok((after, (expr, 1)))
    }

    /// `( a, b, ... )`, possibly empty; `open` starts at the `(`.
    fn arguments(&self, open: &'a str, depth: usize) -> PResult<'a, Vec<Node>> {
        let mut args = Vec::new();
        let mut k = ws(&open[1..]);
        if let Some(rest) = k.strip_prefix(')') {
            return Ok((rest, args));
        }
        loop {
            let (rest, arg) = self.level(k, 1, depth + 1)?;
            args.push(arg);
            let j = ws(rest);
            if let Some(after) = j.strip_prefix(')') {
                return Ok((after, args));
            }
            if let Some(after) = j.strip_prefix(',') {
                k = ws(after);
                continue;
            }
            if at_command_end(j) {
                let what = "parenthesis: `(` is never closed".to_string();
                return self.fail(open, 1, ParseErrorKind::Unbalanced { what });
            }
            return self.expected(j, "`,`, `)` or an operator");
        }
    }

    /// A double-quoted string with `\\` and `\"` resolved.
    fn eval_string(&self, i: &'a str) -> PResult<'a, String> {
        let (rest, text) = self.delimited(i, '"')?;
        Ok((rest, text))
    }

    /// A single-quoted field name with `\\` and `\'` resolved.
    fn single_quoted(&self, i: &'a str) -> PResult<'a, FieldName> {
        let (rest, name) = self.delimited(i, '\'')?;
        let span = self.span(i, rest);
        Ok((rest, FieldName { name, span }))
    }

    /// Text between two `quote`s, where a backslash escapes only a backslash or the quote.
    fn delimited(&self, i: &'a str, quote: char) -> PResult<'a, String> {
        let body = &i[quote.len_utf8()..];
        let mut text = String::new();
        let mut chars = body.char_indices();
        while let Some((at, c)) = chars.next() {
            if c == quote {
                return Ok((&body[at + 1..], text));
            }
            if c == '\\' {
                if let Some(next) = body[at + 1..]
                    .chars()
                    .next()
                    .filter(|n| *n == '\\' || *n == quote)
                {
                    text.push(next);
                    chars.next();
                    continue;
                }
            }
            text.push(c);
        }
        let what = if quote == '"' {
            "double quote"
        } else {
            "single quote"
        };
        let what = format!("{what}: the string is never closed");
        self.fail(i, 1, ParseErrorKind::Unbalanced { what })
    }

    /// Fails when `depth` already reaches [`MAX_NESTING`].
    fn nest(&self, at: &'a str, depth: usize) -> Result<(), Failure> {
        if depth >= MAX_NESTING {
            let kind = ParseErrorKind::TooDeep { limit: MAX_NESTING };
            return Err(self.error(at, 1, kind));
        }
        Ok(())
    }

    /// One more level above a tree `levels` deep, unless that passes [`MAX_TREE_DEPTH`].
    fn eval_deeper(&self, levels: usize, at: &'a str) -> Result<usize, Failure> {
        if levels >= MAX_TREE_DEPTH {
            let kind = ParseErrorKind::TooComplex {
                limit: MAX_TREE_DEPTH,
            };
            return Err(self.error(ws(at), 1, kind));
        }
        Ok(levels + 1)
    }
}

/// The binary operator at `j`, with the input after it.
fn binary_op(j: &str) -> Option<(&str, BinaryOp)> {
    let symbols = [
        ("==", BinaryOp::Eq),
        ("!=", BinaryOp::Ne),
        ("<=", BinaryOp::Le),
        (">=", BinaryOp::Ge),
        ("=", BinaryOp::Eq),
        ("<", BinaryOp::Lt),
        (">", BinaryOp::Gt),
        ("*", BinaryOp::Mul),
        ("/", BinaryOp::Div),
        ("%", BinaryOp::Mod),
        ("+", BinaryOp::Add),
        ("-", BinaryOp::Sub),
        (".", BinaryOp::Concat),
    ];
    if let Some(found) = symbols
        .into_iter()
        .find_map(|(text, op)| j.strip_prefix(text).map(|rest| (rest, op)))
    {
        return Some(found);
    }
    let words = [
        ("AND", BinaryOp::And),
        ("OR", BinaryOp::Or),
        ("XOR", BinaryOp::Xor),
        ("LIKE", BinaryOp::Like),
    ];
    words
        .into_iter()
        .find_map(|(text, op)| word_operator(j, text).map(|rest| (rest, op)))
}

/// An upper-case operator word followed by something that cannot continue a name.
fn word_operator<'a>(j: &'a str, word: &str) -> Option<&'a str> {
    let rest = j.strip_prefix(word)?;
    let continues = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_');
    (!continues).then_some(rest)
}

/// Words that are operators, never field names, when written bare.
pub(crate) fn is_operator_word(name: &str) -> bool {
    matches!(name, "AND" | "OR" | "XOR" | "NOT" | "LIKE" | "IN")
}

/// The length of a number at `i`: digits, an optional fraction, an optional exponent.
fn number_len(i: &str) -> Option<usize> {
    let bytes = i.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };

    let mut len = digits(0);
    if bytes.get(len) == Some(&b'.') && bytes.get(len + 1).is_some_and(u8::is_ascii_digit) {
        len += 1 + digits(len + 1);
    }
    if len == 0 {
        return None;
    }
    if matches!(bytes.get(len), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(len + 1), Some(b'+' | b'-')));
        let exponent = digits(len + 1 + sign);
        if exponent > 0 {
            len += 1 + sign + exponent;
        }
    }
    let glued = i[len..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_');
    (!glued).then_some(len)
}

/// The length of a bare name at `i`: a letter or `_`, then letters, digits and `_`.
pub(crate) fn identifier_len(i: &str) -> Option<usize> {
    let first = i.chars().next()?;
    if !(first.is_alphabetic() || first == '_') {
        return None;
    }
    Some(
        i.find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(i.len()),
    )
}
