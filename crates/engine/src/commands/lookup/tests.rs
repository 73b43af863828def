//! Golden cases for `lookup`: input rows, the command, expected rows.
//!
//! Cells are written as text: `-` is null, `a;b` a multivalue.

use spelunk_spl::ast;

use super::run;
use crate::commands::Context;
use crate::lookup::LookupLibrary;
use crate::values::{Cell, ResultTable};

fn library() -> LookupLibrary {
    let mut library = LookupLibrary::new();
    // ESCU-style: WILDCARD, case-insensitive, min_matches 1 with default_match false.
    library.add_csv(
        "tools.csv",
        b"attacker_tool_names,description,is_tool\n*mimikatz*,credential dumper,true\n\
          psexec*.exe,remote exec,true\n*.ps1,script,\n",
    );
    library.add_yaml(
        "tools.yml",
        "name: attacker_tools\nfilename: tools.csv\ndefault_match: 'false'\n\
         match_type: WILDCARD(attacker_tool_names)\nmin_matches: 1\n\
         case_sensitive_match: 'false'",
    );
    // Plain CSV: exact and case-sensitive, several rows per key.
    library.add_csv(
        "owners.csv",
        b"host,owner,team\nweb01,alice,ops\nweb01,bob,dev\nWEB02,carol,ops\n",
    );
    library.add_csv("chars.csv", b"char,bin\nA,000000\nB,000001\n");
    library
}

fn cell(text: &str) -> Cell {
    match text {
        "-" => Cell::Null,
        t if t.contains(';') => Cell::Multi(t.split(';').map(str::to_string).collect()),
        t => Cell::Single(t.to_string()),
    }
}

fn table(columns: &[&str], rows: &[&[&str]]) -> ResultTable {
    ResultTable {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| cell(c)).collect())
            .collect(),
    }
}

fn lookup(command: &str, input: ResultTable) -> Result<ResultTable, crate::commands::CommandError> {
    let text = format!("| tstats count | {command}");
    let pipeline = spelunk_spl::parse(&text).unwrap();
    let Some(ast::Command::Lookup(args)) = pipeline.commands.last() else {
        panic!("not a lookup: {command}");
    };
    let library = library();
    let ctx = Context {
        tz: chrono_tz::UTC,
        now: 0.0,
        lookups: Some(&library),
    };
    run(input, args, &ctx)
}

fn golden(command: &str, input: ResultTable, expected: ResultTable) {
    let out = lookup(command, input).unwrap_or_else(|e| panic!("{command}: {e}"));
    assert_eq!(out, expected, "{command}");
}

#[test]
fn wildcard_case_insensitive_with_default_match() {
    golden(
        "lookup attacker_tools attacker_tool_names AS process_name OUTPUT description is_tool",
        table(
            &["process_name"],
            &[
                &["C:\\MIMIKATZ.exe"],
                &["PsExec64.EXE"],
                &["notepad.exe"],
                &["-"],
            ],
        ),
        table(
            &["process_name", "description", "is_tool"],
            &[
                &["C:\\MIMIKATZ.exe", "credential dumper", "true"],
                &["PsExec64.EXE", "remote exec", "true"],
                // No match: min_matches 1 fills default_match into every output.
                &["notepad.exe", "false", "false"],
                // No match field: the row is left alone.
                &["-", "-", "-"],
            ],
        ),
    );
}

#[test]
fn wildcard_row_with_empty_output_cell_still_counts_as_a_match() {
    golden(
        "lookup attacker_tools attacker_tool_names AS f OUTPUT is_tool AS t",
        table(&["f"], &[&["run.ps1"]]),
        table(&["f"], &[&["run.ps1"]]),
    );
}

#[test]
fn exact_is_case_sensitive_and_many_matches_are_multivalue() {
    golden(
        "lookup owners.csv host OUTPUT owner",
        table(&["host"], &[&["web01"], &["WEB01"], &["WEB02"]]),
        table(
            &["host", "owner"],
            &[
                &["web01", "alice;bob"],
                &["WEB01", "-"],
                &["WEB02", "carol"],
            ],
        ),
    );
}

#[test]
fn no_output_clause_writes_every_other_column() {
    golden(
        "lookup owners.csv host",
        table(&["host"], &[&["WEB02"]]),
        table(&["host", "owner", "team"], &[&["WEB02", "carol", "ops"]]),
    );
}

#[test]
fn output_overwrites_and_outputnew_fills_only_absent_fields() {
    let input = || {
        table(
            &["host", "owner"],
            &[&["WEB02", "zed"], &["WEB02", "-"], &["nope", "kept"]],
        )
    };
    golden(
        "lookup owners.csv host OUTPUT owner",
        input(),
        table(
            &["host", "owner"],
            &[&["WEB02", "carol"], &["WEB02", "carol"], &["nope", "-"]],
        ),
    );
    golden(
        "lookup owners.csv host OUTPUTNEW owner",
        input(),
        table(
            &["host", "owner"],
            &[&["WEB02", "zed"], &["WEB02", "carol"], &["nope", "kept"]],
        ),
    );
}

#[test]
fn multivalue_match_field_looks_up_each_value_keeping_duplicates() {
    golden(
        "lookup chars.csv char AS c OUTPUT bin AS b",
        table(&["c"], &[&["A;B;A;Z"]]),
        table(&["c", "b"], &[&["A;B;A;Z", "000000;000001;000000"]]),
    );
}

#[test]
fn two_match_fields_must_both_match() {
    golden(
        "lookup owners.csv host, owner OUTPUT team",
        table(
            &["host", "owner"],
            &[&["web01", "bob"], &["web01", "carol"]],
        ),
        table(
            &["host", "owner", "team"],
            &[&["web01", "bob", "dev"], &["web01", "carol", "-"]],
        ),
    );
}

#[test]
fn errors_name_the_lookup_and_the_column() {
    let input = || table(&["host"], &[&["web01"]]);
    let e = lookup("lookup missing host", input()).unwrap_err();
    assert!(e.message.contains("no lookup named `missing`"), "{e}");
    let e = lookup("lookup owners.csv hostname", input()).unwrap_err();
    assert!(e.message.contains("no column `hostname`"), "{e}");
    let e = lookup("lookup owners.csv host OUTPUT shoe", input()).unwrap_err();
    assert!(e.message.contains("no column `shoe`"), "{e}");

    let pipeline = spelunk_spl::parse("| tstats count | lookup owners.csv host").unwrap();
    let Some(ast::Command::Lookup(args)) = pipeline.commands.last() else {
        unreachable!()
    };
    let ctx = Context {
        tz: chrono_tz::UTC,
        now: 0.0,
        lookups: None,
    };
    let e = run(input(), args, &ctx).unwrap_err();
    assert!(e.message.contains("--lookups"), "{e}");
}
