//! `rex [field=f] [max_match=N] "<re>"` extracts fields from named groups; `rex mode=sed
//! [field=f] "s/<re>/<replacement>/[g|N]"` edits a field in place.
//!
//! Semantics [Splunk rex docs; spl-semantics §5]: the field is `_raw` unless named; the
//! pattern is unanchored; each named group that takes part in a match becomes a field of
//! that name, replacing an existing one. `max_match` (1 unless written, 0 for no limit)
//! bounds the matches per row, and several matches give a multivalue field. A group that
//! matches nothing leaves the field as it was, and a field no row gets is not created
//! [infer]. Each value of a multivalue input is searched in turn. In sed mode `\1`..`\9` in
//! the replacement are the groups, `g` replaces every match and a number N only the Nth;
//! rows without the field are left alone.
//!
//! Not supported: sed's `y/.../.../` transliteration and `offset_field=` (refused), and the
//! PCRE features the `regex` crate lacks (see [`super::regex`]).

use spelunk_spl::ast;

use super::columns::{from_values, index, set};
use super::regex::compile;
use super::{CommandError, CommandErrorKind, CommandResult, Context};
use crate::values::{Cell, ResultTable};

/// Runs `rex` over `table`.
pub fn run(input: ResultTable, args: &ast::Rex, _ctx: &Context) -> CommandResult {
    if args.sed {
        sed(input, args)
    } else {
        extract(input, args)
    }
}

fn field_name(args: &ast::Rex) -> &str {
    args.field.as_ref().map_or("_raw", |f| f.name.as_str())
}

fn extract(mut input: ResultTable, args: &ast::Rex) -> CommandResult {
    let regex = compile(&args.pattern)?;
    let names: Vec<&str> = regex.capture_names().flatten().collect();
    let limit = match args.max_match {
        None => 1,
        Some(0) => usize::MAX,
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
    };
    let Some(from) = index(&input, field_name(args)) else {
        return Ok(input);
    };

    // Per row, the values each group took; columns are added only for groups that matched.
    let mut found: Vec<Vec<Vec<String>>> = Vec::with_capacity(input.rows.len());
    for row in &input.rows {
        let mut groups: Vec<Vec<String>> = vec![Vec::new(); names.len()];
        let values = row.get(from).map(Cell::values).unwrap_or_default();
        let matches = values
            .iter()
            .flat_map(|v| regex.captures_iter(v))
            .take(limit);
        for captures in matches {
            for (slot, name) in groups.iter_mut().zip(&names) {
                if let Some(m) = captures.name(name) {
                    slot.push(m.as_str().to_string());
                }
            }
        }
        found.push(groups);
    }

    for (group, name) in names.iter().enumerate() {
        if !found.iter().any(|groups| !groups[group].is_empty()) {
            continue;
        }
        let at = super::columns::ensure(&mut input, name);
        for (row, groups) in input.rows.iter_mut().zip(&mut found) {
            let values = std::mem::take(&mut groups[group]);
            if !values.is_empty() {
                set(row, at, from_values(values));
            }
        }
    }
    Ok(input)
}

/// A parsed `s/<re>/<replacement>/<flags>`.
struct SedExpr {
    regex: regex::Regex,
    replacement: String,
    /// `None` for every match (`g`), else the 1-based occurrence to replace.
    occurrence: Option<usize>,
}

fn sed(mut input: ResultTable, args: &ast::Rex) -> CommandResult {
    let expr = parse_sed(&args.pattern)?;
    let Some(at) = index(&input, field_name(args)) else {
        return Ok(input);
    };
    for row in &mut input.rows {
        let edited = match row.get(at) {
            Some(Cell::Single(v)) => Cell::Single(expr.apply(v)),
            Some(Cell::Multi(vs)) => Cell::Multi(vs.iter().map(|v| expr.apply(v)).collect()),
            _ => continue,
        };
        set(row, at, edited);
    }
    Ok(input)
}

impl SedExpr {
    fn apply(&self, value: &str) -> String {
        let Some(n) = self.occurrence else {
            return self
                .regex
                .replace_all(value, self.replacement.as_str())
                .into_owned();
        };
        let Some(captures) = self.regex.captures_iter(value).nth(n - 1) else {
            return value.to_string();
        };
        let Some(whole) = captures.get(0) else {
            return value.to_string();
        };
        let mut out = value[..whole.start()].to_string();
        captures.expand(&self.replacement, &mut out);
        out.push_str(&value[whole.end()..]);
        out
    }
}

fn parse_sed(pattern: &ast::Value) -> Result<SedExpr, CommandError> {
    let bad = || {
        let kind = CommandErrorKind::Sed {
            text: pattern.text.clone(),
        };
        CommandError::of(kind, pattern.span)
    };
    if pattern.text.starts_with("y/") {
        let construct = "rex mode=sed transliteration `y/.../.../`".to_string();
        let kind = CommandErrorKind::Unsupported { construct };
        return Err(CommandError::of(kind, pattern.span));
    }
    let body = pattern.text.strip_prefix("s/").ok_or_else(bad)?;
    let parts = split_unescaped(body, '/');
    let [regex, replacement, flags] = parts.as_slice() else {
        return Err(bad());
    };

    let occurrence = match flags.as_str() {
        "g" => None,
        "" => Some(1),
        n => Some(n.parse::<usize>().ok().filter(|&n| n > 0).ok_or_else(bad)?),
    };
    let written = ast::Value {
        text: regex.clone(),
        ..pattern.clone()
    };
    Ok(SedExpr {
        regex: compile(&written)?,
        replacement: replacement_template(replacement),
        occurrence,
    })
}

/// Splits at `sep` except where escaped as `\sep` (the escape is removed).
fn split_unescaped(text: &str, sep: char) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&sep) {
            chars.next();
            current.push(sep);
        } else if c == sep {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    parts
}

/// A sed replacement (`\1` for a group) as a `regex` crate template (`${1}`, `$$`).
fn replacement_template(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(d) if d.is_ascii_digit() => out.push_str(&format!("${{{d}}}")),
                Some('$') => out.push_str("$$"),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
            '$' => out.push_str("$$"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;
    use crate::commands::tests::{ctx, parse_command};

    fn run_text(input: ResultTable, text: &str) -> CommandResult {
        let ast::Command::Rex(args) = parse_command(text) else {
            panic!("not a rex");
        };
        run(input, &args, &ctx())
    }

    #[test]
    fn named_groups_become_fields_only_where_they_match() {
        let input = table(
            &["process", "file_name"],
            &[
                &["C:\\Windows\\System32\\cmd.exe", "old"],
                &["no backslash", "kept"],
                &["-", "-"],
            ],
        );
        let out = run_text(
            input,
            r#"rex field=process "(?i).+\\\\(?<file_name>[^\\\\]+)$" "#,
        )
        .unwrap();
        let expected = table(
            &["process", "file_name"],
            &[
                &["C:\\Windows\\System32\\cmd.exe", "cmd.exe"],
                &["no backslash", "kept"],
                &["-", "-"],
            ],
        );
        assert_eq!(out, expected);

        let input = table(&["_raw"], &[&["abc"]]);
        let out = run_text(input.clone(), r#"rex "(?<digits>\d+)""#).unwrap();
        assert_eq!(out, input);
    }

    #[test]
    fn max_match_gives_multivalues() {
        let input = table(&["_raw"], &[&["a=1 b=2 c=3"], &["z=9"]]);
        let out = run_text(input.clone(), r#"rex max_match=0 "(?<k>\w)=(?<v>\d)""#).unwrap();
        let expected = table(
            &["_raw", "k", "v"],
            &[&["a=1 b=2 c=3", "a|b|c", "1|2|3"], &["z=9", "z", "9"]],
        );
        assert_eq!(out, expected);
        let out = run_text(input.clone(), r#"rex max_match=2 "(?<v>\d)""#).unwrap();
        assert_eq!(out.rows[0][1], Cell::Multi(vec!["1".into(), "2".into()]));
        let out = run_text(input, r#"rex "(?<v>\d)""#).unwrap();
        assert_eq!(out.rows[0][1], Cell::Single("1".into()));
    }

    #[test]
    fn sed_mode_edits_in_place() {
        let input = table(&["x"], &[&["a-b-c"], &["-"], &["b|bb"]]);
        let out = run_text(input.clone(), r#"rex mode=sed field=x "s/b/X/g""#).unwrap();
        assert_eq!(out, table(&["x"], &[&["a-X-c"], &["-"], &["X|XX"]]));
        let out = run_text(input.clone(), r#"rex mode=sed field=x "s/(\w)-/\1+/2""#).unwrap();
        assert_eq!(out.rows[0][0], Cell::Single("a-b+c".into()));
        let out = run_text(input.clone(), r#"rex mode=sed field=x "s/-/\//""#).unwrap();
        assert_eq!(out.rows[0][0], Cell::Single("a/b-c".into()));
        let err = run_text(input.clone(), r#"rex mode=sed field=x "s/a/b""#).unwrap_err();
        assert!(matches!(err.kind, Some(CommandErrorKind::Sed { .. })));
        let err = run_text(input, r#"rex mode=sed field=x "y/ab/cd/""#).unwrap_err();
        assert!(matches!(
            err.kind,
            Some(CommandErrorKind::Unsupported { .. })
        ));
    }
}
