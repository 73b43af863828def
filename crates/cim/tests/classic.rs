//! Splunk's classic `WinEventLog` text: a classic record gives the same row as the
//! `XmlWinEventLog` line of the same event, bad records are counted skips with their line
//! numbers, files may mix both shapes, and big files are read in parallel in order.
//!
//! The samples are written here, modelled on the attack_range events of
//! `../shared/datasets/splunk_xml__attack_data__T1003.002_sysmon_and_4688.log`; the last test
//! renders that file's own events as classic text when the shared folder is present.

mod common;

use common::processes;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use spelunk_cim::{read_bytes, read_paths, EventTable, ReadOutput, SkipReason};

const SECURITY_XML: &str = concat!(
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>",
    "<Provider Name='Microsoft-Windows-Security-Auditing' ",
    "Guid='{54849625-5478-4994-a5ba-3e3b0328c30d}'/><EventID>4688</EventID><Version>2</Version>",
    "<Level>0</Level><Task>13312</Task><Opcode>0</Opcode><Keywords>0x8020000000000000</Keywords>",
    "<TimeCreated SystemTime='2025-10-24T14:14:58.830193800Z'/><EventRecordID>12345",
    "</EventRecordID><Correlation/><Execution ProcessID='4' ThreadID='2356'/>",
    "<Channel>Security</Channel><Computer>ar-win-1.attackrange.local</Computer><Security/>",
    "</System><EventData><Data Name='SubjectUserSid'>S-1-5-18</Data>",
    "<Data Name='SubjectUserName'>AR-WIN-1$</Data>",
    "<Data Name='SubjectDomainName'>ATTACKRANGE</Data><Data Name='SubjectLogonId'>0x3e7</Data>",
    "<Data Name='NewProcessId'>0x1a2c</Data>",
    "<Data Name='NewProcessName'>C:\\Windows\\System32\\cmd.exe</Data>",
    "<Data Name='TokenElevationType'>%%1936</Data><Data Name='ProcessId'>0x994</Data>",
    "<Data Name='CommandLine'>cmd.exe /c whoami</Data>",
    "<Data Name='TargetUserSid'>S-1-0-0</Data><Data Name='TargetUserName'>-</Data>",
    "<Data Name='TargetDomainName'>-</Data><Data Name='TargetLogonId'>0x0</Data>",
    "<Data Name='ParentProcessName'>",
    "C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunkd.exe</Data>",
    "<Data Name='MandatoryLabel'>Mandatory Label\\System Mandatory Level</Data>",
    "</EventData></Event>\n"
);

/// The same 4688 event as the classic input writes it (milliseconds in the date line).
const SECURITY_CLASSIC: &str = "10/24/2025 02:14:58.830 PM
LogName=Security
EventCode=4688
EventType=0
ComputerName=ar-win-1.attackrange.local
SourceName=Microsoft Windows security auditing.
Type=Information
RecordNumber=12345
Keywords=Audit Success
TaskCategory=Process Creation
OpCode=Info
Message=A new process has been created.

Creator Subject:
\tSecurity ID:\t\tS-1-5-18
\tAccount Name:\t\tAR-WIN-1$
\tAccount Domain:\t\tATTACKRANGE
\tLogon ID:\t\t0x3E7

Target Subject:
\tSecurity ID:\t\tS-1-0-0
\tAccount Name:\t\t-
\tAccount Domain:\t\t-
\tLogon ID:\t\t0x0

Process Information:
\tNew Process ID:\t\t0x1a2c
\tNew Process Name:\tC:\\Windows\\System32\\cmd.exe
\tToken Elevation Type:\tTokenElevationTypeDefault (1)
\tMandatory Label:\t\tS-1-16-16384
\tCreator Process ID:\t0x994
\tCreator Process Name:\tC:\\Program Files\\SplunkUniversalForwarder\\bin\\splunkd.exe
\tProcess Command Line:\tcmd.exe /c whoami

Token Elevation Type indicates the type of token that was assigned to the new process.

Type 1 is a full token with no privileges removed or groups disabled.
";

const SYSMON_XML: &str = concat!(
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>",
    "<Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/>",
    "<EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode>",
    "<Keywords>0x8000000000000000</Keywords>",
    "<TimeCreated SystemTime='2025-10-24T14:14:51.751878600Z'/><EventRecordID>83619",
    "</EventRecordID><Correlation/><Execution ProcessID='2480' ThreadID='3748'/>",
    "<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>ar-win-1</Computer>",
    "<Security UserID='S-1-5-18'/></System><EventData><Data Name='RuleName'>-</Data>",
    "<Data Name='UtcTime'>2025-10-24 14:14:51.750</Data>",
    "<Data Name='ProcessGuid'>{2d9b1c52-89db-68fb-221d-010000006903}</Data>",
    "<Data Name='ProcessId'>116</Data>",
    "<Data Name='Image'>C:\\Windows\\System32\\whoami.exe</Data>",
    "<Data Name='FileVersion'>10.0.17763.1 (WinBuild.160101.0800)</Data>",
    "<Data Name='Description'>whoami - displays logged on user information</Data>",
    "<Data Name='Product'>Microsoft® Windows® Operating System</Data>",
    "<Data Name='Company'>Microsoft Corporation</Data>",
    "<Data Name='OriginalFileName'>whoami.exe</Data>",
    "<Data Name='CommandLine'>whoami  /priv</Data>",
    "<Data Name='CurrentDirectory'>C:\\Users\\Administrator\\</Data>",
    "<Data Name='User'>ATTACKRANGE\\Administrator</Data>",
    "<Data Name='LogonGuid'>{2d9b1c52-0eab-68f1-e703-000000000000}</Data>",
    "<Data Name='LogonId'>0x3e7</Data><Data Name='TerminalSessionId'>0</Data>",
    "<Data Name='IntegrityLevel'>High</Data>",
    "<Data Name='Hashes'>MD5=00000000000000000000000000000001,",
    "SHA256=0000000000000000000000000000000000000000000000000000000000000002,",
    "IMPHASH=00000000000000000000000000000003</Data>",
    "<Data Name='ParentProcessGuid'>{2d9b1c52-0eb0-68f1-3b00-000000006903}</Data>",
    "<Data Name='ParentProcessId'>2452</Data>",
    "<Data Name='ParentImage'>C:\\Windows\\System32\\cmd.exe</Data>",
    "<Data Name='ParentCommandLine'>\"C:\\Windows\\system32\\cmd.exe\" </Data>",
    "<Data Name='ParentUser'>ATTACKRANGE\\Administrator</Data></EventData></Event>\n"
);

const SYSMON_CLASSIC: &str = "10/24/2025 02:14:51.751 PM
LogName=Microsoft-Windows-Sysmon/Operational
EventCode=1
EventType=4
ComputerName=ar-win-1
User=NOT_TRANSLATED
Sid=S-1-5-18
SidType=0
SourceName=Microsoft-Windows-Sysmon
Type=Information
RecordNumber=83619
Keywords=None
TaskCategory=Process Create (rule: ProcessCreate)
OpCode=Info
Message=Process Create:
RuleName: -
UtcTime: 2025-10-24 14:14:51.750
ProcessGuid: {2d9b1c52-89db-68fb-221d-010000006903}
ProcessId: 116
Image: C:\\Windows\\System32\\whoami.exe
FileVersion: 10.0.17763.1 (WinBuild.160101.0800)
Description: whoami - displays logged on user information
Product: Microsoft® Windows® Operating System
Company: Microsoft Corporation
OriginalFileName: whoami.exe
CommandLine: whoami  /priv
CurrentDirectory: C:\\Users\\Administrator\\
User: ATTACKRANGE\\Administrator
LogonGuid: {2d9b1c52-0eab-68f1-e703-000000000000}
LogonId: 0x3E7
TerminalSessionId: 0
IntegrityLevel: High
Hashes: MD5=00000000000000000000000000000001,\
SHA256=0000000000000000000000000000000000000000000000000000000000000002,\
IMPHASH=00000000000000000000000000000003
ParentProcessGuid: {2d9b1c52-0eb0-68f1-3b00-000000006903}
ParentProcessId: 2452
ParentImage: C:\\Windows\\System32\\cmd.exe
ParentCommandLine: \"C:\\Windows\\system32\\cmd.exe\" 
ParentUser: ATTACKRANGE\\Administrator
";

fn read(content: &str) -> ReadOutput {
    read_bytes(Path::new("sample.log"), content.as_bytes()).expect("a readable file")
}

/// Every column's value on `row`, by name.
fn row(table: &EventTable, row: usize) -> Vec<(String, Option<String>)> {
    table
        .columns
        .iter()
        .map(|(name, values)| (name.clone(), values.get(row).cloned().flatten()))
        .collect()
}

fn skips(out: &ReadOutput) -> Vec<(usize, SkipReason)> {
    out.report
        .skipped
        .iter()
        .map(|s| (s.line, s.reason.clone()))
        .collect()
}

/// Asserts that row `a` of `left` and row `b` of `right` are the same row: every column
/// equal, `_time` equal to the millisecond the classic date line carries.
fn assert_same_row(left: &EventTable, a: usize, right: &EventTable, b: usize) {
    assert_eq!(row(left, a), row(right, b));
    let (ta, tb) = (left.time[a], right.time[b]);
    assert!((ta - tb).abs() < 1e-3, "_time {ta} against {tb}");
}

#[test]
fn a_classic_4688_gives_the_row_of_its_xml() {
    let xml = read(SECURITY_XML);
    let classic = read(SECURITY_CLASSIC);
    assert_eq!(classic.report.skipped, vec![]);
    assert_eq!(processes(&classic).len(), 1);
    assert_same_row(processes(&xml), 0, processes(&classic), 0);

    let t = processes(&classic);
    assert_eq!(t.value(0, "source"), Some("XmlWinEventLog:Security"));
    assert_eq!(t.value(0, "sourcetype"), Some("XmlWinEventLog"));
    assert_eq!(t.value(0, "user"), Some("AR-WIN-1$"), "Target is `-`");
    assert_eq!(t.value(0, "action"), Some("allowed"), "Audit Success");
    assert_eq!(t.value(0, "parent_process_id"), Some("0x994"));
    assert_eq!(
        t.value(0, "process"),
        Some(r"C:\Windows\System32\cmd.exe /c whoami")
    );
    assert_eq!(t.time[0], 1_761_315_298.83);
}

#[test]
fn a_classic_sysmon_process_create_gives_the_row_of_its_xml() {
    let xml = read(SYSMON_XML);
    let classic = read(SYSMON_CLASSIC);
    assert_eq!(classic.report.skipped, vec![]);
    assert_same_row(processes(&xml), 0, processes(&classic), 0);
    let t = processes(&classic);
    assert_eq!(t.value(0, "user_id"), Some("S-1-5-18"), "from Sid=");
    assert_eq!(
        t.value(0, "process_guid"),
        Some("{2d9b1c52-89db-68fb-221d-010000006903}")
    );
    assert_eq!(
        t.value(0, "parent_process"),
        Some("\"C:\\Windows\\system32\\cmd.exe\" "),
        "trailing space kept"
    );
}

#[test]
fn the_target_section_names_the_user() {
    let classic = SECURITY_CLASSIC.replace(
        "\tAccount Name:\t\t-\n\tAccount Domain:\t\t-",
        "\tAccount Name:\t\talice\n\tAccount Domain:\t\tATTACKRANGE",
    );
    let out = read(&classic);
    assert_eq!(processes(&out).value(0, "user"), Some("alice"));
}

#[test]
fn a_mixed_file_keeps_both_shapes_in_order() {
    let content = format!("{SECURITY_XML}{SYSMON_CLASSIC}\n{SYSMON_XML}{SECURITY_CLASSIC}");
    let out = read(&content);
    assert_eq!(out.report.skipped, vec![]);
    assert_eq!(out.report.events, 4);
    let t = processes(&out);
    assert_eq!(t.len(), 4);
    assert_same_row(t, 0, t, 3);
    assert_same_row(t, 1, t, 2);
    assert_eq!(t.value(0, "process_id"), Some("0x1a2c"));
    assert_eq!(t.value(1, "process_id"), Some("116"));
}

#[test]
fn a_file_opening_with_xml_is_mixed_when_a_record_follows() {
    // A record far down a file of XML lines still makes it a mixed file.
    let content = format!("{}{SYSMON_CLASSIC}", SYSMON_XML.repeat(100));
    let out = read(&content);
    assert_eq!(out.report.skipped, vec![]);
    assert_eq!(processes(&out).len(), 101);
}

/// A file being built, knowing the number of its next line.
#[derive(Default)]
struct Builder {
    text: String,
}

impl Builder {
    /// Appends `part` and returns the number of its first line.
    fn push(&mut self, part: &str) -> usize {
        let line = self.text.matches('\n').count() + 1;
        self.text.push_str(part);
        line
    }
}

#[test]
fn bad_records_are_skipped_at_their_first_line() {
    let mut file = Builder::default();
    let preamble = file.push("Exported by a search\nfrom Splunk\n\n");
    let good = file.push(SYSMON_CLASSIC);
    let no_code = file.push(&SYSMON_CLASSIC.replace("EventCode=1\n", ""));
    let garbled = file.push(&SYSMON_CLASSIC.replace("SidType=0\n", "SidType 0\n"));
    let bad_date = file.push(&SYSMON_CLASSIC.replace("10/24/2025", "10/32/2025"));
    let cut_short = file.push("10/24/2025 02:14:51 PM\nLogName=Security\n");
    let xml = file.push(SYSMON_XML);
    let stray = file.push("stray text\nmore\n");
    let bad_xml = file.push("<Event><System>\n");
    let last = file.push(SECURITY_CLASSIC);
    let garbled_line = garbled
        + SYSMON_CLASSIC
            .lines()
            .position(|l| l == "SidType=0")
            .unwrap();

    let out = read(&file.text);
    assert_eq!(
        skips(&out),
        vec![
            (
                preamble,
                SkipReason::NotARecord {
                    found: "text \"Exported by a search\"".into()
                }
            ),
            (no_code, SkipReason::MissingEventCode),
            (
                garbled,
                SkipReason::BadHeader {
                    line: garbled_line,
                    found: "text \"SidType 0\"".into()
                }
            ),
            (
                bad_date,
                SkipReason::BadDate {
                    value: "10/32/2025 02:14:51.751 PM".into()
                }
            ),
            (cut_short, SkipReason::RecordTruncated),
            (
                stray,
                SkipReason::NotARecord {
                    found: "text \"stray text\"".into()
                }
            ),
            (bad_xml, SkipReason::Truncated),
        ]
    );
    assert!(xml > cut_short);
    assert_eq!(out.report.events, 3, "{good}, {xml}, {last}");
    assert_eq!(out.report.blank_lines, 1, "the preamble's blank line");
    assert_eq!(processes(&out).len(), 3);
    let text = out.report.skipped[2].to_string();
    assert!(text.contains("garbled WinEventLog header"), "{text}");
}

#[test]
fn a_truncated_final_record_is_a_skip() {
    for cut in [
        "LogName=Micro",
        "10/24/2025 02:1",
        "10/24/2025 02:14:51.751 PM",
    ] {
        let end = SYSMON_CLASSIC.find(cut).unwrap() + cut.len();
        let content = format!("{SECURITY_CLASSIC}{}", &SYSMON_CLASSIC[..end]);
        let out = read(&content);
        let last = SECURITY_CLASSIC.lines().count() + 1;
        assert_eq!(
            skips(&out),
            vec![(last, SkipReason::RecordTruncated)],
            "{cut:?}"
        );
        assert_eq!(processes(&out).len(), 1, "{cut:?}");
    }
}

#[test]
fn every_cut_of_a_mixed_file_reads_without_panicking() {
    let content = format!("{SECURITY_CLASSIC}{SYSMON_XML}{SYSMON_CLASSIC}");
    let bytes = content.as_bytes();
    for end in 0..bytes.len() {
        // Either read, or an unknown format when the cut leaves no record start; never a
        // panic. Cuts inside a multi-byte character give invalid UTF-8, a counted skip.
        if let Ok(out) = read_bytes(Path::new("cut.log"), &bytes[..end]) {
            let r = &out.report;
            assert!(r.events + r.skipped.len() <= 3 + 1, "cut at {end}");
        }
    }
}

#[test]
fn hostile_bytes_are_skips_not_panics() {
    let cases: &[&[u8]] = &[
        b"10/24/2025 02:14:58 PM\n\xff\xfe=\n",
        b"10/24/2025 02:14:58 PM\nEventCode=1\nMessage=\xc3\n",
        b"10/24/2025 02:14:58 PM\r\n\r\n\r\n",
        b"10/24/2025 02:14:58 PM\nEventCode=1\nSourceName=Microsoft-Windows-Sysmon\nMessage=\n\
          Image: \nImage:\n:\n::::\n\t\t\n",
        b"10/24/2025 02:14:58 PM\nEventCode=4688\nSourceName=Microsoft Windows security auditing.\n\
          Message=\nProcess Information:\n\t:\n\t\tNew Process Name:\n\tNew Process Name\n",
        b"10/24/2025 02:14:58 PM\n=\nMessage=\n",
    ];
    for bytes in cases {
        let out = read_bytes(Path::new("x.log"), bytes).expect("classic text");
        let r = &out.report;
        assert_eq!(
            r.events + r.skipped.len(),
            1,
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    let out = read_bytes(
        Path::new("x.log"),
        b"10/24/2025 02:14:58 PM\nEventCode=1\nMessage=\xc3\n",
    )
    .unwrap();
    assert_eq!(skips(&out), vec![(3, SkipReason::NotUtf8 { column: 9 })]);
}

#[test]
fn empty_and_blank_files_hold_no_events() {
    for content in ["", "\n\n", "\u{feff}", " \r\n\t\n"] {
        let out = read(content);
        assert_eq!(out.report.events, 0);
        assert_eq!(out.report.skipped, vec![]);
    }
    // A date line alone is a record cut before its header.
    let out = read("\u{feff}10/24/2025 02:14:58 PM\n");
    assert_eq!(skips(&out), vec![(1, SkipReason::RecordTruncated)]);
    assert_eq!(out.report.files, 1);
}

#[test]
fn crlf_files_read_the_same() {
    let crlf = SYSMON_CLASSIC.replace('\n', "\r\n");
    let out = read(&crlf);
    assert_eq!(out.report.skipped, vec![]);
    assert_same_row(processes(&out), 0, processes(&read(SYSMON_XML)), 0);
}

#[test]
fn unclaimed_classic_events_are_unmapped() {
    let dns = SYSMON_CLASSIC.replace("EventCode=1\n", "EventCode=22\n");
    let logon = SECURITY_CLASSIC.replace("EventCode=4688\n", "EventCode=4624\n");
    let out = read(&format!("{dns}{logon}"));
    assert_eq!(out.report.events, 2);
    assert_eq!(out.report.unmapped, 2);
    assert!(processes(&out).is_empty());
}

#[test]
fn big_files_are_read_in_parallel_in_record_order() {
    // Well over one chunk (512 KiB): about 2.2 MB of records, each with its own process id.
    let mut content = String::new();
    let n = 1500;
    for i in 0..n {
        let record = if i % 2 == 0 {
            let id = 100_000 + i;
            SYSMON_CLASSIC.replace("ProcessId: 116\n", &format!("ProcessId: {id}\n"))
        } else {
            SECURITY_CLASSIC.replace("0x1a2c", &format!("{i:#x}"))
        };
        content.push_str(&record);
        if i % 100 == 0 {
            writeln!(content, "{}", SYSMON_XML.trim_end()).unwrap();
        }
    }
    content.push_str("10/24/2025 02:14:58 PM\nEventCode=1\n");
    let out = read(&content);
    let t = processes(&out);
    assert_eq!(t.len(), n + 15);
    let last_line = content.matches('\n').count() - 1;
    assert_eq!(skips(&out), vec![(last_line, SkipReason::RecordTruncated)]);

    let mut i = 0;
    for r in 0..t.len() {
        let id = t.value(r, "process_id").unwrap();
        if id == "116" {
            continue; // an XML line
        }
        let want = if i % 2 == 0 {
            (100_000 + i).to_string()
        } else {
            format!("{i:#x}")
        };
        assert_eq!(id, want, "row {r}");
        i += 1;
    }
    assert_eq!(i, n);
}

#[test]
fn classic_files_in_folders_are_read() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("spelunk-cim")
        .join("classic");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("a.log"), SECURITY_CLASSIC).unwrap();
    fs::write(dir.join("b.log"), SYSMON_XML).unwrap();
    let out = read_paths(&[dir]).unwrap();
    assert_eq!(out.report.files, 2);
    assert_eq!(processes(&out).len(), 2);
}

// --- The shared attack_range events, rendered as classic text ---------------------------

fn shared_file() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/datasets/splunk_xml__attack_data__T1003.002_sysmon_and_4688.log");
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("skipping: shared dataset not found at {}", path.display());
        None
    }
}

/// The text between `open` and `close` after `from` in `line`, and where it ends.
fn between<'a>(line: &'a str, from: usize, open: &str, close: &str) -> Option<(&'a str, usize)> {
    let start = line.get(from..)?.find(open)? + from + open.len();
    let len = line.get(start..)?.find(close)?;
    Some((line.get(start..start + len)?, start + len + close.len()))
}

fn unescape(value: &str) -> String {
    value
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// One XML line of the shared file as the classic input would write it: the header from
/// `System`, the Message from `EventData` (Sysmon's `Name: value` lines, or 4688's template).
fn render_classic(line: &str) -> String {
    let text = |open: &str, close: &str| between(line, 0, open, close).map_or("", |(v, _)| v);
    let mut data = Vec::new();
    let mut at = 0;
    while let Some((name, end)) = between(line, at, "<Data Name='", "'>") {
        let (value, end) = between(line, end - 2, "'>", "</Data>").unwrap();
        data.push((name, unescape(value)));
        at = end;
    }
    let get = |name: &str| {
        data.iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, v)| v.as_str())
    };

    // SystemTime 2025-10-24T14:14:58.830193800Z -> 10/24/2025 02:14:58.830 PM
    let time = text("SystemTime='", "'");
    let hour: u32 = time[11..13].parse().unwrap();
    let (hour12, half) = match hour {
        0 => (12, "AM"),
        1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        _ => (hour - 12, "PM"),
    };
    let mut out = format!(
        "{}/{}/{} {hour12:02}:{} {half}\n",
        &time[5..7],
        &time[8..10],
        &time[0..4],
        &time[14..23]
    );
    let provider = text("Provider Name='", "'");
    let sysmon = provider == "Microsoft-Windows-Sysmon";
    writeln!(out, "LogName={}", text("<Channel>", "</Channel>")).unwrap();
    writeln!(out, "EventCode={}", text("<EventID>", "</EventID>")).unwrap();
    writeln!(out, "ComputerName={}", text("<Computer>", "</Computer>")).unwrap();
    if let Some((sid, _)) = between(line, 0, "UserID='", "'") {
        writeln!(out, "Sid={sid}").unwrap();
    }
    if sysmon {
        out.push_str("SourceName=Microsoft-Windows-Sysmon\nKeywords=None\nMessage=Event:\n");
        for (name, value) in &data {
            writeln!(out, "{name}: {value}").unwrap();
        }
        return out;
    }
    out.push_str("SourceName=Microsoft Windows security auditing.\nKeywords=Audit Success\n");
    out.push_str("Message=A new process has been created.\n\nCreator Subject:\n");
    for (label, name) in [
        ("Security ID", "SubjectUserSid"),
        ("Account Name", "SubjectUserName"),
        ("Account Domain", "SubjectDomainName"),
        ("Logon ID", "SubjectLogonId"),
    ] {
        writeln!(out, "\t{label}:\t\t{}", get(name)).unwrap();
    }
    out.push_str("\nTarget Subject:\n");
    for (label, name) in [
        ("Security ID", "TargetUserSid"),
        ("Account Name", "TargetUserName"),
        ("Account Domain", "TargetDomainName"),
        ("Logon ID", "TargetLogonId"),
    ] {
        writeln!(out, "\t{label}:\t\t{}", get(name)).unwrap();
    }
    out.push_str("\nProcess Information:\n");
    for (label, name) in [
        ("New Process ID", "NewProcessId"),
        ("New Process Name", "NewProcessName"),
        ("Token Elevation Type", "TokenElevationType"),
        ("Mandatory Label", "MandatoryLabel"),
        ("Creator Process ID", "ProcessId"),
        ("Creator Process Name", "ParentProcessName"),
        ("Process Command Line", "CommandLine"),
    ] {
        writeln!(out, "\t{label}:\t{}", get(name)).unwrap();
    }
    out.push_str("\nToken Elevation Type indicates the type of token.\n");
    out
}

#[test]
fn the_shared_attack_range_events_read_the_same_as_classic_text() {
    let Some(path) = shared_file() else { return };
    let xml_text = fs::read_to_string(&path).unwrap();
    let xml = read_paths(&[path]).unwrap();
    let classic_text: String = xml_text.lines().map(render_classic).collect();
    let classic = read(&classic_text);

    assert_eq!(classic.report.skipped, vec![]);
    assert_eq!(classic.report.events, xml.report.events);
    assert_eq!(classic.report.mapped, xml.report.mapped);
    let (x, c) = (processes(&xml), processes(&classic));
    assert_eq!(x.len(), 9);
    assert_eq!(c.len(), x.len());
    for r in 0..x.len() {
        assert_same_row(x, r, c, r);
    }
}
