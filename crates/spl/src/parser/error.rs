//! The parser's error type, and the internal error that travels through nom.

use crate::ast::Span;

/// Why a search could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct ParseError {
    /// What went wrong.
    pub kind: ParseErrorKind,
    /// The offending text, as byte offsets into the parsed (macro-expanded) text.
    pub span: Span,
}

impl ParseError {
    /// An error of `kind` at `span`.
    pub fn new(kind: ParseErrorKind, span: Span) -> Self {
        ParseError { kind, span }
    }
}

/// The kinds of [`ParseError`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    /// Something else was found where the grammar needs `expected`.
    #[error("expected {expected}, found {found}")]
    Expected {
        /// What the grammar needs here, e.g. "`)`" or "a field name".
        expected: String,
        /// The token found, in backticks, or "end of query".
        found: String,
    },
    /// Valid SPL that this parser does not handle yet. The engine must refuse such a search
    /// rather than run something else.
    #[error("{construct} is not supported")]
    Unsupported {
        /// The construct, e.g. "command `eval`", "tstats prestats", "subsearch".
        construct: String,
    },
    /// An opening or closing delimiter without its partner.
    #[error("unbalanced {what}")]
    Unbalanced {
        /// Which delimiter and how, e.g. "parenthesis: `)` has no matching `(`".
        what: String,
    },
    /// Parentheses (or chained `NOT`s) nest deeper than the parser allows.
    #[error("the search nests more than {limit} levels deep")]
    TooDeep {
        /// The nesting limit.
        limit: usize,
    },
    /// An expression whose tree is deeper than the parser allows, usually a very long chain
    /// of `AND`/`OR` terms.
    #[error("the expression is too complex: its terms nest more than {limit} levels deep")]
    TooComplex {
        /// The depth limit.
        limit: usize,
    },
    /// A command name that Splunk does not know either.
    #[error("unknown search command `{name}`")]
    UnknownCommand {
        /// The name as written.
        name: String,
    },
    /// A function name that the command does not know, e.g. an unexpanded macro name used
    /// as a `convert` function.
    #[error("unknown {command} function `{name}`")]
    UnknownFunction {
        /// The command, e.g. "convert".
        command: String,
        /// The name as written.
        name: String,
    },
    /// An option given twice in one command.
    #[error("`{name}` is given more than once")]
    Duplicate {
        /// The option or clause, e.g. "fillnull_value" or "WHERE".
        name: String,
    },
}

/// The error carried through nom: a kind (`None` for nom's own "no match") at a position
/// given as the length of the input left, which is all a nom error knows.
#[derive(Debug, Clone)]
pub(crate) struct PError {
    pub(crate) rest_len: usize,
    pub(crate) len: usize,
    pub(crate) kind: Option<ParseErrorKind>,
}

impl<'a> nom::error::ParseError<&'a str> for PError {
    fn from_error_kind(input: &'a str, _kind: nom::error::ErrorKind) -> Self {
        PError {
            rest_len: input.len(),
            len: 0,
            kind: None,
        }
    }

    fn append(_input: &'a str, _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

/// The result type of the internal parsers.
pub(crate) type PResult<'a, T> = nom::IResult<&'a str, T, PError>;

/// A failed parse step.
pub(crate) type Failure = nom::Err<PError>;

/// The result of a parse step that only moves the input.
pub(crate) type Step<'a> = Result<&'a str, Failure>;
