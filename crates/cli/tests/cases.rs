//! The trouble cases in `../shared/cases/cases.jsonl`, each with Splunk's answer.
//!
//! A case whose search uses a construct this version does not run must fail with an
//! "unsupported" error naming it; the test lists those cases rather than skipping them.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

/// A case's macros as a macros.conf.
fn macros_conf(macros: &serde_json::Map<String, Value>) -> String {
    let mut conf = String::new();
    for (name, spec) in macros {
        let args: Vec<&str> = spec["args"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        writeln!(conf, "[{name}]").unwrap();
        if !args.is_empty() {
            writeln!(conf, "args = {}", args.join(", ")).unwrap();
        }
        let definition = spec["definition"].as_str().unwrap().replace('\n', " \\\n");
        writeln!(conf, "definition = {definition}\n").unwrap();
    }
    conf
}

/// A result row with every value as text, for comparing regardless of order.
fn normalized(row: &Value) -> BTreeMap<String, Value> {
    row.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            let v = match v {
                Value::Number(n) => Value::String(n.to_string()),
                other => other.clone(),
            };
            (k.clone(), v)
        })
        .collect()
}

#[test]
fn trouble_cases_give_splunks_answer() {
    let Some(shared) = common::shared("trouble_cases_give_splunks_answer") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let cases = std::fs::read_to_string(shared.join("cases/cases.jsonl")).unwrap();

    let mut passed = Vec::new();
    let mut unsupported = Vec::new();
    let mut failures = Vec::new();
    for line in cases.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).unwrap();
        let id = case["id"].as_str().unwrap();

        let events = dir.path().join(format!("{id}.jsonl"));
        let rows: Vec<String> = case["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.to_string())
            .collect();
        std::fs::write(&events, rows.join("\n") + "\n").unwrap();
        let macros = dir.path().join(format!("{id}.conf"));
        std::fs::write(&macros, macros_conf(case["macros"].as_object().unwrap())).unwrap();

        let table = format!("Endpoint.Processes={}", events.display());
        let output = common::spelunk(&[
            "run",
            "-e",
            case["spl"].as_str().unwrap(),
            "--table",
            &table,
            "--macros",
            macros.to_str().unwrap(),
            "--format",
            "json",
        ]);
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        let expected = case["expected"].as_array().unwrap();
        let wants_error = expected
            .first()
            .is_some_and(|e| e.get("__error__").is_some());

        if wants_error {
            if output.status.code() == Some(2) && stderr.contains('^') {
                passed.push(id.to_string());
            } else {
                failures.push(format!(
                    "{id}: expected a clear error, got {:?}",
                    output.status
                ));
            }
            continue;
        }
        if output.status.code() == Some(2) && stderr.contains("is not supported") {
            unsupported.push(format!("{id}: {}", stderr.lines().next().unwrap_or("")));
            continue;
        }
        if !output.status.success() {
            failures.push(format!("{id}: failed: {stderr}"));
            continue;
        }

        let mut got: Vec<_> = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|l| normalized(&serde_json::from_str(l).unwrap()))
            .collect();
        let mut want: Vec<_> = expected.iter().map(normalized).collect();
        got.sort_by_key(|r| format!("{r:?}"));
        want.sort_by_key(|r| format!("{r:?}"));
        if got == want {
            passed.push(id.to_string());
        } else {
            failures.push(format!("{id}: got {got:?}\n      want {want:?}"));
        }
    }

    eprintln!("passed ({}): {}", passed.len(), passed.join(" "));
    eprintln!("not yet supported ({}):", unsupported.len());
    for case in &unsupported {
        eprintln!("  {case}");
    }
    assert!(
        failures.is_empty(),
        "cases failing:\n{}",
        failures.join("\n")
    );
    assert!(unsupported.is_empty(), "every case runs: {unsupported:#?}");
}
