//! Commands that run row by row over a [`ResultTable`], after `tstats`.
//!
//! Each command is one module with a `run` function taking the table, its AST node and a
//! [`Context`], and returning the new table. The planner decides when they run; this
//! module only holds what they share.

pub mod inputlookup;
pub mod lookup;

use chrono_tz::Tz;
use spelunk_spl::ast::Span;

use crate::lookup::LookupLibrary;
use crate::values::{Cell, ResultTable};

/// What a command may need besides its input: the clock, the time zone, the lookups.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The user's time zone, for time snapping and rendering.
    pub tz: Tz,
    /// The search's "now", epoch seconds: constant for the whole search.
    pub now: f64,
    /// The lookups folder, when one was given (`--lookups DIR`).
    pub lookups: Option<&'a LookupLibrary>,
}

/// Why a command could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    /// What is wrong, in the voice of the other diagnostics.
    pub message: String,
    /// Where in the expanded query.
    pub span: Span,
    /// Whether the construct is valid SPL that the engine does not run yet.
    pub unsupported: bool,
}

impl CommandError {
    /// A command that cannot run as written.
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        CommandError {
            message: message.into(),
            span,
            unsupported: false,
        }
    }

    /// Valid SPL the engine does not run yet.
    pub fn unsupported(construct: impl Into<String>, span: Span) -> Self {
        CommandError {
            message: format!("{} is not supported", construct.into()),
            span,
            unsupported: true,
        }
    }
}

/// The index of `column`, added at the end (null in every row) when absent.
pub(crate) fn ensure_column(table: &mut ResultTable, column: &str) -> usize {
    if let Some(at) = table.columns.iter().position(|c| c == column) {
        return at;
    }
    table.columns.push(column.to_string());
    for row in &mut table.rows {
        row.push(Cell::Null);
    }
    table.columns.len() - 1
}

/// A cell holding `values`: null for none, single for one.
pub(crate) fn cell_of(mut values: Vec<String>) -> Cell {
    match values.len() {
        0 => Cell::Null,
        1 => Cell::Single(values.remove(0)),
        _ => Cell::Multi(values),
    }
}
