//! The ESCU lookups folder of the shared corpus: every definition loads or says clearly
//! why it cannot be used, and the lookups ESCU's searches name resolve.

use std::path::PathBuf;

use spelunk_engine::commands::{lookup, Context};
use spelunk_engine::lookup::{LookupLibrary, Source};
use spelunk_engine::{Cell, ResultTable};

fn corpus_lookups() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/lookups"
    ));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}

#[test]
fn every_escu_definition_loads_or_gives_a_clear_reason() {
    let Some(dir) = corpus_lookups() else {
        return;
    };
    let library = LookupLibrary::load_dir(&dir).unwrap();

    let mut usable = 0;
    let mut unavailable = Vec::new();
    for definition in library.definitions() {
        match &definition.source {
            Source::File { .. } => {
                library.resolve(&definition.name).unwrap();
                usable += 1;
            }
            Source::Unavailable(reason) => {
                assert!(!reason.is_empty());
                let error = library.resolve(&definition.name).unwrap_err().to_string();
                assert!(error.contains(reason.as_str()), "{error}");
                unavailable.push(format!("{}: {reason}", definition.name));
            }
        }
    }
    let files = library.files().count();
    eprintln!(
        "definitions: {usable} usable, {} unavailable; {files} CSV files",
        unavailable.len()
    );
    for line in &unavailable {
        eprintln!("  unavailable {line}");
    }
    for problem in library.problems() {
        eprintln!("  problem {}: {}", problem.origin, problem.message);
    }

    let yml = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "yml"))
        })
        .count();
    // One definition per YAML file: none is lost without a problem saying so.
    let definition_problems = library
        .problems()
        .iter()
        .filter(|p| p.origin.ends_with(".yml"))
        .count();
    assert_eq!(usable + unavailable.len() + definition_problems, yml);
    assert!(usable >= 50, "only {usable} usable definitions");
    assert!(library.problems().is_empty(), "{:#?}", library.problems());
}

#[test]
fn lookups_named_by_escu_searches_resolve() {
    let Some(dir) = corpus_lookups() else {
        return;
    };
    let library = LookupLibrary::load_dir(&dir).unwrap();
    // Names taken from the `lookup` and `inputlookup` commands of the corpus's detections.
    let names = [
        "attacker_tools",
        "hijacklibs_loaded",
        "lolbas_file_path",
        "remote_access_software",
        "windows_protocol_handlers",
        "linux_tool_discovery_process.csv",
        "is_windows_system_file",
        "is_net_windows_file",
        "char_conversion_matrix",
        "dynamic_dns_providers_local",
        "lookup_rare_process_allow_list_local",
        "lookup_uncommon_processes_local",
        "prohibited_apps_launching_cmd",
        // A placeholder table: a header and no rows.
        "previously_seen_cmd_line_arguments",
    ];
    for name in names {
        if let Err(e) = library.resolve(name) {
            panic!("{name}: {e}");
        }
    }
    // KV store collections the corpus names: a clear error, not a missing lookup.
    for name in [
        "zoom_first_time_child_process",
        "remote_access_software_exceptions",
    ] {
        let e = library.resolve(name).unwrap_err().to_string();
        assert!(e.contains("KV store collection"), "{name}: {e}");
    }
    // Lookups of other apps (ES, CIM) are not in the folder.
    let e = library
        .resolve("asset_lookup_by_str")
        .unwrap_err()
        .to_string();
    assert!(e.contains("no lookup named"), "{e}");
}

fn run_lookup(library: &LookupLibrary, command: &str, input: ResultTable) -> ResultTable {
    let text = format!("| tstats count | {command}");
    let pipeline = spelunk_spl::parse(&text).unwrap();
    let Some(spelunk_spl::Command::Lookup(args)) = pipeline.commands.last() else {
        panic!("not a lookup: {command}");
    };
    let ctx = Context {
        tz: chrono_tz::UTC,
        now: 0.0,
        lookups: Some(library),
    };
    lookup::run(input, args, &ctx).unwrap()
}

fn single(text: &str) -> Cell {
    Cell::Single(text.to_string())
}

#[test]
fn escu_lookups_match_as_their_definitions_say() {
    let Some(dir) = corpus_lookups() else {
        return;
    };
    let library = LookupLibrary::load_dir(&dir).unwrap();

    // Two WILDCARD columns, case-insensitive, max_matches 1, default_match false.
    let input = ResultTable {
        columns: vec!["process_name".into(), "process_path".into()],
        rows: vec![
            vec![
                single("EventVwr.exe"),
                single("C:\\Windows\\System32\\eventvwr.exe"),
            ],
            vec![single("eventvwr.exe"), single("C:\\Temp\\eventvwr.exe")],
        ],
    };
    let out = run_lookup(
        &library,
        "lookup lolbas_file_path lolbas_file_name as process_name lolbas_file_path as process_path \
         OUTPUT description as is_lolbas_path",
        input,
    );
    assert_eq!(out.columns[2], "is_lolbas_path");
    assert_eq!(
        out.rows[0][2],
        single("Displays Windows Event Logs in a GUI window.")
    );
    assert_eq!(out.rows[1][2], single("false"));

    // Exact but case-insensitive, with min_matches 1.
    let input = ResultTable {
        columns: vec!["process_name".into()],
        rows: vec![vec![single("ACU.EXE")], vec![single("evil.exe")]],
    };
    let out = run_lookup(
        &library,
        "lookup update=true is_windows_system_file filename as process_name OUTPUT systemFile",
        input,
    );
    assert_eq!(out.rows[0][1], single("true"));
    assert_eq!(out.rows[1][1], single("false"));

    // The header and cells of this table carry spaces after their commas.
    let input = ResultTable {
        columns: vec!["query".into()],
        rows: vec![vec![single("x.3D-Game.com")], vec![single("example.org")]],
    };
    let out = run_lookup(
        &library,
        "lookup update=true dynamic_dns_providers_default dynamic_dns_domains as query \
         OUTPUTNEW isDynDNS_default",
        input,
    );
    assert_eq!(out.columns, ["query", "isDynDNS_default"]);
    assert_eq!(out.rows[0][1], single("True"));
    assert_eq!(out.rows[1][1], Cell::Null);
}
