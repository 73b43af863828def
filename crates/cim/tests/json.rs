//! JSON event files: the real samples of the shared folder (counts per source as PROVENANCE.md
//! states them, fields checked against the bytes of the files, the evtx_dump JSON against the
//! EVTX it was made from) and broken JSON of each shape. Tests that need the shared folder are
//! skipped, with a message, when it is absent.

mod common;

use common::{assert_fields, datasets, processes, read, row_where, SECURITY, SYSMON};

use std::path::Path;

use spelunk_cim::{read_bytes, ReadOutput, SkipReason};

const SIGMA_JSON: &str = "evtxjson__sigma_regression__cve_2026_33829_windowsapps_snippingtool.json";
const SIGMA_EVTX: &str = "evtx__sigma_regression__cve_2026_33829_windowsapps_snippingtool.evtx";
const OTRF_ZIP: &str = "json_zip__otrf__covenant_installutil.zip";
const NXLOG_TGZ: &str = "nxlog_json__attack_data__T1047_atomic_red_team_attack_data.tar.gz";
const FALCON: &str = "json__security_content__crowdstrike_processrollup2_example.json";

fn assert_clean(out: &ReadOutput, file: &str) {
    let skips: Vec<String> = out.report.skipped.iter().map(ToString::to_string).collect();
    assert!(skips.is_empty(), "{file}: {skips:#?}");
    assert!(out.report.skipped_files.is_empty(), "{file}");
}

fn by_source(out: &ReadOutput) -> Vec<(&str, usize)> {
    out.report.processes_by_source().into_iter().collect()
}

#[test]
fn sigma_evtx_dump_json_gives_two_sysmon_rows() {
    let Some(dir) = datasets() else { return };
    let out = read(&dir, SIGMA_JSON);
    assert_clean(&out, SIGMA_JSON);
    assert_eq!(out.report.events, 2);
    assert_eq!(by_source(&out), vec![(SYSMON, 2)]);

    let table = processes(&out);
    let row = row_where(table, "process_id", "6180");
    // TimeCreated SystemTime 2026-04-20T10:00:35.646624Z.
    assert!((table.time[row] - 1_776_679_235.646_624).abs() < 1e-6);
    let image = r"C:\Program Files\WindowsApps\Microsoft.ScreenSketch_11.2601.12.0_arm64__8wekyb3d8bbwe\SnippingTool\SnippingTool.exe";
    let edge = r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe";
    let command =
        format!("\"{image}\" ms-screensketch:edit?&filePath=%%5C%%5C172.16.137.159%%5Cshare");
    assert_fields(
        table,
        row,
        &[
            ("host", Some("swachchhanda")),
            ("source", Some(SYSMON)),
            ("sourcetype", Some("XmlWinEventLog")),
            ("dest", Some("swachchhanda")),
            ("process", Some(&command)),
            ("process_path", Some(image)),
            ("process_name", Some("SnippingTool.exe")),
            // The JSON writes the GUIDs bare; Windows' XML has them in braces.
            (
                "process_guid",
                Some("{0197231E-F943-69E5-A527-000000000800}"),
            ),
            (
                "parent_process_guid",
                Some("{0197231E-8126-69E4-8326-000000000800}"),
            ),
            ("parent_process_id", Some("6428")),
            ("parent_process_path", Some(edge)),
            ("parent_process_name", Some("msedge.exe")),
            ("original_file_name", Some("-")),
            ("process_integrity_level", Some("Medium")),
            ("user", Some(r"swachchhanda\xodih")),
            ("user_id", Some("S-1-5-18")),
            ("action", Some("allowed")),
            ("vendor_product", Some("Microsoft Sysmon")),
        ],
    );
}

#[test]
fn the_evtx_dump_json_gives_the_rows_of_the_evtx_it_was_made_from() {
    let Some(dir) = datasets() else { return };
    let from_json = read(&dir, SIGMA_JSON);
    let from_evtx = read(&dir, SIGMA_EVTX);
    assert_clean(&from_evtx, SIGMA_EVTX);
    assert_eq!(processes(&from_evtx).len(), 2);
    // Times (7 digits in the EVTX, 6 in the JSON, both kept to the microsecond), GUIDs and
    // every other column agree.
    assert_eq!(processes(&from_json), processes(&from_evtx));
}

#[test]
fn otrf_zip_gives_three_sysmon_and_four_security_rows() {
    let Some(dir) = datasets() else { return };
    let out = read(&dir, OTRF_ZIP);
    assert_clean(&out, OTRF_ZIP);
    assert_eq!(out.report.files, 1);
    assert_eq!(out.report.events, 1730);
    assert_eq!(by_source(&out), vec![(SYSMON, 3), (SECURITY, 4)]);

    let table = processes(&out);
    // EventTime is the host's local time (UTC-4 here): 2020-09-19 21:18:13 is 01:18:13 UTC,
    // the second of Sysmon's UtcTime 01:18:13.287 and of the collector's @timestamp.
    let cmd = r"C:\Windows\System32\cmd.exe";
    let sysmon = row_where(
        table,
        "process_guid",
        "{b34bc01c-add5-5f66-2010-000000000400}",
    );
    assert_eq!(table.time[sysmon], 1_600_564_693.0);
    assert_fields(
        table,
        sysmon,
        &[
            ("host", Some("WORKSTATION5.theshire.local")),
            ("source", Some(SYSMON)),
            ("process_path", Some(cmd)),
            ("process_name", Some("cmd.exe")),
            ("parent_process_name", Some("GruntHTTP.exe")),
            ("parent_process_id", Some("5520")),
            (
                "parent_process_guid",
                Some("{b34bc01c-0266-5f65-540c-000000000400}"),
            ),
            ("original_file_name", Some("Cmd.Exe")),
            ("user", Some(r"THESHIRE\pgustavo")),
            ("user_id", Some("S-1-5-18")),
            ("action", Some("allowed")),
        ],
    );
    // The 4688 of the same launch lands on the same second.
    let security = row_where(table, "process_id", "0xec0");
    assert_eq!(table.time[security], 1_600_564_693.0);
    assert_fields(
        table,
        security,
        &[
            ("host", Some("WORKSTATION5.theshire.local")),
            ("source", Some(SECURITY)),
            ("process_path", Some(cmd)),
            ("process_name", Some("cmd.exe")),
            // Keywords -9214364837600034816 is 0x8020000000000000, audit success.
            ("action", Some("allowed")),
            ("vendor_product", Some("Microsoft Windows")),
            ("user_id", None),
        ],
    );
    let svchost = row_where(table, "process_id", "0x116c");
    assert_eq!(table.time[svchost], 1_600_564_634.0);
    assert_fields(
        table,
        svchost,
        &[
            (
                "process",
                Some(r"C:\windows\System32\svchost.exe -k netsvcs -p -s NetSetupSvc"),
            ),
            ("parent_process", Some(r"C:\Windows\System32\services.exe")),
            ("user", Some("MORDORDC$")),
        ],
    );
}

#[test]
fn nxlog_tar_gz_gives_335_sysmon_rows_and_no_security() {
    let Some(dir) = datasets() else { return };
    let out = read(&dir, NXLOG_TGZ);
    assert_clean(&out, NXLOG_TGZ);
    assert_eq!(out.report.events, 8220);
    assert_eq!(by_source(&out), vec![(SYSMON, 335)]);

    let table = processes(&out);
    let row = row_where(
        table,
        "process_guid",
        "{41C8662E-1F69-5F25-0000-0010EE870200}",
    );
    // EventTime 2020-08-01 07:53:24 on a UTC host (Sysmon's UtcTime, 07:53:13.181, is the
    // process start, 11 s earlier).
    assert_eq!(table.time[row], 1_596_268_404.0);
    assert_fields(
        table,
        row,
        &[
            ("host", Some("win-dc-6178966.attackrange.local")),
            ("dest", Some("win-dc-6178966.attackrange.local")),
            (
                "process",
                Some(r"C:\Windows\servicing\TrustedInstaller.exe"),
            ),
            // Lost by NXLog to its own ProcessID (2804, Sysmon's service); from the message.
            ("process_id", Some("2964")),
            ("parent_process_id", Some("856")),
            ("parent_process_name", Some("services.exe")),
            ("process_integrity_level", Some("System")),
            ("user", Some(r"NT AUTHORITY\SYSTEM")),
            ("user_id", Some("S-1-5-18")),
        ],
    );
}

#[test]
fn crowdstrike_process_rollup2_maps_every_column() {
    let Some(dir) = datasets() else { return };
    let out = read(&dir, FALCON);
    assert_clean(&out, FALCON);
    assert_eq!(by_source(&out), vec![("crowdstrike", 1)]);

    let table = processes(&out);
    assert_eq!(table.len(), 1);
    // timestamp 1713805173418, epoch milliseconds.
    assert!((table.time[0] - 1_713_805_173.418).abs() < 1e-6);
    let want: &[(&str, Option<&str>)] = &[
        // No ComputerName in FDR's ProcessRollup2: the sensor id names the host.
        ("host", Some("168a90e125d443beb2a4e2914985084d")),
        ("source", Some("crowdstrike")),
        ("sourcetype", Some("crowdstrike:events:sensor")),
        ("action", Some("allowed")),
        ("parent_process_exec", Some("explorer.exe")),
        // The parent's Falcon TargetProcessId, not an OS PID.
        ("parent_process_id", Some("5459598860")),
        ("parent_process_guid", None),
        ("parent_process_path", None),
        ("process_current_directory", None),
        ("process_exec", Some("powershell.exe")),
        (
            "process_hash",
            Some("ba4038fd20e474c047be8aad5bfacdb1bfc1ddbe12f803f473b7918d8d819436"),
        ),
        ("process_guid", None),
        ("process_id", Some("5012")),
        // IntegrityLevel 12288.
        ("process_integrity_level", Some("high")),
        (
            "process_path",
            Some(r"\Device\HarddiskVolume1\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"),
        ),
        (
            "user_id",
            Some("S-1-5-21-586445407-708991241-1829972403-500"),
        ),
        // Resolved from aid by the add-on's inventory lookup, which is not here.
        ("dest", None),
        // Left for the data model to fill with "unknown".
        ("original_file_name", None),
        ("parent_process", None),
        ("parent_process_name", Some("explorer.exe")),
        (
            "process",
            Some(r#""C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe" "#),
        ),
        ("process_name", Some("powershell.exe")),
        ("user", Some("S-1-5-21-586445407-708991241-1829972403-500")),
        ("vendor_product", Some("CrowdStrike Falcon")),
        ("vendor", None),
        ("product", None),
    ];
    let columns: Vec<&str> = table.columns.keys().map(String::as_str).collect();
    let checked: Vec<&str> = want.iter().map(|(c, _)| *c).collect();
    assert_eq!(columns, checked, "every column is checked, in table order");
    assert_fields(table, 0, want);
}

/// One real event of each shape, from the shared folder.
fn one_event_per_shape(dir: &Path) -> Vec<(&'static str, Vec<u8>)> {
    let sigma = std::fs::read(dir.join(SIGMA_JSON)).expect("readable");
    let falcon = std::fs::read(dir.join(FALCON)).expect("readable");
    // A flat NXLog/OTRF line of the same form as the OTRF zip holds, written here.
    let flat = concat!(
        r#"{"EventTime":"2020-09-19 21:18:13","Hostname":"ws5","EventID":1,"#,
        r#""SourceName":"Microsoft-Windows-Sysmon","Keywords":-9223372036854775808,"#,
        r#""Channel":"Microsoft-Windows-Sysmon/Operational","Image":"C:\\x\\a.exe"}"#,
        "\n"
    );
    vec![
        ("evtx_dump", sigma),
        ("crowdstrike", falcon),
        ("flat", flat.as_bytes().to_vec()),
    ]
}

#[test]
fn truncated_corrupt_and_empty_json_of_each_shape_are_counted_skips() {
    let Some(dir) = datasets() else { return };
    for (shape, bytes) in one_event_per_shape(&dir) {
        let whole = read_bytes(Path::new(shape), &bytes).expect("JSON");
        let rows = whole.report.mapped_total();
        assert!(rows >= 1, "{shape}");

        // Cut anywhere: no panic, every event is a row or a skip, and a cut inside the last
        // event is a truncation skip.
        for cut in (1..bytes.len()).step_by(7) {
            let Ok(out) = read_bytes(Path::new(shape), &bytes[..cut]) else {
                continue; // cut before the first `{`
            };
            let report = &out.report;
            assert!(report.mapped_total() <= rows, "{shape} cut at {cut}");
            if report.mapped_total() < rows {
                assert!(
                    !report.skipped.is_empty(),
                    "{shape} cut at {cut}: dropped silently"
                );
            }
        }
        let cut = read_bytes(Path::new(shape), &bytes[..bytes.len() - 3]).expect("JSON");
        assert!(
            cut.report
                .skipped
                .iter()
                .any(|s| s.reason == SkipReason::TruncatedJson),
            "{shape}: {:?}",
            cut.report.skipped
        );

        // Corrupt one byte in ten places: no panic, and whatever is lost is reported.
        for at in (0..10).map(|i| 1 + i * (bytes.len() - 2) / 10) {
            let mut broken = bytes.clone();
            broken[at] = b'\x01';
            let out = read_bytes(Path::new(shape), &broken).expect("JSON");
            let report = &out.report;
            assert!(
                report.mapped_total() == rows || !report.skipped.is_empty(),
                "{shape} corrupt at {at}"
            );
        }
    }

    for empty in ["", "\n\n", "[]", "[\n]\n", "{}\n"] {
        let out = read_bytes(Path::new("empty.json"), empty.as_bytes()).expect("known");
        assert_eq!(out.report.mapped_total(), 0, "{empty:?}");
        assert!(out.report.skipped.is_empty(), "{empty:?}");
    }
}
