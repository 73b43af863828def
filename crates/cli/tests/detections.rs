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

/// PROVENANCE.md's count of `<what>` in the row describing `file`, e.g. "3 Sysmon EID1".
fn provenance_count(provenance: &str, file: &str, what: &str) -> usize {
    let row = provenance
        .lines()
        .find(|l| l.starts_with(&format!("| `{file}`")))
        .unwrap_or_else(|| panic!("{file} is listed in PROVENANCE.md"));
    let events = row.split('|').nth(3).unwrap();
    events
        .split([',', ':'])
        .filter_map(|part| part.trim().split_once(' '))
        .filter(|(_, rest)| *rest == what || rest.starts_with(&format!("{what} ")))
        .filter_map(|(n, _)| n.parse::<usize>().ok())
        .sum()
}

#[test]
fn shared_splunk_logs_give_no_rows_and_the_documented_process_counts() {
    let Some(shared) = shared("shared_splunk_logs_give_no_rows_and_the_documented_process_counts")
    else {
        return;
    };
    let provenance = std::fs::read_to_string(shared.join("datasets/PROVENANCE.md")).unwrap();
    let mut logs: Vec<_> = std::fs::read_dir(shared.join("datasets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("splunk_xml__")
        })
        .collect();
    logs.sort();
    assert!(!logs.is_empty(), "the shared folder holds Splunk XML logs");

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
        eprintln!("{file}: Sysmon {sysmon}, Security 4688 {security}");
        assert_eq!(
            sysmon,
            provenance_count(&provenance, file, "Sysmon EID1"),
            "{file}"
        );
        assert_eq!(
            security,
            provenance_count(&provenance, file, "Security 4688"),
            "{file}"
        );
        assert_eq!(
            counts.lines().count(),
            1 + usize::from(sysmon > 0) + usize::from(security > 0)
        );
    }
}
