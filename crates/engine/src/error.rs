//! Errors of planning and running a search.

use std::path::PathBuf;

use spelunk_spl::ast::Span;

/// A search the planner cannot turn into a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    /// What is wrong, in the voice of the other diagnostics.
    pub message: String,
    /// Where in the expanded query.
    pub span: Span,
    /// Whether the construct is valid SPL that the engine does not run yet.
    pub unsupported: bool,
}

impl PlanError {
    /// A search that is wrong as written.
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        PlanError {
            message: message.into(),
            span,
            unsupported: false,
        }
    }

    /// Valid SPL the engine does not run yet.
    pub fn unsupported(construct: impl Into<String>, span: Span) -> Self {
        PlanError {
            message: format!("{} is not supported", construct.into()),
            span,
            unsupported: true,
        }
    }
}

/// Everything that can stop a search.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The query is wrong or uses what is not supported; rendered with a caret.
    #[error("{rendered}")]
    Query {
        /// The diagnostic rendered against the text it points into.
        rendered: String,
        /// Whether the fault is an unsupported construct rather than a mistake.
        unsupported: bool,
    },
    /// A log could not be read.
    #[error(transparent)]
    Read(#[from] spelunk_cim::read::ReadError),
    /// A store could not be opened or written.
    #[error(transparent)]
    Store(#[from] spelunk_cim::store::StoreError),
    /// A `--table` file could not be used.
    #[error("{}: {message}", path.display())]
    Table {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A `--table` option that is not `DATASET=FILE` with a known data set.
    #[error("{0}")]
    Usage(String),
    /// `--tz` names no known time zone.
    #[error("unknown time zone `{0}`; use an IANA name such as `UTC` or `Europe/Paris`")]
    TimeZone(String),
    /// The execution engine failed.
    #[error("execution failed: {0}")]
    Execution(#[from] polars::error::PolarsError),
}
