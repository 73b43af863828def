//! Reading hostile and odd input: every bad line becomes a counted skip with its 1-based line
//! number, bad files become clear errors, and nothing panics. All sample lines are written
//! here; none comes from a real log.

use std::fs;
use std::path::{Path, PathBuf};

use spelunk_cim::{read_bytes, read_paths, ReadError, ReadOutput, SkipReason};

/// A small Sysmon EventID 1 line with a given process id and start time.
fn sysmon(pid: usize, time: &str) -> String {
    format!(
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
         <Provider Name='Microsoft-Windows-Sysmon' Guid='{{00000000-0000-0000-0000-00000000000a}}'\
         />\
         <EventID>1</EventID><Keywords>0x8000000000000000</Keywords>\
         <TimeCreated SystemTime='{time}'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel>\
         <Computer>test-host</Computer><Security UserID='S-1-5-18'/></System><EventData>\
         <Data Name='ProcessId'>{pid}</Data><Data Name='Image'>C:\\Tools\\probe.exe</Data>\
         <Data Name='CommandLine'>probe.exe --run {pid}</Data><Data Name='User'>LAB\\tester</Data>\
         </EventData></Event>"
    )
}

fn ok_line(pid: usize) -> String {
    sysmon(pid, "2024-05-06T07:08:09.1234567Z")
}

/// An event of a provider no normalizer claims.
const OTHER_EVENT: &str = "<Event><System><Provider Name='Microsoft-Windows-Winsock-WS2HELP'/>\
     <EventID>1</EventID><TimeCreated SystemTime='2024-05-06T07:08:09Z'/></System></Event>";

fn read(content: &[u8]) -> ReadOutput {
    read_bytes(Path::new("sample.log"), content).expect("readable XML events")
}

fn skip_lines(out: &ReadOutput) -> Vec<(usize, SkipReason)> {
    out.report
        .skipped
        .iter()
        .map(|s| (s.line, s.reason.clone()))
        .collect()
}

/// A fresh folder for one test under cargo's scratch space.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("spelunk-cim")
        .join(test);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

#[test]
fn truncated_and_garbage_lines_are_skipped_with_their_line_numbers() {
    let full = ok_line(1);
    let content = format!(
        "{}\n{}\n\n{}\nnot xml at all\n{}\n",
        full,
        &full[..full.len() / 2],
        ok_line(2),
        OTHER_EVENT
    );
    let out = read(content.as_bytes());
    assert_eq!(
        skip_lines(&out),
        vec![
            (2, SkipReason::Truncated),
            (
                5,
                SkipReason::NotAnEvent {
                    found: "text \"not xml at all\"".into()
                }
            ),
        ]
    );
    assert_eq!(
        out.report.skipped[0].to_string(),
        "sample.log:2: truncated XML event: expected </Event>, found end of line"
    );
    assert_eq!(out.report.events, 3);
    assert_eq!(out.report.blank_lines, 1);
    assert_eq!(out.report.unmapped, 1);
    assert_eq!(out.report.mapped_total(), 2);
}

#[test]
fn empty_and_blank_files_hold_no_events() {
    for content in [
        &b""[..],
        b"\n\n  \r\n\t\n",
        b"\xEF\xBB\xBF",
        b"\xEF\xBB\xBF\r\n",
    ] {
        let out = read(content);
        assert_eq!(out.report.files, 1);
        assert_eq!(out.report.events, 0);
        assert!(out.report.skipped.is_empty());
        assert!(out.tables["Endpoint.Processes"].is_empty());
    }
    assert_eq!(read(b"\n\n  \r\n\t\n").report.blank_lines, 4);
}

#[test]
fn bom_and_crlf_are_tolerated() {
    let content = format!("\u{FEFF}{}\r\n{}\r\n", ok_line(1), ok_line(2));
    let out = read(content.as_bytes());
    assert!(out.report.skipped.is_empty(), "{:?}", out.report.skipped);
    let table = &out.tables["Endpoint.Processes"];
    assert_eq!(table.len(), 2);
    assert_eq!(table.value(1, "process_id"), Some("2"));
    assert_eq!(table.value(1, "user"), Some(r"LAB\tester"));
}

#[test]
fn invalid_utf8_is_a_skip_with_the_column() {
    let mut content = ok_line(1).into_bytes();
    content.push(b'\n');
    content.extend_from_slice(b"<Event><System>\xFF\xFE</System></Event>\n");
    content.extend_from_slice(ok_line(3).as_bytes());
    let out = read(&content);
    assert_eq!(
        skip_lines(&out),
        vec![(2, SkipReason::NotUtf8 { column: 16 })]
    );
    assert_eq!(out.report.mapped_total(), 2);
}

#[test]
fn utf16_files_are_an_unknown_format() {
    let utf16: Vec<u8> = "\u{FEFF}<Event/>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let err = read_bytes(Path::new("wide.log"), &utf16).expect_err("not UTF-8 XML");
    assert!(matches!(err, ReadError::UnknownFormat { ref path } if path == Path::new("wide.log")));
    assert!(
        err.to_string().starts_with("wide.log: unknown log format"),
        "{err}"
    );
}

#[test]
fn huge_lines_parse_or_skip_without_trouble() {
    let big_value = "A".repeat(4 << 20);
    let line = ok_line(1).replace("--run 1", &format!("--run {big_value}"));
    let garbage = "<".repeat(4 << 20);
    let content = format!("{line}\n{garbage}\n{}", ok_line(3));
    let out = read(content.as_bytes());
    assert_eq!(out.report.skipped.len(), 1);
    assert_eq!(out.report.skipped[0].line, 2);
    let table = &out.tables["Endpoint.Processes"];
    assert_eq!(table.len(), 2);
    let process = table.value(0, "process").unwrap_or_default();
    assert_eq!(process.len(), "probe.exe --run ".len() + big_value.len());
}

#[test]
fn deeply_nested_junk_is_skipped() {
    let depth = 200_000;
    let junk = format!(
        "<Event>{}{}</Event>",
        "<x>".repeat(depth),
        "</x>".repeat(depth)
    );
    let unclosed = format!("<Event>{}", "<x>".repeat(depth));
    let content = format!("{junk}\n{unclosed}\n{}\n", ok_line(3));
    let out = read(content.as_bytes());
    let lines: Vec<usize> = out.report.skipped.iter().map(|s| s.line).collect();
    assert_eq!(lines, vec![1, 2]);
    for skip in &out.report.skipped {
        assert!(matches!(skip.reason, SkipReason::TooDeep { .. }), "{skip}");
    }
    assert_eq!(out.report.mapped_total(), 1);
}

#[test]
fn unusable_times_of_mapped_events_are_skips() {
    let content = format!(
        "{}\n{}\n{}",
        sysmon(1, "yesterday"),
        ok_line(2),
        ok_line(3).replace(" SystemTime='2024-05-06T07:08:09.1234567Z'", "")
    );
    let out = read(content.as_bytes());
    assert_eq!(
        skip_lines(&out),
        vec![
            (
                1,
                SkipReason::BadTime {
                    value: "yesterday".into()
                }
            ),
            (3, SkipReason::MissingTime),
        ]
    );
    assert_eq!(out.report.events, 3);
    assert_eq!(out.report.mapped_total(), 1);
}

#[test]
fn sources_outside_the_add_on_rules_are_unmapped() {
    let forwarded_4688 = "<Event><System><Provider Name='Microsoft-Windows-Security-Auditing'/>\
         <EventID>4688</EventID><TimeCreated SystemTime='2024-05-06T07:08:09Z'/>\
         <Channel>ForwardedEvents</Channel></System></Event>";
    let sysmon_22 = ok_line(1).replace("<EventID>1</EventID>", "<EventID>22</EventID>");
    let content = format!("{OTHER_EVENT}\n{forwarded_4688}\n{sysmon_22}\n");
    let out = read(content.as_bytes());
    assert_eq!(out.report.events, 3);
    assert_eq!(out.report.unmapped, 3);
    assert!(out.report.mapped.is_empty());
}

#[test]
fn many_chunks_keep_line_order_and_line_numbers() {
    let lines = 6000;
    let mut content = String::new();
    let mut bad = Vec::new();
    for n in 1..=lines {
        if n % 997 == 0 {
            content.push_str("<Event><broken\n");
            bad.push(n);
        } else {
            content.push_str(&ok_line(n));
            content.push('\n');
        }
    }
    assert!(content.len() > 2 << 20, "spans several chunks");
    let out = read(content.as_bytes());

    let lines_skipped: Vec<usize> = out.report.skipped.iter().map(|s| s.line).collect();
    assert_eq!(lines_skipped, bad);
    let table = &out.tables["Endpoint.Processes"];
    let pids: Vec<usize> = (0..table.len())
        .filter_map(|r| table.value(r, "process_id")?.parse().ok())
        .collect();
    let want: Vec<usize> = (1..=lines).filter(|n| n % 997 != 0).collect();
    assert_eq!(pids, want);
}

#[test]
fn folders_are_read_recursively_in_sorted_order() {
    let dir = scratch("folders");
    fs::create_dir_all(dir.join("b_sub")).expect("subfolder");
    fs::write(dir.join("c.log"), ok_line(3)).expect("write");
    fs::write(dir.join("a.log"), ok_line(1)).expect("write");
    fs::write(dir.join("b_sub").join("x.log"), ok_line(2)).expect("write");
    fs::write(dir.join(".hidden"), "not a log").expect("write");
    fs::write(dir.join("empty.log"), "").expect("write");

    let out = read_paths(&[dir]).expect("readable");
    assert_eq!(out.report.files, 4);
    let table = &out.tables["Endpoint.Processes"];
    let pids: Vec<_> = (0..table.len())
        .map(|r| table.value(r, "process_id"))
        .collect();
    assert_eq!(pids, vec![Some("1"), Some("2"), Some("3")]);
}

#[test]
fn bad_paths_and_unknown_formats_are_errors_naming_the_file() {
    let dir = scratch("errors");
    let missing = dir.join("missing.log");
    match read_paths(std::slice::from_ref(&missing)) {
        Err(ReadError::Io { path, .. }) => assert_eq!(path, missing),
        other => panic!("expected an I/O error, got {other:?}"),
    }

    let good = dir.join("good.log");
    let csv = dir.join("table.csv");
    fs::write(&good, ok_line(1)).expect("write");
    fs::write(&csv, "process_name,user\ncmd.exe,bob\n").expect("write");
    match read_paths(&[good, csv.clone()]) {
        Err(ReadError::UnknownFormat { path }) => assert_eq!(path, csv),
        other => panic!("expected an unknown format, got {other:?}"),
    }
}
