//! `spelunk-spl`: everything spelunk knows about SPL text, and nothing about running it.
//!
//! The stages, in the order [`prepare`] runs them:
//!
//! 1. [`comments`]: ```` ```comments``` ```` become spaces of the same length;
//! 2. [`macros`]: backtick calls are expanded from a [`MacroLibrary`];
//! 3. [`parser`]: the expanded text becomes a [`Pipeline`] ([`ast`]), every node with its
//!    byte span;
//! 4. [`diagnostic`]: any error becomes a [`Diagnostic`] that renders the query line with a
//!    caret under the fault.
//!
//! Every tree prints back as canonical SPL through `Display`, and that text parses to an
//! equal tree. Data models, field semantics and execution belong to other crates.

#![warn(missing_docs)]

pub mod ast;
pub mod comments;
pub mod diagnostic;
pub mod macros;
pub mod parser;
mod print;

pub use ast::*;
pub use comments::{strip_comments, CommentError};
pub use diagnostic::{Diagnostic, DiagnosticKind};
pub use macros::{
    Macro, MacroError, MacroErrorKind, MacroLibrary, MacroLoadError, MacroLoadErrorKind,
};
pub use parser::{parse, ParseError, ParseErrorKind, MAX_NESTING, MAX_TREE_DEPTH};

/// A search ready for planning.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The text after removing comments and expanding macros; the pipeline's spans index it.
    pub expanded: String,
    /// The parsed search.
    pub pipeline: Pipeline,
}

/// Strips comments, expands macros and parses `text`.
///
/// The returned [`Diagnostic`] carries the text its span refers to in `source`: `text` itself
/// for comment and macro errors (the caret lands on what the user wrote), the expanded text
/// for parse errors (with a note saying so when expansion changed the text).
pub fn prepare(text: &str, macros: &MacroLibrary) -> Result<Prepared, Diagnostic> {
    let stripped = strip_comments(text).map_err(|e| Diagnostic::from(e).with_source(text))?;
    let expanded = macros
        .expand(&stripped)
        .map_err(|e| Diagnostic::from(e).with_source(text))?;

    match parse(&expanded) {
        Ok(pipeline) => Ok(Prepared { expanded, pipeline }),
        Err(e) => {
            let mut diagnostic = Diagnostic::from(e.clone());
            if let Some(help) = macro_used_as_function(&e, &expanded, macros) {
                diagnostic.help = Some(help);
            }
            match span_in_user_text(e.span, &stripped, &expanded) {
                Some(span) => diagnostic.span = span,
                None => {
                    let note = "the position refers to the search after macro expansion";
                    diagnostic.note = Some(note.to_string());
                    return Err(diagnostic.with_source(expanded));
                }
            }
            Err(diagnostic.with_source(text))
        }
    }
}

/// The span in the user's text of `span` (which indexes `expanded`), when it lies in the
/// part before the first or after the last change made by macro expansion. Comment removal
/// keeps offsets, so the user's text and `stripped` share them.
fn span_in_user_text(span: Span, stripped: &str, expanded: &str) -> Option<Span> {
    let (a, b) = (stripped.as_bytes(), expanded.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if span.end <= prefix {
        return Some(span);
    }

    let room = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let unchanged_from = b.len() - suffix;
    if span.start >= unchanged_from {
        let start = (span.start + a.len()).checked_sub(b.len())?;
        let end = (span.end + a.len()).checked_sub(b.len())?;
        return Some(Span::new(start, end));
    }
    None
}

/// When an unknown function is the name of a macro, a help line showing the backtick call.
fn macro_used_as_function(e: &ParseError, text: &str, macros: &MacroLibrary) -> Option<String> {
    let ParseErrorKind::UnknownFunction { name, .. } = &e.kind else {
        return None;
    };
    if macros.arities(name).is_empty() {
        return None;
    }
    let call = text
        .get(e.span.start..)
        .and_then(|rest| rest.find(')').map(|close| &rest[..=close]))
        .unwrap_or(name);
    Some(format!(
        "`{name}` is a macro, and macros expand only between backticks: `{call}`"
    ))
}
