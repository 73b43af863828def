//! `spelunk ingest` and searching a store: the store answers as the raw files do, ingest is
//! idempotent by content, and a second ingest is refused while one holds the lock.

mod common;

use std::fs;

use common::{root, shared, spelunk, stdout_ok};

const BY_VENDOR: &str =
    "| tstats count min(_time) as first from datamodel=Endpoint.Processes by Processes.vendor_product";

fn temp_store(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("spelunk-{name}-"))
        .tempdir()
        .expect("a temporary folder")
}

#[test]
fn a_store_of_every_shared_log_answers_as_the_raw_files_do() {
    let Some(shared) = shared("a_store_of_every_shared_log_answers_as_the_raw_files_do") else {
        return;
    };
    let datasets = shared.join("datasets");
    let datasets = datasets.to_str().unwrap();
    let dir = temp_store("all");
    let store = dir.path().join("store");
    let store = store.to_str().unwrap();

    let first = stdout_ok(&["ingest", datasets, "--store", store]);
    assert!(first.contains("rows per data set and source:"), "{first}");
    let one = fs::read_dir(datasets)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .min()
        .expect("a Splunk XML log among the shared datasets");
    let again = stdout_ok(&["ingest", one.to_str().unwrap(), "--store", store]);
    assert!(
        again.starts_with("ingested 0 file(s)") && again.contains("already in the store"),
        "{again}"
    );

    let raw = stdout_ok(&[
        "run", "-e", BY_VENDOR, "--data", datasets, "--format", "csv",
    ]);
    let stored = stdout_ok(&["run", "-e", BY_VENDOR, "--data", store, "--format", "csv"]);
    assert!(raw.lines().count() > 1, "the raw files give rows:\n{raw}");
    assert_eq!(stored, raw);
}

#[test]
fn the_seed_detection_gives_the_same_csv_from_a_store() {
    let dir = temp_store("seed");
    let store = dir.path().join("store");
    let store = store.to_str().unwrap();
    stdout_ok(&["ingest", "datasets/ai_stubs", "--store", store]);
    let query = "queries/windows_advanced_installer_msix_with_ai_stubs_execution.spl";
    let csv = stdout_ok(&["run", query, "--data", store, "--format", "csv"]);
    let expected = fs::read_to_string(root().join("datasets/ai_stubs/expected.csv")).unwrap();
    assert_eq!(csv, expected);
}

#[test]
fn a_second_ingest_is_refused_while_the_lock_is_held() {
    let dir = temp_store("lock");
    let store = dir.path().join("store");
    fs::create_dir_all(&store).unwrap();
    let lock = fs::File::create(store.join(".lock")).unwrap();
    lock.try_lock().expect("the test takes the lock");

    let output = spelunk(&[
        "ingest",
        "datasets/ai_stubs",
        "--store",
        store.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("another `spelunk ingest` is writing to this store"),
        "{stderr}"
    );
    assert!(!store.join("spelunk-store.json").exists());
}

#[test]
fn a_damaged_store_manifest_is_an_error() {
    let dir = temp_store("bad");
    let store = dir.path().join("store");
    fs::create_dir_all(&store).unwrap();
    fs::write(store.join("spelunk-store.json"), "{ not json").unwrap();
    let output = spelunk(&["run", "-e", BY_VENDOR, "--data", store.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("damaged store manifest"), "{stderr}");
}

#[test]
fn an_ingest_killed_while_it_runs_leaves_the_store_as_it_was_or_complete() {
    let dir = temp_store("kill");
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    stdout_ok(&["ingest", "datasets/ai_stubs", "--store", store_arg]);
    let manifest = store.join("spelunk-store.json");
    let before = fs::read_to_string(&manifest).unwrap();
    let rows_before = stdout_ok(&[
        "run", "-e", BY_VENDOR, "--data", store_arg, "--format", "csv",
    ]);

    // A log big enough that ingesting it takes a while: the sample's Sysmon lines, many times.
    let sample = fs::read_to_string(root().join("datasets/pcalua/sysmon.log")).unwrap();
    let big = dir.path().join("big.log");
    let mut text = String::new();
    while text.len() < 40 << 20 {
        text.push_str(&sample);
    }
    fs::write(&big, &text).unwrap();

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_spelunk"))
        .args([
            "ingest",
            big.to_str().unwrap(),
            "--store",
            store_arg,
            "--quiet",
        ])
        .current_dir(root())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    child.kill().unwrap();
    let status = child.wait().unwrap();

    // Killed before its commit, the store is unchanged; a machine fast enough to finish first
    // leaves it complete. Either way it reads, and a next ingest finishes the job.
    let after = fs::read_to_string(&manifest).unwrap();
    let rows_after = stdout_ok(&[
        "run", "-e", BY_VENDOR, "--data", store_arg, "--format", "csv",
    ]);
    if after == before {
        eprintln!("killed before the commit ({status})");
        assert_eq!(rows_after, rows_before);
    } else {
        eprintln!("finished before the kill");
        assert!(status.success());
    }
    let resumed = stdout_ok(&["ingest", big.to_str().unwrap(), "--store", store_arg]);
    assert!(!store.join(".staging").exists(), "{resumed}");
    let rows_done = stdout_ok(&[
        "run", "-e", BY_VENDOR, "--data", store_arg, "--format", "csv",
    ]);
    assert_ne!(rows_done, rows_before, "the big log's rows are in");
}

#[test]
fn a_time_range_reads_only_the_store_days_it_covers() {
    let dir = temp_store("prune");
    let store = dir.path().join("store");
    let store_arg = store.to_str().unwrap();
    stdout_ok(&["ingest", "datasets/ai_stubs", "--store", store_arg]);
    let count = "| tstats count from datamodel=Endpoint.Processes by Processes.dest";
    let window = [
        "--earliest",
        "04/01/2026:00:00:00",
        "--latest",
        "06/14/2026:00:00:00",
    ];
    let mut args = vec!["run", "-e", count, "--data", store_arg, "--format", "csv"];
    args.extend(window);
    let before = stdout_ok(&args);
    assert_eq!(
        before,
        "Processes.dest,count\nKESTREL-WS31,3\nlab-msix-02.hollowpine.local,5\n"
    );

    // Damage the part of a day outside the range: the search above does not read it, a search
    // over everything does, and fails naming the damaged part.
    let march = store.join("Endpoint.Processes/day=2026-03-09");
    let part = fs::read_dir(&march)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    fs::write(&part, b"not parquet").unwrap();
    assert_eq!(stdout_ok(&args), before);
    let all = spelunk(&["run", "-e", count, "--data", store_arg]);
    assert_eq!(all.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&all.stderr);
    assert!(stderr.starts_with("spelunk: "), "{stderr}");
    assert!(
        stderr.contains("day=2026-03-09") && stderr.contains("damaged"),
        "{stderr}"
    );
}
