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

    /// Runs the search over the catalog, formatting times in `tz`.
    pub fn run(&self, catalog: &Catalog, tz: Tz) -> Result<ResultTable, Error> {
        lower::execute(&self.plan, catalog, tz)
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
