//! Commands that run row-wise in Rust over a [`ResultTable`], after the tstats source.
//!
//! Each command is one module exposing a `run` function from a table (and its AST node) to
//! a table, with Splunk's semantics for nulls, multivalues and case described and tested
//! there. Commands that take a subsearch (`join`, `append`) receive the subsearch's already
//! computed table: running it is the pipeline runner's job, not theirs.
//!
//! This module does not plan or lower pipelines, and does not touch polars.

use chrono_tz::Tz;
use spelunk_spl::ast::{Command, Span};

use crate::values::ResultTable;

pub mod append;
pub mod bin;
mod columns;
pub mod dedup;
pub mod fields;
pub mod fillnull;
pub mod head;
pub mod join;
pub mod makeresults;
pub mod mvexpand;
pub mod regex;
pub mod rename;
pub mod rex;
pub mod search;
pub mod sort;
pub mod table;

/// What a command may need beyond its input rows.
#[derive(Debug, Clone)]
pub struct Context {
    /// The time zone that day and month bins align to.
    pub tz: Tz,
    /// When the search started, in epoch seconds (`makeresults` stamps it as `_time`).
    pub now: f64,
}

/// Why a command could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct CommandError {
    /// What went wrong.
    pub kind: CommandErrorKind,
    /// Where in the expanded query.
    pub span: Span,
}

impl CommandError {
    /// An error of `kind` at `span`.
    pub fn new(kind: CommandErrorKind, span: Span) -> Self {
        CommandError { kind, span }
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

/// Runs one command of a pipeline over the rows the previous command left.
///
/// `makeresults` ignores `input` (it generates rows). Commands that need more than rows are
/// refused naming what they need: `tstats` (a catalog), `convert` (run by the planner's
/// stages), and `join` and `append`, whose subsearch the pipeline runner must run first and
/// hand to [`join::run`] or [`append::run`].
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
        Command::Tstats(_) | Command::Convert(_) | Command::Join(_) | Command::Append(_) => {
            let name = command.to_string();
            let name = name
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            let construct = format!("command `{name}` as a row-wise step");
            let kind = CommandErrorKind::Unsupported { construct };
            Err(CommandError::new(kind, command.span()))
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! Helpers of the commands' golden tests.

    use spelunk_spl::ast::Command;

    use super::Context;

    /// A context in UTC at 2024-01-02T03:04:05Z.
    pub(crate) fn ctx() -> Context {
        Context {
            tz: chrono_tz::UTC,
            now: 1_704_164_645.0,
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
