//! The engine over small normalized tables: null handling, naming, ordering and reshaping.

use spelunk_engine::{Catalog, Cell, ResultTable, Search};
use spelunk_spl::MacroLibrary;

/// Runs `spl` over JSON-lines `rows` given as an `Endpoint.Processes` table.
fn run(rows: &[&str], spl: &str) -> ResultTable {
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("rows.jsonl");
    std::fs::write(&table, rows.join("\n") + "\n").unwrap();
    let mut catalog = Catalog::new();
    catalog
        .add_table_arg(&format!("Endpoint.Processes={}", table.display()))
        .unwrap();
    let search = Search::prepare(spl, &MacroLibrary::with_builtins()).unwrap();
    search.run(&catalog, chrono_tz::UTC).unwrap()
}

fn texts(table: &ResultTable) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Cell::Null => "<null>".to_string(),
                    Cell::Single(v) => v.clone(),
                    Cell::Multi(vs) => vs.join("|"),
                })
                .collect()
        })
        .collect()
}

const ROWS: &[&str] = &[
    r#"{"_time": 1700000000.9, "dest": "b", "process_name": "cmd.exe", "user": "u1", "process": "cmd /c x"}"#,
    r#"{"_time": 1700000100, "dest": "a", "process_name": "CMD.EXE", "process": "cmd /c y"}"#,
    r#"{"_time": 1700000200, "dest": "a", "process_name": "whoami.exe", "user": "u2", "process": "whoami"}"#,
    r#"{"_time": 1700000300, "dest": "B", "process_name": "cmd.exe", "user": "u1", "process": "cmd /c z"}"#,
];

#[test]
fn null_by_fields_drop_rows_without_fillnull_value() {
    let table = run(
        ROWS,
        "| tstats count from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe by Processes.dest Processes.process_id",
    );
    assert!(table.rows.is_empty(), "process_id is absent everywhere");
}

#[test]
fn fillnull_value_keeps_them_as_text() {
    let table = run(
        ROWS,
        "| tstats fillnull_value=null count from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe by Processes.dest Processes.process_id",
    );
    assert_eq!(
        table.columns,
        ["Processes.dest", "Processes.process_id", "count"]
    );
    assert_eq!(
        texts(&table),
        [["B", "null", "1"], ["a", "null", "1"], ["b", "null", "1"]],
        "byte order puts uppercase first; values match case-insensitively"
    );
}

#[test]
fn cim_fills_unknown_for_absent_user() {
    let table = run(
        ROWS,
        "| tstats count from datamodel=Endpoint.Processes by Processes.user | rename Processes.* as *",
    );
    assert_eq!(texts(&table), [["u1", "2"], ["u2", "1"], ["unknown", "1"]]);
}

#[test]
fn aggregates_are_named_by_their_text_and_values_sort_by_bytes() {
    let table = run(
        ROWS,
        "| tstats values(Processes.process_name) dc(Processes.dest) min(_time) max(_time) as last from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe",
    );
    assert_eq!(
        table.columns,
        [
            "values(Processes.process_name)",
            "dc(Processes.dest)",
            "min(_time)",
            "last"
        ]
    );
    assert_eq!(
        texts(&table),
        [["CMD.EXE|cmd.exe", "3", "1700000000.9", "1700000300"]]
    );
}

#[test]
fn no_by_fields_on_no_rows_gives_one_row_of_zero() {
    let table = run(
        ROWS,
        "| tstats count from datamodel=Endpoint.Processes where Processes.process_name=none.exe",
    );
    assert_eq!(texts(&table), [["0"]]);
}

#[test]
fn ctime_truncates_sub_seconds() {
    let table = run(
        ROWS,
        "| tstats min(_time) as firstTime from datamodel=Endpoint.Processes by Processes.dest | `drop_dm_object_name(Processes)` | `security_content_ctime(firstTime)` | search dest=b",
    );
    assert_eq!(
        texts(&table),
        [["B", "2023-11-14T22:18:20"], ["b", "2023-11-14T22:13:20"]]
    );
}

#[test]
fn rename_overwrites_and_table_shows_absent_fields() {
    let table = run(
        ROWS,
        "| tstats count from datamodel=Endpoint.Processes by Processes.dest Processes.user | rename Processes.dest as count | table count nothing_here",
    );
    assert_eq!(table.columns, ["count", "nothing_here"]);
    assert_eq!(texts(&table)[0], ["B", "<null>"]);
}

#[test]
fn not_keeps_absent_fields_and_ne_drops_them() {
    let spl = |filter: &str| {
        format!("| tstats count from datamodel=Endpoint.Processes by Processes.dest | rename Processes.* as * | search {filter}")
    };
    assert_eq!(texts(&run(ROWS, &spl("NOT missing=x"))).len(), 3);
    assert_eq!(texts(&run(ROWS, &spl("missing!=x"))).len(), 0);
    assert_eq!(texts(&run(ROWS, &spl("count>1"))), [["a", "2"]]);
}

/// Regression: the data model's calculated fields once panicked on a search whose filter
/// left no rows, when a literal met an empty column.
#[test]
fn calculated_fields_over_zero_rows_do_not_panic() {
    let table = run(
        &[r#"{"_time": 1, "vendor": "Acme", "product": "EDR", "process_name": "a.exe"}"#],
        "| tstats count from datamodel=Endpoint.Processes where Processes.process_name=b.exe by Processes.vendor_product",
    );
    assert!(table.rows.is_empty());
    let table = run(
        &[r#"{"_time": 1, "vendor": "Acme", "product": "EDR", "process_name": "a.exe"}"#],
        "| tstats count from datamodel=Endpoint.Processes by Processes.vendor_product",
    );
    assert_eq!(texts(&table), [["Acme EDR", "1"]]);
}

#[test]
fn unsupported_constructs_are_named() {
    let error = Search::prepare(
        "| tstats count from datamodel=Endpoint.Processes where earliest=-24h by Processes.dest",
        &MacroLibrary::with_builtins(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("earliest") && error.contains("not supported"),
        "{error}"
    );
    assert!(error.contains('^'), "{error}");
}

#[test]
fn an_unknown_time_format_variable_points_at_the_format() {
    let error = Search::prepare(
        "| tstats min(_time) as t from datamodel=Endpoint.Processes | convert timeformat=\"%Y %4Y\" ctime(t)",
        &MacroLibrary::with_builtins(),
    )
    .unwrap_err()
    .to_string();
    assert!(error.contains("%4Y") && error.contains('^'), "{error}");
}

#[test]
fn in_lists_and_ors_on_one_field_or_several() {
    let count = |filter: &str| {
        let spl = format!("| tstats count from datamodel=Endpoint.Processes where {filter}");
        texts(&run(ROWS, &spl))[0][0].clone()
    };
    assert_eq!(
        count(r#"Processes.process_name IN ("CMD.exe", "who*")"#),
        "4"
    );
    assert_eq!(
        count("Processes.process_name=whoami.exe OR Processes.dest=b"),
        "3"
    );
    assert_eq!(
        count("Processes.process_name=nothing OR Processes.process_name=*ami*"),
        "1"
    );
    assert_eq!(count("NOT Processes.process_name IN (cmd.exe)"), "1");
}
