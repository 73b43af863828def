//! Helpers shared by the command-line tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared` beside the checkout, or `None` with a printed reason.
pub fn shared(test: &str) -> Option<PathBuf> {
    let shared = root().join("../shared");
    if shared.join("README.md").is_file() {
        Some(shared)
    } else {
        eprintln!("{test}: skipped: ../shared is absent beside the checkout");
        None
    }
}

/// Runs the spelunk binary with `args`.
pub fn spelunk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spelunk"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the spelunk binary runs")
}

/// Stdout of a run that must succeed.
pub fn stdout_ok(args: &[&str]) -> String {
    let output = spelunk(args);
    assert!(
        output.status.success(),
        "spelunk {args:?} failed with {:?}:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

/// The `search` field of the corpus detection called `name`.
pub fn corpus_search(shared: &Path, name: &str) -> String {
    let corpus = std::fs::read_to_string(shared.join("corpus/detections.jsonl")).unwrap();
    corpus
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .find(|d| d["name"] == name)
        .and_then(|d| d["search"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("{name} is in the corpus"))
}
