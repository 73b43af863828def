//! Rendered diagnostics, compared as whole strings.

mod common;

use spelunk_spl::{prepare, Diagnostic, Macro, MacroLibrary, Span};

fn render_error(text: &str, macros: &MacroLibrary) -> String {
    match prepare(text, macros) {
        Ok(p) => panic!("expected an error, parsed {}", p.pipeline),
        Err(d) => d.to_string(),
    }
}

#[test]
fn undefined_macro() {
    let text = "| tstats count from datamodel=Endpoint.Processes where `process_nope` by x";
    let expected = "\
error: undefined macro `process_nope`
 --> line 1, column 56
  |
1 | | tstats count from datamodel=Endpoint.Processes where `process_nope` by x
  |                                                        ^^^^^^^^^^^^^^
  = help: define it in a macros.conf or macro YAML file and load that file";
    assert_eq!(render_error(text, &MacroLibrary::with_builtins()), expected);
}

#[test]
fn undefined_macro_arity_inside_a_definition() {
    let mut macros = MacroLibrary::with_builtins();
    macros.insert(Macro::new("wrap", &[], "`security_content_ctime(a, b)`"));
    let text = "| tstats count from datamodel=Endpoint.Processes\n| `wrap`";
    let expected = "\
error: undefined macro `security_content_ctime(2)`: `security_content_ctime` takes 1 argument, not 2
 --> line 2, column 3
  |
2 | | `wrap`
  |   ^^^^^^
  = help: pass as many arguments as the definition names";
    assert_eq!(render_error(text, &macros), expected);
}

#[test]
fn macro_cycle() {
    let mut macros = MacroLibrary::new();
    macros.insert(Macro::new("a", &[], "x=1 `b`"));
    macros.insert(Macro::new("b", &[], "`a`"));
    let text = "| tstats count where `a` by x";
    let expected = "\
error: macro cycle: a -> b -> a
 --> line 1, column 22
  |
1 | | tstats count where `a` by x
  |                      ^^^
  = help: a macro must not expand to a call of itself";
    assert_eq!(render_error(text, &macros), expected);
}

#[test]
fn unbalanced_parenthesis() {
    let text =
        "| tstats count from datamodel=Endpoint.Processes\n    where (a=1 OR b=2\n| rename a as b";
    let expected = "\
error: unbalanced parenthesis: `(` is never closed
 --> line 2, column 11
  |
2 |     where (a=1 OR b=2
  |           ^
  = help: add the missing `)`";
    assert_eq!(render_error(text, &MacroLibrary::new()), expected);
}

#[test]
fn missing_value_after_equals() {
    let text = "| tstats count\n| tstats count from datamodel=Endpoint.Processes where x=)";
    let expected = "\
error: expected a value after `=`, found `)`
 --> line 2, column 58
  |
2 | | tstats count from datamodel=Endpoint.Processes where x=)
  |                                                          ^";
    assert_eq!(render_error(text, &MacroLibrary::new()), expected);
}

#[test]
fn error_after_expansion_carries_a_note() {
    let mut macros = MacroLibrary::new();
    macros.insert(Macro::new("bad", &[], "x=("));
    let text = "| tstats count where `bad` y=1";
    let expected = "\
error: expected a value after `=`, found `(`
 --> line 1, column 24
  |
1 | | tstats count where x=( y=1
  |                        ^
  = note: the position refers to the search after macro expansion";
    assert_eq!(render_error(text, &macros), expected);
}

#[test]
fn error_after_the_last_expansion_points_into_the_user_text() {
    let text = "| tstats `security_content_summariesonly` count by x | rename a";
    let expected = "\
error: expected `AS`, found end of query
 --> line 1, column 64
  |
1 | | tstats `security_content_summariesonly` count by x | rename a
  |                                                                ^";
    assert_eq!(render_error(text, &MacroLibrary::with_builtins()), expected);
}

#[test]
fn unterminated_comment() {
    let text = "| tstats count ```note by x";
    let expected = "\
error: unterminated comment: this ``` is never closed
 --> line 1, column 16
  |
1 | | tstats count ```note by x
  |                ^^^
  = help: close the comment with ```";
    assert_eq!(render_error(text, &MacroLibrary::new()), expected);
}

#[test]
fn unsupported_command() {
    let text = "| tstats count by x | transaction y";
    let expected = "\
error: command `transaction` is not supported
 --> line 1, column 23
  |
1 | | tstats count by x | transaction y
  |                       ^^^^^^^^^^^
  = help: this is valid SPL, but spelunk cannot run it yet";
    assert_eq!(render_error(text, &MacroLibrary::new()), expected);
}

/// B18: a macro name used as a `convert` function, without backticks.
#[test]
fn case_b18_macro_name_without_backticks() {
    let Some(spl) = case_spl("B18") else {
        return;
    };
    let expected = "\
error: unknown convert function `security_content_ctime`
 --> line 1, column 151
  |
1 | ...op_dm_object_name(Processes)` | convert security_content_ctime(earliest) security_content_ctime(latest)
  |                                            ^^^^^^^^^^^^^^^^^^^^^^
  = help: `security_content_ctime` is a macro, and macros expand only between backticks: `security_content_ctime(earliest)`";
    assert_eq!(render_error(&spl, &MacroLibrary::with_builtins()), expected);
}

/// B19: an extra `)` in the tstats WHERE clause.
#[test]
fn case_b19_extra_closing_parenthesis() {
    let Some(spl) = case_spl("B19") else {
        return;
    };
    let expected = "\
error: unbalanced parenthesis: `)` has no matching `(`
 --> line 1, column 214
  |
1 | ...rocesses.original_file_name =  \"7za.exe\") AND (Processes.process=\"*\\\\C$\\\\*\" OR Processes.process=\"*\\\\Admin$\\\\*\" OR Proce...
  |                                            ^
  = help: remove this `)` or add the `(` it closes";
    assert_eq!(render_error(&spl, &MacroLibrary::with_builtins()), expected);
}

#[test]
fn rendering_clamps_any_span() {
    let d = Diagnostic::new("boom", Span::new(500, 900));
    assert_eq!(
        d.render("ab\ncd"),
        "error: boom\n --> line 2, column 3\n  |\n2 | cd\n  |   ^"
    );
    let d = Diagnostic::new("boom", Span::new(3, 1));
    assert_eq!(
        d.render("aé\u{1}b"),
        "error: boom\n --> line 1, column 3\n  |\n1 | aé b\n  |   ^"
    );
    assert_eq!(
        d.render(""),
        "error: boom\n --> line 1, column 1\n  |\n1 |\n  | ^"
    );
    let d = Diagnostic::new("tab", Span::new(2, 3)).with_help("h");
    assert_eq!(
        d.render("\tab"),
        "error: tab\n --> line 1, column 3\n  |\n1 | \tab\n  | \t ^\n  = help: h"
    );
    let lines = "x\n".repeat(11) + "bad";
    let d = Diagnostic::new("far", Span::new(22, 25));
    assert_eq!(
        d.render(&lines),
        "error: far\n  --> line 12, column 1\n   |\n12 | bad\n   | ^^^"
    );
    assert_eq!(d.to_string(), "error: far");
}

fn case_spl(id: &str) -> Option<String> {
    let cases = common::read_shared("cases/cases.jsonl")?;
    for line in cases.lines() {
        let case: serde_json::Value = serde_json::from_str(line).ok()?;
        if case["id"] == id {
            return case["spl"].as_str().map(str::to_string);
        }
    }
    eprintln!("skipped: case {id} not found");
    None
}
