//! Benchmarks: the shipped detection over normalized rows, and raw XML ingest.
//!
//! Each figure comes with a baseline measured in the same run on the same files, and the
//! ratio is what to compare between runs: this machine is shared and noisy.
//!
//! - detection: `spelunk`'s plan over N Parquet rows, against a polars scan that only reads
//!   the columns the detection names (the floor any engine pays to look at the data);
//! - ingest: reading and normalizing N Sysmon XML events, against tokenizing the same lines
//!   with quick-xml and doing nothing else.
//!
//! `SPELUNK_BENCH_ROWS` and `SPELUNK_BENCH_EVENTS` set N (defaults 1,000,000 and 200,000).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use polars::prelude::*;
use spelunk_engine::{Catalog, Search};
use spelunk_spl::MacroLibrary;

const SEED_QUERY: &str =
    include_str!("../../queries/windows_advanced_installer_msix_with_ai_stubs_execution.spl");

fn main() {
    let rows = env_count("SPELUNK_BENCH_ROWS", 1_000_000);
    let events = env_count("SPELUNK_BENCH_EVENTS", 200_000);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    std::fs::create_dir_all(&dir).expect("benches/data can be created");

    let parquet = dir.join(format!("processes_{rows}.parquet"));
    if !parquet.exists() {
        spelunk_bench::write_processes_parquet(&parquet, rows, 1).expect("parquet written");
    }
    let xml = dir.join(format!("sysmon_{events}.log"));
    if !xml.exists() {
        spelunk_bench::write_sysmon_xml(&xml, events, 2).expect("xml written");
    }

    detection(&parquet, rows);
    ingest(&xml, events);
}

fn env_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The best of a few runs: the least disturbed by the rest of the machine.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = None;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        let took = start.elapsed();
        best = Some(best.map_or(took, |b: Duration| b.min(took)));
        last = Some(out);
    }
    (best.unwrap_or_default(), last.expect("at least one run"))
}

fn detection(parquet: &Path, rows: usize) {
    let search = Search::prepare(SEED_QUERY, &MacroLibrary::with_builtins()).expect("plans");
    let table = format!("Endpoint.Processes={}", parquet.display());

    let (ours, results) = best_of(3, || {
        let mut catalog = Catalog::new();
        catalog.add_table_arg(&table).expect("table added");
        search.run(&catalog, chrono_tz::UTC).expect("runs")
    });

    let columns: Vec<Expr> = search
        .plan
        .source
        .fields_read
        .iter()
        .map(|c| col(c.as_str()))
        .collect();
    let path = PlRefPath::new(parquet.to_string_lossy().as_ref());
    let (scan, height) = best_of(3, || {
        LazyFrame::scan_parquet(path.clone(), ScanArgsParquet::default())
            .and_then(|f| f.select(columns.clone()).collect())
            .expect("scans")
            .height()
    });
    assert_eq!(height, rows);

    report("detection over Parquet", rows, "rows", ours, scan);
    println!("  results: {} rows", results.rows.len());
}

fn ingest(xml: &Path, events: usize) {
    let bytes = std::fs::metadata(xml).map(|m| m.len()).unwrap_or(0);
    let paths = vec![PathBuf::from(xml)];
    let (ours, read) = best_of(3, || {
        let mut catalog = Catalog::new();
        catalog.add_logs(&paths).expect("reads").events
    });
    assert_eq!(read, events);

    let text = std::fs::read_to_string(xml).expect("xml readable");
    let (tokenize, tokens) = best_of(3, || {
        let mut count = 0usize;
        for line in text.lines() {
            let mut reader = quick_xml::Reader::from_str(line);
            while !matches!(
                reader.read_event(),
                Ok(quick_xml::events::Event::Eof) | Err(_)
            ) {
                count += 1;
            }
        }
        count
    });
    assert!(tokens > 0);

    report("XML ingest", events, "events", ours, tokenize);
    println!(
        "  {:.1} MB/s ({:.1} MB)",
        bytes as f64 / 1e6 / ours.as_secs_f64(),
        bytes as f64 / 1e6
    );
}

fn report(what: &str, n: usize, unit: &str, ours: Duration, baseline: Duration) {
    println!(
        "{what}: {n} {unit} in {:.3}s = {:.0} {unit}/s; baseline {:.3}s; ratio {:.2}x the baseline",
        ours.as_secs_f64(),
        n as f64 / ours.as_secs_f64(),
        baseline.as_secs_f64(),
        ours.as_secs_f64() / baseline.as_secs_f64()
    );
}
