//! The spelunk engine: plans SPL pipelines and runs them over CIM tables with polars.
//!
//! [`Search::prepare`] takes SPL text through comment stripping, macro expansion and parsing
//! (the `spelunk-spl` crate), then plans it. [`Search::run`] executes the plan over a
//! [`Catalog`] of data set tables and returns a [`ResultTable`] in SPL column order.
//!
//! The engine does not read logs itself (`spelunk-cim` does) and does not print results (the
//! command line does).

#![warn(missing_docs)]

pub mod catalog;
pub mod commands;
mod ctime;
mod datamodel;
pub mod error;
pub mod eval;
pub mod lookup;
mod lower;
mod names;
mod pipeline;
pub mod plan;
mod planner;
pub mod timespec;
mod udf;
pub mod values;
pub mod wildcard;

use chrono_tz::Tz;
use spelunk_spl::MacroLibrary;

pub use catalog::Catalog;
pub use error::{Error, PlanError};
/// The columnar store, re-exported for the command line's `ingest`.
pub use spelunk_cim::store;
pub use values::{Cell, ResultTable};

/// A search ready to run: its expanded text and its plan.
#[derive(Debug, Clone)]
pub struct Search {
    /// The SPL after comment stripping and macro expansion.
    pub expanded: String,
    /// The parsed pipeline, printed back as canonical SPL.
    pub canonical: String,
    /// The plan.
    pub plan: plan::Plan,
}

impl Search {
    /// Strips comments, expands macros, parses and plans `text`.
    pub fn prepare(text: &str, macros: &MacroLibrary) -> Result<Search, Error> {
        let prepared = spelunk_spl::prepare(text, macros).map_err(|diagnostic| Error::Query {
            unsupported: diagnostic.kind == spelunk_spl::diagnostic::DiagnosticKind::Unsupported,
            rendered: diagnostic.to_string(),
        })?;
        let plan = planner::plan(&prepared.pipeline).map_err(|e| Error::Query {
            unsupported: e.unsupported,
            rendered: plan_diagnostic(&e).render(&prepared.expanded),
        })?;
        Ok(Search {
            canonical: prepared.pipeline.to_string(),
            expanded: prepared.expanded,
            plan,
        })
    }

    /// Runs the search over the catalog, formatting times in `tz`, with "now" the clock's
    /// time, no time range and no lookups.
    pub fn run(&self, catalog: &Catalog, tz: Tz) -> Result<ResultTable, Error> {
        self.run_with(catalog, &Settings::new(tz))
    }

    /// Runs the search over the catalog with `settings`.
    pub fn run_with(
        &self,
        catalog: &Catalog,
        settings: &Settings<'_>,
    ) -> Result<ResultTable, Error> {
        let window = settings.window()?;
        let options = lower::RunOptions {
            tz: settings.tz,
            now: settings.now,
            window,
            lookups: settings.lookups,
            text: &self.expanded,
            slice_rows: settings.slice_rows,
        };
        lower::execute(&self.plan, catalog, &options, false)
    }
}

/// What a search runs with besides its data: time zone, "now", time range, lookups.
#[derive(Debug, Clone)]
pub struct Settings<'a> {
    /// The search's time zone.
    pub tz: Tz,
    /// "Now", epoch seconds.
    pub now: f64,
    /// `--earliest`, in Splunk's time syntax (`-24h@h`, an epoch, ...); inclusive.
    pub earliest: Option<String>,
    /// `--latest`; exclusive.
    pub latest: Option<String>,
    /// The lookups folder's tables.
    pub lookups: Option<&'a lookup::LookupLibrary>,
    /// Rows the row-wise commands take at a time; the answer does not depend on it, only
    /// the memory a large result takes.
    pub slice_rows: usize,
}

impl Settings<'_> {
    /// Settings in `tz` with "now" the clock's time, no time range and no lookups.
    pub fn new(tz: Tz) -> Settings<'static> {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs() as f64);
        Settings {
            tz,
            now,
            earliest: None,
            latest: None,
            lookups: None,
            slice_rows: pipeline::SLICE_ROWS,
        }
    }

    /// The time range, resolved against "now".
    fn window(&self) -> Result<timespec::TimeWindow, Error> {
        let bound = |name: &str, spec: &Option<String>| -> Result<Option<f64>, Error> {
            match spec {
                None => Ok(None),
                Some(spec) => timespec::resolve(spec, self.now, self.tz)
                    .map(Some)
                    .map_err(|e| Error::Usage(format!("--{name} {spec}: {e}"))),
            }
        };
        let earliest = bound("earliest", &self.earliest)?.filter(|e| *e != 0.0);
        let latest = bound("latest", &self.latest)?;
        Ok(timespec::TimeWindow { earliest, latest })
    }
}

fn plan_diagnostic(error: &PlanError) -> spelunk_spl::Diagnostic {
    let diagnostic = spelunk_spl::Diagnostic::new(error.message.clone(), error.span);
    if error.unsupported {
        diagnostic
            .with_kind(spelunk_spl::diagnostic::DiagnosticKind::Unsupported)
            .with_help("this is valid SPL, but spelunk cannot run it yet")
    } else {
        diagnostic
    }
}

/// Parses a time zone name such as `UTC` or `America/New_York`.
pub fn time_zone(name: &str) -> Result<Tz, Error> {
    name.parse::<Tz>()
        .map_err(|_| Error::TimeZone(name.to_string()))
}
