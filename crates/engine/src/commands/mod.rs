//! Commands that run after `tstats`, row by row over a [`ResultTable`].
//!
//! Each command is one module with a `run` function taking the table, its syntax node and
//! the [`Context`] of the search; each describes what it does in Splunk's terms and what it
//! does not support. The planner decides when they run; this module does not.

pub mod eval;
pub mod stats;
pub mod where_;

use chrono_tz::Tz;
use spelunk_spl::Span;

use crate::values::{Cell, ResultTable};

/// What every command may know about the search it runs in.
#[derive(Debug, Clone)]
pub struct Context {
    /// The time zone of the searching user: `strftime`, `strptime` and `@d` snapping use it.
    pub tz: Tz,
    /// When the search started, in epoch seconds: the value of `now()`.
    pub now: f64,
}

/// Why a command could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    /// What went wrong, lower case, with the fix when there is one.
    pub message: String,
    /// Where in the search.
    pub span: Span,
    /// Whether this is valid SPL that spelunk cannot run yet.
    pub unsupported: bool,
}

impl CommandError {
    /// An error at `span`.
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        CommandError {
            message: message.into(),
            span,
            unsupported: false,
        }
    }

    /// "`construct` is not supported" at `span`.
    pub fn unsupported(construct: impl Into<String>, span: Span) -> Self {
        CommandError {
            message: format!("{} is not supported", construct.into()),
            span,
            unsupported: true,
        }
    }
}

impl From<crate::eval::EvalError> for CommandError {
    fn from(e: crate::eval::EvalError) -> Self {
        CommandError {
            message: e.message,
            span: e.span,
            unsupported: e.unsupported,
        }
    }
}

/// The index of column `name`, added (null in every row) when absent.
pub(crate) fn column_index(table: &mut ResultTable, name: &str) -> usize {
    if let Some(at) = table.columns.iter().position(|c| c == name) {
        return at;
    }
    table.columns.push(name.to_string());
    for row in &mut table.rows {
        row.push(Cell::Null);
    }
    table.columns.len() - 1
}

#[cfg(test)]
pub(crate) mod test_support {
    //! Builds tables for the golden tests: `"a"` is a value, `"-"` null, `"x|y"` multivalue.

    use super::Context;
    use crate::values::{Cell, ResultTable};

    /// A cell from its test notation.
    pub fn cell(text: &str) -> Cell {
        match text {
            "-" => Cell::Null,
            t if t.contains('|') => Cell::Multi(t.split('|').map(String::from).collect()),
            t => Cell::Single(t.to_string()),
        }
    }

    /// A table from column names and rows in test notation.
    pub fn table(columns: &[&str], rows: &[&[&str]]) -> ResultTable {
        ResultTable {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: rows
                .iter()
                .map(|r| r.iter().map(|c| cell(c)).collect())
                .collect(),
        }
    }

    /// A UTC context at 2023-11-14T22:13:20Z.
    pub fn context() -> Context {
        Context {
            tz: chrono_tz::UTC,
            now: 1_700_000_000.0,
        }
    }

    /// The first pipeline command of `text`.
    pub fn command(text: &str) -> spelunk_spl::Command {
        let pipeline = spelunk_spl::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        pipeline.commands.into_iter().next().expect("a command")
    }
}
