//! `spelunk ingest`: fills a store, with a progress bar on a terminal and a summary at the end.

use std::io::{self, IsTerminal, Write};

use indicatif::{ProgressBar, ProgressStyle};
use spelunk_engine::store::{self, IngestSummary, Progress};

use crate::args::IngestArgs;
use crate::Failure;

/// How many skipped lines the summary lists one by one.
const SKIPS_LISTED: usize = 20;

/// Runs the ingest. Files that cannot be read are listed and make the exit status 2; the
/// others are still ingested.
pub(crate) fn ingest(args: &IngestArgs) -> Result<(), Failure> {
    let bar = (!args.quiet && io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:40} {binary_bytes}/{binary_total_bytes} {pos_msg} {wide_msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let mut on_progress = |p: Progress<'_>| {
        if let Some(bar) = &bar {
            bar.set_length(p.bytes_total);
            bar.set_position(p.bytes_done);
            bar.set_message(format!(
                "file {}/{}: {}",
                p.files_done,
                p.files_total,
                p.file.display()
            ));
        }
    };
    let summary = store::ingest(&args.store, &args.paths, &mut on_progress)
        .map_err(|e| Failure::Message(e.to_string()))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }

    let stdout = io::stdout();
    let mut out = stdout.lock();
    write_summary(&mut out, &summary, &args.store.display().to_string())?;
    if summary.errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::Message(format!(
            "{} file(s) could not be read; the rest were ingested",
            summary.errors.len()
        )))
    }
}

fn write_summary(out: &mut impl Write, s: &IngestSummary, store: &str) -> io::Result<()> {
    let report = &s.report;
    writeln!(
        out,
        "ingested {} file(s) into {store}: {} event(s) read, {} row(s) in {} new part(s)",
        report.files,
        report.events,
        report.mapped_total(),
        s.parts
    )?;
    if !s.already_ingested.is_empty() {
        writeln!(
            out,
            "already in the store (same content), not read again: {}",
            s.already_ingested.len()
        )?;
        for path in &s.already_ingested {
            writeln!(out, "  {}", path.display())?;
        }
    }
    if !report.mapped.is_empty() {
        writeln!(out, "rows per data set and source:")?;
        for ((source, dataset), n) in &report.mapped {
            writeln!(out, "  {dataset:<28} {source:<56} {n}")?;
        }
    }
    writeln!(out, "events no data set takes: {}", report.unmapped)?;
    if !report.skipped.is_empty() {
        writeln!(out, "skipped lines: {}", report.skipped.len())?;
        for (kind, n) in report.skips_by_kind() {
            writeln!(out, "  {kind}: {n}")?;
        }
        for skip in report.skipped.iter().take(SKIPS_LISTED) {
            writeln!(out, "  {skip}")?;
        }
        if report.skipped.len() > SKIPS_LISTED {
            writeln!(
                out,
                "  ... and {} more",
                report.skipped.len() - SKIPS_LISTED
            )?;
        }
    }
    for file in &report.skipped_files {
        writeln!(
            out,
            "skipped file {}: not a log format this version reads",
            file.display()
        )?;
    }
    for error in &s.errors {
        writeln!(out, "error: {error}")?;
    }
    Ok(())
}
