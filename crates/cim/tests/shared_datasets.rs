//! The real Splunk XML logs of the shared folder: counts per source as PROVENANCE.md states
//! them, and every field of one Sysmon and two Security 4688 events checked against the bytes
//! of the files. Skipped, with a message, when the shared folder is absent.

mod common;

use common::{assert_fields, datasets, processes, read, row_where, SECURITY, SYSMON};

use std::collections::BTreeMap;

use spelunk_cim::{read_paths, ReadError};

#[test]
fn every_splunk_xml_log_reads_cleanly_with_the_documented_counts() {
    let Some(dir) = datasets() else { return };
    const PROCESSES: &str = "Endpoint.Processes";
    const FILESYSTEM: &str = "Endpoint.Filesystem";
    const TRAFFIC: &str = "Network_Traffic.All_Traffic";
    // (file, events, rows per (data set, source)); the rest of the events are unmapped.
    type Case = (
        &'static str,
        usize,
        &'static [(&'static str, &'static str, usize)],
    );
    let cases: &[Case] = &[
        (
            "splunk_xml__attack_data__T1218_lolbas_with_network_traffic.log",
            6,
            &[(PROCESSES, SYSMON, 3), (TRAFFIC, SYSMON, 3)],
        ),
        (
            "splunk_xml__attack_data__T1036.002_rtlo_events.log",
            14,
            &[
                (PROCESSES, SYSMON, 5),
                (PROCESSES, SECURITY, 2),
                (FILESYSTEM, SYSMON, 7),
            ],
        ),
        (
            // The one Sysmon EventID 22 (DNS query) maps to no data set yet.
            "splunk_xml__attack_data__T1003.002_sysmon_and_4688.log",
            10,
            &[(PROCESSES, SYSMON, 4), (PROCESSES, SECURITY, 5)],
        ),
        (
            "splunk_xml__attack_data__shieldbreak_system_integrity_process.log",
            1,
            &[(PROCESSES, SYSMON, 1)],
        ),
    ];
    for (file, events, per_source) in cases {
        let out = read(&dir, file);
        let report = &out.report;
        let skips: Vec<String> = report.skipped.iter().map(ToString::to_string).collect();
        assert!(skips.is_empty(), "{file}: {skips:#?}");
        assert_eq!(report.files, 1, "{file}");
        assert_eq!(report.events, *events, "{file}");

        let want: BTreeMap<(String, String), usize> = per_source
            .iter()
            .map(|(d, s, n)| (((*s).to_owned(), (*d).to_owned()), *n))
            .collect();
        assert_eq!(report.mapped, want, "{file}");
        assert_eq!(report.unmapped, events - report.mapped_total(), "{file}");
        for (dataset, table) in &out.tables {
            let rows: usize = report.rows_by_source(dataset).values().sum();
            assert_eq!(table.len(), rows, "{file}: {dataset}");
        }
    }
}

#[test]
fn sysmon_event_fields_match_the_file() {
    let Some(dir) = datasets() else { return };
    let out = read(
        &dir,
        "splunk_xml__attack_data__T1003.002_sysmon_and_4688.log",
    );
    let table = processes(&out);
    let row = row_where(
        table,
        "process_guid",
        "{2d9b1c52-89db-68fb-221d-010000006903}",
    );

    // TimeCreated SystemTime='2025-10-24T14:14:51.751878600Z'
    assert!((table.time[row] - 1_761_315_291.751_878_6).abs() < 1e-6);
    let bin = r"C:\Program Files\SplunkUniversalForwarder\bin";
    let image = format!(r"{bin}\splunk-regmon.exe");
    let command = format!(r#""{image}""#);
    let parent_image = format!(r"{bin}\splunkd.exe");
    let parent_command = format!(r#""{parent_image}" service"#);
    let hashes = concat!(
        "MD5=F1B469DA7803AFE04870B4871CC0F695,",
        "SHA256=8198111A755A6918B5559B548574061A41EF5AACAE706DD154936CFEC6E6432E,",
        "IMPHASH=AEB21630574EF01A3A5116CB58C5AC56"
    );
    assert_fields(
        table,
        row,
        &[
            ("host", Some("ar-win-1")),
            ("source", Some(SYSMON)),
            ("sourcetype", Some("XmlWinEventLog")),
            ("action", Some("allowed")),
            ("dest", Some("ar-win-1")),
            ("process", Some(&command)),
            ("process_path", Some(&image)),
            ("process_name", Some("splunk-regmon.exe")),
            ("process_exec", Some("splunk-regmon.exe")),
            ("process_id", Some("116")),
            ("process_hash", Some(hashes)),
            ("process_integrity_level", Some("System")),
            ("process_current_directory", Some(r"C:\Windows\system32\")),
            ("original_file_name", Some("splunk-regmon.exe")),
            ("parent_process", Some(&parent_command)),
            ("parent_process_path", Some(&parent_image)),
            ("parent_process_name", Some("splunkd.exe")),
            ("parent_process_exec", Some("splunkd.exe")),
            ("parent_process_id", Some("2452")),
            (
                "parent_process_guid",
                Some("{2d9b1c52-0eb0-68f1-3b00-000000006903}"),
            ),
            ("user", Some(r"NT AUTHORITY\SYSTEM")),
            ("user_id", Some("S-1-5-18")),
            ("vendor_product", Some("Microsoft Sysmon")),
            ("vendor", None),
            ("product", None),
        ],
    );
}

#[test]
fn sysmon_entities_are_decoded() {
    let Some(dir) = datasets() else { return };
    let out = read(
        &dir,
        "splunk_xml__attack_data__T1218_lolbas_with_network_traffic.log",
    );
    let table = processes(&out);
    let row = row_where(table, "process_id", "2536");
    let want = concat!(
        r#""C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" -Command "#,
        r#""& 'C:\Temp\lolbas_test.ps1'{dddbfd6d-8a8a-45f4-bafe-9e1b4621eb1d}'"#
    );
    assert_eq!(table.value(row, "process"), Some(want));
    assert_eq!(
        table.value(row, "original_file_name"),
        Some("PowerShell.EXE")
    );
    assert_eq!(table.value(row, "user"), Some("AttackMe"));
}

#[test]
fn security_4688_with_empty_command_line_matches_the_file() {
    let Some(dir) = datasets() else { return };
    let out = read(
        &dir,
        "splunk_xml__attack_data__T1003.002_sysmon_and_4688.log",
    );
    let table = processes(&out);
    let row = row_where(table, "process_id", "0xfe8");

    // TimeCreated SystemTime='2025-10-24T14:14:58.830193800Z'
    assert!((table.time[row] - 1_761_315_298.830_193_8).abs() < 1e-6);
    let image = r"C:\Windows\System32\wbem\WmiPrvSE.exe";
    assert_fields(
        table,
        row,
        &[
            ("host", Some("ar-win-1")),
            ("source", Some(SECURITY)),
            ("sourcetype", Some("XmlWinEventLog")),
            ("action", Some("allowed")),
            ("dest", Some("ar-win-1")),
            // CommandLine is empty, so process falls back to NewProcessName.
            ("process", Some(image)),
            ("process_path", Some(image)),
            ("process_name", Some("WmiPrvSE.exe")),
            ("process_exec", Some("WmiPrvSE.exe")),
            ("parent_process_id", Some("0x310")),
            ("parent_process", Some(r"C:\Windows\System32\svchost.exe")),
            (
                "parent_process_path",
                Some(r"C:\Windows\System32\svchost.exe"),
            ),
            ("parent_process_name", Some("svchost.exe")),
            ("parent_process_exec", None),
            ("user", Some("AR-WIN-1$")),
            ("user_id", None),
            ("vendor_product", Some("Microsoft Windows")),
            ("vendor", Some("Microsoft")),
            ("product", Some("Windows")),
            ("process_integrity_level", None),
            ("original_file_name", None),
            ("process_guid", None),
            ("process_hash", None),
            ("process_current_directory", None),
        ],
    );
}

#[test]
fn security_4688_with_rtlo_command_line_matches_the_file() {
    let Some(dir) = datasets() else { return };
    let out = read(&dir, "splunk_xml__attack_data__T1036.002_rtlo_events.log");
    let table = processes(&out);
    let row = row_where(table, "process_id", "0x3078");

    let chrome = r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe";
    let argument = r"C:\Users\ADMIN\AppData\Local\Temp\2\Temp1_test_malware.zip\test_malware";
    let command = format!("\"{chrome}\" --single-argument {argument}\u{202E}xcod.htm");
    assert_fields(
        table,
        row,
        &[
            ("host", Some("victim.lan.local")),
            ("source", Some(SECURITY)),
            ("action", Some("allowed")),
            ("dest", Some("victim.lan.local")),
            // The first token is a quoted path with backslashes: the whole CommandLine.
            ("process", Some(&command)),
            ("process_path", Some(chrome)),
            ("process_name", Some("chrome.exe")),
            ("parent_process_id", Some("0x16b0")),
            // This 4688 has no ParentProcessName.
            ("parent_process", None),
            ("parent_process_name", None),
            // TargetUserName is "-", so SubjectUserName.
            ("user", Some("ADMIN")),
            ("vendor_product", Some("Microsoft Windows")),
        ],
    );
}

#[test]
fn the_shared_folder_reads_its_xml_and_evtx_logs_and_lists_the_other_files() {
    let Some(dir) = datasets() else { return };
    let output = read_paths(std::slice::from_ref(&dir)).expect("a folder read succeeds");
    assert!(
        output.report.skipped.is_empty(),
        "{:?}",
        output.report.skipped
    );
    // Every format here is read (each archive holds one file).
    let readable = |name: &str| {
        [
            "splunk_xml__",
            "evtxjson__",
            "json__",
            "json_zip__",
            "nxlog_json__",
            "evtx__",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix))
    };
    let readable_files = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| readable(&e.as_ref().unwrap().file_name().to_string_lossy()))
        .count();
    assert_eq!(output.report.files, readable_files);
    assert!(!output.report.skipped_files.is_empty());
    for file in &output.report.skipped_files {
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(!readable(&name), "{name}");
    }

    // A file named on its own in no known format is still an error naming it.
    let named = output.report.skipped_files[0].clone();
    match read_paths(std::slice::from_ref(&named)) {
        Err(ReadError::UnknownFormat { path }) => assert_eq!(path, named),
        other => panic!("expected an unknown format, got {other:?}"),
    }
}

#[test]
fn sysmon_file_creations_and_network_connections_match_the_file() {
    let Some(dir) = datasets() else { return };

    let out = read(&dir, "splunk_xml__attack_data__T1036.002_rtlo_events.log");
    let files = &out.tables["Endpoint.Filesystem"];
    assert_eq!(files.len(), 7);
    assert_eq!(out.report.rows_by_source("Endpoint.Filesystem")[SYSMON], 7);
    // TargetFilename holds a U+202E right-to-left override before `xcod.htm`.
    let path = "C:\\Users\\ADMIN\\Desktop\\test_malware\u{202E}xcod.htm";
    let row = row_where(files, "file_path", path);
    // TimeCreated SystemTime='2023-04-04T18:45:10.894460200Z'
    assert!((files.time[row] - 1_680_633_910.894_460_2).abs() < 1e-6);
    assert_fields(
        files,
        row,
        &[
            ("host", Some("victim.lan.local")),
            ("source", Some(SYSMON)),
            ("sourcetype", Some("XmlWinEventLog")),
            ("action", Some("created")),
            ("dest", Some("victim.lan.local")),
            ("file_name", Some("test_malware\u{202E}xcod.htm")),
            ("file_create_time", Some("2023-04-04 18:45:10.893")),
            (
                "process_guid",
                Some("{4E601973-C7BE-63E3-8F00-000000005000}"),
            ),
            ("process_id", Some("5808")),
            ("process_path", Some("C:\\Windows\\Explorer.EXE")),
            ("process_name", Some("Explorer.EXE")),
            ("process_exec", Some("Explorer.EXE")),
            ("vendor_product", Some("Microsoft Sysmon")),
            ("user", None),
            ("file_hash", None),
        ],
    );
    let outlook = (0..files.len())
        .filter(|&r| files.value(r, "process_id") == Some("9744"))
        .count();
    assert_eq!(outlook, 3, "three files written by OUTLOOK.EXE");

    let out = read(
        &dir,
        "splunk_xml__attack_data__T1218_lolbas_with_network_traffic.log",
    );
    let traffic = &out.tables["Network_Traffic.All_Traffic"];
    assert_eq!(traffic.len(), 3);
    let row = row_where(traffic, "process_id", "2536");
    // TimeCreated SystemTime='2023-01-29T11:33:00.223442500Z'
    assert!((traffic.time[row] - 1_674_991_980.223_442_5).abs() < 1e-6);
    assert_fields(
        traffic,
        row,
        &[
            ("host", Some("attackbox.lan.local")),
            ("source", Some(SYSMON)),
            ("action", Some("allowed")),
            (
                "app",
                Some("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"),
            ),
            ("user", Some("AttackMe")),
            ("transport", Some("tcp")),
            ("direction", Some("outbound")),
            ("protocol", Some("https")),
            ("src", Some("attackbox.lan.local")),
            ("src_ip", Some("192.168.1.20")),
            ("src_port", Some("62764")),
            ("dest", Some("google.com")),
            ("dest_ip", Some("173.194.214.101")),
            ("dest_port", Some("443")),
            ("dvc", Some("attackbox.lan.local")),
            ("session_id", Some("{bbce0e7a-5962-63d6-2234-7f2800000000}")),
            (
                "process_guid",
                Some("{bbce0e7a-5962-63d6-2234-7f2800000000}"),
            ),
            ("vendor_product", Some("Microsoft Sysmon")),
        ],
    );
    // The cmd.exe connection has an empty DestinationHostname: dest is the address.
    let row = row_where(traffic, "process_id", "17832");
    assert_eq!(traffic.value(row, "dest"), Some("137.117.109.130"));
    assert_eq!(traffic.value(row, "src_port"), Some("49392"));
}
