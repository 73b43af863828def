//! The eval expression evaluator: one [`EvalExpr`] against one row, with Splunk's rules.
//!
//! Rules [spl-semantics.md §5; Splunk "eval" and "where" pages]:
//! - a field absent from the row is null; arithmetic and `.` with a null give null, and so
//!   do functions unless they exist to test for null (`isnull`, `coalesce`, `if`…);
//! - a comparison with a null is false (so `where` drops the row) — (inferred);
//! - a value that reads as a number ([`values::parse_number`]) compares numerically with
//!   another number, otherwise both compare as text, case-sensitively (`"A" != "a"`);
//! - a comparison, `LIKE`, `IN` or `match` on a multivalue field is true when any value
//!   satisfies it [infer, §5 "multivalue in filters"];
//! - `+` adds numbers and joins two strings; `/` or `%` by zero gives null;
//! - `AND`, `OR`, `XOR`, `NOT` and `if`/`case` conditions need booleans: a null counts as
//!   false, any other value is an error, as Splunk's type check refuses it.
//!
//! Not done: Splunk rounds arithmetic results to the significant figures of the inputs
//! (`3*0.5` gives `2` there) — TODO: we print the exact double (`1.5`).

mod functions;
mod multivalue;
mod pattern;
mod text;
mod time;

use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::HashMap;

use regex::Regex;
use spelunk_spl::{BinaryOp, EvalExpr, Span, UnaryOp};

use crate::commands::Context;
use crate::values::{self, Cell};

pub use functions::check;

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value.
    Null,
    /// The result of a comparison or a boolean function; cannot be stored in a field.
    Bool(bool),
    /// A number computed by eval (or a numeric literal).
    Num(f64),
    /// Text, which may read as a number.
    Str(String),
    /// Several values, in order (never fewer than two once built by [`Value::multi`]).
    Multi(Vec<String>),
}

impl Value {
    /// A value from a result cell.
    pub fn from_cell(cell: &Cell) -> Value {
        match cell {
            Cell::Null => Value::Null,
            Cell::Single(s) => Value::Str(s.clone()),
            Cell::Multi(vs) => Value::Multi(vs.clone()),
        }
    }

    /// A list of values as Splunk keeps them: none is null, one is a single value.
    pub fn multi(mut values: Vec<String>) -> Value {
        match values.len() {
            0 => Value::Null,
            1 => Value::Str(values.remove(0)),
            _ => Value::Multi(values),
        }
    }

    /// The cell that stores this value, or `None` for a boolean.
    pub fn to_cell(&self) -> Option<Cell> {
        Some(match self {
            Value::Null => Cell::Null,
            Value::Bool(_) => return None,
            Value::Num(n) => Cell::Single(values::format_number(*n)),
            Value::Str(s) => Cell::Single(s.clone()),
            Value::Multi(vs) => match vs.len() {
                0 => Cell::Null,
                1 => Cell::Single(vs[0].clone()),
                _ => Cell::Multi(vs.clone()),
            },
        })
    }

    /// The number this single value reads as.
    pub fn number(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Str(s) => values::parse_number(s),
            _ => None,
        }
    }

    /// The text of a single value; numbers print as Splunk prints them.
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Num(n) => Some(values::format_number(*n)),
            Value::Str(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// Every value as text: none for null, one for a single value.
    pub fn texts(&self) -> Vec<String> {
        match self {
            Value::Multi(vs) => vs.clone(),
            Value::Bool(b) => vec![b.to_string()],
            other => other.text().into_iter().collect(),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Num(_) => "a number",
            Value::Str(_) => "a string",
            Value::Multi(_) => "a multivalue",
        }
    }
}

/// An expression that cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EvalError {
    /// What went wrong.
    pub message: String,
    /// The part of the expression at fault.
    pub span: Span,
    /// Whether this is valid SPL that spelunk does not support yet.
    pub unsupported: bool,
}

impl EvalError {
    /// An error at `span`.
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        EvalError {
            message: message.into(),
            span,
            unsupported: false,
        }
    }

    /// "`construct` is not supported" at `span`.
    pub fn unsupported(construct: impl Into<String>, span: Span) -> Self {
        EvalError {
            message: format!("{} is not supported", construct.into()),
            span,
            unsupported: true,
        }
    }
}

/// The fields of one row, as the evaluator reads them.
pub trait Fields {
    /// The value of `name`, null when absent.
    fn get(&self, name: &str) -> Value;
}

/// A row of a result table.
pub struct TableRow<'r> {
    /// Column name to index.
    pub index: &'r HashMap<String, usize>,
    /// The row's cells.
    pub cells: &'r [Cell],
}

impl Fields for TableRow<'_> {
    fn get(&self, name: &str) -> Value {
        self.index
            .get(name)
            .and_then(|&at| self.cells.get(at))
            .map_or(Value::Null, Value::from_cell)
    }
}

/// Another row's fields with one field bound to a value (`mvfilter` binds each value).
struct Bound<'b> {
    inner: &'b dyn Fields,
    name: &'b str,
    value: Value,
}

impl Fields for Bound<'_> {
    fn get(&self, name: &str) -> Value {
        if name == self.name {
            self.value.clone()
        } else {
            self.inner.get(name)
        }
    }
}

/// Evaluates expressions for one command, keeping compiled regexes between rows.
pub struct Evaluator<'c> {
    ctx: &'c Context<'c>,
    regexes: RefCell<HashMap<String, Result<Regex, String>>>,
}

impl<'c> Evaluator<'c> {
    /// An evaluator for a search running in `ctx`.
    pub fn new(ctx: &'c Context<'c>) -> Self {
        Evaluator {
            ctx,
            regexes: RefCell::new(HashMap::new()),
        }
    }

    /// The value of `expr` on `row`.
    pub fn eval(&self, expr: &EvalExpr, row: &dyn Fields) -> Result<Value, EvalError> {
        Ok(match expr {
            EvalExpr::Field(f) => row.get(&f.name),
            EvalExpr::Str(s, _) => Value::Str(s.clone()),
            EvalExpr::Number(n, span) => match n.parse::<f64>() {
                Ok(n) => Value::Num(n),
                Err(_) => return Err(EvalError::new(format!("bad number `{n}`"), *span)),
            },
            EvalExpr::Bool(b, _) => Value::Bool(*b),
            EvalExpr::Group(inner, _) => self.eval(inner, row)?,
            EvalExpr::Call { name, args, span } => self.call(name, args, *span, row)?,
            EvalExpr::Unary { op, expr, span } => {
                let value = self.eval(expr, row)?;
                match op {
                    UnaryOp::Neg => value.number().map_or(Value::Null, |n| Value::Num(-n)),
                    UnaryOp::Not => Value::Bool(!self.truth(&value, *span)?),
                }
            }
            EvalExpr::Binary {
                op,
                left,
                right,
                span,
            } => self.binary(*op, left, right, *span, row)?,
            EvalExpr::In { expr, list, .. } => {
                let value = self.eval(expr, row)?;
                let mut candidates = Vec::with_capacity(list.len());
                for item in list {
                    candidates.push(self.eval(item, row)?);
                }
                Value::Bool(is_in(&value, &candidates))
            }
        })
    }

    /// Whether `expr` holds on `row`: true only for a true boolean.
    pub fn holds(&self, expr: &EvalExpr, row: &dyn Fields) -> Result<bool, EvalError> {
        let value = self.eval(expr, row)?;
        self.truth(&value, expr.span())
    }

    /// A condition's truth: null is false, a non-boolean is an error.
    fn truth(&self, value: &Value, span: Span) -> Result<bool, EvalError> {
        match value {
            Value::Bool(b) => Ok(*b),
            Value::Null => Ok(false),
            other => Err(EvalError::new(
                format!(
                    "expected a boolean condition, found {}; compare it, e.g. `x=\"true\"`",
                    other.kind()
                ),
                span,
            )),
        }
    }

    fn binary(
        &self,
        op: BinaryOp,
        left: &EvalExpr,
        right: &EvalExpr,
        span: Span,
        row: &dyn Fields,
    ) -> Result<Value, EvalError> {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let l = self.holds(left, row)?;
                if (op == BinaryOp::And && !l) || (op == BinaryOp::Or && l) {
                    return Ok(Value::Bool(l));
                }
                return Ok(Value::Bool(self.holds(right, row)?));
            }
            BinaryOp::Xor => {
                let l = self.holds(left, row)?;
                return Ok(Value::Bool(l != self.holds(right, row)?));
            }
            _ => {}
        }

        let l = self.eval(left, row)?;
        let r = self.eval(right, row)?;
        Ok(match op {
            BinaryOp::Eq => Value::Bool(compare_any(&l, &r, |o| o == Ordering::Equal)),
            BinaryOp::Ne => Value::Bool(compare_any(&l, &r, |o| o != Ordering::Equal)),
            BinaryOp::Lt => Value::Bool(compare_any(&l, &r, |o| o == Ordering::Less)),
            BinaryOp::Le => Value::Bool(compare_any(&l, &r, |o| o != Ordering::Greater)),
            BinaryOp::Gt => Value::Bool(compare_any(&l, &r, |o| o == Ordering::Greater)),
            BinaryOp::Ge => Value::Bool(compare_any(&l, &r, |o| o != Ordering::Less)),
            BinaryOp::Like => {
                let Some(pattern) = r.text() else {
                    return Ok(Value::Bool(false));
                };
                let regex = self.regex(&pattern::like_to_regex(&pattern), span)?;
                Value::Bool(l.texts().iter().any(|v| regex.is_match(v)))
            }
            BinaryOp::Concat => match (l.text(), r.text()) {
                (Some(a), Some(b)) => Value::Str(a + &b),
                _ => Value::Null,
            },
            BinaryOp::Add => match (l.number(), r.number()) {
                (Some(a), Some(b)) => Value::Num(a + b),
                _ => match (&l, &r) {
                    (Value::Str(a), Value::Str(b)) => Value::Str(format!("{a}{b}")),
                    _ => Value::Null,
                },
            },
            _ => arithmetic(op, l.number(), r.number()),
        })
    }

    /// The compiled regex for a Splunk (PCRE) pattern, cached.
    pub(crate) fn regex(&self, pattern: &str, span: Span) -> Result<Regex, EvalError> {
        let mut cache = self.regexes.borrow_mut();
        let compiled = cache
            .entry(pattern.to_string())
            .or_insert_with(|| pattern::compile(pattern));
        compiled.clone().map_err(|message| EvalError {
            unsupported: message.contains("not supported"),
            message,
            span,
        })
    }

    /// The search's context.
    pub(crate) fn context(&self) -> &Context<'c> {
        self.ctx
    }

    /// Evaluates `expr` once per value of `field`, with the field bound to that value.
    pub(crate) fn eval_bound(
        &self,
        expr: &EvalExpr,
        row: &dyn Fields,
        field: &str,
        value: Value,
    ) -> Result<bool, EvalError> {
        let bound = Bound {
            inner: row,
            name: field,
            value,
        };
        self.holds(expr, &bound)
    }
}

fn arithmetic(op: BinaryOp, a: Option<f64>, b: Option<f64>) -> Value {
    let (Some(a), Some(b)) = (a, b) else {
        return Value::Null;
    };
    let n = match op {
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div if b == 0.0 => return Value::Null,
        BinaryOp::Div => a / b,
        BinaryOp::Mod if b == 0.0 => return Value::Null,
        BinaryOp::Mod => a % b,
        _ => return Value::Null,
    };
    Value::Num(n)
}

/// Whether some value of `l` and some value of `r` compare so that `wanted` holds.
fn compare_any(l: &Value, r: &Value, wanted: impl Fn(Ordering) -> bool) -> bool {
    if let (Value::Bool(a), Value::Bool(b)) = (l, r) {
        return wanted(a.cmp(b));
    }
    let (ls, rs) = (scalars(l), scalars(r));
    ls.iter().any(|a| {
        rs.iter()
            .any(|b| compare_scalars(a, b).is_some_and(&wanted))
    })
}

/// The single values of `v` for comparison; booleans and nulls have none.
fn scalars(v: &Value) -> Vec<Value> {
    match v {
        Value::Multi(vs) => vs.iter().cloned().map(Value::Str).collect(),
        Value::Num(_) | Value::Str(_) => vec![v.clone()],
        Value::Null | Value::Bool(_) => Vec::new(),
    }
}

/// Numbers numerically, anything else as text by bytes (case-sensitive).
pub(crate) fn compare_scalars(a: &Value, b: &Value) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.number(), b.number()) {
        return x.partial_cmp(&y);
    }
    Some(a.text()?.cmp(&b.text()?))
}

/// Whether some value of `value` equals one of `candidates` (`IN` and `in()`; no wildcards).
fn is_in(value: &Value, candidates: &[Value]) -> bool {
    candidates
        .iter()
        .any(|c| compare_any(value, c, |o| o == Ordering::Equal))
}

#[cfg(test)]
mod tests;
