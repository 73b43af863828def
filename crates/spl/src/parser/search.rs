//! Search-language expressions, as used by the `search` command and the tstats `WHERE`.
//!
//! Precedence, loosest first: `AND` (written or implied by adjacency), then `OR`, then
//! `NOT`, then terms and `( )`. So `a b OR c` is `a AND (b OR c)`. `AND`, `OR`, `NOT` and `IN`
//! are operators only in upper case; `and`, `or`, `not` and `in` are plain terms, as in
//! Splunk. `NOT` applies to the next term only.
//!
//! A term is `field <op> value` (spaces allowed around the operator), `field IN (v, ...)`,
//! `( expr )`, or a bare or quoted word matched against the raw event.

use nom::bytes::complete::take_while1;

use super::error::{PResult, ParseErrorKind};
use super::lex::{at_command_end, is_field_char, keyword, ws, Parser};
use crate::ast::{CompareOp, FieldName, SearchExpr, Span};

/// How deeply parentheses and `NOT`s may nest.
pub const MAX_NESTING: usize = 64;

/// How deep the tree of one expression may grow. A chain of `n` terms joined by `AND` or
/// `OR` is `n` levels deep, and everything downstream walks the tree recursively, so the
/// parser refuses trees that would strain the stack rather than let a later stage crash.
pub const MAX_TREE_DEPTH: usize = 1000;

/// Where an expression appears, which decides the words that end it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// The `search` command: only `|` and the end of the text end it.
    Search,
    /// The tstats `WHERE`: also ends at the `BY`, `GROUPBY`, `WHERE` and `FROM datamodel`
    /// clauses.
    Tstats,
}

/// An expression with the depth of its tree, or `None` where no term starts.
type Node = Option<(SearchExpr, usize)>;

impl<'a> Parser<'a> {
    /// An expression, or `None` when the command has no term at all. A `)` left over at
    /// the end is reported as unbalanced.
    pub(crate) fn search_expr(&self, i: &'a str, ctx: Context) -> PResult<'a, Option<SearchExpr>> {
        let (rest, node) = self.and_expr(i, 0, ctx)?;
        let after = ws(rest);
        if after.starts_with(')') {
            let what = "parenthesis: `)` has no matching `(`".to_string();
            return self.fail(after, 1, ParseErrorKind::Unbalanced { what });
        }
        Ok((rest, node.map(|(expr, _)| expr)))
    }

    fn and_expr(&self, i: &'a str, depth: usize, ctx: Context) -> PResult<'a, Node> {
        let (mut i, first) = self.or_expr(i, depth, ctx)?;
        let Some((mut acc, mut levels)) = first else {
            return Ok((i, None));
        };

        loop {
            let j = ws(i);
            let (k, written) = match operator(j, "AND") {
                Some(k) => (k, true),
                None => (j, false),
            };
            let (rest, rhs) = self.or_expr(k, depth, ctx)?;
            let Some((rhs, rhs_levels)) = rhs else {
                if written {
                    return self.expected(k, "a search term after `AND`");
                }
                break;
            };

            levels = self.deeper(levels.max(rhs_levels), k)?;
            let span = acc.span().join(rhs.span());
            acc = SearchExpr::And(Box::new(acc), Box::new(rhs), span);
            i = rest;
        }
        Ok((i, Some((acc, levels))))
    }

    fn or_expr(&self, i: &'a str, depth: usize, ctx: Context) -> PResult<'a, Node> {
        let (mut i, first) = self.not_expr(i, depth, ctx)?;
        let Some((mut acc, mut levels)) = first else {
            return Ok((i, None));
        };

        while let Some(k) = operator(ws(i), "OR") {
            let (rest, rhs) = self.not_expr(k, depth, ctx)?;
            let Some((rhs, rhs_levels)) = rhs else {
                return self.expected(k, "a search term after `OR`");
            };

            levels = self.deeper(levels.max(rhs_levels), k)?;
            let span = acc.span().join(rhs.span());
            acc = SearchExpr::Or(Box::new(acc), Box::new(rhs), span);
            i = rest;
        }
        Ok((i, Some((acc, levels))))
    }

    fn not_expr(&self, i: &'a str, depth: usize, ctx: Context) -> PResult<'a, Node> {
        let j = ws(i);
        let Some(k) = operator(j, "NOT") else {
            return self.primary(j, depth, ctx);
        };
        if depth >= MAX_NESTING {
            let kind = ParseErrorKind::TooDeep { limit: MAX_NESTING };
            return self.fail(j, 3, kind);
        }

        let (rest, inner) = self.not_expr(k, depth + 1, ctx)?;
        let Some((inner, levels)) = inner else {
            return self.expected(k, "a search term after `NOT`");
        };
        let levels = self.deeper(levels, j)?;
        let span = self.span(j, rest);
        Ok((rest, Some((SearchExpr::Not(Box::new(inner), span), levels))))
    }

    /// One more level above a tree `levels` deep, unless that passes [`MAX_TREE_DEPTH`].
    fn deeper(&self, levels: usize, at: &'a str) -> Result<usize, super::error::Failure> {
        if levels >= MAX_TREE_DEPTH {
            let kind = ParseErrorKind::TooComplex {
                limit: MAX_TREE_DEPTH,
            };
            let len = super::lex::describe(ws(at)).1;
            return Err(self.error(ws(at), len, kind));
        }
        Ok(levels + 1)
    }

    /// One term; `i` starts after whitespace.
    fn primary(&self, i: &'a str, depth: usize, ctx: Context) -> PResult<'a, Node> {
        if at_command_end(i) || i.starts_with(')') {
            return Ok((i, None));
        }
        if ctx == Context::Tstats && at_tstats_clause(i) {
            return Ok((i, None));
        }
        if i.starts_with('(') {
            return self.group(i, depth, ctx);
        }
        if i.starts_with('[') {
            if ctx == Context::Tstats {
                return self.unsupported(i, 1, "a subsearch in the tstats WHERE clause");
            }
            let (rest, sub) = self.subsearch(i)?;
            return Ok((rest, Some((SearchExpr::Subsearch(sub), 1))));
        }
        if i.starts_with('"') {
            let (rest, value) = self.quoted(i)?;
            return Ok((rest, Some((SearchExpr::Term(value), 1))));
        }

        let field: PResult<'a, &'a str> = take_while1(is_field_char)(i);
        if let Ok((after, name)) = field {
            let field = FieldName {
                name: name.to_string(),
                span: self.span(i, after),
            };
            let (rest, found) = self.comparison(field, after)?;
            if let Some(expr) = found {
                return Ok((rest, Some((expr, 1))));
            }
        }

        let (rest, value) = match self.bare(i, &[]) {
            Err(nom::Err::Error(_)) => return self.expected(i, "a search term"),
            other => other?,
        };
        if value.text == "AND" || value.text == "OR" {
            return self.expected(i, "a search term");
        }
        Ok((rest, Some((SearchExpr::Term(value), 1))))
    }

    /// `( expr )`; `i` starts at the `(`.
    fn group(&self, i: &'a str, depth: usize, ctx: Context) -> PResult<'a, Node> {
        if depth >= MAX_NESTING {
            let kind = ParseErrorKind::TooDeep { limit: MAX_NESTING };
            return self.fail(i, 1, kind);
        }

        let (rest, inner) = self.and_expr(&i[1..], depth + 1, ctx)?;
        let close = ws(rest);
        if at_command_end(close) {
            let what = "parenthesis: `(` is never closed".to_string();
            return self.fail(i, 1, ParseErrorKind::Unbalanced { what });
        }
        let Some((inner, levels)) = inner else {
            return self.expected(close, "a search term");
        };
        let Some(after) = close.strip_prefix(')') else {
            return self.expected(close, "`)`");
        };

        let levels = self.deeper(levels, i)?;
        let span = self.span(i, after);
        Ok((
            after,
            Some((SearchExpr::Group(Box::new(inner), span), levels)),
        ))
    }

    /// `field <op> value` or `field IN (...)` after a field name, or `None` (with the input
    /// untouched) when neither follows: the word is then a plain term.
    fn comparison(&self, field: FieldName, after: &'a str) -> PResult<'a, Option<SearchExpr>> {
        let k = ws(after);
        if let Some((after_op, op)) = compare_op(k) {
            let v = ws(after_op);
            let (rest, value) = match self.value(v, &[]) {
                Err(nom::Err::Error(_)) => {
                    return self.expected(v, &format!("a value after `{}`", op.symbol()));
                }
                other => other?,
            };
            let span = field.span.join(value.span);
            let expr = SearchExpr::Compare {
                field,
                op,
                value,
                span,
            };
            return Ok((rest, Some(expr)));
        }

        match keyword(k, "IN", true).map(ws) {
            Some(open) if open.starts_with('(') => {
                let (rest, expr) = self.in_list(field, open)?;
                Ok((rest, Some(expr)))
            }
            _ => Ok((after, None)),
        }
    }

    /// The list of `field IN (v1, v2 ...)`; `open` starts at the `(`.
    fn in_list(&self, field: FieldName, open: &'a str) -> PResult<'a, SearchExpr> {
        let mut values = Vec::new();
        let mut k = &open[1..];

        loop {
            k = ws(k);
            if let Some(rest) = k.strip_prefix(')') {
                if values.is_empty() {
                    return self.expected(k, "a value");
                }
                let span = Span::new(field.span.start, self.offset(rest));
                return Ok((
                    rest,
                    SearchExpr::In {
                        field,
                        values,
                        span,
                    },
                ));
            }
            if let Some(rest) = k.strip_prefix(',') {
                k = rest;
                continue;
            }
            if at_command_end(k) {
                let what = "parenthesis: `(` is never closed".to_string();
                return self.fail(open, 1, ParseErrorKind::Unbalanced { what });
            }
            if k.starts_with('[') {
                return self.unsupported(k, 1, "subsearch");
            }

            let (rest, value) = match self.value(k, &[',']) {
                Err(nom::Err::Error(_)) => return self.expected(k, "a value or `)`"),
                other => other?,
            };
            values.push(value);
            k = rest;
        }
    }
}

/// An upper-case operator word not used as a field name (`OR=x` compares a field `OR`).
fn operator<'a>(i: &'a str, word: &str) -> Option<&'a str> {
    let rest = keyword(i, word, true)?;
    (!rest.starts_with(['=', '!', '<', '>'])).then_some(rest)
}

/// A comparison operator at `i`.
fn compare_op(i: &str) -> Option<(&str, CompareOp)> {
    let ops = [
        ("!=", CompareOp::Ne),
        ("<=", CompareOp::Le),
        (">=", CompareOp::Ge),
        ("=", CompareOp::Eq),
        ("<", CompareOp::Lt),
        (">", CompareOp::Gt),
    ];
    ops.into_iter()
        .find_map(|(text, op)| i.strip_prefix(text).map(|rest| (rest, op)))
}

/// Whether a tstats clause keyword starts at `i`: `BY`, `GROUPBY` or `WHERE` (unless used
/// as a field in a comparison), or `FROM datamodel`.
pub(crate) fn at_tstats_clause(i: &str) -> bool {
    let clause =
        |kw: &str| keyword(i, kw, false).is_some_and(|rest| compare_op(ws(rest)).is_none());
    if clause("by") || clause("groupby") || clause("where") {
        return true;
    }
    keyword(i, "from", false).is_some_and(|rest| keyword(ws(rest), "datamodel", false).is_some())
}
