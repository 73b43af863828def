//! The eval function table: names, arities, and the conditional, comparison, conversion and
//! math functions. Text, multivalue and time functions live in their own modules.
//!
//! Function names ignore case (`CASE(...)` is `case(...)`), as ESCU's searches rely on.
//! Descriptions follow spl-semantics.md §5 and Splunk's "Comparison and Conditional",
//! "Conversion" and "Mathematical" function pages.

use spelunk_spl::{EvalExpr, Span};

use super::{compare_scalars, is_in, multivalue, text, time, EvalError, Evaluator, Fields, Value};

/// Every supported function with its least and greatest number of arguments
/// (`usize::MAX`: any number).
const FUNCTIONS: &[(&str, usize, usize)] = &[
    ("abs", 1, 1),
    ("case", 2, usize::MAX),
    ("ceil", 1, 1),
    ("ceiling", 1, 1),
    ("cidrmatch", 2, 2),
    ("coalesce", 1, usize::MAX),
    ("exact", 1, 1),
    ("exp", 1, 1),
    ("false", 0, 0),
    ("floor", 1, 1),
    ("if", 3, 3),
    ("in", 2, usize::MAX),
    ("isint", 1, 1),
    ("isnotnull", 1, 1),
    ("isnull", 1, 1),
    ("isnum", 1, 1),
    ("isstr", 1, 1),
    ("len", 1, 1),
    ("like", 2, 2),
    ("ln", 1, 1),
    ("log", 1, 2),
    ("lower", 1, 1),
    ("ltrim", 1, 2),
    ("match", 2, 2),
    ("max", 1, usize::MAX),
    ("min", 1, usize::MAX),
    ("mvappend", 1, usize::MAX),
    ("mvcount", 1, 1),
    ("mvdedup", 1, 1),
    ("mvfilter", 1, 1),
    ("mvfind", 2, 2),
    ("mvindex", 2, 3),
    ("mvjoin", 2, 2),
    ("mvsort", 1, 1),
    ("mvzip", 2, 3),
    ("now", 0, 0),
    ("null", 0, 0),
    ("nullif", 2, 2),
    ("pi", 0, 0),
    ("pow", 2, 2),
    ("relative_time", 2, 2),
    ("replace", 3, 3),
    ("round", 1, 2),
    ("rtrim", 1, 2),
    ("split", 2, 2),
    ("sqrt", 1, 1),
    ("strftime", 2, 2),
    ("strptime", 2, 2),
    ("substr", 2, 3),
    ("time", 0, 0),
    ("tonumber", 1, 2),
    ("tostring", 1, 2),
    ("trim", 1, 2),
    ("true", 0, 0),
    ("upper", 1, 1),
    ("urldecode", 1, 1),
    ("validate", 2, usize::MAX),
];

/// Checks every call in `expr` before any row is read: known names, argument counts, and
/// regexes given as literals. Errors carry the span of the call.
pub fn check(expr: &EvalExpr, evaluator: &Evaluator) -> Result<(), EvalError> {
    match expr {
        EvalExpr::Call { name, args, span } => {
            let lower = name.to_ascii_lowercase();
            let Some(&(_, min, max)) = FUNCTIONS.iter().find(|(n, _, _)| *n == lower) else {
                return Err(EvalError::unsupported(
                    format!("eval function `{name}`"),
                    *span,
                ));
            };
            if args.len() < min || args.len() > max {
                let wanted = match (min, max) {
                    (a, b) if a == b => format!("{a}"),
                    (a, usize::MAX) => format!("at least {a}"),
                    (a, b) => format!("{a} to {b}"),
                };
                let message = format!("`{name}` takes {wanted} arguments, not {}", args.len());
                return Err(EvalError::new(message, *span));
            }
            if matches!(lower.as_str(), "match" | "replace" | "mvfind") {
                if let Some(EvalExpr::Str(pattern, pspan)) = args.get(1) {
                    evaluator.regex(pattern, *pspan)?;
                }
            }
            if lower == "mvfilter" {
                multivalue::filter_field(&args[0], *span)?;
            }
            args.iter().try_for_each(|a| check(a, evaluator))
        }
        EvalExpr::Unary { expr, .. } | EvalExpr::Group(expr, _) => check(expr, evaluator),
        EvalExpr::Binary { left, right, .. } => {
            check(left, evaluator)?;
            check(right, evaluator)
        }
        EvalExpr::In { expr, list, .. } => {
            check(expr, evaluator)?;
            list.iter().try_for_each(|a| check(a, evaluator))
        }
        EvalExpr::Field(_) | EvalExpr::Str(..) | EvalExpr::Number(..) | EvalExpr::Bool(..) => {
            Ok(())
        }
    }
}

impl Evaluator<'_> {
    /// Calls the function `name` (already checked by [`check`], but checked again here so
    /// that an unchecked tree errs rather than misbehaves).
    pub(super) fn call(
        &self,
        name: &str,
        args: &[EvalExpr],
        span: Span,
        row: &dyn Fields,
    ) -> Result<Value, EvalError> {
        let lower = name.to_ascii_lowercase();
        let arity = FUNCTIONS.iter().find(|(n, _, _)| *n == lower);
        match arity {
            Some(&(_, min, max)) if args.len() >= min && args.len() <= max => {}
            Some(_) => {
                let call = EvalExpr::Call {
                    name: name.to_string(),
                    args: args.to_vec(),
                    span,
                };
                return check(&call, self).map(|()| Value::Null);
            }
            None => {
                return Err(EvalError::unsupported(
                    format!("eval function `{name}`"),
                    span,
                ))
            }
        }

        // The lazy ones first: they evaluate only the arguments they need.
        match lower.as_str() {
            "if" => {
                let branch = if self.holds(&args[0], row)? { 1 } else { 2 };
                return self.eval(&args[branch], row);
            }
            "case" => {
                for pair in args.chunks(2) {
                    match pair {
                        [condition, value] if self.holds(condition, row)? => {
                            return self.eval(value, row)
                        }
                        [_, _] => {}
                        _ => {
                            let message = "`case` takes condition, value pairs";
                            return Err(EvalError::new(message, span));
                        }
                    }
                }
                return Ok(Value::Null);
            }
            "coalesce" => {
                for arg in args {
                    let value = self.eval(arg, row)?;
                    if value != Value::Null {
                        return Ok(value);
                    }
                }
                return Ok(Value::Null);
            }
            "mvfilter" => return multivalue::mvfilter(self, &args[0], span, row),
            // The value paired with the first condition that does not hold.
            "validate" => {
                for pair in args.chunks(2) {
                    match pair {
                        [condition, value] if !self.holds(condition, row)? => {
                            return self.eval(value, row)
                        }
                        [_, _] => {}
                        _ => {
                            let message = "`validate` takes condition, value pairs";
                            return Err(EvalError::new(message, span));
                        }
                    }
                }
                return Ok(Value::Null);
            }
            _ => {}
        }

        let mut values = Vec::with_capacity(args.len());
        for arg in args {
            values.push(self.eval(arg, row)?);
        }
        let v = values.as_slice();
        Ok(match lower.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            "isnull" => Value::Bool(v[0] == Value::Null),
            "isnotnull" => Value::Bool(v[0] != Value::Null),
            "isnum" => Value::Bool(v[0].number().is_some()),
            "isstr" => Value::Bool(
                matches!(&v[0], Value::Str(s) if crate::values::parse_number(s).is_none()),
            ),
            "in" => Value::Bool(is_in(&v[0], &v[1..])),
            "nullif" => {
                let same = super::compare_any(&v[0], &v[1], |o| o == std::cmp::Ordering::Equal);
                if same {
                    Value::Null
                } else {
                    v[0].clone()
                }
            }
            "mvfind" => {
                let Some(pattern) = v[1].text() else {
                    return Ok(Value::Null);
                };
                let regex = self.regex(&pattern, args[1].span())?;
                let found = v[0].texts().iter().position(|s| regex.is_match(s));
                found.map_or(Value::Null, |at| Value::Num(at as f64))
            }
            "min" => extreme(v, std::cmp::Ordering::Less),
            "max" => extreme(v, std::cmp::Ordering::Greater),
            "isint" => Value::Bool(v[0].number().is_some_and(|n| n.fract() == 0.0)),
            // Arithmetic is exact already (see the module's TODO on significant figures).
            "exact" => v[0].clone(),
            "pi" => Value::Num(std::f64::consts::PI),
            "exp" => math(&v[0], f64::exp),
            "ln" => positive(&v[0], f64::ln),
            "sqrt" => math(&v[0], f64::sqrt),
            "log" => {
                let base = v.get(1).map_or(Some(10.0), Value::number);
                match (v[0].number(), base) {
                    (Some(x), Some(b)) if x > 0.0 && b > 0.0 && b != 1.0 => Value::Num(x.log(b)),
                    _ => Value::Null,
                }
            }
            "pow" => match (v[0].number(), v[1].number()) {
                (Some(x), Some(y)) => Value::Num(x.powf(y)),
                _ => Value::Null,
            },
            "abs" => math(&v[0], f64::abs),
            "floor" => math(&v[0], f64::floor),
            "ceil" | "ceiling" => math(&v[0], f64::ceil),
            "round" => round(&v[0], v.get(1)),
            "tonumber" => tonumber(&v[0], v.get(1), span)?,
            "tostring" => tostring(&v[0], v.get(1)),
            "cidrmatch" => Value::Bool(text::cidrmatch(&v[0], &v[1])),
            "like" | "match" => {
                let Some(pattern) = v[1].text() else {
                    return Ok(Value::Bool(false));
                };
                let regex = if lower == "like" {
                    self.regex(&super::pattern::like_to_regex(&pattern), span)?
                } else {
                    self.regex(&pattern, args[1].span())?
                };
                Value::Bool(v[0].texts().iter().any(|s| regex.is_match(s)))
            }
            "replace" => text::replace(self, v, args[1].span())?,
            "now" | "time" | "strftime" | "strptime" | "relative_time" => {
                time::call(self, &lower, v, span)?
            }
            "mvappend" | "mvcount" | "mvdedup" | "mvindex" | "mvjoin" | "mvsort" | "mvzip"
            | "split" => multivalue::call(&lower, v),
            _ => text::call(&lower, v),
        })
    }
}

/// `f` of a positive number, else null (`ln(0)`).
fn positive(v: &Value, f: impl Fn(f64) -> f64) -> Value {
    match v.number() {
        Some(n) if n > 0.0 => Value::Num(f(n)),
        _ => Value::Null,
    }
}

fn math(v: &Value, f: impl Fn(f64) -> f64) -> Value {
    v.number().map_or(Value::Null, |n| Value::Num(f(n)))
}

/// `round(x[, n])`: half away from zero, to `n` decimals (default 0).
fn round(v: &Value, digits: Option<&Value>) -> Value {
    let Some(n) = v.number() else {
        return Value::Null;
    };
    let places = digits
        .and_then(Value::number)
        .unwrap_or(0.0)
        .clamp(0.0, 15.0);
    let scale = 10f64.powi(places as i32);
    Value::Num((n * scale).round() / scale)
}

/// `min(...)`/`max(...)` of eval: numbers compare numerically, text by bytes, and any text
/// sorts after every number, so `max` of mixed values is text and `min` a number
/// (inferred; to verify on a real Splunk).
fn extreme(values: &[Value], wanted: std::cmp::Ordering) -> Value {
    let mut best: Option<Value> = None;
    for value in values.iter().flat_map(|v| match v {
        Value::Multi(vs) => vs.iter().cloned().map(Value::Str).collect(),
        Value::Null | Value::Bool(_) => Vec::new(),
        other => vec![other.clone()],
    }) {
        let better = match &best {
            None => true,
            Some(b) => {
                let order = match (value.number(), b.number()) {
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    _ => compare_scalars(&value, b).unwrap_or(std::cmp::Ordering::Equal),
                };
                order == wanted
            }
        };
        if better {
            best = Some(value);
        }
    }
    best.unwrap_or(Value::Null)
}

/// `tonumber(s[, base])`: null when the text does not read as a number in that base.
fn tonumber(v: &Value, base: Option<&Value>, span: Span) -> Result<Value, EvalError> {
    let Some(text) = v.text() else {
        return Ok(Value::Null);
    };
    let base = match base.map(Value::number) {
        None => 10,
        Some(Some(b)) if (2.0..=36.0).contains(&b) && b.fract() == 0.0 => b as u32,
        Some(_) => {
            let message = "`tonumber` takes a base from 2 to 36";
            return Err(EvalError::new(message, span));
        }
    };
    if base == 10 {
        return Ok(crate::values::parse_number(&text).map_or(Value::Null, Value::Num));
    }
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.as_str()),
    };
    let digits = if base == 16 {
        digits
            .strip_prefix("0x")
            .or(digits.strip_prefix("0X"))
            .unwrap_or(digits)
    } else {
        digits
    };
    if digits.starts_with(['+', '-']) {
        return Ok(Value::Null);
    }
    Ok(match i64::from_str_radix(digits, base) {
        Ok(n) if negative => Value::Num(-(n as f64)),
        Ok(n) => Value::Num(n as f64),
        Err(_) => Value::Null,
    })
}

/// `tostring(v[, "hex"|"commas"|"duration"])`; booleans become `True`/`False`.
fn tostring(v: &Value, format: Option<&Value>) -> Value {
    let format = format.and_then(Value::text);
    if let Value::Bool(b) = v {
        return Value::Str(if *b { "True" } else { "False" }.to_string());
    }
    let (Some(format), Some(n)) = (format.as_deref(), v.number()) else {
        return v.text().map_or(Value::Null, Value::Str);
    };
    Value::Str(match format {
        "hex" => {
            let whole = n.trunc() as i64;
            if whole < 0 {
                format!("-0x{:X}", whole.unsigned_abs())
            } else {
                format!("0x{whole:X}")
            }
        }
        "commas" => commas(n),
        "duration" => duration(n),
        _ => return v.text().map_or(Value::Null, Value::Str),
    })
}

/// `1234567.891` → `1,234,567.89`: two decimals at most, as Splunk's "commas".
fn commas(n: f64) -> String {
    let rounded = (n * 100.0).round() / 100.0;
    let text = crate::values::format_number(rounded.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    let sign = if rounded < 0.0 { "-" } else { "" };
    match fraction {
        "" => format!("{sign}{grouped}"),
        f => format!("{sign}{grouped}.{f}"),
    }
}

/// Seconds as `[D+]HH:MM:SS`.
fn duration(n: f64) -> String {
    let total = n.trunc().abs() as u64;
    let (days, rest) = (total / 86_400, total % 86_400);
    let clock = format!(
        "{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    let sign = if n < 0.0 { "-" } else { "" };
    if days > 0 {
        format!("{sign}{days}+{clock}")
    } else {
        format!("{sign}{clock}")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use spelunk_spl::{EvalExpr, FieldName, Span};

    use super::FUNCTIONS;
    use crate::commands::test_support::context;
    use crate::eval::{Evaluator, TableRow};
    use crate::values::Cell;

    /// Every function with every mix of awkward arguments: errors are fine, panics are not.
    #[test]
    fn no_function_panics_on_awkward_arguments() {
        let field = |name: &str| {
            EvalExpr::Field(FieldName {
                name: name.to_string(),
                span: Span::default(),
            })
        };
        let text = |t: &str| EvalExpr::Str(t.to_string(), Span::default());
        let arguments = [
            field("gone"),
            field("mv"),
            text(""),
            text("-1"),
            text("1e308"),
            text("-9223372036854775808"),
            text("é\u{202E}x"),
            text("(?<n>a)\\1["),
            text("%_"),
            text("-1d@w9"),
            EvalExpr::Number("0".into(), Span::default()),
            EvalExpr::Bool(true, Span::default()),
        ];
        let index: HashMap<String, usize> = [("mv".to_string(), 0)].into_iter().collect();
        let cells = vec![Cell::Multi(vec!["".into(), "9".into(), "a b".into()])];
        let row = TableRow {
            index: &index,
            cells: &cells,
        };
        let ctx = context();
        let evaluator = Evaluator::new(&ctx);

        for &(name, min, max) in FUNCTIONS {
            for arity in min..=max.min(min + 2).min(3) {
                let combos = arguments.len().pow(arity as u32);
                for mut n in 0..combos {
                    let mut args = Vec::with_capacity(arity);
                    for _ in 0..arity {
                        args.push(arguments[n % arguments.len()].clone());
                        n /= arguments.len();
                    }
                    let call = EvalExpr::Call {
                        name: name.to_string(),
                        args,
                        span: Span::default(),
                    };
                    let _ = evaluator.eval(&call, &row);
                }
            }
        }
    }
}
