//! Bad input gets a clear message with its location, and exit status 2.

mod common;

use common::spelunk;

fn stderr_of(args: &[&str]) -> String {
    let output = spelunk(args);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{args:?} must fail with status 2"
    );
    String::from_utf8(output.stderr).unwrap()
}

fn sample_data() -> String {
    "datasets/ai_stubs/sysmon_and_security.log".to_string()
}

#[test]
fn an_undefined_macro_is_named_with_a_caret() {
    let data = sample_data();
    let stderr = stderr_of(&[
        "run",
        "-e",
        "| tstats count from datamodel=Endpoint.Processes where `no_such_macro` by Processes.dest",
        "--data",
        &data,
    ]);
    assert!(stderr.starts_with("spelunk: "), "{stderr}");
    assert!(stderr.contains("no_such_macro"), "{stderr}");
    assert!(stderr.contains('^'), "{stderr}");
}

#[test]
fn a_macro_cycle_is_named_with_a_caret() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("macros.conf");
    std::fs::write(
        &conf,
        "[loop_a]\ndefinition = `loop_b`\n\n[loop_b]\ndefinition = `loop_a`\n",
    )
    .unwrap();
    let data = sample_data();
    let stderr = stderr_of(&[
        "run",
        "-e",
        "| tstats count from datamodel=Endpoint.Processes where `loop_a` by Processes.dest",
        "--macros",
        conf.to_str().unwrap(),
        "--data",
        &data,
    ]);
    assert!(
        stderr.contains("loop_a") && stderr.contains("loop_b"),
        "{stderr}"
    );
    assert!(stderr.contains('^'), "{stderr}");
}

#[test]
fn an_unbalanced_parenthesis_points_at_itself() {
    let data = sample_data();
    let query = "| tstats count from datamodel=Endpoint.Processes where (Processes.process_name=cmd.exe by Processes.dest";
    let stderr = stderr_of(&["run", "-e", query, "--data", &data]);
    assert!(
        stderr.contains("parenthes") || stderr.contains("`)`"),
        "{stderr}"
    );
    assert!(stderr.contains('^'), "{stderr}");
}

#[test]
fn a_truncated_xml_line_is_reported_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("cut.log");
    let sample = std::fs::read_to_string(common::root().join(sample_data())).unwrap();
    let first = sample.lines().next().unwrap();
    let cut = &first[..first.len() / 2];
    std::fs::write(&log, format!("{first}\n{cut}\n{first}\n")).unwrap();

    let output = spelunk(&[
        "run",
        "queries/windows_advanced_installer_msix_with_ai_stubs_execution.spl",
        "--data",
        log.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "the rest of the file is still searched"
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!("{}:2:", log.display())),
        "{stderr}"
    );
    assert!(stderr.contains("1 line(s) skipped"), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout.lines().count(),
        2,
        "the two whole events still count: {stdout}"
    );
}

#[test]
fn an_unsupported_command_is_named() {
    let data = sample_data();
    let stderr = stderr_of(&[
        "run",
        "-e",
        "| tstats count from datamodel=Endpoint.Processes by Processes.dest | transaction dest",
        "--data",
        &data,
    ]);
    assert!(
        stderr.contains("not supported") && stderr.contains("transaction"),
        "{stderr}"
    );
    assert!(stderr.contains('^'), "{stderr}");
}

#[test]
fn a_missing_log_is_named() {
    let stderr = stderr_of(&[
        "run",
        "-e",
        "| tstats count from datamodel=Endpoint.Processes by Processes.dest",
        "--data",
        "no/such/file.log",
    ]);
    assert!(stderr.contains("no/such/file.log"), "{stderr}");
}

#[test]
fn a_folder_with_other_files_reads_the_logs_and_lists_the_rest() {
    let output = spelunk(&[
        "run",
        "-e",
        "| tstats count from datamodel=Endpoint.Processes by Processes.vendor_product",
        "--data",
        "datasets/pcalua",
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("skipped datasets/pcalua/README.md"),
        "{stderr}"
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout,
        "vendor_product,count\nMicrosoft Sysmon,9\n"
            .replace("vendor_product,", "Processes.vendor_product,")
    );
}
