//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Run Splunk detection searches verbatim over raw Windows and EDR logs.
#[derive(Debug, Parser)]
#[command(name = "spelunk", version)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a search and print its results.
    Run(RunArgs),
    /// Print a search after macro expansion, as parsed, and its plan.
    Explain(QueryArgs),
    /// Normalize log files once into a columnar store that `run --data DIR` searches.
    Ingest(IngestArgs),
    /// Run every detection of a corpus (JSON lines with `name` and `search`) over the same
    /// data and report which ran, which use unsupported constructs, and which failed.
    Check(CheckArgs),
}

/// Arguments of `spelunk check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The corpus, e.g. `detections.jsonl`.
    pub corpus: PathBuf,

    /// A macros.conf, a .jsonl of macros, or a folder of ESCU macro YAML files. May repeat.
    #[arg(long, value_name = "PATH")]
    pub macros: Vec<PathBuf>,

    /// Logs or a store to run the detections over. May repeat.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub data: Vec<PathBuf>,

    /// An already-normalized table: DATASET=FILE. May repeat.
    #[arg(long, value_name = "DATASET=FILE")]
    pub table: Vec<String>,

    /// Time zone, time range, "now" and lookups.
    #[command(flatten)]
    pub settings: SettingsArgs,

    /// A summary per status (`text`) or one JSON object per detection (`json`).
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
}

/// Output formats of `spelunk check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Counts per status and the constructs still missing.
    Text,
    /// One JSON object per detection.
    Json,
}

/// Arguments of `spelunk ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Log files or folders of them (format read from the content).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The store folder; created when missing.
    #[arg(long, value_name = "DIR")]
    pub store: PathBuf,

    /// Print no progress bar, even on a terminal.
    #[arg(long)]
    pub quiet: bool,
}

/// Where the search text comes from, and the macros it may call.
#[derive(Debug, Args)]
pub struct QueryArgs {
    /// A file holding the search (SPL).
    pub file: Option<PathBuf>,

    /// The search text itself.
    #[arg(short = 'e', long = "expression", value_name = "SPL")]
    pub expression: Option<String>,

    /// A macros.conf, a .jsonl of macros, or a folder of ESCU macro YAML files. May repeat.
    #[arg(long, value_name = "PATH")]
    pub macros: Vec<PathBuf>,
}

/// Arguments of `spelunk run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The search.
    #[command(flatten)]
    pub query: QueryArgs,

    /// A log file, a folder of them (format read from the content) or a store folder made by
    /// `spelunk ingest`. May repeat.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub data: Vec<PathBuf>,

    /// An already-normalized table: DATASET=FILE (CSV, JSON lines or Parquet). May repeat.
    #[arg(long, value_name = "DATASET=FILE")]
    pub table: Vec<String>,

    /// How to print the results.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Time zone, time range, "now" and lookups.
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// What a search runs with besides its data.
#[derive(Debug, Args)]
pub struct SettingsArgs {
    /// The time zone for formatting times and snapping relative times (IANA name).
    #[arg(long, default_value = "UTC", value_name = "ZONE")]
    pub tz: String,

    /// Earliest `_time` searched, inclusive: Splunk's time syntax (`-24h@h`, `@d`, an epoch,
    /// `%m/%d/%Y:%H:%M:%S`). A tstats' own `earliest=` replaces it.
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub earliest: Option<String>,

    /// Latest `_time` searched, exclusive, in the same syntax.
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub latest: Option<String>,

    /// The search's "now" (epoch seconds or `%m/%d/%Y:%H:%M:%S`); the clock's time when absent.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,

    /// A folder of lookup tables: CSV files with ESCU YAML definitions or a transforms.conf.
    #[arg(long, value_name = "DIR")]
    pub lookups: Option<PathBuf>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// An aligned table for a terminal.
    Table,
    /// CSV as Splunk exports it.
    Csv,
    /// One JSON object per result.
    Json,
}
