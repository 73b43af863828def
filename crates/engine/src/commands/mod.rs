//! Commands that run after `tstats`, row by row in Rust over a [`ResultTable`].
//!
//! Each command is one module exposing a `run` function from a table (and its syntax node) to
//! a table, with Splunk's semantics for nulls, multivalues and case described and tested
//! there. Commands that take a subsearch (`join`, `append`) receive the subsearch's already
//! computed table: running it is the pipeline runner's job (see `crate::pipeline`), not theirs.
//!
//! This module does not plan or lower pipelines, and does not touch polars.

pub mod append;
pub mod bin;
mod columns;
pub mod convert;
pub mod dedup;
pub mod eval;
pub mod fields;
pub mod fillnull;
pub mod format;
pub mod head;
pub mod inputlookup;
pub mod join;
pub mod lookup;
pub mod makeresults;
pub mod mvexpand;
pub mod regex;
pub mod rename;
pub mod rex;
pub mod search;
pub mod sort;
pub mod stats;
pub mod table;
pub mod where_;

use chrono_tz::Tz;
use spelunk_spl::ast::{Command, Span};

use crate::lookup::LookupLibrary;
use crate::values::{Cell, ResultTable};

/// What a command may need besides its input rows: the clock, the time zone, the lookups.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The time zone of the searching user: `strftime`, `strptime`, `@d` snapping and day bins
    /// use it.
    pub tz: Tz,
    /// When the search started, in epoch seconds: the value of `now()`, and the `_time` that
    /// `makeresults` stamps. Constant for the whole search.
    pub now: f64,
    /// The lookups folder, when one was given (`--lookups DIR`).
    pub lookups: Option<&'a LookupLibrary>,
}

/// Why a command could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CommandError {
    /// What went wrong, lower case, with the fix when there is one.
    pub message: String,
    /// Where in the expanded query.
    pub span: Span,
    /// Whether this is valid SPL that spelunk cannot run yet.
    pub unsupported: bool,
    /// The kind, for the faults that have one.
    pub kind: Option<CommandErrorKind>,
}

impl CommandError {
    /// An error at `span`.
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        CommandError {
            message: message.into(),
            span,
            unsupported: false,
            kind: None,
        }
    }

    /// "`construct` is not supported" at `span`.
    pub fn unsupported(construct: impl Into<String>, span: Span) -> Self {
        CommandError {
            message: format!("{} is not supported", construct.into()),
            span,
            unsupported: true,
            kind: None,
        }
    }

    /// An error of `kind` at `span`.
    pub fn of(kind: CommandErrorKind, span: Span) -> Self {
        CommandError {
            message: kind.to_string(),
            span,
            unsupported: matches!(kind, CommandErrorKind::Unsupported { .. }),
            kind: Some(kind),
        }
    }
}

impl From<crate::eval::EvalError> for CommandError {
    fn from(e: crate::eval::EvalError) -> Self {
        CommandError {
            message: e.message,
            span: e.span,
            unsupported: e.unsupported,
            kind: None,
        }
    }
}

/// The kinds of [`CommandError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandErrorKind {
    /// A regular expression that does not compile.
    #[error("invalid regular expression: {message}")]
    Regex {
        /// The compiler's message.
        message: String,
    },
    /// A `rex mode=sed` expression that is not `s/<regex>/<replacement>/[g|N]`.
    #[error("invalid sed expression `{text}`; expected `s/<regex>/<replacement>/[g]`")]
    Sed {
        /// The expression as written.
        text: String,
    },
    /// A `bin span=` that is not a number or a number with a time unit.
    #[error("invalid span `{text}`; expected a number, or a number and a unit such as `1h`")]
    BinSpan {
        /// The span as written.
        text: String,
    },
    /// Valid SPL that the row-wise commands do not run yet.
    #[error("{construct} is not supported")]
    Unsupported {
        /// The construct, e.g. "a wildcard field name in `search`".
        construct: String,
    },
}

/// The result of a command.
pub type CommandResult = Result<ResultTable, CommandError>;

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

/// The index of `column`, added at the end (null in every row) when absent.
pub(crate) fn ensure_column(table: &mut ResultTable, column: &str) -> usize {
    column_index(table, column)
}

/// A cell holding `values`: null for none, single for one.
pub(crate) fn cell_of(mut values: Vec<String>) -> Cell {
    match values.len() {
        0 => Cell::Null,
        1 => Cell::Single(values.remove(0)),
        _ => Cell::Multi(values),
    }
}

/// Runs one command of a pipeline over the rows the previous command left.
///
/// `makeresults` ignores `input` (it generates rows). Commands that need more than rows are
/// refused naming what they need: `tstats` (a catalog), and `join` and `append`, whose
/// subsearch the pipeline runner must run first and hand to [`join::run`] or
/// [`append::run`].
pub fn apply(input: ResultTable, command: &Command, ctx: &Context) -> CommandResult {
    match command {
        Command::Search(c) => search::run(input, c, ctx),
        Command::Rename(c) => rename::run(input, c, ctx),
        Command::Table(c) => table::run(input, c, ctx),
        Command::Fields(c) => fields::run(input, c, ctx),
        Command::Dedup(c) => dedup::run(input, c, ctx),
        Command::Sort(c) => sort::run(input, c, ctx),
        Command::Head(c) => head::run(input, c, ctx),
        Command::Fillnull(c) => fillnull::run(input, c, ctx),
        Command::Mvexpand(c) => mvexpand::run(input, c, ctx),
        Command::Bin(c) => bin::run(input, c, ctx),
        Command::Makeresults(c) => makeresults::run(c, ctx),
        Command::Regex(c) => regex::run(input, c, ctx),
        Command::Rex(c) => rex::run(input, c, ctx),
        Command::Eval(c) => eval::run(input, c, ctx),
        Command::Where(c) => where_::run(input, c, ctx),
        Command::Stats(c) => stats::run(input, c, ctx),
        Command::Lookup(c) => lookup::run(input, c, ctx),
        Command::Inputlookup(c) => inputlookup::run(input, c, ctx),
        Command::Convert(c) => convert::run(input, c, ctx),
        Command::Tstats(_) | Command::Join(_) | Command::Append(_) => {
            let name = command.to_string();
            let name = name
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            let construct = format!("command `{name}` as a row-wise step");
            let kind = CommandErrorKind::Unsupported { construct };
            Err(CommandError::of(kind, command.span()))
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! Helpers of the commands' golden tests.

    use spelunk_spl::ast::Command;

    use super::Context;

    /// A context in UTC at 2024-01-02T03:04:05Z.
    pub(crate) fn ctx() -> Context<'static> {
        Context {
            tz: chrono_tz::UTC,
            now: 1_704_164_645.0,
            lookups: None,
        }
    }

    #[test]
    fn apply_runs_a_pipeline_of_row_wise_commands() {
        let pipeline = spelunk_spl::parse(
            "| makeresults count=3 | fillnull value=x user | rex field=user \"(?<first>.)\" \
             | rename first AS initial | head 2 | table initial _time",
        )
        .unwrap();
        let mut rows = crate::values::ResultTable {
            columns: Vec::new(),
            rows: Vec::new(),
        };
        for command in &pipeline.commands {
            rows = super::apply(rows, command, &ctx()).unwrap();
        }
        let expected = super::columns::test_rows::table(
            &["initial", "_time"],
            &[&["x", "1704164645"], &["x", "1704164645"]],
        );
        assert_eq!(rows, expected);

        let join = spelunk_spl::parse("| makeresults | join x [| makeresults]").unwrap();
        let err = super::apply(rows, &join.commands[1], &ctx()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "command `join` as a row-wise step is not supported"
        );
    }

    /// The command written as `text`, parsed after a `makeresults`.
    pub(crate) fn parse_command(text: &str) -> Command {
        let pipeline = spelunk_spl::parse(&format!("| makeresults | {text}"))
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        pipeline
            .commands
            .into_iter()
            .nth(1)
            .expect("a second command")
    }
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
    pub fn context() -> Context<'static> {
        Context {
            tz: chrono_tz::UTC,
            now: 1_700_000_000.0,
            lookups: None,
        }
    }

    /// The first pipeline command of `text`.
    pub fn command(text: &str) -> spelunk_spl::Command {
        let pipeline = spelunk_spl::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        pipeline.commands.into_iter().next().expect("a command")
    }
}
