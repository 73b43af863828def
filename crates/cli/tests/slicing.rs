//! The row-wise commands run over a large result a slice at a time; the answer must not
//! depend on the slice size. Every detection of the shared corpus runs over the shared logs
//! (real attack data, where many detections find rows) and over a synthetic table, once with
//! the default slices and once with tiny ones, and the two answers must be equal, columns and
//! rows.

mod common;

use std::path::{Path, PathBuf};

use spelunk_engine::lookup::LookupLibrary;
use spelunk_engine::{Catalog, Search, Settings};
use spelunk_spl::MacroLibrary;

/// Runs every detection at both slice sizes; returns how many ran and how many found rows.
fn compare(
    corpus: &str,
    macros: &MacroLibrary,
    catalog: &Catalog,
    settings: &Settings<'_>,
    small: usize,
) -> (usize, usize) {
    let mut tiny = settings.clone();
    tiny.slice_rows = small;
    let (mut ran, mut found) = (0, 0);
    for line in corpus.lines() {
        let detection: serde_json::Value = serde_json::from_str(line).unwrap();
        let name = detection["name"].as_str().unwrap();
        let Ok(search) = Search::prepare(detection["search"].as_str().unwrap(), macros) else {
            continue;
        };
        let whole = search.run_with(catalog, settings);
        let sliced = search.run_with(catalog, &tiny);
        match (whole, sliced) {
            (Ok(whole), Ok(sliced)) => {
                assert_eq!(
                    whole, sliced,
                    "{name}: slices of {small} rows change the answer"
                );
                ran += 1;
                found += usize::from(!whole.rows.is_empty());
            }
            (Err(whole), Err(sliced)) => {
                assert_eq!(whole.to_string(), sliced.to_string(), "{name}")
            }
            (whole, sliced) => panic!("{name}: {whole:?} against {sliced:?}"),
        }
    }
    (ran, found)
}

fn setup(shared: &Path) -> (String, MacroLibrary, LookupLibrary) {
    let corpus = std::fs::read_to_string(shared.join("corpus/detections.jsonl")).unwrap();
    let mut macros = MacroLibrary::with_builtins();
    macros
        .load_path(&shared.join("corpus/macros.conf"))
        .unwrap();
    let lookups = LookupLibrary::load_dir(&shared.join("corpus/lookups")).unwrap();
    (corpus, macros, lookups)
}

#[test]
fn slicing_does_not_change_any_detections_answer_on_the_shared_logs() {
    let Some(shared) =
        common::shared("slicing_does_not_change_any_detections_answer_on_the_shared_logs")
    else {
        return;
    };
    let (corpus, macros, lookups) = setup(&shared);
    let logs: Vec<PathBuf> = std::fs::read_dir(shared.join("datasets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .collect();
    let mut catalog = Catalog::new();
    catalog.add_logs(&logs).unwrap();
    catalog.materialize().unwrap();
    let mut settings = Settings::new(spelunk_engine::time_zone("UTC").unwrap());
    settings.now = 1_767_225_600.0;
    settings.lookups = Some(&lookups);

    let (ran, found) = compare(&corpus, &macros, &catalog, &settings, 2);
    eprintln!(
        "{ran} detections ran on the shared logs, {found} found rows, same answer in slices of 2"
    );
    assert!(ran > 300, "only {ran} ran");
    assert!(
        found >= 5,
        "only {found} detections found rows: the comparison says little"
    );
}

#[test]
fn slicing_does_not_change_any_detections_answer_on_a_synthetic_table() {
    let Some(shared) =
        common::shared("slicing_does_not_change_any_detections_answer_on_a_synthetic_table")
    else {
        return;
    };
    let (corpus, macros, lookups) = setup(&shared);
    let dir = tempfile::tempdir().unwrap();
    let table = dir.path().join("processes.parquet");
    spelunk_bench::write_processes_parquet(&table, 20_000, 11).unwrap();
    let mut catalog = Catalog::new();
    catalog
        .add_table_arg(&format!("Endpoint.Processes={}", table.display()))
        .unwrap();
    catalog.materialize().unwrap();
    let mut settings = Settings::new(spelunk_engine::time_zone("UTC").unwrap());
    settings.now = 1_767_225_600.0;
    settings.lookups = Some(&lookups);

    let (ran, found) = compare(&corpus, &macros, &catalog, &settings, 999);
    eprintln!("{ran} detections ran on 20,000 synthetic rows, {found} found rows, same answer in slices of 999");
    assert!(ran > 300, "only {ran} ran");
}
