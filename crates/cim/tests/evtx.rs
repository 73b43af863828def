//! The real EVTX files of the shared folder: every one reads with no skips and the counts of
//! PROVENANCE.md, one Sysmon and one Security 4688 row are checked field by field, and the
//! same files cut short or damaged give skips or a format error, never a panic. Skipped, with
//! a message, when the shared folder is absent.

mod common;

use common::{assert_fields, datasets, processes, row_where, SECURITY, SYSMON};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use spelunk_cim::{read_bytes, ReadError, ReadOutput, SkipReason};

const MSI: &str = "evtx__evtx-attack-samples__Exec_sysmon_meterpreter_reversetcp_msipackage.evtx";
const WINSOCK: &str =
    "evtx__evtx-attack-samples__Persistence_Winsock_Catalog_Change_EventId_1.evtx";
const TASK: &str = "evtx__evtx-to-mitre-attack__ID4688-Scheduled_task_creation.evtx";
const BITS: &str = "evtx__evtx-to-mitre-attack__ID4688-BITS_transfer_initiated.evtx";
const SNIP: &str = "evtx__sigma_regression__cve_2026_33829_windowsapps_snippingtool.evtx";

/// File header plus one chunk, the size of every shared EVTX file.
const HEADER: usize = 4096;

fn bytes_of(dir: &Path, file: &str) -> Vec<u8> {
    let path = dir.join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read(name: &str, bytes: &[u8]) -> ReadOutput {
    read_bytes(Path::new(name), bytes).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every event is a row, unmapped, or a skip, and skips are EVTX faults.
fn assert_accounted(name: &str, out: &ReadOutput) {
    let report = &out.report;
    let normalizer_skips = report
        .skipped
        .iter()
        .filter(|s| {
            matches!(
                s.reason,
                SkipReason::MissingTime | SkipReason::BadTime { .. }
            )
        })
        .count();
    assert_eq!(
        report.events,
        report.mapped_total() + report.unmapped + normalizer_skips,
        "{name}"
    );
    let rows: usize = out.tables.values().map(|t| t.len()).sum();
    assert_eq!(rows, report.mapped_total(), "{name}");
}

#[test]
fn every_evtx_file_reads_cleanly_with_the_documented_counts() {
    let Some(dir) = datasets() else { return };
    // (file, events, Endpoint.Processes rows per source), from PROVENANCE.md.
    type Case = (&'static str, usize, &'static [(&'static str, usize)]);
    let cases: &[Case] = &[
        (MSI, 8, &[(SYSMON, 4)]),
        // EventID 1 of Microsoft-Windows-Winsock-WS2HELP is not a Sysmon process creation.
        (WINSOCK, 2, &[]),
        (TASK, 1, &[(SECURITY, 1)]),
        (BITS, 2, &[(SECURITY, 2)]),
        (SNIP, 2, &[(SYSMON, 2)]),
    ];

    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .expect("the shared folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".evtx"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = cases.iter().map(|c| c.0.to_owned()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "every shared EVTX file has a case here");

    for (file, events, per_source) in cases {
        let out = read(file, &bytes_of(&dir, file));
        let report = &out.report;
        let skips: Vec<String> = report.skipped.iter().map(ToString::to_string).collect();
        assert!(skips.is_empty(), "{file}: {skips:#?}");
        assert_eq!(report.files, 1, "{file}");
        assert_eq!(report.events, *events, "{file}");

        let want: BTreeMap<&str, usize> = per_source.iter().copied().collect();
        assert_eq!(report.processes_by_source(), want, "{file}");
        let rows: usize = want.values().sum();
        assert_eq!(processes(&out).len(), rows, "{file}");
        // Other events go to other data sets (the Sysmon 13 of the MSI file to Registry) or
        // are unmapped.
        assert_eq!(report.unmapped + report.mapped_total(), *events, "{file}");
    }
}

#[test]
fn sysmon_row_of_the_msi_payload_matches_the_file() {
    let Some(dir) = datasets() else { return };
    let out = read(MSI, &bytes_of(&dir, MSI));
    let table = processes(&out);
    let row = row_where(table, "process_id", "3680");

    // TimeCreated SystemTime 2019-04-30T22:49:09.7608510Z (FILETIME 132011381497608510).
    assert!((table.time[row] - 1_556_664_549.760_851).abs() < 1e-6);
    let payload = r"C:\Windows\Installer\MSI4FFD.tmp";
    let hashes = concat!(
        "SHA1=06B1640F88EDC6A7CE3303CB14A505A86B061616,",
        "MD5=E40CF1CC132F25719F86F0FC5870910D,",
        "SHA256=A89385CCD4BE489CD069C65DA10A0B952CB3DE9090EF4C9F02E1368392CD66C5,",
        "IMPHASH=481F47BBB2C9C21E108D65F52B04C448"
    );
    assert_fields(
        table,
        row,
        &[
            ("host", Some("IEWIN7")),
            ("source", Some(SYSMON)),
            ("sourcetype", Some("XmlWinEventLog")),
            ("action", Some("allowed")),
            ("dest", Some("IEWIN7")),
            ("process", Some(&format!("\"{payload}\""))),
            ("process_path", Some(payload)),
            ("process_name", Some("MSI4FFD.tmp")),
            ("process_exec", Some("MSI4FFD.tmp")),
            // A UInt32 in the record: decimal, as Windows renders it.
            ("process_id", Some("3680")),
            // A GUID in the record: braced and upper case, as Windows 7 renders it.
            (
                "process_guid",
                Some("{365ABB72-D0E4-5CC8-0000-00103CB73E00}"),
            ),
            ("process_hash", Some(hashes)),
            ("process_integrity_level", Some("High")),
            ("process_current_directory", Some(r"C:\Windows\system32\")),
            // This Sysmon schema has no OriginalFileName.
            ("original_file_name", None),
            (
                "parent_process",
                Some(r"C:\Windows\system32\msiexec.exe /V"),
            ),
            (
                "parent_process_path",
                Some(r"C:\Windows\System32\msiexec.exe"),
            ),
            ("parent_process_name", Some("msiexec.exe")),
            ("parent_process_exec", Some("msiexec.exe")),
            ("parent_process_id", Some("2080")),
            (
                "parent_process_guid",
                Some("{365ABB72-D0DA-5CC8-0000-0010216F3C00}"),
            ),
            ("user", Some(r"IEWIN7\IEUser")),
            // System/Security/@UserID, a SID in the record.
            ("user_id", Some("S-1-5-18")),
            ("vendor_product", Some("Microsoft Sysmon")),
        ],
    );
}

#[test]
fn security_4688_row_of_the_scheduled_task_matches_the_file() {
    let Some(dir) = datasets() else { return };
    let out = read(TASK, &bytes_of(&dir, TASK));
    let table = processes(&out);
    assert_eq!(table.len(), 1);
    let row = 0;

    // TimeCreated SystemTime 2020-07-11T21:09:03.2492409Z.
    assert!((table.time[row] - 1_594_501_743.249_24).abs() < 1e-6);
    let schtasks = r"C:\Windows\System32\schtasks.exe";
    let cmd = r"C:\Windows\System32\cmd.exe";
    // CommandLine `schtasks  /create …`: its first token has no backslash, so the TA writes
    // NewProcessName and the arguments.
    let process =
        format!("{schtasks} /create /s fs02 /tn tasks_test_hacker2 /tr myapp.exe /sc daily /mo 10");
    assert_fields(
        table,
        row,
        &[
            ("host", Some("jump01.offsec.lan")),
            ("source", Some(SECURITY)),
            ("sourcetype", Some("XmlWinEventLog")),
            // Keywords 0x8020000000000000, an audit success.
            ("action", Some("allowed")),
            ("dest", Some("jump01.offsec.lan")),
            ("process", Some(&process)),
            ("process_path", Some(schtasks)),
            ("process_name", Some("schtasks.exe")),
            ("process_exec", Some("schtasks.exe")),
            // HexInt64 values in the record: lower-case 0x…, as in Splunk's XML export.
            ("process_id", Some("0x1e18")),
            ("parent_process_id", Some("0xcd4")),
            ("parent_process", Some(cmd)),
            ("parent_process_path", Some(cmd)),
            ("parent_process_name", Some("cmd.exe")),
            // TargetUserName is "-", so SubjectUserName.
            ("user", Some("lambda-user")),
            // This record's System/Security has no UserID.
            ("user_id", None),
            ("vendor_product", Some("Microsoft Windows")),
            ("vendor", Some("Microsoft")),
            ("product", Some("Windows")),
            ("process_guid", None),
        ],
    );
}

#[test]
fn the_snipping_tool_file_gives_its_two_sysmon_rows() {
    let Some(dir) = datasets() else { return };
    let out = read(SNIP, &bytes_of(&dir, SNIP));
    let table = processes(&out);
    assert_eq!(out.report.processes_by_source().get(SYSMON), Some(&2));
    let tool = concat!(
        r"C:\Program Files\WindowsApps\Microsoft.ScreenSketch_11.2601.12.0_arm64__8wekyb3d8bbwe",
        r"\SnippingTool\SnippingTool.exe"
    );
    for (pid, guid) in [
        ("6180", "{0197231E-F943-69E5-A527-000000000800}"),
        ("16492", "{0197231E-F948-69E5-A727-000000000800}"),
    ] {
        let row = row_where(table, "process_id", pid);
        assert_fields(
            table,
            row,
            &[
                ("process_path", Some(tool)),
                ("process_guid", Some(guid)),
                // `-` as written by Sysmon for a packaged app.
                ("original_file_name", Some("-")),
                ("parent_process_name", Some("msedge.exe")),
                ("user", Some(r"swachchhanda\xodih")),
            ],
        );
    }
}

#[test]
fn files_cut_short_give_the_records_before_the_cut_and_say_so() {
    let Some(dir) = datasets() else { return };
    for file in [MSI, TASK, SNIP] {
        let whole = bytes_of(&dir, file);
        let full = read(file, &whole);
        let full_ids = processes(&full)
            .column("process_id")
            .unwrap_or_default()
            .to_vec();

        let mut last_events = 0;
        for cut in (HEADER..whole.len()).step_by(1009).chain([whole.len() / 2]) {
            let out = read(file, &whole[..cut]);
            assert_accounted(file, &out);
            let report = &out.report;
            assert!(report.events <= full.report.events, "{file} cut at {cut}");
            // Records lost to the cut are said to be lost.
            let said = report
                .skipped
                .iter()
                .any(|s| matches!(&s.reason, SkipReason::BadChunk { chunk: 0, .. }));
            let lost = report.events < full.report.events;
            assert_eq!(said, lost, "{file} cut at {cut}: {:?}", report.skipped);
            // The rows read are the first rows of the whole file.
            let ids = processes(&out).column("process_id").unwrap_or_default();
            assert_eq!(ids, &full_ids[..ids.len()], "{file} cut at {cut}");
            if cut != whole.len() / 2 {
                assert!(report.events >= last_events, "{file} cut at {cut}");
                last_events = report.events;
            }
        }
    }
}

#[test]
fn files_cut_inside_the_header_are_format_errors() {
    let Some(dir) = datasets() else { return };
    let whole = bytes_of(&dir, MSI);
    for cut in [8, 100, 128, HEADER / 2, HEADER - 1] {
        match read_bytes(Path::new("cut.evtx"), &whole[..cut]) {
            Err(ReadError::Format { path, message }) => {
                assert_eq!(path, Path::new("cut.evtx"));
                assert!(message.contains("truncated"), "{message}");
            }
            other => panic!("cut at {cut}: expected a format error, got {other:?}"),
        }
    }
    // Fewer bytes than the magic are in no known format.
    let err = read_bytes(Path::new("cut.evtx"), &whole[..4]).unwrap_err();
    assert!(matches!(err, ReadError::UnknownFormat { .. }), "{err}");
    // A file cut right after its header holds no events, and says its chunk is missing.
    let out = read("header.evtx", &whole[..HEADER]);
    assert_eq!((out.report.files, out.report.events), (1, 0));
    let skips: Vec<(usize, &SkipReason)> = out
        .report
        .skipped
        .iter()
        .map(|s| (s.line, &s.reason))
        .collect();
    assert!(
        matches!(&skips[..], [(0, SkipReason::BadChunk { chunk: 0, message })]
            if message.contains("ends before this chunk")),
        "{skips:?}"
    );
    // An empty file holds no events in any format.
    assert_eq!(read("empty.evtx", b"").report.events, 0);
}

#[test]
fn random_bytes_after_a_valid_header_are_skipped_chunks() {
    let Some(dir) = datasets() else { return };
    let whole = bytes_of(&dir, MSI);
    let mut bytes = whole[..HEADER].to_vec();
    let mut state: u32 = 0x2545_f491;
    bytes.extend((0..3 * 65536).map(|_| {
        // xorshift32: repeatable noise.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state.to_le_bytes()[0]
    }));
    let out = read("noise.evtx", &bytes);
    assert_eq!(out.report.events, 0);
    let chunks: Vec<u64> = out
        .report
        .skipped
        .iter()
        .map(|s| match &s.reason {
            SkipReason::BadChunk { chunk, .. } if s.line == 0 => *chunk,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(chunks, [0, 1, 2]);

    // Noise after a real chunk: its records are read, the noise is one skipped chunk.
    let mut bytes = whole.clone();
    bytes.extend_from_slice(&[0xA5; 65536]);
    let out = read("tail.evtx", &bytes);
    assert_eq!(out.report.events, 8);
    assert_eq!(out.report.skipped.len(), 1, "{:?}", out.report.skipped);
}

#[test]
fn flipped_bytes_in_a_chunk_never_panic_and_every_record_is_accounted_for() {
    let Some(dir) = datasets() else { return };
    for file in [MSI, TASK, BITS, SNIP, WINSOCK] {
        let whole = bytes_of(&dir, file);
        let mut faults = 0;
        for at in (HEADER..whole.len()).step_by(211) {
            let mut bytes = whole.clone();
            bytes[at] ^= 0xff;
            let out = read(file, &bytes);
            assert_accounted(file, &out);
            for skip in &out.report.skipped {
                assert!(!skip.to_string().is_empty());
            }
            faults += out.report.skipped.len();
        }
        assert!(faults > 0, "{file}: no flip was noticed");
    }
}

#[test]
fn an_evtx_file_inside_a_zip_archive_is_read_as_a_file() {
    use std::io::Write;

    let Some(dir) = datasets() else { return };
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    writer.start_file("logs/task.evtx", options).unwrap();
    writer.write_all(&bytes_of(&dir, TASK)).unwrap();
    writer.start_file("logs/task.txt", options).unwrap();
    writer.write_all(b"notes").unwrap();
    let zip = writer.finish().unwrap().into_inner();

    let out = read("logs.zip", &zip);
    assert_eq!(out.report.files, 1);
    assert_eq!(out.report.processes_by_source().get(SECURITY), Some(&1));
    assert_eq!(
        out.report.skipped_files,
        [PathBuf::from("logs.zip!logs/task.txt")]
    );
}

#[test]
fn a_log_that_wrapped_around_is_read_from_its_oldest_chunk() {
    let Some(dir) = datasets() else { return };
    let sysmon = bytes_of(&dir, MSI);
    let security = bytes_of(&dir, TASK);
    // The 4688 chunk first, claiming records 100 to 100 (first and last record id of its
    // header), then the Sysmon chunk, whose records are 1 to 8: the Sysmon chunk is the oldest.
    let mut later = security[HEADER..].to_vec();
    later[24..32].copy_from_slice(&100u64.to_le_bytes());
    later[32..40].copy_from_slice(&100u64.to_le_bytes());
    let mut bytes = sysmon[..HEADER].to_vec();
    bytes.extend_from_slice(&later);
    bytes.extend_from_slice(&sysmon[HEADER..]);

    let out = read("wrapped.evtx", &bytes);
    assert!(out.report.skipped.is_empty(), "{:?}", out.report.skipped);
    let sources = processes(&out).column("source").unwrap_or_default();
    let mut want = vec![Some(SYSMON.to_owned()); 4];
    want.push(Some(SECURITY.to_owned()));
    assert_eq!(sources, want);
}
