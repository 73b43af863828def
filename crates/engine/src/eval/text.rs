//! Text functions: `lower`, `upper`, `len`, `substr`, `trim`/`ltrim`/`rtrim`, `replace`,
//! `urldecode`, and `cidrmatch`.
//!
//! Each applies to every value of a multivalue field and returns a multivalue (inferred:
//! Splunk documents this for some functions only). Lengths and positions count characters,
//! not bytes.

use std::net::IpAddr;

use spelunk_spl::Span;

use super::{EvalError, Evaluator, Value};

/// The text functions that take their arguments evaluated.
pub(super) fn call(name: &str, v: &[Value]) -> Value {
    let Some(first) = v.first() else {
        return Value::Null;
    };
    match name {
        "lower" => each(first, |s| Some(s.to_lowercase())),
        "upper" => each(first, |s| Some(s.to_uppercase())),
        "len" => each(first, |s| Some(s.chars().count().to_string())),
        "urldecode" => each(first, |s| Some(urldecode(s))),
        "trim" | "ltrim" | "rtrim" => {
            let chars = v.get(1).map(|c| c.text());
            let chars: Vec<char> = match chars {
                Some(Some(c)) => c.chars().collect(),
                Some(None) => return Value::Null,
                None => vec![' ', '\t'],
            };
            let strip = |c: char| chars.contains(&c);
            each(first, |s| {
                Some(match name {
                    "ltrim" => s.trim_start_matches(strip).to_string(),
                    "rtrim" => s.trim_end_matches(strip).to_string(),
                    _ => s.trim_matches(strip).to_string(),
                })
            })
        }
        "substr" => {
            let start = v.get(1).and_then(Value::number);
            let length = match v.get(2) {
                Some(l) => match l.number() {
                    Some(n) => Some(n),
                    None => return Value::Null,
                },
                None => None,
            };
            let Some(start) = start else {
                return Value::Null;
            };
            each(first, |s| Some(substr(s, start, length)))
        }
        _ => Value::Null,
    }
}

/// Applies `f` to every value; a `None` drops the value.
fn each(v: &Value, f: impl Fn(&str) -> Option<String>) -> Value {
    match v {
        Value::Multi(vs) => Value::multi(vs.iter().filter_map(|s| f(s)).collect()),
        other => match other.text() {
            Some(s) => f(&s).map_or(Value::Null, Value::Str),
            None => Value::Null,
        },
    }
}

/// `substr(s, start[, len])`: `start` counts from 1; a negative start counts from the end
/// (`-4` is the last four characters); 0 reads as 1 (inferred).
fn substr(s: &str, start: f64, length: Option<f64>) -> String {
    let chars: Vec<char> = s.chars().collect();
    let count = chars.len() as i64;
    let start = start.trunc() as i64;
    let from = if start < 0 {
        (count + start).max(0)
    } else {
        (start - 1).max(0)
    };
    let to = match length {
        Some(l) => from.saturating_add(l.trunc().max(0.0) as i64).min(count),
        None => count,
    };
    if from >= to {
        return String::new();
    }
    chars[from as usize..to as usize].iter().collect()
}

/// `%XX` escapes decoded as UTF-8 (invalid sequences become U+FFFD); `+` stays.
fn urldecode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[at], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                at += 3;
            }
            (b, _) => {
                out.push(b);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `replace(s, regex, replacement)`: every match replaced, `\1` back-references allowed.
pub(super) fn replace(ev: &Evaluator, v: &[Value], span: Span) -> Result<Value, EvalError> {
    let (Some(pattern), Some(with)) = (
        v.get(1).and_then(Value::text),
        v.get(2).and_then(Value::text),
    ) else {
        return Ok(Value::Null);
    };
    let regex = ev.regex(&pattern, span)?;
    let with = super::pattern::replacement(&with);
    let Some(first) = v.first() else {
        return Ok(Value::Null);
    };
    Ok(each(first, |s| {
        Some(regex.replace_all(s, with.as_str()).into_owned())
    }))
}

/// `cidrmatch("10.0.0.0/8", ip)`: whether some value of `ip` lies in the block.
pub(super) fn cidrmatch(cidr: &Value, ip: &Value) -> bool {
    let Some(cidr) = cidr.text() else {
        return false;
    };
    let Some((network, bits)) = parse_cidr(&cidr) else {
        return false;
    };
    ip.texts()
        .iter()
        .any(|text| match text.trim().parse::<IpAddr>() {
            Ok(addr) => in_block(addr, network, bits),
            Err(_) => false,
        })
}

fn parse_cidr(text: &str) -> Option<(IpAddr, u32)> {
    let (addr, bits) = match text.split_once('/') {
        Some((a, b)) => (a.parse::<IpAddr>().ok()?, b.parse::<u32>().ok()?),
        None => {
            let a = text.parse::<IpAddr>().ok()?;
            (a, if a.is_ipv4() { 32 } else { 128 })
        }
    };
    let max = if addr.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some((addr, bits))
}

fn in_block(addr: IpAddr, network: IpAddr, bits: u32) -> bool {
    match (addr, network) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}
