//! The conformance runner over the shared ESCU corpus, on a synthetic table from the bench
//! generator: at least 95% of the detections that are not deprecated run, and the figure and
//! the constructs still missing are printed.

mod common;

use std::collections::BTreeMap;

use common::{shared, stdout_ok};

#[test]
fn the_corpus_runs_on_a_synthetic_table() {
    let Some(shared) = shared("the_corpus_runs_on_a_synthetic_table") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("processes.parquet");
    spelunk_bench::write_processes_parquet(&table, 20_000, 7).unwrap();
    let table_arg = format!("Endpoint.Processes={}", table.display());
    let corpus = shared.join("corpus/detections.jsonl");
    let macros = shared.join("corpus/macros.conf");
    let lookups = shared.join("corpus/lookups");
    let args = [
        "check",
        corpus.to_str().unwrap(),
        "--macros",
        macros.to_str().unwrap(),
        "--lookups",
        lookups.to_str().unwrap(),
        "--table",
        &table_arg,
        "--now",
        "1767225600",
    ];

    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let lines = stdout_ok(&json_args);
    let deprecated: BTreeMap<String, bool> = std::fs::read_to_string(&corpus)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|d| {
            let gone = d["deprecated"] == true || d["status"] == "deprecated";
            (d["name"].as_str().unwrap().to_string(), gone)
        })
        .collect();

    let mut live = 0;
    let mut ran = 0;
    let mut missing: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in lines.lines() {
        let result: serde_json::Value = serde_json::from_str(line).unwrap();
        let name = result["name"].as_str().unwrap().to_string();
        if deprecated[&name] {
            continue;
        }
        live += 1;
        match result["status"].as_str().unwrap() {
            "ran" => ran += 1,
            "unsupported" => missing
                .entry(result["construct"].as_str().unwrap().to_string())
                .or_default()
                .push(name),
            _ => missing
                .entry(format!("error: {}", result["error"].as_str().unwrap()))
                .or_default()
                .push(name),
        }
    }
    let share = 100.0 * ran as f64 / live as f64;
    eprintln!("not deprecated: {ran} of {live} ran ({share:.1}%)");
    for (construct, names) in &missing {
        eprintln!("  {:>3}  {construct}  ({})", names.len(), names.join("; "));
    }
    assert_eq!(
        live, 380,
        "the corpus holds 380 detections that are not deprecated"
    );
    assert!(share >= 95.0, "only {share:.1}% ran");
}
