//! Benchmark: every detection of the shared corpus, one after the other, over one table of
//! N synthetic `Endpoint.Processes` rows (`SPELUNK_BENCH_CORPUS_ROWS`, default 10,000,000).
//!
//! The table is read into memory once, with the data model's calculated fields, as
//! `spelunk check` does; that time is part of the figure. At 10M rows the table takes about
//! 9 GB, and the broadest detections (a tstats by per-launch fields such as the command line,
//! 10M groups) add a few GB each while they run.
//!
//! The baseline, measured in the same run, is one polars scan of the whole table (every
//! column), the least any engine pays to look at all of the data once; the ratio says how
//! many such scans the whole corpus costs. The slowest detections are listed. Skipped when
//! `../shared` is absent.

use std::path::Path;
use std::time::Instant;

use polars::prelude::*;
use spelunk_engine::lookup::LookupLibrary;
use spelunk_engine::{Catalog, Search, Settings};
use spelunk_spl::MacroLibrary;

fn main() {
    let rows = std::env::var("SPELUNK_BENCH_CORPUS_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../../shared/corpus");
    let Ok(corpus) = std::fs::read_to_string(shared.join("detections.jsonl")) else {
        println!("corpus benchmark: skipped, {} is absent", shared.display());
        return;
    };
    let dir = root.join("data");
    std::fs::create_dir_all(&dir).expect("benches/data can be created");
    let parquet = dir.join(format!("processes_{rows}.parquet"));
    if !parquet.exists() {
        spelunk_bench::write_processes_parquet(&parquet, rows, 3).expect("parquet written");
    }

    let mut macros = MacroLibrary::with_builtins();
    macros
        .load_path(&shared.join("macros.conf"))
        .expect("macros load");
    let lookups = LookupLibrary::load_dir(&shared.join("lookups")).expect("lookups load");
    let mut catalog = Catalog::new();
    catalog
        .add_table_arg(&format!("Endpoint.Processes={}", parquet.display()))
        .expect("table added");
    let mut settings = Settings::new(chrono_tz::UTC);
    settings.lookups = Some(&lookups);

    let start = Instant::now();
    catalog.materialize().expect("the table reads");
    let materialize = start.elapsed();

    let searches: Vec<(String, String)> = corpus
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|d| {
            let name = d["name"].as_str().unwrap_or_default().to_string();
            d["search"].as_str().map(|s| (name, s.to_string()))
        })
        .collect();
    let start = Instant::now();
    let (mut ran, mut rows_out) = (0, 0);
    let mut times = Vec::new();
    for (name, text) in &searches {
        let Ok(search) = Search::prepare(text, &macros) else {
            continue;
        };
        let one = Instant::now();
        if let Ok(results) = search.run_with(&catalog, &settings) {
            ran += 1;
            rows_out += results.rows.len();
        }
        times.push((one.elapsed().as_secs_f64(), name));
    }
    let ours = start.elapsed() + materialize;
    times.sort_by(|a, b| b.0.total_cmp(&a.0));

    let path = PlRefPath::new(parquet.to_string_lossy().as_ref());
    let start = Instant::now();
    let height = LazyFrame::scan_parquet(path, ScanArgsParquet::default())
        .and_then(|f| f.collect())
        .expect("scans")
        .height();
    let scan = start.elapsed();
    assert_eq!(height, rows);

    println!(
        "corpus: {} detections ({ran} ran, {rows_out} result rows) over {rows} rows in {:.1}s \
         (reading the table once: {:.1}s) = {:.2}s a detection; baseline one full scan {:.2}s; \
         ratio {:.1}x the baseline",
        searches.len(),
        ours.as_secs_f64(),
        materialize.as_secs_f64(),
        ours.as_secs_f64() / searches.len().max(1) as f64,
        scan.as_secs_f64(),
        ours.as_secs_f64() / scan.as_secs_f64()
    );
    let median = times.get(times.len() / 2).map_or(0.0, |t| t.0);
    println!("  median detection {median:.2}s; slowest:");
    for (seconds, name) in times.iter().take(8) {
        println!("  {seconds:7.2}s  {name}");
    }
}
