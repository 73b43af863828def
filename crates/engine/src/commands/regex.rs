//! `regex [f=|f!=]"<re>"`: keeps the rows whose field matches (or, with `!=`, does not
//! match) a regular expression.
//!
//! Semantics [Splunk regex docs; spl-semantics §5]: the field is `_raw` unless named; the
//! match is unanchored and case-sensitive unless the pattern says `(?i)`; a multivalue field
//! matches when any value does [infer]. A row without the field never matches, so `=` drops
//! it and `!=` keeps it [infer].
//!
//! Splunk's dialect is PCRE; patterns run on Rust's `regex` crate, which shares the syntax
//! detections use (`(?i)`, `\x{202E}`, `(?<name>...)`, classes, repetition) but has no
//! look-around or back-references: such a pattern is a clear error naming the fault.

use spelunk_spl::ast;

use super::columns::{cell, index};
use super::{CommandError, CommandErrorKind, CommandResult, Context};
use crate::values::ResultTable;

/// Runs `regex` over `table`.
pub fn run(mut input: ResultTable, args: &ast::Regex, _ctx: &Context) -> CommandResult {
    let regex = compile(&args.pattern)?;
    let field = args.field.as_ref().map_or("_raw", |f| f.name.as_str());
    let at = index(&input, field);
    input.rows.retain(|row| {
        let matched = cell(row, at).values().iter().any(|v| regex.is_match(v));
        matched != args.negated
    });
    Ok(input)
}

/// Compiles a pattern written in a command, or an error at its span.
pub(crate) fn compile(pattern: &ast::Value) -> Result<regex::Regex, CommandError> {
    regex::Regex::new(&pattern.text).map_err(|e| {
        let message = match e {
            regex::Error::Syntax(text) => last_line(&text),
            other => other.to_string(),
        };
        // The regex crate names the PCRE features it lacks (look-around, back-references)
        // as "not supported": valid SPL that spelunk cannot run, not a mistake.
        let lacking = message.contains("not supported");
        let mut error = CommandError::of(CommandErrorKind::Regex { message }, pattern.span);
        error.unsupported = lacking;
        error
    })
}

/// The explanation line of the regex crate's multi-line syntax message.
fn last_line(text: &str) -> String {
    let line = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(text);
    line.trim_start_matches("error: ").trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::columns::test_rows::table;
    use crate::commands::tests::{ctx, parse_command};

    fn run_text(input: &ResultTable, text: &str) -> Result<Vec<String>, CommandError> {
        let ast::Command::Regex(args) = parse_command(text) else {
            panic!("not a regex");
        };
        let out = run(input.clone(), &args, &ctx())?;
        Ok(out.rows.iter().map(|r| r[0].values().join("|")).collect())
    }

    fn sample() -> ResultTable {
        table(
            &["id", "process", "_raw"],
            &[
                &["1", "C:\\Windows\\DllHost.exe", "a"],
                &["2", "cmd.exe /c \u{202E}txt.exe", "b"],
                &["3", "-", "c"],
                &["4", "x|dllhost.exe -k", "d"],
            ],
        )
    }

    #[test]
    fn case_flags_unicode_escapes_and_multivalues() {
        let t = sample();
        let kept = run_text(&t, r#"regex process="(?i)(dllhost\.exe.{0,4}$)""#).unwrap();
        assert_eq!(kept, ["1", "4"]);
        assert_eq!(run_text(&t, r#"regex process="dllhost""#).unwrap(), ["4"]);
        assert_eq!(run_text(&t, r#"regex process="\\x{202E}""#).unwrap(), ["2"]);
        assert_eq!(
            run_text(&t, r#"regex process!="\\x{202E}""#).unwrap(),
            ["1", "3", "4"]
        );
        assert_eq!(run_text(&t, r#"regex "^[bd]$""#).unwrap(), ["2", "4"]);
    }

    #[test]
    fn unsupported_pcre_is_a_clear_error_at_the_pattern() {
        let text = r#"regex process="\w+(?!\.)""#;
        let err = run_text(&sample(), text).unwrap_err();
        assert!(err.to_string().contains("look-around"), "{err}");
        assert_eq!(err.span.start, "| makeresults | regex process=".len());
    }
}
