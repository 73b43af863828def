//! `spelunk check`: the conformance runner. Expands, parses, plans and runs every detection of
//! a corpus over the same data, and says for each whether it ran, uses a construct spelunk does
//! not support yet (named), or failed.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::json;
use spelunk_engine::{Catalog, Error, Search};
use spelunk_spl::MacroLibrary;

use crate::args::{CheckArgs, CheckFormat};
use crate::Failure;

/// One corpus entry, as `detections.jsonl` holds it.
struct Detection {
    name: String,
    deprecated: bool,
    search: String,
}

/// What became of one detection.
enum Status {
    /// It ran and gave this many rows.
    Ran(usize),
    /// It uses a construct spelunk does not run yet: the message naming it.
    Unsupported(String),
    /// Anything else: the message.
    Failed(String),
}

pub(crate) fn check(args: &CheckArgs) -> Result<(), Failure> {
    let detections = read_corpus(&args.corpus)?;
    let mut macros = MacroLibrary::with_builtins();
    for path in &args.macros {
        macros
            .load_path(path)
            .map_err(|e| Failure::Message(e.to_string()))?;
    }
    let mut catalog = Catalog::new();
    if !args.data.is_empty() {
        catalog.add_logs(&args.data)?;
    }
    for table in &args.table {
        catalog.add_table_arg(table)?;
    }
    // Every detection reads the same tables: read them and compute the calculated fields once.
    catalog.materialize()?;
    let lookups = crate::load_lookups(&args.settings)?;
    let settings = crate::settings(&args.settings, lookups.as_ref())?;

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut live = (0usize, 0usize);
    let mut missing: BTreeMap<String, usize> = BTreeMap::new();
    for detection in &detections {
        let started = std::time::Instant::now();
        let status = match Search::prepare(&detection.search, &macros) {
            Err(e) => classify(e),
            Ok(search) => match search.run_with(&catalog, &settings) {
                Ok(results) => Status::Ran(results.rows.len()),
                Err(e) => classify(e),
            },
        };
        let label = match &status {
            Status::Ran(_) => "ran",
            Status::Unsupported(_) => "unsupported",
            Status::Failed(_) => "error",
        };
        *counts.entry(label).or_default() += 1;
        if !detection.deprecated {
            live.1 += 1;
            if matches!(status, Status::Ran(_)) {
                live.0 += 1;
            }
        }
        if let Status::Unsupported(construct) = &status {
            *missing.entry(construct.clone()).or_default() += 1;
        }
        if args.format == CheckFormat::Json {
            let seconds = (started.elapsed().as_secs_f64() * 1e3).round() / 1e3;
            let line = match &status {
                Status::Ran(rows) => {
                    json!({"name": detection.name, "status": label, "rows": rows, "seconds": seconds})
                }
                Status::Unsupported(m) => {
                    json!({"name": detection.name, "status": label, "construct": m})
                }
                Status::Failed(m) => json!({"name": detection.name, "status": label, "error": m}),
            };
            writeln!(out, "{line}")?;
        }
    }

    if args.format == CheckFormat::Text {
        writeln!(out, "detections: {}", detections.len())?;
        for (label, n) in &counts {
            writeln!(out, "  {label:<12} {n}")?;
        }
        let share = if live.1 == 0 {
            0.0
        } else {
            100.0 * live.0 as f64 / live.1 as f64
        };
        writeln!(
            out,
            "not deprecated: {} of {} ran ({share:.1}%)",
            live.0, live.1
        )?;
        if !missing.is_empty() {
            writeln!(out, "unsupported constructs:")?;
            let mut by_count: Vec<_> = missing.into_iter().collect();
            by_count.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            for (construct, n) in by_count {
                writeln!(out, "  {n:>4}  {construct}")?;
            }
        }
    }
    out.flush()?;
    Ok(())
}

fn classify(error: Error) -> Status {
    match error {
        Error::Query {
            rendered,
            unsupported,
        } => {
            let first = rendered.lines().next().unwrap_or_default();
            let message = first.strip_prefix("error: ").unwrap_or(first).to_string();
            if unsupported {
                Status::Unsupported(message)
            } else {
                Status::Failed(message)
            }
        }
        other => Status::Failed(other.to_string()),
    }
}

fn read_corpus(path: &std::path::Path) -> Result<Vec<Detection>, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Message(format!("cannot read {}: {e}", path.display())))?;
    let mut detections = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad =
            |what: &str| Failure::Message(format!("{}:{}: {what}", path.display(), index + 1));
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(&format!("not JSON: {e}")))?;
        let search = value["search"]
            .as_str()
            .ok_or_else(|| bad("no `search` string"))?;
        detections.push(Detection {
            name: value["name"].as_str().unwrap_or("(unnamed)").to_string(),
            deprecated: value["deprecated"].as_bool().unwrap_or(false)
                || value["status"].as_str() == Some("deprecated"),
            search: search.to_string(),
        });
    }
    Ok(detections)
}
