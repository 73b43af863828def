//! Every `regex` and `rex` pattern of the shared ESCU corpus compiles for the row-wise
//! commands, except the ones listed here that use PCRE features the `regex` crate lacks;
//! those fail with a clear error naming the feature.

use std::path::PathBuf;

use spelunk_engine::commands::{self, CommandErrorKind, Context};
use spelunk_engine::ResultTable;
use spelunk_spl::{parse, strip_comments, Command, MacroLibrary, Pipeline};

/// Patterns known to need look-around, which Splunk's PCRE has and the `regex` crate has not.
const KNOWN_UNSUPPORTED: usize = 1;

fn read_shared(relative: &str) -> Option<String> {
    let path =
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")).join(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!("skipped: cannot read {}: {e}", path.display());
            None
        }
    }
}

/// The commands of a pipeline and of every subsearch in it.
fn all_commands<'p>(pipeline: &'p Pipeline, out: &mut Vec<&'p Command>) {
    for command in &pipeline.commands {
        out.push(command);
        match command {
            Command::Join(j) => all_commands(&j.subsearch.pipeline, out),
            Command::Append(a) => all_commands(&a.subsearch.pipeline, out),
            _ => {}
        }
    }
}

#[test]
fn corpus_patterns_compile_or_name_the_missing_feature() {
    let (Some(detections), Some(conf)) = (
        read_shared("corpus/detections.jsonl"),
        read_shared("corpus/macros.conf"),
    ) else {
        return;
    };
    let mut macros = MacroLibrary::with_builtins();
    macros.load_conf_str(&conf, "macros.conf").unwrap();
    let ctx = Context {
        tz: chrono_tz::UTC,
        now: 0.0,
        lookups: None,
    };
    let empty = || ResultTable {
        columns: vec!["process".to_string(), "_raw".to_string()],
        rows: Vec::new(),
    };

    let (mut compiled, mut failed) = (0, Vec::new());
    for line in detections.lines() {
        let detection: serde_json::Value = serde_json::from_str(line).unwrap();
        let search = detection["search"].as_str().unwrap_or_default();
        let Ok(expanded) = macros.expand(&strip_comments(search).unwrap()) else {
            continue;
        };
        let Ok(pipeline) = parse(&expanded) else {
            continue;
        };
        let mut found = Vec::new();
        all_commands(&pipeline, &mut found);
        for command in found {
            let result = match command {
                Command::Regex(r) => commands::regex::run(empty(), r, &ctx),
                Command::Rex(r) => commands::rex::run(empty(), r, &ctx),
                _ => continue,
            };
            match result {
                Ok(_) => compiled += 1,
                Err(e) => {
                    assert!(
                        matches!(e.kind, Some(CommandErrorKind::Regex { .. })),
                        "{e}"
                    );
                    failed.push(format!("{command}: {e}"));
                }
            }
        }
    }

    eprintln!("patterns compiled: {compiled}");
    for failure in &failed {
        eprintln!("  fails: {failure}");
    }
    assert!(compiled >= 13, "only {compiled} corpus patterns compile");
    assert_eq!(failed.len(), KNOWN_UNSUPPORTED, "{failed:#?}");
}
