//! The `spelunk` command line: runs SPL searches over logs and prints the results.
//!
//! Results go to stdout; messages go to stderr prefixed `spelunk:`. The exit status is 0
//! when the search ran, with or without results, and 2 on any error.

mod args;
mod check;
mod ingest;
mod output;

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use spelunk_engine::lookup::LookupLibrary;
use spelunk_engine::{Catalog, Error, Search, Settings};
use spelunk_spl::MacroLibrary;

use crate::args::{Cli, Command, QueryArgs, RunArgs, SettingsArgs};

/// How many skipped lines are listed one by one before the rest are only counted.
const SKIPS_LISTED: usize = 20;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Run(run_args) => run(&run_args),
        Command::Explain(query) => explain(&query),
        Command::Ingest(ingest_args) => ingest::ingest(&ingest_args),
        Command::Check(check_args) => check::check(&check_args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BrokenPipe) => ExitCode::SUCCESS,
        Err(Failure::Message(message)) => {
            eprintln!("spelunk: {message}");
            ExitCode::from(2)
        }
    }
}

pub(crate) enum Failure {
    /// The reader of stdout went away; not an error for a command-line tool.
    BrokenPipe,
    /// Anything else, worded for the user.
    Message(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Message(error.to_string())
    }
}

impl From<io::Error> for Failure {
    fn from(error: io::Error) -> Self {
        if error.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Message(format!("cannot write results: {error}"))
        }
    }
}

fn run(args: &RunArgs) -> Result<(), Failure> {
    let search = prepare(&args.query)?;
    let lookups = load_lookups(&args.settings)?;
    let settings = settings(&args.settings, lookups.as_ref())?;
    if search.plan.source.is_some() && args.data.is_empty() && args.table.is_empty() {
        return Err(Failure::Message(
            "nothing to search: give --data PATH (logs) or --table DATASET=FILE".to_string(),
        ));
    }

    let mut catalog = Catalog::new();
    if !args.data.is_empty() {
        let report = catalog.add_logs(&args.data)?;
        for file in &report.skipped_files {
            eprintln!(
                "spelunk: skipped {}: not a log format this version reads",
                file.display()
            );
        }
        report_skips(&report.skipped);
    }
    for table in &args.table {
        catalog.add_table_arg(table)?;
    }

    let results = search.run_with(&catalog, &settings)?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    output::write(&mut out, &results, args.format)?;
    out.flush()?;
    Ok(())
}

/// The lookups folder, when one is given.
pub(crate) fn load_lookups(args: &SettingsArgs) -> Result<Option<LookupLibrary>, Failure> {
    match &args.lookups {
        None => Ok(None),
        Some(dir) => LookupLibrary::load_dir(dir)
            .map(Some)
            .map_err(|e| Failure::Message(e.to_string())),
    }
}

/// The settings a search runs with, from the command line.
pub(crate) fn settings<'a>(
    args: &SettingsArgs,
    lookups: Option<&'a LookupLibrary>,
) -> Result<Settings<'a>, Failure> {
    let tz = spelunk_engine::time_zone(&args.tz)?;
    let mut settings = Settings::new(tz);
    if let Some(now) = &args.now {
        settings.now = spelunk_engine::timespec::resolve(now, settings.now, tz)
            .map_err(|e| Failure::Message(format!("--now {now}: {e}")))?;
    }
    settings.earliest = args.earliest.clone();
    settings.latest = args.latest.clone();
    settings.lookups = lookups;
    Ok(settings)
}

fn explain(query: &QueryArgs) -> Result<(), Failure> {
    let search = prepare(query)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "# expanded\n{}\n", search.expanded.trim())?;
    writeln!(out, "# parsed\n{}\n", search.canonical)?;
    writeln!(out, "# plan\n{}", search.plan)?;
    Ok(())
}

fn prepare(query: &QueryArgs) -> Result<Search, Failure> {
    let text = match (&query.file, &query.expression) {
        (Some(file), None) => read_query(file)?,
        (None, Some(text)) => text.clone(),
        (Some(_), Some(_)) => {
            return Err(Failure::Message(
                "give a query file or -e 'SPL', not both".to_string(),
            ))
        }
        (None, None) => {
            return Err(Failure::Message(
                "no search given: name a .spl file or pass -e 'SPL'".to_string(),
            ))
        }
    };
    let mut macros = MacroLibrary::with_builtins();
    for path in &query.macros {
        macros
            .load_path(path)
            .map_err(|e| Failure::Message(e.to_string()))?;
    }
    Ok(Search::prepare(&text, &macros)?)
}

fn read_query(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure::Message(format!("cannot read {}: {e}", path.display())))
}

fn report_skips(skipped: &[impl std::fmt::Display]) {
    for skip in skipped.iter().take(SKIPS_LISTED) {
        eprintln!("spelunk: skipped {skip}");
    }
    if skipped.len() > SKIPS_LISTED {
        eprintln!("spelunk: ... and {} more", skipped.len() - SKIPS_LISTED);
    }
    if !skipped.is_empty() {
        eprintln!("spelunk: {} line(s) skipped in all", skipped.len());
    }
}
