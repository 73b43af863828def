//! Multivalue functions: `mvappend`, `mvcount`, `mvdedup`, `mvindex`, `mvjoin`, `mvfilter`,
//! `mvsort`, `mvzip`, `split` (`mvfind` is with the regex functions)
//! [spl-semantics.md §5; Splunk "Multivalue eval functions"].

use spelunk_spl::{EvalExpr, Span};

use super::{EvalError, Evaluator, Fields, Value};

/// The multivalue functions that take their arguments evaluated.
pub(super) fn call(name: &str, v: &[Value]) -> Value {
    match name {
        // Null arguments add nothing; every value of a multivalue argument is kept.
        "mvappend" => Value::multi(v.iter().flat_map(Value::texts).collect()),
        // Null for a null field, 1 for a single value.
        "mvcount" => match v.first() {
            Some(Value::Null) | None => Value::Null,
            Some(x) => Value::Num(x.texts().len() as f64),
        },
        "mvindex" => mvindex(v),
        // Pairs the values in order, up to the shorter list, joined by `,` or the third
        // argument.
        "mvzip" => {
            let (Some(a), Some(b)) = (v.first(), v.get(1)) else {
                return Value::Null;
            };
            let delim = match v.get(2) {
                Some(d) => match d.text() {
                    Some(d) => d,
                    None => return Value::Null,
                },
                None => ",".to_string(),
            };
            let pairs = a.texts().into_iter().zip(b.texts());
            Value::multi(pairs.map(|(x, y)| format!("{x}{delim}{y}")).collect())
        }
        // The first of each repeated value stays, in order.
        "mvdedup" => {
            let mut seen = std::collections::HashSet::new();
            let values = v.first().map(Value::texts).unwrap_or_default();
            Value::multi(
                values
                    .into_iter()
                    .filter(|x| seen.insert(x.clone()))
                    .collect(),
            )
        }
        // Lexicographic by bytes, as Splunk documents for mvsort.
        "mvsort" => {
            let mut values = v.first().map(Value::texts).unwrap_or_default();
            values.sort();
            Value::multi(values)
        }
        "mvjoin" => match (v.first(), v.get(1).and_then(Value::text)) {
            (Some(Value::Null), _) | (None, _) | (_, None) => Value::Null,
            (Some(x), Some(delim)) => Value::Str(x.texts().join(&delim)),
        },
        "split" => {
            let (Some(text), Some(delim)) = (
                v.first().and_then(Value::text),
                v.get(1).and_then(Value::text),
            ) else {
                return Value::Null;
            };
            if delim.is_empty() {
                return Value::multi(text.chars().map(String::from).collect());
            }
            Value::multi(text.split(delim.as_str()).map(String::from).collect())
        }
        _ => Value::Null,
    }
}

/// `mvindex(mv, start[, end])`: 0-based, `end` inclusive, negatives count from the end,
/// out of range is null.
fn mvindex(v: &[Value]) -> Value {
    let Some(values) = v.first().map(Value::texts) else {
        return Value::Null;
    };
    let count = values.len() as i64;
    let resolve = |x: &Value| {
        let n = x.number()?.trunc() as i64;
        let at = if n < 0 { count + n } else { n };
        (0..count).contains(&at).then_some(at)
    };
    let Some(start) = v.get(1).and_then(resolve) else {
        return Value::Null;
    };
    let end = match v.get(2) {
        None => start,
        Some(e) => match resolve(e) {
            Some(end) if end >= start => end,
            _ => return Value::Null,
        },
    };
    Value::multi(values[start as usize..=end as usize].to_vec())
}

/// The one field `mvfilter`'s expression reads; Splunk allows exactly one.
pub(super) fn filter_field(expr: &EvalExpr, span: Span) -> Result<String, EvalError> {
    let mut fields = Vec::new();
    collect_fields(expr, &mut fields);
    fields.sort();
    fields.dedup();
    match fields.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(EvalError::new(
            "`mvfilter` needs an expression that reads exactly one field",
            span,
        )),
    }
}

fn collect_fields(expr: &EvalExpr, out: &mut Vec<String>) {
    match expr {
        EvalExpr::Field(f) => out.push(f.name.clone()),
        EvalExpr::Call { args, .. } => args.iter().for_each(|a| collect_fields(a, out)),
        EvalExpr::Unary { expr, .. } | EvalExpr::Group(expr, _) => collect_fields(expr, out),
        EvalExpr::Binary { left, right, .. } => {
            collect_fields(left, out);
            collect_fields(right, out);
        }
        EvalExpr::In { expr, list, .. } => {
            collect_fields(expr, out);
            list.iter().for_each(|a| collect_fields(a, out));
        }
        EvalExpr::Str(..) | EvalExpr::Number(..) | EvalExpr::Bool(..) => {}
    }
}

/// `mvfilter(expr)`: the values of the field in `expr` for which `expr` is true.
pub(super) fn mvfilter(
    ev: &Evaluator,
    expr: &EvalExpr,
    span: Span,
    row: &dyn Fields,
) -> Result<Value, EvalError> {
    let field = filter_field(expr, span)?;
    let mut kept = Vec::new();
    for value in row.get(&field).texts() {
        if ev.eval_bound(expr, row, &field, Value::Str(value.clone()))? {
            kept.push(value);
        }
    }
    Ok(Value::multi(kept))
}
