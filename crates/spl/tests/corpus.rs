//! Every ESCU detection of the shared corpus either parses and round-trips through the
//! printer, or is refused with an error naming what is unsupported.

mod common;

use std::collections::BTreeMap;

use spelunk_spl::{parse, strip_comments, MacroLibrary, ParseErrorKind};

#[test]
fn corpus_parses_round_trips_or_names_the_unsupported_construct() {
    let (Some(detections), Some(conf)) = (
        common::read_shared("corpus/detections.jsonl"),
        common::read_shared("corpus/macros.conf"),
    ) else {
        return;
    };
    let mut macros = MacroLibrary::with_builtins();
    macros.load_conf_str(&conf, "macros.conf").unwrap();

    let mut parsed = 0;
    let mut unsupported: BTreeMap<String, usize> = BTreeMap::new();
    let mut macro_errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut other = Vec::new();

    for (index, line) in detections.lines().enumerate() {
        let detection: serde_json::Value = serde_json::from_str(line).unwrap();
        let name = detection["name"].as_str().unwrap_or("?").to_string();
        let search = detection["search"].as_str().unwrap_or_default();

        let stripped = strip_comments(search).unwrap();
        let expanded = match macros.expand(&stripped) {
            Ok(text) => text,
            Err(e) => {
                *macro_errors.entry(e.kind.to_string()).or_default() += 1;
                continue;
            }
        };
        match parse(&expanded) {
            Ok(pipeline) => {
                let printed = pipeline.to_string();
                let again = parse(&printed).unwrap_or_else(|e| {
                    panic!("line {}: printed text fails: {e}\n{printed}", index + 1)
                });
                assert_eq!(
                    common::without_spans(&again),
                    common::without_spans(&pipeline),
                    "line {}: round trip differs\n{expanded}\n{printed}",
                    index + 1
                );
                assert_eq!(
                    again.to_string(),
                    printed,
                    "line {}: printing is not stable",
                    index + 1
                );
                parsed += 1;
            }
            Err(e) => match e.kind {
                ParseErrorKind::Unsupported { construct } => {
                    *unsupported.entry(construct).or_default() += 1;
                }
                kind => other.push(format!("line {} ({name}): {kind}", index + 1)),
            },
        }
    }

    eprintln!("parsed: {parsed}");
    eprintln!("unsupported ({}):", unsupported.values().sum::<usize>());
    for (construct, count) in &unsupported {
        eprintln!("  {count:4}  {construct}");
    }
    eprintln!("macro errors ({}):", macro_errors.values().sum::<usize>());
    for (message, count) in &macro_errors {
        eprintln!("  {count:4}  {message}");
    }
    eprintln!("other errors ({}):", other.len());
    for message in &other {
        eprintln!("  {message}");
    }
    assert!(other.is_empty(), "unexpected parse errors: {other:#?}");
    // The count only goes up: 306 before join, regex, rex, dedup and the other table
    // commands parsed.
    assert!(parsed >= 381, "only {parsed} corpus searches parse");
}
