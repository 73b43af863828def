//! Shipped and corpus detections over the project's own sample logs and the shared logs.

mod common;

use common::{corpus_search, shared, spelunk, stdout_ok};

const SEED: &str = "queries/windows_advanced_installer_msix_with_ai_stubs_execution.spl";

#[test]
fn seed_detection_gives_the_expected_csv_on_the_sample() {
    let expected =
        std::fs::read_to_string(common::root().join("datasets/ai_stubs/expected.csv")).unwrap();
    let got = stdout_ok(&[
        "run",
        SEED,
        "--data",
        "datasets/ai_stubs/sysmon_and_security.log",
        "--format",
        "csv",
    ]);
    assert_eq!(got, expected);
}

#[test]
fn seed_detection_text_is_the_published_search() {
    let Some(shared) = shared("seed_detection_text_is_the_published_search") else {
        return;
    };
    let page = std::fs::read_to_string(shared.join("docs/seed-detection.md")).unwrap();
    let published: Vec<&str> = page
        .lines()
        .filter_map(|l| l.strip_prefix(|c: char| c.is_ascii_digit()))
        .filter(|l| l.starts_with('|'))
        .collect();
    let shipped = std::fs::read_to_string(common::root().join(SEED)).unwrap();
    assert_eq!(shipped.lines().collect::<Vec<_>>(), published);
}

#[test]
fn pcalua_detection_runs_verbatim_on_its_sample() {
    let Some(shared) = shared("pcalua_detection_runs_verbatim_on_its_sample") else {
        return;
    };
    let search = corpus_search(&shared, "Windows Indirect Command Execution Via pcalua");
    let expected =
        std::fs::read_to_string(common::root().join("datasets/pcalua/expected.csv")).unwrap();
    let got = stdout_ok(&[
        "run",
        "-e",
        &search,
        "--data",
        "datasets/pcalua/sysmon.log",
        "--format",
        "csv",
    ]);
    assert_eq!(got, expected);
}

/// PROVENANCE.md's count of `<what>` in the row describing `file`, e.g. "3 Sysmon EID1" or
/// "335 Sysmon EID1 (no 4688)"; 0 when the row names none.
fn provenance_count(provenance: &str, file: &str, what: &str) -> usize {
    let row = provenance
        .lines()
        .find(|l| l.starts_with(&format!("| `{file}`")))
        .unwrap_or_else(|| panic!("{file} is listed in PROVENANCE.md"));
    // The events column is the one that counts events: "N: a Sysmon EID1, b ..." or "N <kind>".
    let events = row
        .split('|')
        .map(str::trim)
        .find(|cell| cell.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or_else(|| panic!("{file}: no events column"));
    let events = events.split_once(':').map_or(events, |(_, kinds)| kinds);
    events
        .split(',')
        .filter_map(|part| part.trim().split_once(' '))
        .filter(|(_, rest)| *rest == what || rest.starts_with(&format!("{what} ")))
        .filter_map(|(n, _)| n.parse::<usize>().ok())
        .sum()
}

#[test]
fn every_shared_log_gives_no_rows_and_the_documented_process_counts() {
    let Some(shared) = shared("every_shared_log_gives_no_rows_and_the_documented_process_counts")
    else {
        return;
    };
    let provenance = std::fs::read_to_string(shared.join("datasets/PROVENANCE.md")).unwrap();
    let mut logs: Vec<_> = std::fs::read_dir(shared.join("datasets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "PROVENANCE.md")
        .collect();
    logs.sort();
    assert!(logs.len() >= 13, "the shared folder holds its logs");

    for log in logs {
        let path = log.to_str().unwrap();
        let file = log.file_name().unwrap().to_str().unwrap();

        let detection = spelunk(&["run", SEED, "--data", path, "--format", "csv"]);
        assert_eq!(detection.status.code(), Some(0), "{file}");
        let csv = String::from_utf8(detection.stdout).unwrap();
        assert_eq!(
            csv.lines().count(),
            1,
            "{file}: only the header, no rows:\n{csv}"
        );
        assert!(
            detection.stderr.is_empty(),
            "{file}: {}",
            String::from_utf8_lossy(&detection.stderr)
        );

        let counts = stdout_ok(&[
            "run",
            "-e",
            "| tstats count from datamodel=Endpoint.Processes by source",
            "--data",
            path,
            "--format",
            "csv",
        ]);
        let count_of = |source: &str| -> usize {
            counts
                .lines()
                .find_map(|l| l.strip_prefix(&format!("{source},")))
                .map_or(0, |n| n.parse().unwrap())
        };
        let sysmon = count_of("XmlWinEventLog:Microsoft-Windows-Sysmon/Operational");
        let security = count_of("XmlWinEventLog:Security");
        let falcon = count_of("crowdstrike");
        eprintln!("{file}: Sysmon {sysmon}, Security 4688 {security}, ProcessRollup2 {falcon}");
        for (got, what) in [
            (sysmon, "Sysmon EID1"),
            (security, "Security 4688"),
            (falcon, "ProcessRollup2"),
        ] {
            assert_eq!(
                got,
                provenance_count(&provenance, file, what),
                "{file}: {what}"
            );
        }
        assert_eq!(
            counts.lines().count(),
            1 + [sysmon, security, falcon]
                .iter()
                .filter(|n| **n > 0)
                .count(),
            "{file}: no other source:\n{counts}"
        );
    }
}

#[test]
fn detect_rtlo_in_process_runs_verbatim_on_its_replay_log() {
    let Some(shared) = shared("detect_rtlo_in_process_runs_verbatim_on_its_replay_log") else {
        return;
    };
    let search = corpus_search(&shared, "Detect RTLO In Process");
    let macros = shared.join("corpus/macros.conf");
    let log = shared.join("datasets/splunk_xml__attack_data__T1036.002_rtlo_events.log");
    let csv = stdout_ok(&[
        "run",
        "-e",
        &search,
        "--macros",
        macros.to_str().unwrap(),
        "--data",
        log.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let rows: Vec<serde_json::Value> = csv
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The chrome.exe launches whose command line holds U+202E: three seen by Sysmon, two by
    // Security 4688 (PROVENANCE.md: "the same chrome.exe launch is seen by both").
    assert_eq!(rows.len(), 5, "{csv}");
    let rtlo = '\u{202E}';
    for row in &rows {
        let with = row["process_with_RTLO"]
            .as_str()
            .expect("process_with_RTLO");
        let without = row["process"].as_str().expect("process");
        assert!(with.contains(rtlo), "{with}");
        assert!(!without.contains(rtlo), "{without}");
        assert_eq!(with.replace(rtlo, ""), without);
        assert_eq!(row["process_name"], "chrome.exe");
        assert_eq!(row["dest"], "victim.lan.local");
        // `fields - RTLO*` removed the rex groups.
        assert!(row.get("RTLO_command_1").is_none(), "{row}");
    }
    let sysmon = rows
        .iter()
        .filter(|r| r["original_file_name"] == "chrome.exe");
    assert_eq!(sysmon.count(), 3);
    let ids: Vec<&str> = rows
        .iter()
        .map(|r| r["process_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["12408", "2980", "7936", "0x3078", "0xba4"]);
}

/// Runs `search` over every shared log and returns its rows as JSON objects.
fn rows_over_shared_logs(shared: &std::path::Path, search: &str) -> Vec<serde_json::Value> {
    let macros = shared.join("corpus/macros.conf");
    let lookups = shared.join("corpus/lookups");
    let out = stdout_ok(&[
        "run",
        "-e",
        search,
        "--macros",
        macros.to_str().unwrap(),
        "--lookups",
        lookups.to_str().unwrap(),
        "--data",
        shared.join("datasets").to_str().unwrap(),
        "--format",
        "json",
    ]);
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn suspicious_reg_exe_process_filters_by_its_subsearch_verbatim() {
    let Some(shared) = shared("suspicious_reg_exe_process_filters_by_its_subsearch_verbatim")
    else {
        return;
    };
    // The detection keeps the cmd.exe launches whose PID and host are those of a reg.exe's
    // parent, found by the subsearch in its `search [...]`. Asked directly:
    let parents = rows_over_shared_logs(
        &shared,
        "| tstats count from datamodel=Endpoint.Processes where Processes.parent_process_name=cmd.exe \
         Processes.process_name=reg.exe by Processes.parent_process_id Processes.dest",
    );
    assert!(
        !parents.is_empty(),
        "the shared logs hold a reg.exe run from cmd.exe"
    );
    let search = corpus_search(&shared, "Suspicious Reg exe Process");
    let rows = rows_over_shared_logs(&shared, &search);
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(row["process_name"], "cmd.exe", "{row}");
        let parent_of_reg = parents.iter().any(|p| {
            p["Processes.parent_process_id"] == row["process_id"]
                && p["Processes.dest"] == row["dest"]
        });
        assert!(parent_of_reg, "{row} is no reg.exe's parent: {parents:?}");
    }
}

#[test]
fn prohibited_applications_spawning_cmd_matches_the_lookups_globs_verbatim() {
    let Some(shared) =
        shared("prohibited_applications_spawning_cmd_matches_the_lookups_globs_verbatim")
    else {
        return;
    };
    let table = std::fs::read_to_string(
        shared.join("corpus/lookups/prohibited_apps_launching_cmd20231221.csv"),
    )
    .unwrap();
    let prohibited: Vec<String> = table
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .map(|app| app.trim().trim_matches('"').to_ascii_lowercase())
        .filter(|l| !l.is_empty())
        .collect();
    let search = corpus_search(&shared, "Detect Prohibited Applications Spawning cmd exe");
    let rows = rows_over_shared_logs(&shared, &search);
    assert!(!rows.is_empty());
    for row in &rows {
        // The table (named by its YAML definition) lists one app a line; the subsearch writes
        // parent_process_name="*<app>": the parent ends with one.
        let parent = row["parent_process_name"]
            .as_str()
            .unwrap()
            .to_ascii_lowercase();
        assert!(
            prohibited.iter().any(|app| parent.ends_with(app.as_str())),
            "{parent} is not in the table"
        );
    }
}

#[test]
fn the_time_range_flags_bound_the_search() {
    let count = "| tstats count from datamodel=Endpoint.Processes by Processes.dest";
    let log = "datasets/ai_stubs/sysmon_and_security.log";
    let all = stdout_ok(&["run", "-e", count, "--data", log, "--format", "csv"]);
    assert_eq!(
        all,
        "Processes.dest,count\nDESK-ORRIN-14,5\nKESTREL-WS31,3\nlab-msix-02.hollowpine.local,6\n"
    );
    // From 2026-04-16 00:00 (inclusive) to 2026-06-14 00:00 (exclusive): the March events and
    // the one of June 14th fall outside.
    let window = stdout_ok(&[
        "run",
        "-e",
        count,
        "--data",
        log,
        "--format",
        "csv",
        "--now",
        "06/15/2026:00:00:00",
        "--earliest",
        "-60d@d",
        "--latest",
        "-1d@d",
    ]);
    assert_eq!(
        window,
        "Processes.dest,count\nKESTREL-WS31,3\nlab-msix-02.hollowpine.local,5\n"
    );
    let bad = spelunk(&["run", "-e", count, "--data", log, "--earliest", "-3x"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--earliest -3x"));
}
