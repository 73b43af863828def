//! Layouts, line numbers and skips of the JSON reader.

use std::path::Path;

use super::*;
use crate::read::{read_bytes, ReadOutput};

/// A flat Sysmon process creation with process id `pid`, on one line.
fn flat(pid: usize) -> String {
    format!(
        concat!(
            r#"{{"EventTime":"2024-05-06 07:08:09","Hostname":"pc","EventID":1,"#,
            r#""SourceName":"Microsoft-Windows-Sysmon","#,
            r#""Channel":"Microsoft-Windows-Sysmon/Operational","ProcessId":"{}"}}"#
        ),
        pid
    )
}

/// The same event in the evtx_dump shape, pretty-printed over 15 lines.
fn pretty(pid: usize) -> String {
    format!(
        "{{\n  \"Event\": {{\n    \"System\": {{\n      \"Provider\": {{\n        \
         \"#attributes\": {{\"Name\": \"Microsoft-Windows-Sysmon\"}}\n      }},\n      \
         \"EventID\": 1,\n      \"TimeCreated\": {{\"#attributes\": \
         {{\"SystemTime\": \"2024-05-06T07:08:09.1234567Z\"}}}},\n      \
         \"Channel\": \"Microsoft-Windows-Sysmon/Operational\"\n    }},\n    \
         \"EventData\": {{\n      \"ProcessId\": {pid}\n    }}\n  }}\n}}\n"
    )
}

fn read_text(text: &str) -> ReadOutput {
    read_bytes(Path::new("t.json"), text.as_bytes()).expect("JSON is a known format")
}

fn pids(out: &ReadOutput) -> Vec<String> {
    let table = &out.tables["Endpoint.Processes"];
    (0..table.len())
        .filter_map(|r| table.value(r, "process_id").map(str::to_owned))
        .collect()
}

fn skips(out: &ReadOutput) -> Vec<(usize, SkipReason)> {
    let skips = out.report.skipped.iter();
    skips.map(|s| (s.line, s.reason.clone())).collect()
}

#[test]
fn layouts_are_told_apart_by_the_first_line() {
    assert!(is_json_lines(b"\n  {\"a\":1}\r\n{"));
    assert!(is_json_lines(b"[{\"a\":1}]\n"));
    assert!(!is_json_lines(b"{\n\"a\":1}\n"));
    assert!(!is_json_lines(b"[\n{\"a\":1}]"));
    assert!(!is_json_lines(b"{\"a\":1"));
    assert!(!is_json_lines(b"{"));
    assert!(!is_json_lines(b"  \n\n"));
}

#[test]
fn json_lines_skip_bad_lines_with_their_column() {
    let text = format!(
        "{}\n\n{}\r\n{{\"a\":1,}}\n[1,{}]\n\"text\"\n{{\"a\":1}} x\n{}",
        flat(1),
        flat(2),
        flat(4),
        &flat(9)[..40]
    );
    let out = read_text(&text);
    assert_eq!(pids(&out), ["1", "2", "4"]);
    assert_eq!(out.report.blank_lines, 1);
    assert_eq!(out.report.events, 3);
    let got = skips(&out);
    assert_eq!(got.len(), 5, "{got:#?}");
    assert!(
        matches!(
            &got[0],
            (
                4,
                SkipReason::BadJson {
                    line: 4,
                    column: 8,
                    ..
                }
            )
        ),
        "{got:?}"
    );
    assert_eq!(got[1], (5, SkipReason::NotAnObject { found: "a number" }));
    assert_eq!(got[2], (6, SkipReason::NotAnObject { found: "a string" }));
    assert!(
        matches!(&got[3], (7, SkipReason::BadJson { line: 7, column: 9, message })
            if message == "trailing characters"),
        "{got:?}"
    );
    assert_eq!(got[4], (8, SkipReason::TruncatedJson));
}

#[test]
fn json_lines_in_many_chunks_keep_order_and_numbers() {
    let mut text = String::new();
    let mut bad = Vec::new();
    for n in 1..=8000 {
        if n % 499 == 0 {
            text.push_str("{\"broken\":\n");
            bad.push(n);
        } else {
            text.push_str(&flat(n));
            text.push('\n');
        }
    }
    assert!(text.len() > 2 * CHUNK_BYTES, "spans several chunks");
    let out = read_text(&text);
    let lines: Vec<usize> = out.report.skipped.iter().map(|s| s.line).collect();
    assert_eq!(lines, bad);
    let want: Vec<String> = (1..=8000)
        .filter(|n| n % 499 != 0)
        .map(|n| n.to_string())
        .collect();
    assert_eq!(pids(&out), want);
}

#[test]
fn concatenated_objects_resume_after_a_broken_one() {
    let broken = pretty(2).replace("\"EventID\": 1,", "\"EventID\": 1,,");
    let text = format!(
        "\u{FEFF}{}\n{}{}{}",
        pretty(1),
        broken,
        pretty(3),
        &pretty(4)[..60]
    );
    let out = read_text(&text);
    assert_eq!(pids(&out), ["1", "3"]);
    let got = skips(&out);
    // Object 1 is lines 1-15, then a blank line; object 2 starts on line 17 and breaks on its
    // seventh line; object 3 is lines 32-46 and the cut object 4 starts on line 47.
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(
        matches!(
            &got[0],
            (
                17,
                SkipReason::BadJson {
                    line: 23,
                    column: 20,
                    ..
                }
            )
        ),
        "{got:?}"
    );
    assert_eq!(got[1], (47, SkipReason::TruncatedJson));
    assert_eq!(out.report.blank_lines, 1);
}

#[test]
fn several_values_on_one_line_of_a_stream_keep_their_columns() {
    let text = "{\"a\":\n1} {\"b\":2} {\"c\" 3}\n{\"d\":4}";
    let out = read_text(text);
    assert_eq!(out.report.events, 3);
    assert!(
        matches!(
            skips(&out).as_slice(),
            [(
                2,
                SkipReason::BadJson {
                    line: 2,
                    column: 17,
                    ..
                }
            )]
        ),
        "{:?}",
        skips(&out)
    );
}

#[test]
fn a_top_level_array_gives_each_element_its_line() {
    let text = format!(
        "[\n  {},\n  {}\n  ,\"x\"\n  ,{{\"a\":}}\n  ,{}\n]\n",
        flat(1),
        flat(2),
        flat(3)
    );
    let out = read_text(&text);
    assert_eq!(pids(&out), ["1", "2", "3"]);
    let got = skips(&out);
    assert_eq!(got[0], (4, SkipReason::NotAnObject { found: "a string" }));
    assert!(
        matches!(got[1], (5, SkipReason::BadJson { line: 5, .. })),
        "{got:?}"
    );
    assert_eq!(got.len(), 2);

    let unclosed = format!("[\n{},\n{}\n", flat(1), flat(2));
    let out = read_text(&unclosed);
    assert_eq!(pids(&out), ["1", "2"]);
    assert_eq!(skips(&out), [(1, SkipReason::TruncatedJson)]);

    let cut = format!("[\n{},\n{}", flat(1), &flat(2)[..30]);
    let out = read_text(&cut);
    assert_eq!(pids(&out), ["1"]);
    assert_eq!(
        skips(&out),
        [(3, SkipReason::TruncatedJson)],
        "one skip, not two"
    );
}

#[test]
fn empty_and_odd_json_does_not_panic() {
    for text in [
        "[]",
        "{}",
        "[[]]",
        "[",
        "{",
        "[1,2",
        "{\"Event\":null}",
        "{\"Event\":{\"System\":[],\"EventData\":\"x\"}}",
        "{\"System\":{},\"EventData\":{\"Data\":null}}",
        "{\"event_simpleName\":\"ProcessRollup2\"}",
        "{\"event_simpleName\":\"ProcessRollup2\",\"timestamp\":\"soon\"}",
        "\u{FEFF}",
        "{\"a\":\"\\ud800\"}",
        "{\"a\":\"\u{FFFD}\"}",
    ] {
        let out = read_bytes(Path::new("t.json"), text.as_bytes()).expect("known");
        assert_eq!(out.report.mapped_total(), 0, "{text}");
    }
    for text in ["]", "}"] {
        let err = read_bytes(Path::new("t.json"), text.as_bytes()).expect_err("not JSON events");
        assert!(
            matches!(err, crate::ReadError::UnknownFormat { .. }),
            "{err}"
        );
    }
    let invalid_utf8 = b"{\"a\":\"\xFF\"}\n";
    let out = read_bytes(Path::new("t.json"), invalid_utf8).expect("known");
    assert!(matches!(
        skips(&out).as_slice(),
        [(1, SkipReason::BadJson { line: 1, .. })]
    ));
    let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    let out = read_text(&deep);
    assert_eq!(out.report.skipped.len(), 1);
}

#[test]
fn a_claimed_event_without_a_usable_time_is_skipped() {
    let no_time = flat(1).replace(r#""EventTime":"2024-05-06 07:08:09","#, "");
    let bad_time = flat(2).replace("2024-05-06 07:08:09", "06/05/2024");
    let text = format!("{no_time}\n{bad_time}\n");
    let out = read_text(&text);
    assert_eq!(
        skips(&out),
        [
            (1, SkipReason::MissingTime),
            (
                2,
                SkipReason::BadTime {
                    value: "06/05/2024".into()
                }
            )
        ]
    );
}
