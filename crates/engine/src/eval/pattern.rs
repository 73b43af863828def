//! Splunk's patterns in Rust's `regex` crate: PCRE regexes (`match`, `replace`) and SQL
//! `LIKE` patterns.
//!
//! The `regex` crate (≥ 1.9) reads the PCRE syntax detections use: named groups
//! `(?<name>…)` and `(?P<name>…)`, `\x{202E}`, inline flags such as `(?i)`, and escapes of
//! any punctuation (`\#`, `\-`). It has no look-around, atomic groups or back-references;
//! a pattern using them is refused with an error naming the construct rather than run
//! differently.

use regex::Regex;

/// Compiles a PCRE pattern, or says why it cannot be.
pub(crate) fn compile(pattern: &str) -> Result<Regex, String> {
    if let Some(construct) = unsupported_construct(pattern) {
        return Err(format!(
            "{construct} in the regular expression {pattern:?} is not supported"
        ));
    }
    Regex::new(pattern).map_err(|e| {
        let detail = e.to_string();
        let last = detail.lines().last().unwrap_or_default().trim().to_string();
        format!("invalid regular expression {pattern:?}: {last}")
    })
}

/// The first PCRE construct in `pattern` that the `regex` crate lacks.
fn unsupported_construct(pattern: &str) -> Option<&'static str> {
    let bytes = pattern.as_bytes();
    let mut in_class = false;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => {
                let next = bytes.get(at + 1).copied();
                if !in_class && next.is_some_and(|b| (b'1'..=b'9').contains(&b)) {
                    return Some("a back-reference such as `\\1`");
                }
                at += 2;
                continue;
            }
            b'[' if !in_class => {
                in_class = true;
                // A `]` right after `[` or `[^` is a literal member.
                if bytes.get(at + 1) == Some(&b'^') {
                    at += 1;
                }
                if bytes.get(at + 1) == Some(&b']') {
                    at += 1;
                }
            }
            b']' if in_class => in_class = false,
            b'(' if !in_class => {
                let rest = &pattern[at..];
                let found = [
                    ("(?=", "look-ahead `(?=`"),
                    ("(?!", "negative look-ahead `(?!`"),
                    ("(?<=", "look-behind `(?<=`"),
                    ("(?<!", "negative look-behind `(?<!`"),
                    ("(?>", "atomic group `(?>`"),
                ]
                .into_iter()
                .find(|(start, _)| rest.starts_with(start));
                if let Some((_, name)) = found {
                    return Some(name);
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// A SQL `LIKE` pattern as an anchored regex: `%` is any run, `_` any one character,
/// everything else literal and case-sensitive [spl-semantics.md §5, `like`].
pub(crate) fn like_to_regex(pattern: &str) -> String {
    let mut out = String::from("(?s)^");
    let mut literal = [0u8; 4];
    for c in pattern.chars() {
        match c {
            '%' => out.push_str(".*"),
            '_' => out.push('.'),
            c => out.push_str(&regex::escape(c.encode_utf8(&mut literal))),
        }
    }
    out.push('$');
    out
}

/// A `replace()` replacement in the `regex` crate's syntax: `\1` … `\9` become group
/// references, `\\` a backslash, and `$` is literal.
pub(crate) fn replacement(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' => out.push_str("$$"),
            '\\' => match chars.peek().copied() {
                Some(d) if d.is_ascii_digit() => {
                    out.push_str(&format!("${{{d}}}"));
                    chars.next();
                }
                Some('\\') => {
                    out.push('\\');
                    chars.next();
                }
                _ => out.push('\\'),
            },
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcre_syntax_that_detections_use_compiles() {
        for pattern in [
            r"(?i)(-O|--output)",
            r"rundll32.+\#\d+",
            r"(?<name>\w+)\x{202E}",
            r"(?i)[\-/]enc",
            r"[(?=]x",
            r"\(?=",
        ] {
            assert!(compile(pattern).is_ok(), "{pattern}");
        }
    }

    #[test]
    fn look_around_and_back_references_are_refused_by_name() {
        let cases = [
            (r"a(?=b)", "look-ahead `(?=`"),
            (r"a(?!b)", "negative look-ahead `(?!`"),
            (r"(?<=a)b", "look-behind `(?<=`"),
            (r"(?<!a)b", "negative look-behind `(?<!`"),
            (r"(a)\1", "back-reference"),
        ];
        for (pattern, name) in cases {
            let message = compile(pattern).unwrap_err();
            assert!(
                message.contains(name) && message.contains("not supported"),
                "{message}"
            );
        }
        assert!(compile("a(")
            .unwrap_err()
            .starts_with("invalid regular expression"));
    }

    #[test]
    fn like_and_replacement() {
        let like = Regex::new(&like_to_regex("C:\\%.e_e")).unwrap();
        assert!(like.is_match("C:\\Windows\\x.exe"));
        assert!(!like.is_match("c:\\Windows\\x.exe"));
        assert!(!like.is_match("C:\\x.exe\n"));
        assert_eq!(replacement(r"\2-\1 $5 \\ \x"), r"${2}-${1} $$5 \ \x");
    }
}
