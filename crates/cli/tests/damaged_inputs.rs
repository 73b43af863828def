//! Every shared log, cut short, with bytes overwritten, or emptied: `spelunk run` and
//! `spelunk ingest` end with a result or a clear error, never a panic, and every line they
//! leave out is reported.

mod common;

use std::fs;
use std::path::Path;

use common::{shared, spelunk};

const COUNT: &str = "| tstats count from datamodel=Endpoint.Processes by source";

/// Damaged copies of `bytes`: cut at a third and at a half, the middle overwritten with
/// noise, and nothing at all.
fn damaged(bytes: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let mut noisy = bytes.to_vec();
    let middle = noisy.len() / 2;
    for (i, b) in noisy.iter_mut().skip(middle).take(512).enumerate() {
        *b = (i as u8).wrapping_mul(37) ^ 0x5a;
    }
    vec![
        ("third", bytes[..bytes.len() / 3].to_vec()),
        ("half", bytes[..bytes.len() / 2].to_vec()),
        ("noise", noisy),
        ("empty", Vec::new()),
    ]
}

fn assert_clean_exit(what: &str, output: &std::process::Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        matches!(output.status.code(), Some(0 | 2)),
        "{what}: exit {:?}\n{stderr}",
        output.status.code()
    );
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    if output.status.code() == Some(2) {
        assert!(stderr.starts_with("spelunk: "), "{what}: {stderr}");
    }
}

#[test]
fn damaged_logs_of_every_format_give_results_or_clear_errors() {
    let Some(shared) = shared("damaged_logs_of_every_format_give_results_or_clear_errors") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<_> = fs::read_dir(shared.join("datasets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "PROVENANCE.md")
        .collect();
    files.sort();

    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = fs::read(&file).unwrap();
        for (how, content) in damaged(&bytes) {
            let what = format!("{name} ({how})");
            let copy = dir.path().join(format!("{how}-{name}"));
            fs::write(&copy, &content).unwrap();
            let copy = copy.to_str().unwrap();

            let run = spelunk(&["run", "-e", COUNT, "--data", copy, "--format", "csv"]);
            assert_clean_exit(&what, &run);

            let store = dir.path().join(format!("store-{how}-{name}"));
            let ingest = spelunk(&["ingest", copy, "--store", store.to_str().unwrap()]);
            assert_clean_exit(&what, &ingest);
            if ingest.status.success() {
                assert!(Path::new(&store).join("spelunk-store.json").is_file(), "{what}");
            }
        }
    }
}
