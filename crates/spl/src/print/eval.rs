//! Canonical printing of eval expressions and of `eval`, `where`, `stats`, `eventstats`.
//!
//! Canonical form: binary operators with one space each side (`=` for `==`, `NOT` for `!`),
//! strings in double quotes with `\\` and `\"` escaped, field names bare when they are plain
//! names and single-quoted otherwise. Parentheses the user wrote are kept; for trees built
//! by hand the printer adds those precedence needs.

use std::fmt::{self, Display, Formatter, Write};

use super::write_quoted;
use crate::ast::{Eval, EvalExpr, FieldName, Stats, StatsAggregate, StatsArg, UnaryOp, Where};
use crate::parser::{identifier_len, is_operator_word};

/// Binding strength of a node (see [`crate::ast::BinaryOp::precedence`]); terms bind tightest.
fn precedence(expr: &EvalExpr) -> u8 {
    match expr {
        EvalExpr::Binary { op, .. } => op.precedence(),
        EvalExpr::In { .. } => 5,
        EvalExpr::Unary {
            op: UnaryOp::Not, ..
        } => 4,
        EvalExpr::Unary {
            op: UnaryOp::Neg, ..
        } => 8,
        _ => 9,
    }
}

/// Writes `expr`, in parentheses when it binds more loosely than `min`.
fn write_at(f: &mut Formatter<'_>, expr: &EvalExpr, min: u8) -> fmt::Result {
    if precedence(expr) < min {
        write!(f, "({expr})")
    } else {
        expr.fmt(f)
    }
}

/// A field name as an eval expression writes it.
struct EvalField<'f>(&'f FieldName);

impl Display for EvalField<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let name = &self.0.name;
        let plain = identifier_len(name) == Some(name.len())
            && !is_operator_word(name)
            && name != "true"
            && name != "false";
        if plain {
            return f.write_str(name);
        }
        f.write_char('\'')?;
        for c in name.chars() {
            if matches!(c, '\\' | '\'') {
                f.write_char('\\')?;
            }
            f.write_char(c)?;
        }
        f.write_char('\'')
    }
}

impl Display for EvalExpr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            EvalExpr::Field(field) => EvalField(field).fmt(f),
            EvalExpr::Str(text, _) => write_quoted(f, text),
            EvalExpr::Number(text, _) => f.write_str(text),
            EvalExpr::Bool(b, _) => f.write_str(if *b { "true" } else { "false" }),
            EvalExpr::Call { name, args, .. } => {
                write!(f, "{name}(")?;
                write_list(f, args)?;
                f.write_char(')')
            }
            EvalExpr::Unary { op, expr, .. } => match op {
                UnaryOp::Neg => {
                    f.write_char('-')?;
                    write_at(f, expr, 8)
                }
                UnaryOp::Not => {
                    f.write_str("NOT ")?;
                    write_at(f, expr, 4)
                }
            },
            EvalExpr::Binary {
                op, left, right, ..
            } => {
                let level = op.precedence();
                write_at(f, left, level)?;
                write!(f, " {} ", op.symbol())?;
                write_at(f, right, level + 1)
            }
            EvalExpr::In { expr, list, .. } => {
                write_at(f, expr, 6)?;
                f.write_str(" IN (")?;
                write_list(f, list)?;
                f.write_char(')')
            }
            EvalExpr::Group(inner, _) => write!(f, "({inner})"),
        }
    }
}

fn write_list(f: &mut Formatter<'_>, items: &[EvalExpr]) -> fmt::Result {
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        item.fmt(f)?;
    }
    Ok(())
}

impl Display for Eval {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("eval")?;
        for (index, assignment) in self.assignments.iter().enumerate() {
            let sep = if index == 0 { " " } else { ", " };
            write!(f, "{sep}{}={}", assignment.field, assignment.expr)?;
        }
        Ok(())
    }
}

impl Display for Where {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "where {}", self.expr)
    }
}

impl Display for Stats {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(if self.event { "eventstats" } else { "stats" })?;
        for aggregate in &self.aggregates {
            write!(f, " {aggregate}")?;
        }
        if !self.by.is_empty() {
            f.write_str(" by")?;
            for field in &self.by {
                write!(f, " {field}")?;
            }
        }
        if let Some(span) = &self.time_span {
            write!(f, " span={span}")?;
        }
        Ok(())
    }
}

impl StatsAggregate {
    /// The aggregate without its alias, as canonical SPL: `count`, `dc(user)`,
    /// `count(eval(x > 1))`. Splunk names an output column this way when there is no `AS`.
    pub fn written_name(&self) -> String {
        let name = self.function.name();
        match &self.arg {
            None => name.to_string(),
            Some(StatsArg::Field(field)) => format!("{name}({field})"),
            Some(StatsArg::Eval(expr)) => format!("{name}(eval({expr}))"),
        }
    }

    /// The output column: the alias, or [`StatsAggregate::written_name`].
    pub fn output_name(&self) -> String {
        match &self.alias {
            Some(alias) => alias.name.clone(),
            None => self.written_name(),
        }
    }
}

impl Display for StatsAggregate {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written_name())?;
        if let Some(alias) = &self.alias {
            write!(f, " as {alias}")?;
        }
        Ok(())
    }
}
