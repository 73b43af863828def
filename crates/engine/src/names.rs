//! Field-name patterns of `rename`, `table`, `fields` and `convert`.
//!
//! Field names are case-sensitive, so unlike value wildcards these compare bytes exactly.
//! Each `*` captures the text it stands for, which `rename` carries into the new name.

/// A field name that may hold `*` wildcards.
#[derive(Debug, Clone)]
pub struct NamePattern {
    pieces: Vec<String>,
}

impl NamePattern {
    /// Splits a written name at its wildcards.
    pub fn new(pattern: &str) -> Self {
        NamePattern {
            pieces: pattern.split('*').map(str::to_string).collect(),
        }
    }

    /// How many `*` the pattern holds.
    pub fn stars(&self) -> usize {
        self.pieces.len() - 1
    }

    /// The text each `*` stands for when `name` matches, or `None`.
    ///
    /// A `*` takes as little as it can, except the last, which takes what remains before
    /// the final literal piece.
    pub fn captures(&self, name: &str) -> Option<Vec<String>> {
        let (first, rest) = self.pieces.split_first()?;
        let Some((last, middle)) = rest.split_last() else {
            return (name == first).then(Vec::new);
        };
        let mut remaining = name.strip_prefix(first.as_str())?;
        let mut captures = Vec::with_capacity(rest.len());
        for piece in middle {
            let at = remaining.find(piece.as_str())?;
            captures.push(remaining[..at].to_string());
            remaining = &remaining[at + piece.len()..];
        }
        let tail = remaining.strip_suffix(last.as_str())?;
        captures.push(tail.to_string());
        Some(captures)
    }

    /// The name with each `*` replaced by its capture, in order.
    pub fn fill(&self, captures: &[String]) -> String {
        let mut out = String::new();
        for (at, piece) in self.pieces.iter().enumerate() {
            if at > 0 {
                out.push_str(captures.get(at - 1).map_or("", String::as_str));
            }
            out.push_str(piece);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::NamePattern;

    #[test]
    fn captures_and_fills() {
        let from = NamePattern::new("Processes.*");
        let to = NamePattern::new("*");
        let caps = from.captures("Processes.process_name").unwrap();
        assert_eq!(to.fill(&caps), "process_name");
        assert!(from.captures("processes.process_name").is_none());
        assert!(from.captures("count").is_none());

        let literal = NamePattern::new("count");
        assert_eq!(literal.captures("count"), Some(vec![]));
        assert!(literal.captures("counts").is_none());

        let two = NamePattern::new("a*b*c");
        assert_eq!(two.captures("aXbYc"), Some(vec!["X".into(), "Y".into()]));
        assert_eq!(
            NamePattern::new("*.*").fill(&["x".into(), "y".into()]),
            "x.y"
        );
        assert_eq!(
            NamePattern::new("Processes.*").fill(&["dest".into()]),
            "Processes.dest"
        );
    }
}
