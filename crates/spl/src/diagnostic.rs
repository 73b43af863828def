//! Diagnostics: an error message tied to a span of query text, rendered with the query line
//! and a caret under the fault.
//!
//! ```text
//! error: expected a value after `=`, found `)`
//!  --> line 2, column 41
//!   |
//! 2 | | tstats count from datamodel=Endpoint.Processes where x=)
//!   |                                         ^
//!   = help: ...
//! ```
//!
//! Line and column are computed only when rendering; columns count characters. Spans outside
//! the text are clamped, so rendering never panics. Lines longer than [`MAX_SHOWN`]
//! characters are shown as a window around the caret. This layer is generic: the engine
//! builds its own semantic diagnostics with [`Diagnostic::new`].

use std::fmt;

use crate::ast::Span;
use crate::comments::CommentError;
use crate::macros::{MacroError, MacroErrorKind};
use crate::parser::{ParseError, ParseErrorKind};

/// The longest line shown whole, in characters.
pub const MAX_SHOWN: usize = 120;

/// Characters of context kept before the caret when a long line is cut.
const CONTEXT_BEFORE: usize = 40;

/// What sort of problem a [`Diagnostic`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DiagnosticKind {
    /// The text is not valid SPL (an unterminated comment included).
    Syntax,
    /// Valid SPL that spelunk cannot run yet.
    Unsupported,
    /// A macro call could not be expanded.
    Macro,
    /// The search parsed but cannot mean anything to the engine (the engine's own checks).
    Semantic,
}

/// An error about a span of query text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What sort of problem this is.
    pub kind: DiagnosticKind,
    /// The headline, lower case, without a trailing period.
    pub message: String,
    /// The offending text, as byte offsets into `source`.
    pub span: Span,
    /// How to fix it, when we can say.
    pub help: Option<String>,
    /// Context that is not a fix, e.g. that the span refers to the expanded search.
    pub note: Option<String>,
    /// The text `span` refers to, when known. [`crate::prepare`] sets the user's text for
    /// comment and macro errors and the macro-expanded text for parse errors.
    pub source: Option<String>,
}

impl Diagnostic {
    /// A [`DiagnosticKind::Semantic`] diagnostic with no help, note or source.
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            kind: DiagnosticKind::Semantic,
            message: message.into(),
            span,
            help: None,
            note: None,
            source: None,
        }
    }

    /// Sets the kind.
    pub fn with_kind(mut self, kind: DiagnosticKind) -> Self {
        self.kind = kind;
        self
    }

    /// Sets the help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the note line.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Sets the text the span refers to.
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Renders against `source`: the message, the position, the line with a caret, then
    /// the note and help lines. No trailing newline.
    pub fn render(&self, source: &str) -> String {
        let at = locate(source, self.span);
        let width = at.line.to_string().len();
        let pad = " ".repeat(width + 1);

        let mut lines = vec![
            format!("error: {}", self.message),
            format!(
                "{}--> line {}, column {}",
                " ".repeat(width),
                at.line,
                at.column
            ),
            format!("{pad}|"),
            format!("{} | {}", at.line, at.text).trim_end().to_string(),
            format!("{pad}| {}{}", at.caret_pad, "^".repeat(at.caret_len)),
        ];
        if let Some(note) = &self.note {
            lines.push(format!("{pad}= note: {note}"));
        }
        if let Some(help) = &self.help {
            lines.push(format!("{pad}= help: {help}"));
        }
        lines.join("\n")
    }
}

/// Renders against the carried source, or only the message and help when there is none.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(source) = &self.source {
            return f.write_str(&self.render(source));
        }
        write!(f, "error: {}", self.message)?;
        if let Some(note) = &self.note {
            write!(f, "\n  = note: {note}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

impl From<ParseError> for Diagnostic {
    fn from(e: ParseError) -> Self {
        let help = match &e.kind {
            ParseErrorKind::Unbalanced { what } if what.contains("`)` has no") => {
                Some("remove this `)` or add the `(` it closes".to_string())
            }
            ParseErrorKind::Unbalanced { what } if what.contains("parenthesis") => {
                Some("add the missing `)`".to_string())
            }
            ParseErrorKind::Unbalanced { .. } => Some("add the closing `\"`".to_string()),
            ParseErrorKind::Unsupported { .. } => {
                Some("this is valid SPL, but spelunk cannot run it yet".to_string())
            }
            ParseErrorKind::UnknownCommand { .. } | ParseErrorKind::UnknownFunction { .. } => {
                Some("check the spelling; a macro call must be written between backticks".into())
            }
            ParseErrorKind::TooDeep { .. } => Some("simplify the expression".to_string()),
            ParseErrorKind::TooComplex { .. } => {
                Some("write long lists of alternatives as `field IN (...)`".to_string())
            }
            ParseErrorKind::Duplicate { .. } => Some("give it only once".to_string()),
            ParseErrorKind::Expected { .. } => None,
        };
        let kind = match e.kind {
            ParseErrorKind::Unsupported { .. } => DiagnosticKind::Unsupported,
            _ => DiagnosticKind::Syntax,
        };
        Diagnostic {
            kind,
            message: e.kind.to_string(),
            span: e.span,
            help,
            note: None,
            source: None,
        }
    }
}

impl From<MacroError> for Diagnostic {
    fn from(e: MacroError) -> Self {
        let help = match &e.kind {
            MacroErrorKind::Undefined { available, .. } if available.is_empty() => {
                Some("define it in a macros.conf or macro YAML file and load that file".to_string())
            }
            MacroErrorKind::Undefined { .. } => {
                Some("pass as many arguments as the definition names".to_string())
            }
            MacroErrorKind::Cycle { .. } => {
                Some("a macro must not expand to a call of itself".to_string())
            }
            MacroErrorKind::Unterminated => Some("close the macro call with a `".to_string()),
            _ => None,
        };
        let kind = match e.kind {
            MacroErrorKind::EvalMacro { .. } => DiagnosticKind::Unsupported,
            _ => DiagnosticKind::Macro,
        };
        Diagnostic {
            kind,
            message: e.kind.to_string(),
            span: e.span,
            help,
            note: None,
            source: None,
        }
    }
}

impl From<CommentError> for Diagnostic {
    fn from(e: CommentError) -> Self {
        Diagnostic::new(e.to_string(), e.span)
            .with_kind(DiagnosticKind::Syntax)
            .with_help("close the comment with ```")
    }
}

/// Where a span lands, ready to print.
struct Location {
    line: usize,
    column: usize,
    text: String,
    caret_pad: String,
    caret_len: usize,
}

fn locate(source: &str, span: Span) -> Location {
    let mut start = floor_boundary(source, span.start.min(source.len()));
    let mut end = floor_boundary(source, span.end.min(source.len())).max(start);
    if start == end && source[start..].trim().is_empty() {
        start = source.trim_end().len();
        end = start;
    }

    let line_start = source[..start].rfind('\n').map_or(0, |n| n + 1);
    let line_end = source[start..]
        .find('\n')
        .map_or(source.len(), |n| start + n);
    let line: Vec<char> = source[line_start..line_end]
        .trim_end_matches('\r')
        .chars()
        .collect();
    let col = source[line_start..start].chars().count();
    let len = source[start..end.min(line_end)].chars().count().max(1);

    let (from, to) = if line.len() > MAX_SHOWN {
        let from = col.saturating_sub(CONTEXT_BEFORE);
        (from, (from + MAX_SHOWN).min(line.len()))
    } else {
        (0, line.len())
    };
    let shown = |c: &char| {
        if c.is_control() && *c != '\t' {
            ' '
        } else {
            *c
        }
    };
    let mut text: String = line[from..to].iter().map(shown).collect();
    let mut caret_pad: String = line[from..col.min(to)]
        .iter()
        .map(|c| if *c == '\t' { '\t' } else { ' ' })
        .collect();
    if from > 0 {
        text.insert_str(0, "...");
        caret_pad.insert_str(0, "   ");
    }
    if to < line.len() {
        text.push_str("...");
    }

    Location {
        line: source[..start].matches('\n').count() + 1,
        column: col + 1,
        text,
        caret_pad,
        caret_len: len.min(to.saturating_sub(col).max(1)),
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
