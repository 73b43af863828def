//! Golden tests: input rows and the rows `stats`/`eventstats` give for them.

use super::*;
use crate::commands::test_support::{command, context, table};
use spelunk_spl::Command;

fn run_text(text: &str, input: ResultTable) -> Result<ResultTable, CommandError> {
    let Command::Stats(args) = command(text) else {
        panic!("not stats")
    };
    run(input, &args, &context())
}

fn sample() -> ResultTable {
    table(
        &["_time", "dest", "user", "process", "n"],
        &[
            &["300", "h2", "bob", "b.exe", "5"],
            &["100", "h1", "alice", "a.exe", "10"],
            &["200", "h1", "-", "B.exe", "x"],
            &["400", "h1", "bob|carol", "a.exe", "2"],
            &["250", "-", "dave", "c.exe", "1"],
        ],
    )
}

#[test]
fn by_fields_first_then_aggregates_sorted_by_group() {
    let out = run_text(
        "| stats count values(process) as procs dc(process) min(n) max(n) sum(n) avg(n) \
         by dest",
        sample(),
    )
    .unwrap();
    let expected = table(
        &[
            "dest",
            "count",
            "procs",
            "dc(process)",
            "min(n)",
            "max(n)",
            "sum(n)",
            "avg(n)",
        ],
        &[
            &["h1", "3", "B.exe|a.exe", "2", "2", "10", "12", "6"],
            &["h2", "1", "b.exe", "1", "5", "5", "5", "5"],
        ],
    );
    assert_eq!(out, expected);
}

#[test]
fn multivalue_by_fields_split_and_null_by_fields_drop_the_row() {
    let out = run_text("| stats count list(process) as p by user", sample()).unwrap();
    let expected = table(
        &["user", "count", "p"],
        &[
            &["alice", "1", "a.exe"],
            &["bob", "2", "b.exe|a.exe"],
            &["carol", "1", "a.exe"],
            &["dave", "1", "c.exe"],
        ],
    );
    assert_eq!(out, expected);
}

#[test]
fn count_forms_first_last_earliest_latest() {
    let out = run_text(
        "| stats count(user) count(eval(n > 3)) as big first(process) last(process) \
         earliest(process) as e latest(user) as l",
        sample(),
    )
    .unwrap();
    let expected = table(
        &[
            "count(user)",
            "big",
            "first(process)",
            "last(process)",
            "e",
            "l",
        ],
        // `"x" > 3` compares as text and holds, so three rows count.
        &[&["5", "3", "b.exe", "c.exe", "a.exe", "bob|carol"]],
    );
    assert_eq!(out, expected);
}

#[test]
fn empty_input() {
    let empty = table(&["dest"], &[]);
    let out = run_text("| stats count dc(dest) values(dest)", empty.clone()).unwrap();
    assert_eq!(
        out,
        table(&["count", "dc(dest)", "values(dest)"], &[&["0", "0", "-"]])
    );
    let out = run_text("| stats count by dest", empty).unwrap();
    assert_eq!(out, table(&["dest", "count"], &[]));
}

#[test]
fn min_max_compare_numbers_numerically_and_text_by_bytes() {
    let input = table(&["v"], &[&["9"], &["10"], &["abc"], &["Abd"]]);
    let out = run_text("| stats min(v) max(v) values(v)", input).unwrap();
    assert_eq!(
        out,
        table(
            &["min(v)", "max(v)", "values(v)"],
            &[&["9", "10", "10|9|Abd|abc"]]
        )
    );
    let text = table(&["v"], &[&["b"], &["B"], &["a"]]);
    let out = run_text("| stats min(v) max(v) dc(v)", text).unwrap();
    assert_eq!(
        out,
        table(&["min(v)", "max(v)", "dc(v)"], &[&["B", "b", "3"]])
    );
}

#[test]
fn eventstats_adds_the_aggregates_to_every_row() {
    let out = run_text("| eventstats dc(process) as n count by dest", sample()).unwrap();
    let expected = table(
        &["_time", "dest", "user", "process", "n", "count"],
        &[
            &["300", "h2", "bob", "b.exe", "1", "1"],
            &["100", "h1", "alice", "a.exe", "2", "3"],
            &["200", "h1", "-", "B.exe", "2", "3"],
            &["400", "h1", "bob|carol", "a.exe", "2", "3"],
            &["250", "-", "dave", "c.exe", "-", "-"],
        ],
    );
    assert_eq!(out, expected);
}

#[test]
fn refusals() {
    let e = run_text("| stats values(*) AS x by dest", sample()).unwrap_err();
    assert!(e.unsupported && e.message.contains("as many `*`"), "{e}");
    let e = run_text("| stats values(*) AS a_*_* by dest", sample()).unwrap_err();
    assert!(e.unsupported, "{e}");
    let e = run_text("| stats count by d*", sample()).unwrap_err();
    assert!(e.unsupported && e.message.contains("BY"), "{e}");
    let e = run_text("| stats latest(x)", table(&["x"], &[&["1"]])).unwrap_err();
    assert!(e.message.contains("_time"), "{e}");
}

#[test]
fn a_wildcard_aggregate_stands_for_each_column_it_matches() {
    let out = run_text("| stats latest(*) AS * by dest", sample()).unwrap();
    // Every column but the BY field and `_time`, in column order; latest by `_time`.
    let expected = table(
        &["dest", "user", "process", "n"],
        &[
            &["h1", "bob|carol", "a.exe", "2"],
            &["h2", "bob", "b.exe", "5"],
        ],
    );
    assert_eq!(out, expected);

    let out = run_text("| stats dc(*s) AS distinct_*", sample()).unwrap();
    assert_eq!(out, table(&["distinct_proces"], &[&["4"]]));
    let out = run_text("| stats values(p*)", sample()).unwrap();
    assert_eq!(
        out,
        table(&["values(process)"], &[&["B.exe|a.exe|b.exe|c.exe"]])
    );
    let out = run_text("| stats max(_*) AS last", sample()).unwrap();
    assert_eq!(out, table(&["last"], &[&["400"]]));
}

#[test]
fn span_groups_time_in_buckets_from_local_midnight() {
    let input = table(
        &["_time", "n"],
        &[
            &["1700000000", "1"],
            &["1700003599", "2"],
            &["1700006400", "4"],
            &["-", "8"],
            &["soon", "16"],
        ],
    );
    let out = run_text("| stats sum(n) as n by _time span=1h", input).unwrap();
    let expected = table(
        &["_time", "n"],
        &[
            &["1699999200", "1"],
            &["1700002800", "2"],
            &["1700006400", "4"],
            &["soon", "16"],
        ],
    );
    assert_eq!(out, expected);
    let err = run_text("| stats count by _time span=1mon", table(&["_time"], &[]));
    assert!(err.unwrap_err().unsupported);
}
