//! Removal of SPL comments (```` ```like this``` ````) before anything else reads the text.
//!
//! Splunk strips a comment wherever it appears, before macros are expanded. Each comment is
//! replaced by ASCII spaces of the same byte length, so every byte offset computed later
//! still points at the same place in the text the user wrote, and a comment still separates
//! the tokens on either side of it.
//!
//! A comment is recognised anywhere, even between double quotes: Splunk's documentation
//! describes comments as removed from the raw text, not as tokens.
//!
//! An opening ```` ``` ```` with no closing ```` ``` ```` is an error whose span covers the
//! opening backticks. Treating the rest of the search as a comment would silently run a
//! shorter search than the one written; Splunk's documentation requires comments to be
//! closed, so we refuse it.

use crate::ast::Span;

/// The comment delimiter.
const FENCE: &str = "```";

/// A comment that is opened but never closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unterminated comment: this ``` is never closed")]
pub struct CommentError {
    /// The opening backticks.
    pub span: Span,
}

/// Returns `text` with every comment replaced by spaces of the same byte length.
pub fn strip_comments(text: &str) -> Result<String, CommentError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;

    while let Some(found) = text[rest..].find(FENCE) {
        let open = rest + found;
        let body = open + FENCE.len();
        let Some(close) = text[body..].find(FENCE) else {
            return Err(CommentError {
                span: Span::new(open, body),
            });
        };
        let end = body + close + FENCE.len();

        out.push_str(&text[rest..open]);
        out.push_str(&" ".repeat(end - open));
        rest = end;
    }

    out.push_str(&text[rest..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_becomes_spaces_of_equal_length() {
        let text = "a ```note é``` b";
        let out = strip_comments(text).unwrap();
        assert_eq!(out.len(), text.len());
        assert_eq!(out.trim_start_matches('a').trim(), "b");
        assert!(out.starts_with("a "));
    }

    #[test]
    fn several_comments_and_none() {
        assert_eq!(strip_comments("x").unwrap(), "x");
        assert_eq!(
            strip_comments("```a```x```b```").unwrap(),
            "       x       "
        );
        assert_eq!(strip_comments("``````").unwrap(), "      ");
    }

    #[test]
    fn unterminated_comment_is_an_error() {
        let err = strip_comments("search x ```oops").unwrap_err();
        assert_eq!(err.span, Span::new(9, 12));
    }
}
